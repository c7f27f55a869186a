package openenv.api.spi;

import java.net.URI;
import java.time.Duration;

/** A running server transport. Closing it is idempotent. */
public interface ServerTransport extends AutoCloseable {

    /** The bound base URI, e.g. {@code http://127.0.0.1:43121} (the real port when 0 was asked for). */
    URI uri();

    /**
     * Stops accepting connections, lets in-flight requests finish for at most {@code grace}, then closes every
     * connection and releases the port.
     */
    void shutdown(Duration grace);

    @Override
    default void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
