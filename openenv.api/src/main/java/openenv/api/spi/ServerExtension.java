package openenv.api.spi;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Extra HTTP routes mounted by every server, e.g. the web UI under {@code /web}. Extensions found with
 * {@link java.util.ServiceLoader} are mounted unless disabled in the server builder.
 */
public interface ServerExtension extends Provider {

    /** Path prefix this extension serves, e.g. {@code /web}; requests on it and below go to {@link #handle}. */
    String pathPrefix();

    /**
     * Called once when the server starts, with the same handler that serves the protocol routes, so an extension
     * can drive sessions (e.g. a web page that plays the environment).
     */
    default void bind(ProtocolHandler protocol, Codec codec) {
    }

    /** Handles a request under {@link #pathPrefix()}; empty = 404. */
    Optional<CompletionStage<HttpResponse>> handle(HttpRequest request);
}
