package openenv.json;

import static openenv.json.Fixtures.CODEC;
import static openenv.json.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import openenv.api.ConfigurationException;
import openenv.api.ValidationProblem;
import openenv.api.spi.ValidationFailure;
import openenv.json.Fixtures.Checked;
import openenv.json.Fixtures.Constrained;
import openenv.json.Fixtures.Direction;
import openenv.json.Fixtures.EchoAction;
import openenv.json.Fixtures.EchoState;
import openenv.json.Fixtures.Everything;
import openenv.json.Fixtures.GridAction;
import openenv.json.Fixtures.Node;
import openenv.json.Fixtures.NotAnAction;
import openenv.json.Fixtures.Point;
import openenv.json.Fixtures.WithMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidationTest {

    private static final String ENUM_EXPECTED = "'UP', 'DOWN', 'LEFT' or 'RIGHT'";

    static List<ValidationProblem> problems(String json, Class<?> type) {
        return problems(json, type, true);
    }

    static List<ValidationProblem> problems(String json, Class<?> type, boolean strict) {
        Object tree = parse(json);
        ValidationFailure failure = catchThrowableOfType(ValidationFailure.class,
                () -> CODEC.fromTree(tree, type, strict));
        assertThat(failure).as("fromTree(%s, %s)", json, type.getSimpleName()).isNotNull();
        return failure.problems();
    }

    static ValidationProblem problem(String type, List<Object> loc, String msg, Object input) {
        return ValidationProblem.of(type, loc, msg, input);
    }

    // ---------------------------------------------------------------- binding

    @Test
    void aValidActionIsBound() {
        assertThat(CODEC.fromTree(parse("{\"message\":\"hi\"}"), EchoAction.class, true))
                .isEqualTo(new EchoAction("hi"));
        assertThat(CODEC.fromTree(parse("{\"action\":\"UP\"}"), GridAction.class, true))
                .isEqualTo(new GridAction(Direction.UP));
        assertThat(CODEC.fromTree(parse("{\"episode_id\":\"e\",\"step_count\":3}"), EchoState.class, false))
                .isEqualTo(new EchoState("e", 3));
    }

    @Test
    void everySupportedComponentTypeIsBound() {
        Everything e = CODEC.fromTree(parse("{\"s\":\"s\",\"i\":1,\"l\":2,\"d\":0.5,\"f\":0.25,\"b\":true,"
                + "\"boxed\":3,\"dir\":\"DOWN\",\"point\":{\"x\":1,\"y\":2},\"ints\":[1,2],\"counts\":{\"a\":1},"
                + "\"arr\":[7],\"board\":[[1],[2,3]],\"weights\":[0.1],\"names\":[\"n\"],\"note\":\"hi\","
                + "\"maybe_int\":5,\"maybe_double\":null,\"any\":{\"k\":[1,\"v\"]},\"extra\":{\"x\":null}}"),
                Everything.class, true);

        assertThat(e.s()).isEqualTo("s");
        assertThat(e.i()).isEqualTo(1);
        assertThat(e.l()).isEqualTo(2L);
        assertThat(e.d()).isEqualTo(0.5);
        assertThat(e.f()).isEqualTo(0.25f);
        assertThat(e.b()).isTrue();
        assertThat(e.boxed()).isEqualTo(3);
        assertThat(e.dir()).isEqualTo(Direction.DOWN);
        assertThat(e.point()).isEqualTo(new Point(1, 2));
        assertThat(e.ints()).containsExactly(1, 2);
        assertThat(e.counts()).containsExactly(Map.entry("a", 1));
        assertThat(e.arr()).containsExactly(7);
        assertThat(e.board()).isDeepEqualTo(new int[][] {{1}, {2, 3}});
        assertThat(e.weights()).containsExactly(0.1);
        assertThat(e.names()).containsExactly("n");
        assertThat(e.note()).contains("hi");
        assertThat(e.maybeInt()).isEqualTo(OptionalInt.of(5));
        assertThat(e.maybeDouble()).isEqualTo(OptionalDouble.empty());
        assertThat(e.any()).isEqualTo(Map.of("k", List.of(1L, "v")));
        assertThat(e.extra()).containsEntry("x", null);
    }

    @Test
    void boundListsAndMapsAreUnmodifiable() {
        Everything e = CODEC.fromTree(CODEC.toTree(JsonWriteTest.everything()), Everything.class, true);

        assertThatThrownBy(() -> e.ints().add(3)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.counts().put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aWrittenRecordReadsBackEqual() {
        Node tree = new Node("root", List.of(new Node("leaf", List.of())));

        assertThat(CODEC.fromTree(parse(Fixtures.json(tree)), Node.class, true)).isEqualTo(tree);
    }

    @Test
    void optionalComponentsMayBeAbsentOrNull() {
        Constrained c = CODEC.fromTree(parse("{\"code\":\"ab\",\"count\":1,\"ratio\":1,\"tags\":[\"t\"],"
                + "\"nick\":null}"), Constrained.class, true);

        assertThat(c.nick()).isEmpty();
        assertThat(c.greeting()).isEmpty();
        assertThat(c.ratio()).isEqualTo(1.0);
    }

    // ---------------------------------------------------------------- missing, extra, metadata

    @Test
    void aMissingFieldIsReportedWithTheWholeObjectAsInput() {
        assertThat(problems("{}", EchoAction.class))
                .containsExactly(problem("missing", List.of("message"), "Field required", Map.of()));
    }

    @Test
    void missingAndExtraAreReportedTogetherInPydanticsOrder() {
        assertThat(problems("{\"bogus\":1}", EchoAction.class)).containsExactly(
                problem("missing", List.of("message"), "Field required", Map.of("bogus", 1L)),
                problem("extra_forbidden", List.of("bogus"), "Extra inputs are not permitted", 1L));
    }

    @Test
    void metadataIsNeverAnExtraFieldOfAnAction() {
        assertThat(CODEC.fromTree(parse("{\"message\":\"hi\",\"metadata\":{\"k\":1}}"), EchoAction.class, true))
                .isEqualTo(new EchoAction("hi"));
        assertThat(CODEC.fromTree(parse("{\"action\":\"UP\",\"metadata\":null}"), GridAction.class, true))
                .isEqualTo(new GridAction(Direction.UP));
    }

    @Test
    void anActionThatDeclaresMetadataBindsIt() {
        assertThat(CODEC.fromTree(parse("{\"message\":\"hi\",\"metadata\":{\"k\":1}}"), WithMetadata.class, true))
                .isEqualTo(new WithMetadata("hi", Map.of("k", 1L)));
        assertThat(problems("{\"message\":\"hi\",\"metadata\":[]}", WithMetadata.class)).containsExactly(
                problem("dict_type", List.of("metadata"), "Input should be a valid dictionary", List.of()));
    }

    @Test
    void metadataIsAnExtraFieldOfARecordThatIsNotAnAction() {
        assertThat(problems("{\"message\":\"hi\",\"metadata\":{}}", NotAnAction.class)).containsExactly(
                problem("extra_forbidden", List.of("metadata"), "Extra inputs are not permitted", Map.of()));
    }

    @Test
    void nonStrictReadingIgnoresUnknownKeysButStillNeedsRequiredOnes() {
        assertThat(CODEC.fromTree(parse("{\"episode_id\":\"e\",\"step_count\":1,\"board\":[[0]]}"),
                EchoState.class, false)).isEqualTo(new EchoState("e", 1));
        assertThat(problems("{\"episode_id\":\"e\",\"extra\":1}", EchoState.class, false)).containsExactly(
                problem("missing", List.of("step_count"), "Field required", Map.of("episode_id", "e", "extra", 1L)));
    }

    // ---------------------------------------------------------------- wrong types

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "s            | 5          | string_type   | Input should be a valid string",
        "s            | null       | string_type   | Input should be a valid string",
        "s            | true       | string_type   | Input should be a valid string",
        "s            | []         | string_type   | Input should be a valid string",
        "i            | null       | int_type      | Input should be a valid integer",
        "i            | {}         | int_type      | Input should be a valid integer",
        "i            | 1.5        | int_from_float | Input should be a valid integer, got a number with a fractional part",
        "i            | \"x\"      | int_parsing   | Input should be a valid integer, unable to parse string as an integer",
        "i            | \"5.5\"    | int_parsing   | Input should be a valid integer, unable to parse string as an integer",
        "i            | NaN        | finite_number | Input should be a finite number",
        "l            | 1e30       | int_parsing_size | Unable to parse input string as an integer, exceeded maximum size",
        "boxed        | null       | int_type      | Input should be a valid integer",
        "d            | \"x\"      | float_parsing | Input should be a valid number, unable to parse string as a number",
        "d            | null       | float_type    | Input should be a valid number",
        "d            | [1]        | float_type    | Input should be a valid number",
        "f            | {}         | float_type    | Input should be a valid number",
        "b            | null       | bool_type     | Input should be a valid boolean",
        "b            | 0.5        | bool_type     | Input should be a valid boolean",
        "b            | 2          | bool_parsing  | Input should be a valid boolean, unable to interpret input",
        "b            | \"maybe\"  | bool_parsing  | Input should be a valid boolean, unable to interpret input",
        "ints         | \"ab\"     | list_type     | Input should be a valid list",
        "ints         | {}         | list_type     | Input should be a valid list",
        "arr          | 1          | list_type     | Input should be a valid list",
        "counts       | []         | dict_type     | Input should be a valid dictionary",
        "extra        | \"x\"      | dict_type     | Input should be a valid dictionary",
        "maybe_int    | \"x\"      | int_parsing   | Input should be a valid integer, unable to parse string as an integer",
        "maybe_double | true       | OK            | ",
    })
    void wrongTypesAreReportedWithPydanticsTypeAndMessage(String field, String value, String type, String msg) {
        Map<String, Object> tree = validEverything();
        Object input = parse(value);
        tree.put(field, input);

        if (type.equals("OK")) {
            assertThat(CODEC.fromTree(tree, Everything.class, true)).isNotNull();
            return;
        }
        ValidationFailure failure = catchThrowableOfType(ValidationFailure.class,
                () -> CODEC.fromTree(tree, Everything.class, true));

        assertThat(failure).isNotNull();
        assertThat(failure.problems()).containsExactly(problem(type, List.of(field), msg, input));
    }

    @ParameterizedTest(name = "{0}: {1} is accepted as {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "i | 5.0       | 5",
        "i | \"5\"     | 5",
        "i | \" 7 \"   | 7",
        "i | \"1_000\" | 1000",
        "i | \"5.00\"  | 5",
        "i | true      | 1",
        "i | -0.0      | 0",
        "d | 1         | 1.0",
        "d | \"1.5\"   | 1.5",
        "d | \"-inf\"  | -Infinity",
        "d | false     | 0.0",
        "d | NaN       | NaN",
        "b | \"yes\"   | true",
        "b | \"OFF\"   | false",
        "b | 1         | true",
        "b | 0.0       | false",
    })
    void laxCoercionsFollowPydantic(String field, String value, String expected) {
        Map<String, Object> tree = validEverything();
        tree.put(field, parse(value));

        Everything e = CODEC.fromTree(tree, Everything.class, true);

        Object actual = switch (field) {
            case "i" -> e.i();
            case "d" -> e.d();
            default -> e.b();
        };
        assertThat(String.valueOf(actual)).isEqualTo(expected);
    }

    @Test
    void javaIntRangeIsEnforced() {
        Map<String, Object> tree = validEverything();
        tree.put("i", 3_000_000_000L);
        tree.put("l", new java.math.BigInteger("99999999999999999999"));

        ValidationFailure failure = catchThrowableOfType(ValidationFailure.class,
                () -> CODEC.fromTree(tree, Everything.class, true));

        assertThat(failure.problems()).containsExactly(
                new ValidationProblem("less_than_equal", List.of("i"), "Input should be less than or equal to 2147483647",
                        3_000_000_000L, Map.of("le", 2147483647L)),
                new ValidationProblem("less_than_equal", List.of("l"),
                        "Input should be less than or equal to 9223372036854775807",
                        new java.math.BigInteger("99999999999999999999"), Map.of("le", Long.MAX_VALUE)));
    }

    @Test
    void anUnknownEnumValueListsTheAllowedOnes() {
        assertThat(problems("{\"action\":\"up\"}", GridAction.class)).containsExactly(new ValidationProblem("enum",
                List.of("action"), "Input should be " + ENUM_EXPECTED, "up", Map.of("expected", ENUM_EXPECTED)));
        assertThat(problems("{\"action\":5}", GridAction.class)).extracting(ValidationProblem::type)
                .containsExactly("enum");
        assertThat(problems("{\"action\":null}", GridAction.class)).extracting(ValidationProblem::type)
                .containsExactly("enum");
    }

    // ---------------------------------------------------------------- constraints

    @Test
    void anEmptyMessageIsTooShort() {
        assertThat(problems("{\"message\":\"\"}", EchoAction.class)).containsExactly(new ValidationProblem(
                "string_too_short", List.of("message"), "String should have at least 1 character", "",
                Map.of("min_length", 1)));
    }

    @Test
    void stringLengthsCountCodePointsLikePython() {
        // "👋" is two UTF-16 units but one code point: too short for @MinLength(2).
        assertThat(problems(constrained("\"code\":\"👋\""), Constrained.class)).containsExactly(
                new ValidationProblem("string_too_short", List.of("code"), "String should have at least 2 characters",
                        "👋", Map.of("min_length", 2)));
        // "héllo 👋" is 7 code points (8 UTF-16 units): fits @MaxLength(7); one more character does not.
        assertThat(CODEC.fromTree(parse(constrained("\"greeting\":\"héllo 👋\"")), Constrained.class, true)
                .greeting()).contains("héllo 👋");
        assertThat(problems(constrained("\"greeting\":\"héllo 👋!\""), Constrained.class)).containsExactly(
                new ValidationProblem("string_too_long", List.of("greeting"), "String should have at most 7 characters",
                        "héllo 👋!", Map.of("max_length", 7)));
        assertThat(problems(constrained("\"code\":\"abcd\""), Constrained.class)).extracting(ValidationProblem::msg)
                .containsExactly("String should have at most 3 characters");
    }

    @Test
    void minimumAndMaximumAreGreaterThanEqualAndLessThanEqual() {
        assertThat(problems(constrained("\"count\":-1"), Constrained.class)).containsExactly(new ValidationProblem(
                "greater_than_equal", List.of("count"), "Input should be greater than or equal to 0", -1L,
                Map.of("ge", 0L)));
        assertThat(problems(constrained("\"count\":11"), Constrained.class)).containsExactly(new ValidationProblem(
                "less_than_equal", List.of("count"), "Input should be less than or equal to 10", 11L,
                Map.of("le", 10L)));
        assertThat(problems(constrained("\"ratio\":0.1"), Constrained.class)).containsExactly(new ValidationProblem(
                "greater_than_equal", List.of("ratio"), "Input should be greater than or equal to 0.5", 0.1,
                Map.of("ge", 0.5)));
    }

    @Test
    void listLengthsUsePydanticsListWording() {
        assertThat(problems(constrained("\"tags\":[]"), Constrained.class)).containsExactly(new ValidationProblem(
                "too_short", List.of("tags"), "List should have at least 1 item after validation, not 0", List.of(),
                Map.of("field_type", "List", "min_length", 1, "actual_length", 0)));
        assertThat(problems(constrained("\"tags\":[\"a\",\"b\",\"c\"]"), Constrained.class)).containsExactly(
                new ValidationProblem("too_long", List.of("tags"),
                        "List should have at most 2 items after validation, not 3", List.of("a", "b", "c"),
                        Map.of("field_type", "List", "max_length", 2, "actual_length", 3)));
    }

    @Test
    void constraintsOnAnOptionalApplyToItsValue() {
        assertThat(problems(constrained("\"nick\":\"\""), Constrained.class)).containsExactly(new ValidationProblem(
                "string_too_short", List.of("nick"), "String should have at least 1 character", "",
                Map.of("min_length", 1)));
    }

    // ---------------------------------------------------------------- locations

    @Test
    void nestedRecordProblemsAreLocatedInsideTheRecord() {
        Map<String, Object> tree = validEverything();
        tree.put("point", parse("{\"x\":\"a\",\"y\":1.5,\"z\":0}"));

        ValidationFailure failure = catchThrowableOfType(ValidationFailure.class,
                () -> CODEC.fromTree(tree, Everything.class, true));

        assertThat(failure.problems()).extracting(ValidationProblem::type, ValidationProblem::loc).containsExactly(
                org.assertj.core.groups.Tuple.tuple("int_parsing", List.of("point", "x")),
                org.assertj.core.groups.Tuple.tuple("int_from_float", List.of("point", "y")),
                org.assertj.core.groups.Tuple.tuple("extra_forbidden", List.of("point", "z")));
    }

    @Test
    void aNestedRecordThatIsNotAnObjectIsAModelTypeProblem() {
        Map<String, Object> tree = validEverything();
        tree.put("point", 5L);

        ValidationFailure failure = catchThrowableOfType(ValidationFailure.class,
                () -> CODEC.fromTree(tree, Everything.class, true));

        assertThat(failure.problems()).containsExactly(new ValidationProblem("model_type", List.of("point"),
                "Input should be a valid dictionary or instance of Point", 5L, Map.of("class_name", "Point")));
    }

    @Test
    void listAndArrayProblemsAreLocatedByIndex() {
        Map<String, Object> tree = validEverything();
        tree.put("ints", parse("[1,\"x\",3.5]"));
        tree.put("board", parse("[[1,0],[0,\"q\"],7]"));
        tree.put("counts", parse("{\"a\":1,\"b\":\"z\"}"));

        ValidationFailure failure = catchThrowableOfType(ValidationFailure.class,
                () -> CODEC.fromTree(tree, Everything.class, true));

        assertThat(failure.problems()).extracting(ValidationProblem::type, ValidationProblem::loc).containsExactly(
                org.assertj.core.groups.Tuple.tuple("int_parsing", List.of("ints", 1)),
                org.assertj.core.groups.Tuple.tuple("int_from_float", List.of("ints", 2)),
                org.assertj.core.groups.Tuple.tuple("int_parsing", List.of("counts", "b")),
                org.assertj.core.groups.Tuple.tuple("int_parsing", List.of("board", 1, 1)),
                org.assertj.core.groups.Tuple.tuple("list_type", List.of("board", 2)));
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        List<ValidationProblem> found = problems("{\"code\":\"a\",\"count\":\"many\",\"ratio\":null,\"tags\":[1],"
                + "\"greeting\":5,\"bogus\":true,\"other\":null}", Constrained.class);

        assertThat(found).extracting(ValidationProblem::type).containsExactly("string_too_short", "int_parsing",
                "float_type", "string_type", "string_type", "extra_forbidden", "extra_forbidden");
        assertThat(found).extracting(ValidationProblem::loc).containsExactly(List.of("code"), List.of("count"),
                List.of("ratio"), List.of("tags", 0), List.of("greeting"), List.of("bogus"), List.of("other"));
    }

    @Test
    void aTopLevelValueThatIsNotAnObjectIsAModelTypeProblemAtTheRoot() {
        for (String json : List.of("[]", "\"hi\"", "null", "1")) {
            assertThat(problems(json, EchoAction.class)).containsExactly(new ValidationProblem("model_type",
                    List.of(), "Input should be a valid dictionary or instance of EchoAction", parse(json),
                    Map.of("class_name", "EchoAction")));
        }
    }

    @Test
    void problemsCanBePrefixedByTheCaller() {
        ValidationProblem p = problems("{}", EchoAction.class).get(0).prefixed("body");

        assertThat(p.loc()).containsExactly("body", "message");
    }

    // ---------------------------------------------------------------- constructor checks and bad types

    @Test
    void anIllegalArgumentFromTheConstructorIsAValueError() {
        assertThat(CODEC.fromTree(parse("{\"x\":1}"), Checked.class, true)).isEqualTo(new Checked(1));
        assertThat(problems("{\"x\":-1}", Checked.class)).containsExactly(new ValidationProblem("value_error",
                List.of(), "Value error, x must be >= 0", Map.of("x", -1L), Map.of("error", "x must be >= 0")));
    }

    @Test
    void theFailureMessageSummarisesTheProblems() {
        ValidationFailure failure = catchThrowableOfType(ValidationFailure.class,
                () -> CODEC.fromTree(parse("{\"bogus\":1}"), EchoAction.class, true));

        assertThat(failure).hasMessageStartingWith("2 validation problem(s)");
    }

    @Test
    void aTypeThatIsNotARecordIsAConfigurationError() {
        assertThatThrownBy(() -> CODEC.fromTree(Map.of(), String.class, true))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("not a record");
    }

    @Test
    void anUnsupportedComponentTypeNamesTheComponent() {
        assertThatThrownBy(() -> CODEC.fromTree(Map.of(), Fixtures.Unsupported.class, true))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("component 'when'")
                .hasMessageContaining("java.util.Date")
                .hasMessageContaining("Supported component types");
    }

    @Test
    void recursiveRecordTypesBind() {
        Node n = CODEC.fromTree(parse("{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[]}]}"),
                Node.class, true);

        assertThat(n.children().get(0).name()).isEqualTo("b");
        assertThat(problems("{\"name\":\"a\",\"children\":[{\"children\":[]}]}", Node.class))
                .extracting(ValidationProblem::loc).containsExactly(List.of("children", 0, "name"));
    }

    @Test
    void optionalEmptyIsTheDefaultForAbsentOptionals() {
        Map<String, Object> tree = validEverything();
        tree.remove("note");
        tree.remove("maybe_int");
        tree.remove("maybe_double");

        Everything e = CODEC.fromTree(tree, Everything.class, true);

        assertThat(e.note()).isEqualTo(Optional.empty());
        assertThat(e.maybeInt()).isEqualTo(OptionalInt.empty());
        assertThat(e.maybeDouble()).isEqualTo(OptionalDouble.empty());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> validEverything() {
        return (Map<String, Object>) CODEC.toTree(JsonWriteTest.everything());
    }

    private static String constrained(String override) {
        Map<String, Object> tree = new java.util.LinkedHashMap<>();
        tree.put("code", "ab");
        tree.put("count", 1L);
        tree.put("ratio", 1.0);
        tree.put("tags", List.of("t"));
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = (Map<String, Object>) parse("{" + override + "}");
        tree.putAll(extra);
        return Fixtures.json(tree);
    }
}
