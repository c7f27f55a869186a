package openenv.api;

/**
 * Marker for an environment's action, normally a record:
 * {@code record EchoAction(@MinLength(1) String message) implements Action {}}.
 *
 * <p>On the wire an action is a JSON object whose keys are the record components in snake_case. Unknown keys
 * are rejected. Every action may also carry a {@code metadata} object; it is handed to
 * {@link Environment#step(Action, java.util.Map)} and is never reported as an unknown field.
 */
public interface Action {
}
