package openenv.transport.netty;

import java.util.Objects;
import openenv.api.spi.ProtocolHandler;
import openenv.api.spi.ServerConfig;
import openenv.api.spi.ServerTransport;
import openenv.api.spi.ServerTransportProvider;

/**
 * The Netty server transport, {@code "netty"}: HTTP/1.1 with keep-alive and pipelining, and WebSocket on the
 * paths the protocol handler accepts (e.g. {@code /ws}), over NIO event loops.
 *
 * <p>Found by {@link java.util.ServiceLoader}; the constructor does nothing.
 */
public final class NettyServerTransportProvider implements ServerTransportProvider {

    /** The provider's name. */
    public static final String NAME = "netty";

    /** For {@link java.util.ServiceLoader}. */
    public NettyServerTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ServerTransport start(ServerConfig config, ProtocolHandler handler) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        return NettyServer.start(config, handler);
    }
}
