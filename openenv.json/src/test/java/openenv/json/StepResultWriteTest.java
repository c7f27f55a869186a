package openenv.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import openenv.api.StepResult;
import openenv.api.spi.Codec;
import org.junit.jupiter.api.Test;

/** The direct step-result writer (the per-step hot path) writes exactly what the tree path writes. */
class StepResultWriteTest {

    @Test
    void stepResultsAreWrittenDirectlyAsTheirTreeIsWritten() {
        Codec tree = new Codec() { // only the SPI's default writeStepResult, over our write
            @Override
            public Object parse(byte[] utf8) {
                return Fixtures.CODEC.parse(utf8);
            }

            @Override
            public byte[] write(Object value) {
                return Fixtures.CODEC.write(value);
            }

            @Override
            public Object toTree(Object value) {
                return Fixtures.CODEC.toTree(value);
            }

            @Override
            public <T> T fromTree(Object value, Class<T> type, boolean strict) {
                return Fixtures.CODEC.fromTree(value, type, strict);
            }

            @Override
            public Map<String, Object> schema(Class<?> type) {
                return Fixtures.CODEC.schema(type);
            }
        };
        Fixtures.EchoObservation observation = new Fixtures.EchoObservation("h\u00e9\"llo", 5);
        List<StepResult<?>> results = List.of(
                StepResult.of(observation, 0.5),
                StepResult.of(observation),
                StepResult.of(observation, 3 * 0.1).withMetadata(Map.of("k", List.of(1, "v"))),
                StepResult.of(observation, -1.0).asTerminated(),
                StepResult.of(observation, 1e20).asTruncated(),
                StepResult.of(observation).asTerminated().asTruncated().withMetadata(Map.of("a", 1)));
        for (StepResult<?> result : results) {
            for (String type : new String[] {null, "observation"}) {
                for (Object id : new Object[] {null, "req-1", 7L}) {
                    assertThat(new String(Fixtures.CODEC.writeStepResult(result, type, id), StandardCharsets.UTF_8))
                            .isEqualTo(new String(tree.writeStepResult(result, type, id), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(new String(Fixtures.CODEC.writeStepResult(StepResult.of(observation, 0.5), "observation", null),
                StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"observation\",\"data\":{\"observation\":"
                + "{\"echoed_message\":\"h\u00e9\\\"llo\",\"message_length\":5},\"reward\":0.5,\"done\":false}}");
    }
}
