package openenv.api.spi;

import java.util.List;
import openenv.api.OpenEnvException;
import openenv.api.ValidationProblem;

/** A tree did not fit a record type; {@link #problems()} lists every problem found, not only the first. */
public class ValidationFailure extends OpenEnvException {

    private static final long serialVersionUID = 1L;

    private final transient List<ValidationProblem> problems;

    public ValidationFailure(List<ValidationProblem> problems) {
        super(problems.size() + " validation problem(s): " + problems);
        this.problems = List.copyOf(problems);
    }

    public List<ValidationProblem> problems() {
        return problems;
    }
}
