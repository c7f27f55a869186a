package openenv.json;

import static openenv.json.Fixtures.CODEC;
import static openenv.json.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import openenv.api.Action;
import openenv.api.ConfigurationException;
import openenv.api.Description;
import openenv.api.MaxLength;
import openenv.api.Maximum;
import openenv.api.MinLength;
import openenv.api.Minimum;
import openenv.json.Fixtures.Constrained;
import openenv.json.Fixtures.EchoAction;
import openenv.json.Fixtures.EchoObservation;
import openenv.json.Fixtures.EchoState;
import openenv.json.Fixtures.GridAction;
import openenv.json.Fixtures.Node;
import openenv.json.Fixtures.Point;
import openenv.json.Fixtures.WithMetadata;
import org.junit.jupiter.api.Test;

class SchemaTest {

    private static final String METADATA = "\"metadata\":{\"type\":\"object\",\"title\":\"Metadata\","
            + "\"additionalProperties\":true,\"description\":\"Additional metadata for the action\"}";

    @Test
    void echoActionSchemaHasMinLengthMetadataAndNoExtraProperties() {
        assertThat(json(CODEC.schema(EchoAction.class))).isEqualTo("{\"type\":\"object\",\"title\":\"EchoAction\","
                + "\"properties\":{\"message\":{\"type\":\"string\",\"title\":\"Message\",\"minLength\":1},"
                + METADATA + "},\"required\":[\"message\"],\"additionalProperties\":false}");
    }

    @Test
    void observationSchemaHasDescriptionsAndPydanticTitles() {
        assertThat(json(CODEC.schema(EchoObservation.class))).isEqualTo("{\"type\":\"object\","
                + "\"title\":\"EchoObservation\",\"description\":\"What the echo environment sends back.\","
                + "\"properties\":{\"echoed_message\":{\"type\":\"string\",\"title\":\"Echoed Message\","
                + "\"description\":\"The echoed message\"},\"message_length\":{\"type\":\"integer\","
                + "\"title\":\"Message Length\"}},\"required\":[\"echoed_message\",\"message_length\"]}");
        assertThat(json(CODEC.schema(EchoState.class))).isEqualTo("{\"type\":\"object\",\"title\":\"EchoState\","
                + "\"properties\":{\"episode_id\":{\"type\":\"string\",\"title\":\"Episode Id\"},"
                + "\"step_count\":{\"type\":\"integer\",\"title\":\"Step Count\"}},"
                + "\"required\":[\"episode_id\",\"step_count\"]}");
    }

    @Test
    void enumComponentsReferToADefinition() {
        assertThat(json(CODEC.schema(GridAction.class))).isEqualTo("{\"type\":\"object\",\"title\":\"GridAction\","
                + "\"properties\":{\"action\":{\"$ref\":\"#/$defs/Direction\"}," + METADATA + "},"
                + "\"required\":[\"action\"],\"additionalProperties\":false,"
                + "\"$defs\":{\"Direction\":{\"type\":\"string\",\"enum\":[\"UP\",\"DOWN\",\"LEFT\",\"RIGHT\"],"
                + "\"title\":\"Direction\"}}}");
    }

    @Test
    void constraintsBecomeJsonSchemaKeywords() {
        assertThat(json(CODEC.schema(Constrained.class))).isEqualTo("{\"type\":\"object\",\"title\":\"Constrained\","
                + "\"properties\":{"
                + "\"code\":{\"type\":\"string\",\"title\":\"Code\",\"minLength\":2,\"maxLength\":3},"
                + "\"count\":{\"type\":\"integer\",\"title\":\"Count\",\"minimum\":0,\"maximum\":10},"
                + "\"ratio\":{\"type\":\"number\",\"title\":\"Ratio\",\"minimum\":0.5},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"title\":\"Tags\",\"minItems\":1,"
                + "\"maxItems\":2},"
                + "\"nick\":{\"anyOf\":[{\"type\":\"string\",\"minLength\":1},{\"type\":\"null\"}],\"default\":null,"
                + "\"title\":\"Nick\"},"
                + "\"greeting\":{\"anyOf\":[{\"type\":\"string\",\"maxLength\":7},{\"type\":\"null\"}],"
                + "\"default\":null,\"title\":\"Greeting\"},"
                + METADATA + "},"
                + "\"required\":[\"code\",\"count\",\"ratio\",\"tags\"],\"additionalProperties\":false}");
    }

    /** Nested records, Optional, List, Map, arrays and Object, in one model. */
    @Description("A move on a board.")
    record Move(@Description("Where") Point target, Optional<Point> from, Optional<Fixtures.Direction> facing,
                List<Point> path, Map<String, Integer> scores, Map<String, Object> extra, int[][] board,
                double[] weights, Object anything, boolean pass, long turn, float speed) implements Action {
    }

