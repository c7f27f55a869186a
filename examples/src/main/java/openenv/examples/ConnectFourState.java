package openenv.examples;

import java.util.List;
import openenv.api.State;

/** Connect Four's state: the episode plus the board, the next player and the number of discs played. */
public record ConnectFourState(String episodeId, int stepCount, Board board, int nextPlayer, int discsPlayed,
                               List<Integer> legalMoves) implements State {
}
