package openenv.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import openenv.api.Action;
import openenv.api.EnvClient;
import openenv.api.EnvServer;
import openenv.api.EnvTypes;
import openenv.api.Environment;
import openenv.api.EnvironmentException;
import openenv.api.GenericEnvClient;
import openenv.api.MinLength;
import openenv.api.Observation;
import openenv.api.ResetOptions;
import openenv.api.State;
import openenv.api.StepResult;
import openenv.api.ValidationProblem;
import openenv.api.internal.ProviderKind;
import openenv.api.internal.Providers;
import openenv.api.spi.ClientTransportProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** This client against the real Netty server transport running a small echo environment. */
class NettyServerEndToEndTest {

    /** Echo action; public because the codec reads records through their public accessors. */
    public record EchoAction(@MinLength(1) String message) implements Action {
    }

    public record EchoObservation(String echoedMessage, int messageLength) implements Observation {
    }

    public record EchoState(String episodeId, int stepCount) implements State {
    }

    /** The reference echo (PROTOCOL.md §3); the message "boom" throws. */
    public static final class EchoEnvironment implements Environment<EchoAction, EchoObservation, EchoState> {
        private String episodeId = UUID.randomUUID().toString();
        private int stepCount;

        @Override
        public StepResult<EchoObservation> reset(ResetOptions options) {
            episodeId = options.episodeId().orElseGet(() -> UUID.randomUUID().toString());
            stepCount = 0;
            return StepResult.of(new EchoObservation("Echo environment ready!", 0), 0.0);
        }

        @Override
        public StepResult<EchoObservation> step(EchoAction action) {
            if (action.message().equals("boom")) {
                throw new IllegalStateException("boom requested");
            }
            stepCount++;
            int length = action.message().codePointCount(0, action.message().length());
            return StepResult.of(new EchoObservation(action.message(), length), length * 0.1);
        }

        @Override
        public EchoState state() {
            return new EchoState(episodeId, stepCount);
        }
    }

    static final EnvTypes<EchoAction, EchoObservation, EchoState> ECHO =
            EnvTypes.of(EchoAction.class, EchoObservation.class, EchoState.class);

    private EnvServer server;

    private EnvServer start(int maxSessions) {
        server = EnvServer.builder().environment(EchoEnvironment::new).transport("netty").port(0)
                .maxSessions(maxSessions).build().start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private EnvClient<EchoAction, EchoObservation, EchoState> typedClient() {
        return EnvClient.builder().url(server.uri()).transport("httpclient").build(ECHO);
    }

    private GenericEnvClient genericClient() {
        return EnvClient.builder().url(server.uri()).transport("httpclient").buildGeneric();
    }

    @Test
    void aTypedClientResetsStepsAndReadsStateInItsOwnSession() {
        start(4);

        try (EnvClient<EchoAction, EchoObservation, EchoState> env = typedClient()) {
            StepResult<EchoObservation> reset = env.reset(ResetOptions.none().withEpisodeId("ep-7"));
            StepResult<EchoObservation> step = env.step(new EchoAction("Hello, OpenEnv!"));
            env.step(new EchoAction("héllo 🌍"));
            EchoState state = env.state();

            assertThat(reset.observation()).isEqualTo(new EchoObservation("Echo environment ready!", 0));
            assertThat(reset.reward()).hasValue(0.0);
            assertThat(step.observation()).isEqualTo(new EchoObservation("Hello, OpenEnv!", 15));
            assertThat(step.reward()).hasValue(1.5);
            assertThat(step.done()).isFalse();
            assertThat(state).isEqualTo(new EchoState("ep-7", 2));
            assertThat(server.activeSessions()).as("a stateful HTTP session").isEqualTo(1);
        }
        assertThat(server.activeSessions()).as("closed by DELETE /sessions/<id>").isZero();
    }

    @Test
    void twoClientsHaveIndependentSessions() {
        start(4);

        try (var first = typedClient(); var second = typedClient()) {
            first.reset();
            second.reset();
            first.step(new EchoAction("a"));
            first.step(new EchoAction("b"));
            second.step(new EchoAction("c"));

            assertThat(first.state().stepCount()).isEqualTo(2);
            assertThat(second.state().stepCount()).isEqualTo(1);
            assertThat(first.state().episodeId()).isNotEqualTo(second.state().episodeId());
        }
    }

    @Test
    void aBadActionGetsEveryValidationProblemAndTheSessionGoesOn() {
        start(4);

        try (GenericEnvClient env = genericClient()) {
            env.reset();
            assertThatThrownBy(() -> env.step(Map.of("bogus", 1)))
                    .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                        assertThat(e.code()).isEqualTo("VALIDATION_ERROR");
                        assertThat(e.problems()).extracting(ValidationProblem::type)
                                .containsExactlyInAnyOrder("missing", "extra_forbidden");
                    });
            assertThatThrownBy(() -> env.step(Map.of("message", "")))
                    .isInstanceOfSatisfying(EnvironmentException.class, e -> assertThat(e.problems())
                            .extracting(ValidationProblem::type).containsExactly("string_too_short"));

            env.step(Map.of("message", "ok"));
            assertThat(env.state()).containsEntry("step_count", 1L);
        }
    }

    @Test
    void anEnvironmentThatThrowsGivesExecutionErrorAndTheSessionGoesOn() {
        start(4);

        try (EnvClient<EchoAction, EchoObservation, EchoState> env = typedClient()) {
            env.reset();
            assertThatThrownBy(() -> env.step(new EchoAction("boom")))
                    .isInstanceOfSatisfying(EnvironmentException.class,
                            e -> assertThat(e.code()).isEqualTo("EXECUTION_ERROR"))
                    .hasMessageContaining("boom requested");

            assertThat(env.step(new EchoAction("fine")).observation().echoedMessage()).isEqualTo("fine");
        }
    }

    @Test
    void aFullServerAnswersCapacityReached() {
        start(1);

        try (EnvClient<EchoAction, EchoObservation, EchoState> first = typedClient()) {
            first.reset();
            assertThatThrownBy(this::typedClient)
                    .isInstanceOfSatisfying(EnvironmentException.class,
                            e -> assertThat(e.code()).isEqualTo("CAPACITY_REACHED"));
        }
        try (EnvClient<EchoAction, EchoObservation, EchoState> again = typedClient()) {
            assertThat(again.reset().observation().messageLength()).isZero();
        }
    }

    @Test
    void nettysClientWinsForHttpUrlsUnlessHttpclientIsNamed() {
        List<ClientTransportProvider> forHttp = Providers.load(ClientTransportProvider.class).stream()
                .filter(p -> p.schemes().contains("http")).collect(Collectors.toList());

        assertThat(forHttp).extracting(ClientTransportProvider::name).contains("netty", "httpclient");
        assertThat(Providers.pick(ProviderKind.CLIENT_TRANSPORT, forHttp, Optional.empty(), "").name())
                .isEqualTo("netty");
        assertThat(Providers.pick(ProviderKind.CLIENT_TRANSPORT, forHttp, Optional.of("httpclient"), "").name())
                .isEqualTo("httpclient");
    }
}
