package openenv.json;

import static openenv.json.Fixtures.CODEC;
import static openenv.json.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import openenv.json.Fixtures.BoardState;
import openenv.json.Fixtures.Direction;
import openenv.json.Fixtures.EchoObservation;
import openenv.json.Fixtures.EchoState;
import openenv.json.Fixtures.Everything;
import openenv.json.Fixtures.GridAction;
import openenv.json.Fixtures.GridObservation;
import openenv.json.Fixtures.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonWriteTest {

    @Test
    void echoObservationIsCompactSnakeCaseJson() {
        assertThat(CODEC.write(new EchoObservation("Hello, OpenEnv!", 15)))
                .isEqualTo("{\"echoed_message\":\"Hello, OpenEnv!\",\"message_length\":15}"
                        .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stateComponentsAreWrittenInDeclarationOrder() {
        assertThat(json(new EchoState("ep-42", 2))).isEqualTo("{\"episode_id\":\"ep-42\",\"step_count\":2}");
        assertThat(json(new BoardState("e", 0, new int[][] {{1, 0}, {0, 1}})))
                .isEqualTo("{\"episode_id\":\"e\",\"step_count\":0,\"board\":[[1,0],[0,1]]}");
    }

    @Test
    void gridActionEnumIsWrittenByName() {
        assertThat(json(new GridAction(Direction.LEFT))).isEqualTo("{\"action\":\"LEFT\"}");
        assertThat(json(new GridObservation(4, 4, "Goal!"))).isEqualTo("{\"x\":4,\"y\":4,\"message\":\"Goal!\"}");
    }

    @Test
    void stepEnvelopeMixesTreesAndRecords() {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("observation", new EchoObservation("hi", 2));
        envelope.put("reward", 0.2);
        envelope.put("done", false);

        assertThat(json(envelope))
                .isEqualTo("{\"observation\":{\"echoed_message\":\"hi\",\"message_length\":2},\"reward\":0.2,\"done\":false}");
    }

    @Test
    void nonAsciiIsWrittenAsRawUtf8() {
        String text = "héllo 👋";

        assertThat(text.codePointCount(0, text.length())).isEqualTo(7);
        assertThat(CODEC.write(new EchoObservation(text, 7)))
                .isEqualTo(("{\"echoed_message\":\"héllo 👋\",\"message_length\":7}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscapedAsPythonDoes() {
        assertThat(json("a\"b\\c\nd\te/f")).isEqualTo("\"a\\\"b\\\\c\\nd\\te/f\"");
        assertThat(json("\u001f\u007f")).isEqualTo("\"\\u001f\u007f\"");
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
        "0.0, 0.0",
        "-0.0, -0.0",
        "1.5, 1.5",
        "0.2, 0.2",
        "100.0, 100.0",
        "1e20, 1e+20",
        "1e16, 1e+16",
        "1e15, 1000000000000000.0",
        "123456789.125, 123456789.125",
        "0.0001, 0.0001",
        "0.00001, 1e-05",
        "1.5e-7, 1.5e-07",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "4.9e-324, 5e-324",
        "NaN, NaN",
        "Infinity, Infinity",
        "-Infinity, -Infinity",
    })
    void doublesAreWrittenAsPythonWritesThem(double value, String expected) {
        assertThat(json(value)).isEqualTo(expected);
    }

    @Test
    void rewardArithmeticKeepsItsShortestRoundTripForm() {
        assertThat(json(3 * 0.1)).isEqualTo("0.30000000000000004");
        assertThat(json(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(json(1.1 * 1.1)).isEqualTo("1.2100000000000002");
        assertThat(json(List.of(0.0, 1.5, 3 * 0.1))).isEqualTo("[0.0,1.5,0.30000000000000004]");
    }

    @Test
    void floatsUseTheirOwnShortestDigits() {
        assertThat(json(0.1f)).isEqualTo("0.1");
        assertThat(json(new float[] {1.5f, 1e20f})).isEqualTo("[1.5,1e+20]");
    }

    @Test
    void integersOfEveryWidthAreWrittenExactly() {
        assertThat(json(List.of(1, 2L, (short) 3, (byte) 4, Long.MAX_VALUE)))
                .isEqualTo("[1,2,3,4,9223372036854775807]");
        assertThat(json(new BigInteger("123456789012345678901234567890"))).isEqualTo("123456789012345678901234567890");
        assertThat(json(new BigDecimal("1.10"))).isEqualTo("1.10");
        assertThat(json(new AtomicLong(7))).isEqualTo("7");
    }

    @Test
    void optionalsAreTheirValueOrNull() {
        assertThat(json(Arrays.asList(Optional.of("x"), Optional.empty(), OptionalInt.of(3), OptionalInt.empty(),
                OptionalLong.of(4), OptionalDouble.of(0.5), OptionalDouble.empty(), null)))
                .isEqualTo("[\"x\",null,3,null,4,0.5,null,null]");
    }

    @Test
    void arraysOfEveryKindAreJsonArrays() {
        assertThat(json(new int[] {1, 2})).isEqualTo("[1,2]");
        assertThat(json(new int[][] {{1, 0}, {0, 1}})).isEqualTo("[[1,0],[0,1]]");
        assertThat(json(new long[] {5L})).isEqualTo("[5]");
        assertThat(json(new double[] {0.5, 1.0})).isEqualTo("[0.5,1.0]");
        assertThat(json(new boolean[] {true, false})).isEqualTo("[true,false]");
        assertThat(json(new Object[] {"a", 1, null, Direction.UP})).isEqualTo("[\"a\",1,null,\"UP\"]");
        assertThat(json(new int[0])).isEqualTo("[]");
    }

    @Test
    void charactersAndCharSequencesAreStrings() {
        assertThat(json('x')).isEqualTo("\"x\"");
        assertThat(json(new StringBuilder("sb"))).isEqualTo("\"sb\"");
        assertThat(json(new char[] {'h', 'i'})).isEqualTo("\"hi\"");
    }

    @Test
    void mapKeysAreStringsEnumNamesOrTheirStringForm() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put(Direction.UP, 2);
        map.put(3, 3);

        assertThat(json(map)).isEqualTo("{\"b\":1,\"UP\":2,\"3\":3}");
        assertThat(json(Map.of())).isEqualTo("{}");
    }

    @Test
    void everySupportedComponentTypeIsWritten() {
        Everything e = everything();

        assertThat(json(e)).isEqualTo("{\"s\":\"s\",\"i\":1,\"l\":2,\"d\":0.5,\"f\":0.25,\"b\":true,\"boxed\":3,"
                + "\"dir\":\"DOWN\",\"point\":{\"x\":1,\"y\":2},\"ints\":[1,2],\"counts\":{\"a\":1},\"arr\":[7],"
                + "\"board\":[[1],[2,3]],\"weights\":[0.1],\"names\":[\"n\"],\"note\":null,\"maybe_int\":5,"
                + "\"maybe_double\":null,\"any\":{\"k\":[1,\"v\"]},\"extra\":{}}");
    }

    @Test
    void toTreeGivesLinkedMapsLongsAndDoubles() {
        Object tree = CODEC.toTree(everything());

        assertThat(tree).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        assertThat(map.keySet()).containsExactly("s", "i", "l", "d", "f", "b", "boxed", "dir", "point", "ints",
                "counts", "arr", "board", "weights", "names", "note", "maybe_int", "maybe_double", "any", "extra");
        assertThat(map.get("i")).isEqualTo(1L);
        assertThat(map.get("f")).isEqualTo(0.25);
        assertThat(map.get("dir")).isEqualTo("DOWN");
        assertThat(map.get("point")).isEqualTo(Map.of("x", 1L, "y", 2L));
        assertThat(map.get("board")).isEqualTo(List.of(List.of(1L), List.of(2L, 3L)));
        assertThat(map.get("board")).isInstanceOf(ArrayList.class);
        assertThat(map.get("note")).isNull();
        assertThat(map.get("maybe_int")).isEqualTo(5L);
        assertThat(CODEC.toTree(0.1f)).isEqualTo(0.1);
        assertThat(CODEC.toTree(new BigInteger("5"))).isEqualTo(5L);
        assertThat(CODEC.toTree('c')).isEqualTo("c");
    }

    @Test
    void toTreeWritesTheSameJsonAsTheValue() {
        Everything e = everything();

        assertThat(json(CODEC.toTree(e))).isEqualTo(json(e));
    }

    @Test
    void parsedTreesAreWrittenBackUnchanged() {
        String text = "{\"a\":[1,2.5,\"x\",null,true,false],\"b\":{},\"c\":[],\"d\":-0.0,\"e\":1e+20,"
                + "\"f\":123456789012345678901234567890,\"g\":\"é👋\"}";

        assertThat(json(Fixtures.parse(text))).isEqualTo(text);
    }

    @Test
    void unsupportedValuesAreRefusedWithAListOfWhatWorks() {
        assertThatThrownBy(() -> CODEC.write(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object")
                .hasMessageContaining("records");
        assertThatThrownBy(() -> CODEC.toTree(Thread.currentThread()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Everything everything() {
        Map<String, Object> any = new LinkedHashMap<>();
        any.put("k", List.of(1, "v"));
        return new Everything("s", 1, 2L, 0.5, 0.25f, true, 3, Direction.DOWN, new Point(1, 2), List.of(1, 2),
                Map.of("a", 1), new int[] {7}, new int[][] {{1}, {2, 3}}, new double[] {0.1}, new String[] {"n"},
                Optional.empty(), OptionalInt.of(5), OptionalDouble.empty(), any, Map.of());
    }
}
