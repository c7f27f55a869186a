package openenv.api.spi;

/**
 * Starts servers that expose a {@link ProtocolHandler} over some transport (e.g. "netty": HTTP/1.1 + WebSocket).
 * Found with {@link java.util.ServiceLoader}; selected by {@code EnvServer.builder().transport(name)}, the system
 * property {@code openenv.server=name}, or priority.
 */
public interface ServerTransportProvider extends Provider {

    /**
     * Binds and starts serving. The handler does all protocol work; the transport moves bytes, enforces
     * {@link ServerConfig#maxBodyBytes()} and never runs handler work that may block on its I/O threads.
     *
     * @throws openenv.api.TransportException when the address cannot be bound
     */
    ServerTransport start(ServerConfig config, ProtocolHandler handler);
}
