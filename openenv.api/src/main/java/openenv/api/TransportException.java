package openenv.api;

/**
 * Could not talk to the server: connection refused or dropped, protocol violation, unreadable reply. The
 * connection it happened on is closed; open a new client to continue.
 */
public class TransportException extends OpenEnvException {

    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
