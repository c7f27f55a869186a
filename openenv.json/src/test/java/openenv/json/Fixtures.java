package openenv.json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import openenv.api.Action;
import openenv.api.Description;
import openenv.api.MaxLength;
import openenv.api.Maximum;
import openenv.api.MinLength;
import openenv.api.Minimum;
import openenv.api.Observation;
import openenv.api.State;
import openenv.api.spi.Codec;

/** Records like the reference environments' and the helpers the tests share. */
final class Fixtures {

    private Fixtures() {
    }

    static final Codec CODEC = new JacksonCodecProvider().create();

    static String json(Object value) {
        return new String(CODEC.write(value), StandardCharsets.UTF_8);
    }

    static Object parse(String json) {
        return CODEC.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    record EchoAction(@MinLength(1) String message) implements Action {
    }

    @Description("What the echo environment sends back.")
    record EchoObservation(@Description("The echoed message") String echoedMessage, int messageLength)
            implements Observation {
    }

    record EchoState(String episodeId, int stepCount) implements State {
    }

    enum Direction { UP, DOWN, LEFT, RIGHT }

    record GridAction(Direction action) implements Action {
    }

    record GridObservation(int x, int y, String message) implements Observation {
    }

    record Point(int x, int y) {
    }

    /** One component of every supported type. */
    record Everything(String s, int i, long l, double d, float f, boolean b, Integer boxed, Direction dir,
                      Point point, List<Integer> ints, Map<String, Integer> counts, int[] arr, int[][] board,
                      double[] weights, String[] names, Optional<String> note, OptionalInt maybeInt,
                      OptionalDouble maybeDouble, Object any, Map<String, Object> extra) implements Action {
    }

    record Constrained(@MinLength(2) @MaxLength(3) String code,
                       @Minimum(0) @Maximum(10) int count,
                       @Minimum(0.5) double ratio,
                       @MinLength(1) @MaxLength(2) List<String> tags,
                       @MinLength(1) Optional<String> nick,
                       @MaxLength(7) Optional<String> greeting) implements Action {
    }

    record Checked(int x) implements Action {
        Checked {
            if (x < 0) {
                throw new IllegalArgumentException("x must be >= 0");
            }
        }
    }

    record WithMetadata(String message, Map<String, Object> metadata) implements Action {
    }

    record NotAnAction(String message) {
    }

    record Node(String name, List<Node> children) {
    }

    record Unsupported(java.util.Date when) {
    }

    record BoardState(String episodeId, int stepCount, int[][] board) implements State {
    }
}
