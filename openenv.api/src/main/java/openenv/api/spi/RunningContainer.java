package openenv.api.spi;

import java.net.URI;

/** A started, ready container. Closing it stops and removes it; idempotent. */
public interface RunningContainer extends AutoCloseable {

    /** Base URI of the environment server, e.g. {@code http://127.0.0.1:49153}. */
    URI baseUri();

    /** The engine's id of the container (or pod name). */
    String id();

    /**
     * The base URI with another scheme: {@code uri("ws")} for the WebSocket session protocol, {@code uri("http")}
     * for the HTTP routes.
     */
    default URI uri(String scheme) {
        String base = baseUri().toString();
        return URI.create(scheme + base.substring(base.indexOf(':')));
    }

    /** Whether the container is still running, as far as the provider knows; pools drop dead ones. */
    default boolean isRunning() {
        return true;
    }

    /** The most recent log lines the container wrote (bounded). */
    String logs();

    @Override
    void close();
}
