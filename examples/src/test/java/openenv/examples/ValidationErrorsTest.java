package openenv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every validation row of PROTOCOL.md §1 and §2: right status, right code, every problem, never an exception. */
class ValidationErrorsTest {

    private EngineHarness engine;

    @BeforeEach
    void start() {
        engine = EngineHarness.start(b -> b.environment(EchoEnvironment::new));
        engine.http("POST", "/reset", "{}");
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void malformedJsonIs422JsonInvalidWithTheCharacterOffset() {
        EngineHarness.Reply reply = engine.http("POST", "/step", "{bad");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body()).startsWith("{\"detail\":[{\"type\":\"json_invalid\",\"loc\":[\"body\",1],"
                + "\"msg\":\"JSON decode error\",\"input\":{},\"ctx\":{\"error\":");
    }

    @Test
    void bodyThatIsNotAnObjectIs422AtBody() {
        EngineHarness.Reply reply = engine.http("POST", "/step", "[]");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body()).contains("\"loc\":[\"body\"]");
        assertThat(engine.http("POST", "/reset", "[1]").body()).contains("\"loc\":[\"body\"]");
    }

    @Test
    void missingActionKeyIsMissingAtBodyAction() {
        EngineHarness.Reply reply = engine.http("POST", "/step", "{\"message\":\"hi\"}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body()).startsWith(
                "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"action\"],\"msg\":\"Field required\"");
    }

    @Test
    void missingAndUnknownActionFieldsAreBothReported() {
        EngineHarness.Reply reply = engine.http("POST", "/step", "{\"action\":{\"bogus\":1}}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body())
                .contains("{\"type\":\"missing\",\"loc\":[\"message\"],\"msg\":\"Field required\",\"input\":{\"bogus\":1}}")
                .contains("{\"type\":\"extra_forbidden\",\"loc\":[\"bogus\"],\"msg\":\"Extra inputs are not permitted\","
                        + "\"input\":1}");
    }

    @Test
    void wrongTypeIsStringType() {
        EngineHarness.Reply reply = engine.http("POST", "/step", "{\"action\":{\"message\":5}}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body()).contains("\"type\":\"string_type\",\"loc\":[\"message\"]");
    }

    @Test
    void emptyMessageViolatesMinLength() {
        EngineHarness.Reply reply = engine.http("POST", "/step", "{\"action\":{\"message\":\"\"}}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body()).contains("\"type\":\"string_too_short\",\"loc\":[\"message\"]")
                .contains("\"ctx\":{\"min_length\":1}");
    }

    @Test
    void negativeSeedIsRejectedAtBodySeed() {
        EngineHarness.Reply reply = engine.http("POST", "/reset", "{\"seed\":-1}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body()).contains("\"type\":\"greater_than_equal\",\"loc\":[\"body\",\"seed\"]");
    }

    @Test
    void validationErrorsAreNotSteps() {
        engine.http("POST", "/step", "{\"action\":{\"bogus\":1}}");
        engine.http("POST", "/step", "{bad");
        assertThat(engine.http("GET", "/state", "").body()).endsWith("\"step_count\":0}");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        EngineHarness.Reply get = engine.http("GET", "/step", "");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers()).containsEntry("Allow", "POST");
        assertThat(get.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
        assertThat(engine.http("DELETE", "/step", "").status()).isEqualTo(405);
        EngineHarness.Reply post = engine.http("POST", "/health", "");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers()).containsEntry("Allow", "GET");
    }

    @Test
    void unknownPathIs404NotFound() {
        EngineHarness.Reply reply = engine.http("GET", "/nope", "");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).isEqualTo("{\"detail\":\"Not Found\"}");
    }

    @Test
    void webSocketStepWithoutDataIsAValidationErrorAndTheSessionStaysOpen() {
        EngineHarness.Ws ws = engine.ws();
        assertThat(ws.exchange("{\"type\":\"step\"}")).contains("\"code\":\"VALIDATION_ERROR\"")
                .contains("\"loc\":[\"data\"]");
        assertThat(ws.exchange("{\"type\":\"step\",\"data\":{\"message\":\"ok\"}}")).startsWith("{\"type\":\"observation\"");
    }

    @Test
    void webSocketUnknownEnvelopeKeysAreRejectedAsUpstreamDoes() {
        EngineHarness.Ws ws = engine.ws();
        assertThat(ws.exchange("{\"type\":\"state\",\"extra\":1}")).contains("\"code\":\"VALIDATION_ERROR\"")
                .contains("\"type\":\"extra_forbidden\",\"loc\":[\"extra\"]");
    }

    @Test
    void webSocketMissingTypeIsUnknownType() {
        EngineHarness.Ws ws = engine.ws();
        assertThat(ws.exchange("{\"data\":{}}")).contains("\"code\":\"UNKNOWN_TYPE\"");
        assertThat(ws.exchange("[1,2]")).contains("\"code\":\"VALIDATION_ERROR\"");
    }
}
