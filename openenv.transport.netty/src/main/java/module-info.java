/**
 * Netty 4.2 transport for OpenEnv: the HTTP/1.1 + WebSocket server that {@link openenv.api.EnvServer} runs on,
 * and a client for {@code ws://}, {@code wss://}, {@code http://} and {@code https://} URLs. Put it on the
 * module path (or in the jlink image) and the api picks it up; select it explicitly with
 * {@code transport("netty")} or {@code -Dopenenv.server=netty} / {@code -Dopenenv.client=netty}.
 *
 * <p>Exports nothing: it is used only through the service provider interfaces of {@code openenv.api}.
 *
 * @provides openenv.api.spi.ServerTransportProvider as "netty"
 * @provides openenv.api.spi.ClientTransportProvider as "netty" (schemes ws, wss, http, https)
 */
module openenv.transport.netty {
    requires openenv.api;
    // Netty 4.2 jars are explicit modules, so jlink accepts them; each package we import is listed.
    requires io.netty.buffer;
    requires io.netty.codec;            // netty-codec-base: TooLongFrameException, DecoderResult
    requires io.netty.codec.http;       // HTTP/1.1 and WebSocket codecs
    requires io.netty.common;
    requires io.netty.handler;          // IdleStateHandler, SslContext
    requires io.netty.transport;        // NIO event loops and bootstrap (server), EmbeddedChannel (clients)

    provides openenv.api.spi.ServerTransportProvider
            with openenv.transport.netty.NettyServerTransportProvider;
    provides openenv.api.spi.ClientTransportProvider
            with openenv.transport.netty.NettyClientTransportProvider;
}
