package openenv.examples;

import openenv.api.Action;
import openenv.api.Description;

/** Grid world's action: {@code {"action": "UP"}}. */
public record GridAction(@Description("Direction to move") Direction action) implements Action {
}
