package openenv.api.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Client settings every transport honours.
 *
 * @param connectTimeout  longest wait for a connection (and the WebSocket handshake)
 * @param requestTimeout  longest wait for the reply to one call; on expiry the connection is closed
 * @param maxMessageBytes largest reply accepted
 * @param headers         extra HTTP headers sent with every request and the WebSocket handshake
 */
public record ClientConfig(Duration connectTimeout, Duration requestTimeout, int maxMessageBytes,
                           Map<String, String> headers) {

    public ClientConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
        }
    }

    /** Connect 10 s, request 60 s, 16 MiB messages, no extra headers. */
    public static ClientConfig defaults() {
        return new ClientConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), 16 * 1024 * 1024, Map.of());
    }
}
