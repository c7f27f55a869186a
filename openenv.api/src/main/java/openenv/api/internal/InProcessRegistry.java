package openenv.api.internal;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import openenv.api.spi.ProtocolHandler;

/** In-process servers of this JVM, by {@code local://} authority. */
final class InProcessRegistry {

    private static final Map<String, ProtocolHandler> SERVERS = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private InProcessRegistry() {
    }

    static URI register(ProtocolHandler handler) {
        String name = "server-" + COUNTER.incrementAndGet();
        SERVERS.put(name, handler);
        return URI.create("local://" + name);
    }

    static void unregister(URI uri) {
        SERVERS.remove(uri.getAuthority());
    }

    static Optional<ProtocolHandler> find(URI uri) {
        return Optional.ofNullable(uri.getAuthority()).map(SERVERS::get);
    }
}
