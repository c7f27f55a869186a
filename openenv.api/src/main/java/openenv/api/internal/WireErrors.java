package openenv.api.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import openenv.api.ValidationProblem;

/** Reads pydantic-shaped problem lists that a server sent (HTTP 422 {@code detail}, WS {@code errors}). */
public final class WireErrors {

    private WireErrors() {
    }

    /** Problems from a JSON list of {@code {type, loc, msg, input, ctx?}} objects; anything else gives none. */
    public static List<ValidationProblem> problems(Object list) {
        List<ValidationProblem> problems = new ArrayList<>();
        if (!(list instanceof List<?> items)) {
            return problems;
        }
        for (Object item : items) {
            if (item instanceof Map<?, ?> map) {
                Object loc = map.get("loc");
                Object ctx = map.get("ctx");
                Map<String, Object> context = new java.util.LinkedHashMap<>();
                if (ctx instanceof Map<?, ?> c) {
                    c.forEach((k, v) -> {
                        if (v != null) {
                            context.put(String.valueOf(k), v);
                        }
                    });
                }
                List<Object> location = new ArrayList<>();
                if (loc instanceof List<?> l) {
                    for (Object part : l) {
                        location.add(part == null ? "null" : part);
                    }
                }
                problems.add(new ValidationProblem(String.valueOf(map.get("type")), location,
                        String.valueOf(map.get("msg")), map.get("input"), context));
            }
        }
        return problems;
    }
}
