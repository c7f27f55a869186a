package openenv.json;

import static openenv.json.Fixtures.CODEC;
import static openenv.json.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import openenv.api.spi.MalformedJsonException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonParseTest {

    @Test
    void objectsAreInsertionOrderedMapsWithPythonLikeValues() {
        Object tree = parse("{\"s\":\"x\",\"i\":1,\"big\":123456789012345678901234567890,\"f\":1.5,\"e\":1e20,"
                + "\"t\":true,\"n\":null,\"a\":[1,\"2\"],\"o\":{}}");

        assertThat(tree).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        assertThat(map.keySet()).containsExactly("s", "i", "big", "f", "e", "t", "n", "a", "o");
        assertThat(map.get("s")).isEqualTo("x");
        assertThat(map.get("i")).isEqualTo(1L);
        assertThat(map.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(map.get("f")).isEqualTo(1.5);
        assertThat(map.get("e")).isEqualTo(1e20);
        assertThat(map.get("t")).isEqualTo(Boolean.TRUE);
        assertThat(map).containsEntry("n", null);
        assertThat(map.get("a")).isInstanceOf(ArrayList.class).isEqualTo(List.of(1L, "2"));
        assertThat(map.get("o")).isInstanceOf(LinkedHashMap.class).isEqualTo(Map.of());
    }

    @Test
    void scalarsAtTheTopLevelAreDocumentsToo() {
        assertThat(parse(" 42 ")).isEqualTo(42L);
        assertThat(parse("\"hi\"")).isEqualTo("hi");
        assertThat(parse("null")).isNull();
        assertThat(parse("-0")).isEqualTo(0L);
        assertThat(parse("1E400")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void pythonsNonFiniteNumbersAreAccepted() {
        assertThat(parse("[NaN,Infinity,-Infinity]"))
                .isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndLastValue() {
        assertThat(parse("{\"a\":1,\"b\":2,\"a\":3}").toString()).isEqualTo("{a=3, b=2}");
    }

    @Test
    void escapesAndSurrogatePairsAreDecoded() {
        assertThat(parse("\"\\u00e9\\ud83d\\udc4b\\n\\/\"")).isEqualTo("é👋\n/");
    }

    @Test
    void aUtf8ByteOrderMarkIsSkipped() {
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', '1', ']'};

        assertThat(CODEC.parse(withBom)).isEqualTo(List.of(1L));
    }

    /** Messages and offsets as CPython 3.11's json.loads reports them. */
    @ParameterizedTest(name = "{0} -> {1} at {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{bad             | Expecting property name enclosed in double quotes | 1",
        "{\"a\":}         | Expecting value                                   | 5",
        "``               | Expecting value                                   | 0",
        "`   `            | Expecting value                                   | 3",
        "[1,2             | Expecting ',' delimiter                           | 4",
        "{\"a\":1} x      | Extra data                                        | 8",
        "{\"a\":1}}       | Extra data                                        | 7",
        "1 2              | Extra data                                        | 2",
        "[1,]             | Expecting value                                   | 3",
        "{\"a\":1,}       | Expecting property name enclosed in double quotes | 7",
        "{\"a\" 1}        | Expecting ':' delimiter                           | 5",
        "\"abc            | Unterminated string starting at                   | 0",
        "\"a\\qb\"        | Invalid \\escape                                  | 2",
        "\"\\u12\"        | Invalid \\uXXXX escape                            | 2",
        "\"\\u12g4\"      | Invalid \\uXXXX escape                            | 2",
        "\"\\ud800\\u12g4\" | Invalid \\uXXXX escape                          | 8",
        "-                | Expecting value                                   | 0",
        "-x               | Expecting value                                   | 0",
        "1.               | Extra data                                        | 1",
        "01               | Extra data                                        | 1",
        "nul              | Expecting value                                   | 0",
        "tru              | Expecting value                                   | 0",
        "[1 2]            | Expecting ',' delimiter                           | 3",
        "{\"a\":1 \"b\":2} | Expecting ',' delimiter                          | 7",
        "[                | Expecting value                                   | 1",
        "{                | Expecting property name enclosed in double quotes | 1",
        "{\"a\"           | Expecting ':' delimiter                           | 4",
        "1e+              | Extra data                                        | 1",
        "[1e5x]           | Expecting ',' delimiter                           | 4",
        "\"é\" x          | Extra data                                        | 4",
        "\"👋\" x         | Extra data                                        | 4",
        "+1               | Expecting value                                   | 0",
        ".5               | Expecting value                                   | 0",
        "-NaN             | Expecting value                                   | 0",
        "INF              | Expecting value                                   | 0",
        "+Infinity        | Expecting value                                   | 0",
        "[1] [2]          | Extra data                                        | 4",
    })
    void malformedJsonIsReportedLikePython(String input, String message, long offset) {
        MalformedJsonException e = catchThrowableOfType(MalformedJsonException.class, () -> parse(input));

        assertThat(e).as("parse(%s)", input).isNotNull();
        assertThat(e.offset()).isEqualTo(offset);
        assertThat(e.getMessage()).isEqualTo(message + ": line 1 column " + (offset + 1) + " (char " + offset + ")");
    }

    @Test
    void errorMessagesCountLinesAndColumnsLikePython() {
        MalformedJsonException e = catchThrowableOfType(MalformedJsonException.class, () -> parse("\n\n  {x"));

        assertThat(e.offset()).isEqualTo(5);
        assertThat(e.getMessage())
                .isEqualTo("Expecting property name enclosed in double quotes: line 3 column 4 (char 5)");
    }

    @Test
    void rawControlCharactersInStringsAreRefused() {
        MalformedJsonException e = catchThrowableOfType(MalformedJsonException.class, () -> parse("\"a\u0001\""));

        assertThat(e.offset()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("Invalid control character at");
    }

    @Test
    void offsetsCountCodePointsNotBytesOrUtf16Units() {
        MalformedJsonException e = catchThrowableOfType(MalformedJsonException.class,
                () -> parse("{\"👋é\": tru}"));

        assertThat(e.offset()).isEqualTo(7);
    }

    @Test
    void invalidUtf8IsMalformedAtTheBadCharacter() {
        byte[] bytes = {'[', '"', 'a', (byte) 0xFF, '"', ']'};

        MalformedJsonException e = catchThrowableOfType(MalformedJsonException.class, () -> CODEC.parse(bytes));

        assertThat(e.offset()).isEqualTo(3);
        assertThat(e.getMessage()).contains("can't decode byte 0xff");
    }

    @Test
    void nestingBeyondJacksonsLimitIsMalformedNotAStackOverflow() {
        String deep = "[".repeat(5000) + "]".repeat(5000);

        assertThatThrownBy(() -> parse(deep))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("depth");
    }

    @Test
    void theCauseIsKeptForDebugging() {
        MalformedJsonException e = catchThrowableOfType(MalformedJsonException.class, () -> parse("{bad"));

        assertThat(e.getCause()).isNotNull();
    }
}
