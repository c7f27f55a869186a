package openenv.examples;

import openenv.api.Observation;

/** Grid world's observation: {@code {"x": 0, "y": 1, "message": "…"}}. */
public record GridObservation(int x, int y, String message) implements Observation {
}
