package openenv.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings a server transport honours.
 *
 * @param host          bind address
 * @param port          bind port, 0 = any free port
 * @param maxBodyBytes  largest HTTP body or WebSocket message accepted; larger gets 413 / close 1009
 * @param pingInterval  interval of WebSocket pings to detect dead peers; {@link Duration#ZERO} disables them
 * @param ioThreads     I/O threads, 0 = the transport's default
 */
public record ServerConfig(String host, int port, int maxBodyBytes, Duration pingInterval, int ioThreads) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pingInterval, "pingInterval");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
    }
}
