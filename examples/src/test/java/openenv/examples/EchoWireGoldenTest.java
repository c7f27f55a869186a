package openenv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo environment's wire JSON is the conformance reference of PROTOCOL.md §1–3: byte for byte. */
class EchoWireGoldenTest {

    private EngineHarness engine;

    @BeforeEach
    void start() {
        engine = EngineHarness.start(b -> b.environment(EchoEnvironment::new));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void healthIsExactlyHealthy() {
        EngineHarness.Reply reply = engine.http("GET", "/health", "");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"status\":\"healthy\"}");
    }

    @Test
    void httpResetStepStateMatchTheReferenceBytes() {
        assertThat(engine.http("POST", "/reset", "{}").body()).isEqualTo(
                "{\"observation\":{\"echoed_message\":\"Echo environment ready!\",\"message_length\":0},"
                        + "\"reward\":0.0,\"done\":false}");
        assertThat(engine.http("POST", "/step", "{\"action\":{\"message\":\"Hello, OpenEnv!\"}}").body()).isEqualTo(
                "{\"observation\":{\"echoed_message\":\"Hello, OpenEnv!\",\"message_length\":15},"
                        + "\"reward\":1.5,\"done\":false}");
        engine.http("POST", "/step", "{\"action\":{\"message\":\"x\"}}");
        assertThat(engine.http("GET", "/state", "").body())
                .matches("\\{\"episode_id\":\"[0-9a-f-]{36}\",\"step_count\":2}");
    }

    @Test
    void resetWithoutBodyWorksAndTakesTheGivenEpisodeId() {
        assertThat(engine.http("POST", "/reset", "").status()).isEqualTo(200);
        engine.http("POST", "/reset", "{\"seed\":3,\"episode_id\":\"ep-42\"}");
        assertThat(engine.http("GET", "/state", "").body()).isEqualTo("{\"episode_id\":\"ep-42\",\"step_count\":0}");
    }

    @Test
    void messageLengthCountsCodePointsAndRewardIsTheShortestRoundTripDouble() {
        engine.http("POST", "/reset", "{}");
        assertThat(engine.http("POST", "/step", "{\"action\":{\"message\":\"héllo 👋\"}}").body()).isEqualTo(
                "{\"observation\":{\"echoed_message\":\"héllo 👋\",\"message_length\":7},"
                        + "\"reward\":0.7000000000000001,\"done\":false}");
        assertThat(engine.http("POST", "/step", "{\"action\":{\"message\":\"abc\"}}").body())
                .contains("\"reward\":0.30000000000000004");
    }

    @Test
    void actionMetadataIsAcceptedAndNeverAnUnknownField() {
        engine.http("POST", "/reset", "{}");
        EngineHarness.Reply reply = engine.http("POST", "/step",
                "{\"action\":{\"message\":\"hi\",\"metadata\":{\"trace\":\"t-1\"}}}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("\"echoed_message\":\"hi\"");
    }

    @Test
    void webSocketExchangeMatchesTheObservedReference() {
        EngineHarness.Ws ws = engine.ws();
        assertThat(ws.exchange("{\"type\":\"reset\",\"data\":{}}")).isEqualTo(
                "{\"type\":\"observation\",\"data\":{\"observation\":{\"echoed_message\":\"Echo environment ready!\","
                        + "\"message_length\":0},\"reward\":0.0,\"done\":false}}");
        assertThat(ws.exchange("{\"type\":\"step\",\"data\":{\"message\":\"Hello, OpenEnv!\"}}")).isEqualTo(
                "{\"type\":\"observation\",\"data\":{\"observation\":{\"echoed_message\":\"Hello, OpenEnv!\","
                        + "\"message_length\":15},\"reward\":1.5,\"done\":false}}");
        assertThat(ws.exchange("{\"type\":\"state\"}"))
                .matches("\\{\"type\":\"state\",\"data\":\\{\"episode_id\":\"[0-9a-f-]{36}\",\"step_count\":1}}");
        assertThat(ws.exchange("{bad")).startsWith("{\"type\":\"error\",\"data\":{\"message\":\"Invalid JSON: ")
                .endsWith("\",\"code\":\"INVALID_JSON\"}}");
        assertThat(ws.exchange("{\"type\":\"frob\"}")).isEqualTo(
                "{\"type\":\"error\",\"data\":{\"message\":\"Unknown message type: frob\",\"code\":\"UNKNOWN_TYPE\"}}");
        String invalid = ws.exchange("{\"type\":\"step\",\"data\":{\"bogus\":1}}");
        assertThat(invalid).startsWith("{\"type\":\"error\",\"data\":{\"message\":\"Invalid message\","
                + "\"code\":\"VALIDATION_ERROR\",\"errors\":[")
                .contains("{\"type\":\"missing\",\"loc\":[\"message\"],\"msg\":\"Field required\"")
                .contains("{\"type\":\"extra_forbidden\",\"loc\":[\"bogus\"],\"msg\":\"Extra inputs are not permitted\"");
        assertThat(ws.exchange("{\"type\":\"state\"}")).as("errors are not steps").contains("\"step_count\":1");
        ws.send("{\"type\":\"close\"}");
        assertThat(ws.closeCode()).isEqualTo(1000);
    }

    @Test
    void webSocketEchoesTheRequestIdExtension() {
        EngineHarness.Ws ws = engine.ws();
        assertThat(ws.exchange("{\"type\":\"reset\",\"id\":\"r1\"}")).endsWith(",\"id\":\"r1\"}");
        assertThat(ws.exchange("{\"type\":\"nope\",\"id\":7}")).endsWith(",\"id\":7}");
    }

    @Test
    void schemaDescribesActionObservationAndState() {
        String schema = engine.http("GET", "/schema", "").body();
        assertThat(schema).startsWith("{\"action\":{").contains("\"observation\":{").contains("\"state\":{")
                .contains("\"minLength\":1").contains("\"echoed_message\"").contains("\"episode_id\"")
                .contains("\"additionalProperties\":false");
    }

    @Test
    void metadataAndOpenApiAreServed() {
        assertThat(engine.http("GET", "/metadata", "").body()).startsWith(
                "{\"name\":\"EchoEnvironment\",\"description\":null,\"readme_content\":null,\"version\":null,"
                        + "\"author\":null,\"documentation_url\":null");
        assertThat(engine.http("GET", "/openapi.json", "").body()).contains("\"version\":\"1.0.0\"")
                .contains("\"/step\"").contains("\"/reset\"");
    }
}
