package openenv.api;

/**
 * Root of every exception openenv-java throws. Subclasses say what kind of thing went wrong:
 * {@link ConfigurationException}, {@link TransportException} (and {@link TransportTimeoutException}),
 * {@link EnvironmentException}, {@link ContainerException}.
 */
public class OpenEnvException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OpenEnvException(String message) {
        super(message);
    }

    public OpenEnvException(String message, Throwable cause) {
        super(message, cause);
    }
}
