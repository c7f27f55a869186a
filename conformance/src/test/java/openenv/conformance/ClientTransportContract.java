package openenv.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import openenv.api.EnvClient;
import openenv.api.EnvServer;
import openenv.api.EnvTypes;
import openenv.api.Environment;
import openenv.api.EnvironmentException;
import openenv.api.GenericEnvClient;
import openenv.api.ResetOptions;
import openenv.api.StepResult;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.examples.EchoAction;
import openenv.examples.EchoEnvironment;
import openenv.examples.EchoObservation;
import openenv.examples.EchoState;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every client transport must show against a real server. A subclass names the client transport, the
 * URL scheme it is driven with, and the server transport.
 */
abstract class ClientTransportContract {

    static final EnvTypes<EchoAction, EchoObservation, EchoState> ECHO =
            EnvTypes.of(EchoAction.class, EchoObservation.class, EchoState.class);

    /** Client transport name, e.g. "netty". */
    abstract String clientTransport();

    /** URL scheme: "ws", "http" or "local". */
    abstract String scheme();

    /** Server transport name: "netty" or "local". */
    String serverTransport() {
        return "netty";
    }

    EnvServer server(Consumer<EnvServer.Builder> settings) {
        EnvServer.Builder builder = EnvServer.builder().port(0).transport(serverTransport());
        settings.accept(builder);
        return builder.build().start();
    }

    String url(EnvServer server) {
        String base = server.uri().toString();
        return scheme().equals("ws") ? base.replaceFirst("^http", "ws") : base;
    }

    EnvClient<EchoAction, EchoObservation, EchoState> typed(EnvServer server) {
        return EnvClient.builder().url(url(server)).transport(clientTransport()).build(ECHO);
    }

    GenericEnvClient generic(EnvServer server) {
        return EnvClient.builder().url(url(server)).transport(clientTransport()).buildGeneric();
    }

    /** Echo that throws on "boom" and sleeps 3 s on "slow". */
    static final class Flaky implements Environment<EchoAction, EchoObservation, EchoState> {
        private final EchoEnvironment echo = new EchoEnvironment();

        @Override
        public StepResult<EchoObservation> reset(ResetOptions options) {
            return echo.reset(options);
        }

        @Override
        public StepResult<EchoObservation> step(EchoAction action) {
            if (action.message().equals("boom")) {
                throw new IllegalStateException("boom: environment failure");
            }
            if (action.message().equals("slow")) {
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return echo.step(action);
        }

        @Override
        public EchoState state() {
            return echo.state();
        }
    }

    @Test
    void typedResetStepAndStateRoundTrip() {
        try (EnvServer server = server(b -> b.environment(EchoEnvironment::new));
             EnvClient<EchoAction, EchoObservation, EchoState> env = typed(server)) {
            assertThat(env.reset().observation()).isEqualTo(new EchoObservation("Echo environment ready!", 0));
            StepResult<EchoObservation> step = env.step(new EchoAction("Hello, OpenEnv!"));
            assertThat(step.observation()).isEqualTo(new EchoObservation("Hello, OpenEnv!", 15));
            assertThat(step.reward()).hasValue(1.5);
            assertThat(step.done()).isFalse();
            assertThat(env.state().stepCount()).isEqualTo(1);
            assertThat(env.generic().transport()).isEqualTo(clientTransport());
        }
    }

    @Test
    void unicodeIsCountedInCodePointsAndSurvivesTheRoundTrip() {
        try (EnvServer server = server(b -> b.environment(EchoEnvironment::new));
             EnvClient<EchoAction, EchoObservation, EchoState> env = typed(server)) {
            env.reset();
            StepResult<EchoObservation> step = env.step(new EchoAction("héllo 👋"));
            assertThat(step.observation()).isEqualTo(new EchoObservation("héllo 👋", 7));
        }
    }

    @Test
    void resetPassesSeedAndEpisodeId() {
        try (EnvServer server = server(b -> b.environment(EchoEnvironment::new));
             EnvClient<EchoAction, EchoObservation, EchoState> env = typed(server)) {
            env.reset(ResetOptions.seeded(42).withEpisodeId("episode-7"));
            assertThat(env.state()).isEqualTo(new EchoState("episode-7", 0));
        }
    }

    @Test
    void genericClientUsesWireKeys() {
        try (EnvServer server = server(b -> b.environment(EchoEnvironment::new));
             GenericEnvClient env = generic(server)) {
            env.reset();
            StepResult<Map<String, Object>> step = env.step(Map.of("message", "abc"));
            assertThat(step.observation()).containsEntry("echoed_message", "abc").containsEntry("message_length", 3L);
            assertThat(step.reward()).hasValue(0.30000000000000004);
            assertThat(env.state()).containsKeys("episode_id", "step_count");
        }
    }

