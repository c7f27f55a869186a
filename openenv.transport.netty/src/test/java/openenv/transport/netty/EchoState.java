package openenv.transport.netty;

import openenv.api.State;

/** Test echo state. */
public record EchoState(String episodeId, int stepCount) implements State {
}
