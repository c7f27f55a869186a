package openenv.api;

import java.util.List;
import java.util.Objects;

/**
 * The server answered a call with an error. {@link #code()} is the wire code: {@code VALIDATION_ERROR},
 * {@code EXECUTION_ERROR}, {@code CAPACITY_REACHED}, {@code INVALID_JSON}, {@code UNKNOWN_TYPE},
 * {@code FACTORY_ERROR}, {@code SESSION_ERROR}, or {@code HTTP_<status>} for an HTTP error without a code.
 * Validation errors keep the session usable; {@link #problems()} lists every problem the server reported.
 */
public class EnvironmentException extends OpenEnvException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final transient List<ValidationProblem> problems;

    public EnvironmentException(String code, String message) {
        this(code, message, List.of());
    }

    public EnvironmentException(String code, String message, List<ValidationProblem> problems) {
        super(Objects.requireNonNull(code, "code") + ": " + Objects.requireNonNull(message, "message")
                + describe(problems));
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    /** The wire error code. */
    public String code() {
        return code;
    }

    /** Every validation problem the server reported; empty for other errors. */
    public List<ValidationProblem> problems() {
        return problems == null ? List.of() : problems;
    }

    private static String describe(List<ValidationProblem> problems) {
        if (problems.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (ValidationProblem p : problems) {
            text.append("\n  - ").append(p.loc()).append(": ").append(p.msg()).append(" [").append(p.type()).append(']');
        }
        return text.toString();
    }
}
