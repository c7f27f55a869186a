package openenv.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.internal.WebSocketClientProtocol;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.Codec;

/**
 * A WebSocket session with an OpenEnv server ({@code <base>/ws}) over one Netty channel. The protocol is done by
 * {@link WebSocketClientProtocol}; this class connects, handshakes, reassembles fragmented text messages and
 * reports the close code when the connection ends.
 */
final class NettyWebSocketConnection extends WebSocketClientProtocol {

    private static final System.Logger LOG = System.getLogger(NettyWebSocketConnection.class.getName());

    private final Channel channel;

    private NettyWebSocketConnection(URI wsUri, ClientConfig config, Codec codec) {
        super(wsUri, config, codec);
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            headers.set(header.getKey(), header.getValue());
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(wsUri,
                WebSocketVersion.V13, null, false, headers, config.maxMessageBytes());
        ClientFrames frames = new ClientFrames(this, wsUri, handshaker, config.maxMessageBytes());
        long millis = config.connectTimeout().toMillis();
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        this.channel = ClientSupport.connect(wsUri, wsUri, config.connectTimeout(), pipeline -> pipeline
                .addLast("http-codec", new HttpClientCodec())
                .addLast("http-aggregator", new HttpObjectAggregator(64 * 1024))
                .addLast("openenv-ws", frames));
        try {
            // one connect timeout covers the TCP connect, TLS and the upgrade
            frames.handshake.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            channel.close();
            throw new TransportTimeoutException("The WebSocket handshake with " + wsUri + " did not finish within "
                    + millis + " ms (connect timeout).", e);
        } catch (ExecutionException e) {
            channel.close();
            Throwable cause = e.getCause();
            if (cause instanceof TransportException transport) {
                throw transport;
            }
            throw new TransportException("The WebSocket handshake with " + wsUri + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new TransportException("Interrupted during the WebSocket handshake with " + wsUri, e);
        }
    }

    static NettyWebSocketConnection open(URI baseUri, ClientConfig config, Codec codec) {
        return new NettyWebSocketConnection(webSocketUri(baseUri), config, codec);
    }

    /** {@code <base>/ws}, keeping a path prefix; a URI whose path already ends with {@code /ws} is used as is. */
    static URI webSocketUri(URI base) {
        String path = ClientSupport.basePath(base);
        if (!path.endsWith("/ws")) {
            path = path + "/ws";
        }
        String query = base.getRawQuery() == null ? "" : "?" + base.getRawQuery();
        try {
            return new URI(base.getScheme().toLowerCase(Locale.ROOT) + "://" + base.getRawAuthority() + path + query);
        } catch (URISyntaxException e) {
            throw new TransportException("Cannot make a WebSocket URL from " + base + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void sendFrame(byte[] utf8) {
        if (!channel.isActive()) {
            throw new TransportException("The connection to " + uri + " is closed. Open a new client to continue.");
        }
        // No promise or listener per message: a failed write reaches Frames.exceptionCaught, which closes.
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
    }

    @Override
    protected void closeTransport() {
        channel.close();
        if (!channel.eventLoop().inEventLoop()) {
            channel.closeFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
