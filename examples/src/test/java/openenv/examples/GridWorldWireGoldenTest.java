package openenv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GridWorldWireGoldenTest {

    private EngineHarness engine;

    @BeforeEach
    void start() {
        engine = EngineHarness.start(b -> b.environment(GridWorldEnvironment::new));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private String step(String direction) {
        return engine.http("POST", "/step", "{\"action\":{\"action\":\"" + direction + "\"}}").body();
    }

    @Test
    void downMovesXRightMovesYAndEachStepCostsATenth() {
        assertThat(engine.http("POST", "/reset", "{}").body()).isEqualTo(
                "{\"observation\":{\"x\":0,\"y\":0,\"message\":\"Grid world ready: reach (4, 4).\"},"
                        + "\"reward\":0.0,\"done\":false}");
        assertThat(step("DOWN")).isEqualTo(
                "{\"observation\":{\"x\":1,\"y\":0,\"message\":\"Moved DOWN to (1, 0).\"},\"reward\":-0.1,\"done\":false}");
        assertThat(step("RIGHT")).startsWith("{\"observation\":{\"x\":1,\"y\":1,");
    }

    @Test
    void movesAreClampedAtTheEdges() {
        engine.http("POST", "/reset", "{}");
        assertThat(step("UP")).startsWith("{\"observation\":{\"x\":0,\"y\":0,");
        assertThat(step("LEFT")).startsWith("{\"observation\":{\"x\":0,\"y\":0,");
    }

    @Test
    void reachingTheGoalEarnsOneAndEndsTheEpisode() {
        engine.http("POST", "/reset", "{}");
        for (int i = 0; i < 4; i++) {
            step("DOWN");
        }
        for (int i = 0; i < 3; i++) {
            step("RIGHT");
        }
        assertThat(step("RIGHT")).isEqualTo(
                "{\"observation\":{\"x\":4,\"y\":4,\"message\":\"Reached the goal!\"},\"reward\":1.0,\"done\":true}");
        assertThat(engine.http("GET", "/state", "").body()).endsWith("\"step_count\":8,\"x\":4,\"y\":4}");
    }

    @Test
    void anUnknownDirectionIsAnEnumValidationError() {
        engine.http("POST", "/reset", "{}");
        EngineHarness.Reply reply = engine.http("POST", "/step", "{\"action\":{\"action\":\"NORTH\"}}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body()).startsWith("{\"detail\":[{\"type\":\"enum\",\"loc\":[\"action\"],"
                + "\"msg\":\"Input should be 'UP', 'DOWN', 'LEFT' or 'RIGHT'\",\"input\":\"NORTH\"");
    }

    @Test
    void schemaListsTheDirections() {
        assertThat(engine.http("GET", "/schema", "").body()).contains("[\"UP\",\"DOWN\",\"LEFT\",\"RIGHT\"]");
    }
}
