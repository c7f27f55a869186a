package openenv.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import openenv.api.Environment;
import openenv.api.ResetOptions;
import openenv.api.StepResult;

/**
 * Connect Four against a built-in opponent. The agent is player 1; after each agent move the opponent
 * (player 2) wins if it can, blocks an immediate agent win if it must, else plays a random legal column
 * (seeded by {@code reset(seed)}). Rewards: +1 win, -1 loss, 0 draw or ongoing, -0.5 for a full column (the
 * move is refused, the episode goes on).
 */
public final class ConnectFourEnvironment
        implements Environment<ConnectFourAction, ConnectFourObservation, ConnectFourState> {

    static final int ROWS = 6;
    static final int COLUMNS = 7;

    private final int[][] cells = new int[ROWS][COLUMNS];
    private String episodeId = UUID.randomUUID().toString();
    private int stepCount;
    private int discs;
    private boolean over;
    private Random random = new Random();

    @Override
    public StepResult<ConnectFourObservation> reset(ResetOptions options) {
        episodeId = options.episodeId().orElseGet(() -> UUID.randomUUID().toString());
        random = options.seed().isPresent() ? new Random(options.seed().getAsLong()) : new Random();
        for (int[] row : cells) {
            java.util.Arrays.fill(row, 0);
        }
        stepCount = 0;
        discs = 0;
        over = false;
        return StepResult.of(observation(-1, "in_progress"), 0.0);
    }

    @Override
    public StepResult<ConnectFourObservation> step(ConnectFourAction action) {
        if (over) {
            throw new IllegalStateException("The game is over; call reset to play again.");
        }
        stepCount++;
        int column = action.column();
        if (dropRow(column) < 0) {
            return StepResult.of(observation(-1, "in_progress"), -0.5)
                    .withMetadata(java.util.Map.of("illegal_move", "column " + column + " is full"));
        }
        if (play(column, 1)) {
            over = true;
            return StepResult.of(observation(-1, "won"), 1.0).asTerminated();
        }
        if (discs == ROWS * COLUMNS) {
            over = true;
            return StepResult.of(observation(-1, "draw"), 0.0).asTerminated();
        }
        int reply = opponentColumn();
        if (play(reply, 2)) {
            over = true;
            return StepResult.of(observation(reply, "lost"), -1.0).asTerminated();
        }
        if (discs == ROWS * COLUMNS) {
            over = true;
            return StepResult.of(observation(reply, "draw"), 0.0).asTerminated();
        }
        return StepResult.of(observation(reply, "in_progress"), 0.0);
    }

    @Override
    public ConnectFourState state() {
        return new ConnectFourState(episodeId, stepCount, board(), over ? 0 : 1, discs, legalMoves());
    }

    private int opponentColumn() {
        for (int player : new int[] {2, 1}) {
            for (int column : legalMoves()) {
                int row = dropRow(column);
                cells[row][column] = player;
                boolean wins = winsAt(row, column, player);
                cells[row][column] = 0;
                if (wins) {
                    return column;
                }
            }
        }
        List<Integer> legal = legalMoves();
        return legal.get(random.nextInt(legal.size()));
    }

    /** Drops a disc; true when it makes four in a row. */
    private boolean play(int column, int player) {
        int row = dropRow(column);
        cells[row][column] = player;
        discs++;
        return winsAt(row, column, player);
    }

    private int dropRow(int column) {
        for (int row = ROWS - 1; row >= 0; row--) {
            if (cells[row][column] == 0) {
                return row;
            }
        }
        return -1;
    }

    private boolean winsAt(int row, int column, int player) {
        int[][] directions = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
        for (int[] d : directions) {
            int count = 1 + run(row, column, d[0], d[1], player) + run(row, column, -d[0], -d[1], player);
            if (count >= 4) {
                return true;
            }
        }
        return false;
    }

    private int run(int row, int column, int dr, int dc, int player) {
        int count = 0;
        int r = row + dr;
        int c = column + dc;
        while (r >= 0 && r < ROWS && c >= 0 && c < COLUMNS && cells[r][c] == player) {
            count++;
            r += dr;
            c += dc;
        }
        return count;
    }

    private List<Integer> legalMoves() {
        List<Integer> legal = new ArrayList<>();
        if (!over) {
            for (int column = 0; column < COLUMNS; column++) {
                if (cells[0][column] == 0) {
                    legal.add(column);
                }
            }
        }
        return legal;
    }

    private Board board() {
        List<List<Integer>> rows = new ArrayList<>(ROWS);
        for (int[] row : cells) {
            List<Integer> copy = new ArrayList<>(COLUMNS);
            for (int cell : row) {
                copy.add(cell);
            }
            rows.add(List.copyOf(copy));
        }
        return new Board(ROWS, COLUMNS, List.copyOf(rows));
    }

    private ConnectFourObservation observation(int opponentMove, String status) {
        return new ConnectFourObservation(board(), legalMoves(), over ? 0 : 1, opponentMove, status);
    }
}
