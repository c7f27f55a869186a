package openenv.api.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import openenv.api.spi.ProtocolHandler;
import openenv.api.spi.ServerConfig;
import openenv.api.spi.ServerTransport;
import openenv.api.spi.ServerTransportProvider;

/**
 * Serves a protocol handler inside this JVM at a {@code local://server-N} URI: no sockets, same protocol.
 * Chosen only by name ({@code transport("local")}), never by ServiceLoader, so a missing network transport is
 * an error rather than a silent fallback.
 */
public final class InProcessServerTransportProvider implements ServerTransportProvider {

    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ServerTransport start(ServerConfig config, ProtocolHandler handler) {
        URI uri = InProcessRegistry.register(handler);
        AtomicBoolean closed = new AtomicBoolean();
        return new ServerTransport() {
            @Override
            public URI uri() {
                return uri;
            }

            @Override
            public void shutdown(Duration grace) {
                if (closed.compareAndSet(false, true)) {
                    InProcessRegistry.unregister(uri);
                }
            }
        };
    }
}
