package openenv.examples;

import java.util.List;
import openenv.api.Observation;

/**
 * Connect Four's observation, nested: the board, the legal columns, whose turn it is, the opponent's last move
 * (-1 when none) and a status ({@code in_progress}, {@code won}, {@code lost}, {@code draw}).
 */
public record ConnectFourObservation(Board board, List<Integer> legalMoves, int nextPlayer, int opponentMove,
                                     String status) implements Observation {
}
