package openenv.examples;

import java.util.UUID;
import openenv.api.Environment;
import openenv.api.ResetOptions;
import openenv.api.StepResult;

/**
 * The reference grid world (PROTOCOL.md §3): a 5×5 grid from (0,0), goal (4,4). Each step costs 0.1; the step
 * that reaches the goal earns +1.0 and ends the episode. UP/DOWN change x, LEFT/RIGHT change y, clamped at
 * the edges.
 */
public final class GridWorldEnvironment implements Environment<GridAction, GridObservation, GridState> {

    static final int SIZE = 5;

    private String episodeId = UUID.randomUUID().toString();
    private int stepCount;
    private int x;
    private int y;

    @Override
    public StepResult<GridObservation> reset(ResetOptions options) {
        episodeId = options.episodeId().orElseGet(() -> UUID.randomUUID().toString());
        stepCount = 0;
        x = 0;
        y = 0;
        return StepResult.of(new GridObservation(x, y, "Grid world ready: reach (4, 4)."), 0.0);
    }

    @Override
    public StepResult<GridObservation> step(GridAction action) {
        stepCount++;
        switch (action.action()) {
            case UP -> x = Math.max(0, x - 1);
            case DOWN -> x = Math.min(SIZE - 1, x + 1);
            case LEFT -> y = Math.max(0, y - 1);
            case RIGHT -> y = Math.min(SIZE - 1, y + 1);
            default -> throw new IllegalArgumentException("unknown direction " + action.action());
        }
        if (x == SIZE - 1 && y == SIZE - 1) {
            return StepResult.of(new GridObservation(x, y, "Reached the goal!"), 1.0).asTerminated();
        }
        return StepResult.of(new GridObservation(x, y, "Moved " + action.action() + " to (" + x + ", " + y + ")."),
                -0.1);
    }

    @Override
    public GridState state() {
        return new GridState(episodeId, stepCount, x, y);
    }
}
