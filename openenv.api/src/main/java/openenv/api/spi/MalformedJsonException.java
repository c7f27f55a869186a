package openenv.api.spi;

import openenv.api.OpenEnvException;

/** The input is not JSON. {@link #offset()} is the character offset of the first error. */
public class MalformedJsonException extends OpenEnvException {

    private static final long serialVersionUID = 1L;

    private final long offset;

    public MalformedJsonException(String message, long offset, Throwable cause) {
        super(message, cause);
        this.offset = offset;
    }

    /** Character offset (0-based) where parsing failed. */
    public long offset() {
        return offset;
    }
}