    @Test
    void validationErrorsCarryEveryProblemAndTheSessionSurvives() {
        try (EnvServer server = server(b -> b.environment(EchoEnvironment::new));
             GenericEnvClient env = generic(server)) {
            env.reset();
            assertThatThrownBy(() -> env.step(Map.of("bogus", 1)))
                    .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                        assertThat(e.code()).isEqualTo("VALIDATION_ERROR");
                        assertThat(e.problems()).extracting(p -> p.type() + " " + p.loc())
                                .containsExactlyInAnyOrder("missing [message]", "extra_forbidden [bogus]");
                    });
            env.step(Map.of("message", "ok"));
            assertThat(env.state()).containsEntry("step_count", 1L);
        }
    }

    @Test
    void environmentFailuresAreExecutionErrorsAndTheSessionSurvives() {
        try (EnvServer server = server(b -> b.environment(Flaky::new));
             EnvClient<EchoAction, EchoObservation, EchoState> env = typed(server)) {
            env.reset();
            assertThatThrownBy(() -> env.step(new EchoAction("boom")))
                    .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                        assertThat(e.code()).isEqualTo("EXECUTION_ERROR");
                        assertThat(e.getMessage()).contains("boom: environment failure");
                    });
            assertThat(env.step(new EchoAction("fine")).observation().echoedMessage()).isEqualTo("fine");
        }
    }

    @Test
    void clientsHaveIsolatedSessions() {
        try (EnvServer server = server(b -> b.environment(EchoEnvironment::new));
             EnvClient<EchoAction, EchoObservation, EchoState> a = typed(server);
             EnvClient<EchoAction, EchoObservation, EchoState> b = typed(server)) {
            a.reset();
            b.reset();
            a.step(new EchoAction("x"));
            a.step(new EchoAction("x"));
            b.step(new EchoAction("x"));
            assertThat(a.state().stepCount()).isEqualTo(2);
            assertThat(b.state().stepCount()).isEqualTo(1);
            assertThat(a.state().episodeId()).isNotEqualTo(b.state().episodeId());
        }
    }

    @Test
    void manyConcurrentSessionsStayIsolated() throws Exception {
        int sessions = 16;
        int steps = 40;
        try (EnvServer server = server(b -> b.environment(EchoEnvironment::new))) {
            ExecutorService pool = Executors.newFixedThreadPool(sessions);
            try {
                List<Future<Integer>> counts = new ArrayList<>();
                for (int s = 0; s < sessions; s++) {
                    String tag = "session-" + s;
                    counts.add(pool.submit(() -> {
                        try (EnvClient<EchoAction, EchoObservation, EchoState> env = typed(server)) {
                            env.reset();
                            for (int i = 0; i < steps; i++) {
                                assertThat(env.step(new EchoAction(tag + "/" + i)).observation().echoedMessage())
                                        .isEqualTo(tag + "/" + i);
                            }
                            return env.state().stepCount();
                        }
                    }));
                }
                for (Future<Integer> count : counts) {
                    assertThat(count.get(60, TimeUnit.SECONDS)).isEqualTo(steps);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closingAClientFreesItsSessionOnTheServer() {
        try (EnvServer server = server(b -> b.environment(EchoEnvironment::new).maxSessions(1))) {
            for (int i = 0; i < 3; i++) {
                try (EnvClient<EchoAction, EchoObservation, EchoState> env = typed(server)) {
                    env.reset();
                    env.step(new EchoAction("x"));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> server.activeSessions() == 0);
            }
        }
    }

    @Test
    void aFullServerAnswersCapacityReached() {
        try (EnvServer server = server(b -> b.environment(EchoEnvironment::new).maxSessions(1));
             EnvClient<EchoAction, EchoObservation, EchoState> first = typed(server)) {
            first.reset();
            assertThatThrownBy(() -> {
                try (EnvClient<EchoAction, EchoObservation, EchoState> second = typed(server)) {
                    second.reset();
                }
            }).isInstanceOfSatisfying(EnvironmentException.class,
                    e -> assertThat(e.code()).isEqualTo("CAPACITY_REACHED"));
            assertThat(first.step(new EchoAction("still served")).observation().messageLength()).isEqualTo(12);
        }
    }

    @Test
    void aReplySlowerThanTheRequestTimeoutIsATimeoutAndOtherClientsCarryOn() {
        try (EnvServer server = server(b -> b.environment(Flaky::new))) {
            try (EnvClient<EchoAction, EchoObservation, EchoState> env = EnvClient.builder().url(url(server))
                    .transport(clientTransport()).requestTimeout(Duration.ofMillis(300)).build(ECHO)) {
                env.reset();
                assertThatThrownBy(() -> env.step(new EchoAction("slow")))
                        .isInstanceOf(TransportTimeoutException.class)
                        .hasMessageContaining("300 ms");
                assertThatThrownBy(() -> env.step(new EchoAction("after"))).isInstanceOf(TransportException.class);
            }
            try (EnvClient<EchoAction, EchoObservation, EchoState> next = typed(server)) {
                next.reset();
                assertThat(next.step(new EchoAction("next")).observation().echoedMessage()).isEqualTo("next");
            }
        }
    }

    @Test
    void aServerThatGoesAwayIsATransportErrorNotAHang() {
        EnvServer server = server(b -> b.environment(EchoEnvironment::new).shutdownGrace(Duration.ofMillis(200)));
        EnvClient<EchoAction, EchoObservation, EchoState> env = EnvClient.builder().url(url(server))
                .transport(clientTransport()).requestTimeout(Duration.ofSeconds(10)).build(ECHO);
        try {
            env.reset();
            server.close();
            assertThatThrownBy(() -> env.step(new EchoAction("anyone?")))
                    .isInstanceOf(openenv.api.OpenEnvException.class)
                    .isNotInstanceOf(TransportTimeoutException.class);
        } finally {
            env.close();
        }
    }
}
