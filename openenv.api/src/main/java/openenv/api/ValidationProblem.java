package openenv.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One problem found while validating a request, in the shape FastAPI/pydantic use on the wire:
 * {@code {"type": "missing", "loc": ["message"], "msg": "Field required", "input": {...}}}.
 *
 * @param type  pydantic error type, e.g. {@code missing}, {@code extra_forbidden}, {@code string_type}
 * @param loc   path to the offending value: strings (keys) and integers (list indexes)
 * @param msg   human-readable message
 * @param input the offending input as a JSON value (may be {@code null} when the JSON value was null)
 * @param ctx   extra context such as {@code {"min_length": 1}}; empty when none
 */
public record ValidationProblem(String type, List<Object> loc, String msg, Object input, Map<String, Object> ctx) {

    public ValidationProblem {
        Objects.requireNonNull(type, "type");
        loc = List.copyOf(Objects.requireNonNull(loc, "loc"));
        Objects.requireNonNull(msg, "msg");
        // keeps pydantic's key order on the wire (Map.copyOf would not)
        ctx = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(Objects.requireNonNull(ctx, "ctx")));
    }

    /** A problem without context. */
    public static ValidationProblem of(String type, List<Object> loc, String msg, Object input) {
        return new ValidationProblem(type, loc, msg, input, Map.of());
    }

    /** A copy whose location is prefixed, e.g. with {@code "body"} or {@code "data"}. */
    public ValidationProblem prefixed(Object... prefix) {
        List<Object> full = new java.util.ArrayList<>(List.of(prefix));
        full.addAll(loc);
        return new ValidationProblem(type, full, msg, input, ctx);
    }
}
