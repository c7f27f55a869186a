package openenv.examples;

import openenv.api.State;

/** Echo's state: {@code {"episode_id": "…", "step_count": 1}}. */
public record EchoState(String episodeId, int stepCount) implements State {
}
