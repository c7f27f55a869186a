package openenv.examples;

import java.util.UUID;
import openenv.api.Environment;
import openenv.api.ResetOptions;
import openenv.api.StepResult;

/**
 * The reference echo environment (PROTOCOL.md §3): echoes the message, rewards {@code length * 0.1}, never ends.
 */
public final class EchoEnvironment implements Environment<EchoAction, EchoObservation, EchoState> {

    private String episodeId = UUID.randomUUID().toString();
    private int stepCount;

    @Override
    public StepResult<EchoObservation> reset(ResetOptions options) {
        episodeId = options.episodeId().orElseGet(() -> UUID.randomUUID().toString());
        stepCount = 0;
        return StepResult.of(new EchoObservation("Echo environment ready!", 0), 0.0);
    }

    @Override
    public StepResult<EchoObservation> step(EchoAction action) {
        stepCount++;
        String message = action.message();
        int length = message.codePointCount(0, message.length());
        return StepResult.of(new EchoObservation(message, length), length * 0.1);
    }

    @Override
    public EchoState state() {
        return new EchoState(episodeId, stepCount);
    }
}