    @Test
    void nestedRecordsOptionalsListsMapsAndArrays() {
        assertThat(json(CODEC.schema(Move.class))).isEqualTo("{\"type\":\"object\",\"title\":\"Move\","
                + "\"description\":\"A move on a board.\",\"properties\":{"
                + "\"target\":{\"$ref\":\"#/$defs/Point\",\"description\":\"Where\"},"
                + "\"from\":{\"anyOf\":[{\"$ref\":\"#/$defs/Point\"},{\"type\":\"null\"}],\"default\":null},"
                + "\"facing\":{\"anyOf\":[{\"$ref\":\"#/$defs/Direction\"},{\"type\":\"null\"}],\"default\":null},"
                + "\"path\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Point\"},\"title\":\"Path\"},"
                + "\"scores\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"},\"title\":\"Scores\"},"
                + "\"extra\":{\"type\":\"object\",\"additionalProperties\":true,\"title\":\"Extra\"},"
                + "\"board\":{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
                + "\"title\":\"Board\"},"
                + "\"weights\":{\"type\":\"array\",\"items\":{\"type\":\"number\"},\"title\":\"Weights\"},"
                + "\"anything\":{\"title\":\"Anything\"},"
                + "\"pass\":{\"type\":\"boolean\",\"title\":\"Pass\"},"
                + "\"turn\":{\"type\":\"integer\",\"title\":\"Turn\"},"
                + "\"speed\":{\"type\":\"number\",\"title\":\"Speed\"},"
                + METADATA + "},"
                + "\"required\":[\"target\",\"path\",\"scores\",\"extra\",\"board\",\"weights\",\"anything\",\"pass\","
                + "\"turn\",\"speed\"],\"additionalProperties\":false,"
                + "\"$defs\":{\"Point\":{\"type\":\"object\",\"title\":\"Point\",\"properties\":{"
                + "\"x\":{\"type\":\"integer\",\"title\":\"X\"},\"y\":{\"type\":\"integer\",\"title\":\"Y\"}},"
                + "\"required\":[\"x\",\"y\"],\"additionalProperties\":false},"
                + "\"Direction\":{\"type\":\"string\",\"enum\":[\"UP\",\"DOWN\",\"LEFT\",\"RIGHT\"],"
                + "\"title\":\"Direction\"}}}");
    }

    @Test
    void nestedRecordsOutsideActionsAllowExtraProperties() {
        record Holder(Point point) {
        }

        assertThat(json(CODEC.schema(Holder.class))).contains("\"Point\":{\"type\":\"object\",\"title\":\"Point\","
                + "\"properties\":{\"x\":{\"type\":\"integer\",\"title\":\"X\"},\"y\":{\"type\":\"integer\","
                + "\"title\":\"Y\"}},\"required\":[\"x\",\"y\"]}");
    }

    @Test
    void anActionDeclaringMetadataKeepsItsOwnDefinition() {
        assertThat(json(CODEC.schema(WithMetadata.class))).isEqualTo("{\"type\":\"object\",\"title\":\"WithMetadata\","
                + "\"properties\":{\"message\":{\"type\":\"string\",\"title\":\"Message\"},\"metadata\":{"
                + "\"type\":\"object\",\"additionalProperties\":true,\"title\":\"Metadata\"}},"
                + "\"required\":[\"message\",\"metadata\"],\"additionalProperties\":false}");
    }

    @Test
    void aRecursiveRecordRefersToTheRoot() {
        assertThat(json(CODEC.schema(Node.class))).isEqualTo("{\"type\":\"object\",\"title\":\"Node\","
                + "\"properties\":{\"name\":{\"type\":\"string\",\"title\":\"Name\"},\"children\":{\"type\":\"array\","
                + "\"items\":{\"$ref\":\"#\"},\"title\":\"Children\"}},\"required\":[\"name\",\"children\"]}");
    }

    /** Two classes with one simple name. */
    static final class Other {
        record Point(double lat, double lon) {
        }
    }

    @Test
    void clashingSimpleNamesGetQualifiedDefinitions() {
        record Both(Point a, Other.Point b) {
        }

        Map<String, Object> schema = CODEC.schema(Both.class);

        assertThat(((Map<?, ?>) schema.get("$defs")).keySet()).extracting(Object::toString)
                .containsExactly("Point", "openenv__json__SchemaTest__Other__Point");
    }

    @Test
    void schemasAreCachedAndImmutable() {
        Map<String, Object> schema = CODEC.schema(EchoAction.class);

        assertThat(CODEC.schema(EchoAction.class)).isSameAs(schema);
        assertThatThrownBy(() -> schema.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((Map<?, ?>) schema.get("properties")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void schemaOfANonRecordIsAConfigurationError() {
        assertThatThrownBy(() -> CODEC.schema(String.class)).isInstanceOf(ConfigurationException.class);
    }

    record Bounded(@Minimum(-1.5) @Maximum(1e20) double x, @MinLength(1) @MaxLength(3) Map<String, Integer> m) {
    }

    @Test
    void fractionalAndLargeBoundsAreKeptAndMapSizesArePropertyCounts() {
        assertThat(json(CODEC.schema(Bounded.class))).contains(
                "\"x\":{\"type\":\"number\",\"title\":\"X\",\"minimum\":-1.5,\"maximum\":1e+20}",
                "\"m\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"},\"title\":\"M\","
                        + "\"minProperties\":1,\"maxProperties\":3}");
    }
}
