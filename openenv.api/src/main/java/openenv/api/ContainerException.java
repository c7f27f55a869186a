package openenv.api;

/** Docker or Kubernetes could not start, probe or stop a container. The message carries what the engine said. */
public class ContainerException extends OpenEnvException {

    private static final long serialVersionUID = 1L;

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
