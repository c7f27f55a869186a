package openenv.api;

/**
 * An environment's state as reported by {@code GET /state}. Implement it with a record whose first components
 * are {@code episodeId} and {@code stepCount}; any further components are the environment's own state and are
 * sent as well, e.g. {@code record BoardState(String episodeId, int stepCount, int[][] board) implements State}.
 */
public interface State {

    /** The current episode's id; renewed by every reset unless the reset names one. */
    String episodeId();

    /** Steps taken since the last reset. */
    int stepCount();
}
