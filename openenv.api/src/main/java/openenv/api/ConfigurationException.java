package openenv.api;

/** A missing or ambiguous provider, or a bad builder value. The message says what to change. */
public class ConfigurationException extends OpenEnvException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
