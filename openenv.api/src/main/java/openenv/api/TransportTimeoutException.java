package openenv.api;

/**
 * A connect or a call took longer than its timeout. The connection is closed (a late reply could otherwise be
 * mistaken for the answer to the next call); open a new client to continue.
 */
public class TransportTimeoutException extends TransportException {

    private static final long serialVersionUID = 1L;

    public TransportTimeoutException(String message) {
        super(message);
    }

    public TransportTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
