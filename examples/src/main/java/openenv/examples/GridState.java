package openenv.examples;

import openenv.api.State;

/** Grid world's state, with the position as the environment's own fields. */
public record GridState(String episodeId, int stepCount, int x, int y) implements State {
}
