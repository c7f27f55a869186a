package openenv.api.spi;

import java.net.URI;
import java.util.Set;

/**
 * Opens client connections to an OpenEnv server. The URI scheme picks the protocol: {@code ws}/{@code wss} =
 * the WebSocket session protocol on {@code /ws}; {@code http}/{@code https} = the HTTP routes; {@code local} =
 * in-process. Among providers serving a scheme, one is picked by name, the system property
 * {@code openenv.client=name}, or priority.
 */
public interface ClientTransportProvider extends Provider {

    /** URI schemes this provider serves, lower case. */
    Set<String> schemes();

    /**
     * Connects to the server at {@code baseUri} for one session.
     *
     * @throws openenv.api.TransportException when the server cannot be reached
     */
    ClientConnection connect(URI baseUri, ClientConfig config, Codec codec);
}
