package openenv.examples;

import java.util.List;

/**
 * A Connect Four board: {@code rows} lists of {@code columns} cells, top row first; 0 = empty, 1 = the agent,
 * 2 = the opponent.
 */
public record Board(int rows, int columns, List<List<Integer>> cells) {
}
