package openenv.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import openenv.api.EnvClient;
import openenv.api.EnvServer;
import openenv.api.EnvTypes;
import openenv.api.EnvironmentException;
import openenv.api.GenericEnvClient;
import openenv.api.ResetOptions;
import openenv.api.StepResult;
import openenv.api.TransportException;
import org.junit.jupiter.api.Test;

/** The whole client/server path through the in-process transport: codec, engine, sessions; no sockets. */
class InProcessClientTest {

    private static final EnvTypes<EchoAction, EchoObservation, EchoState> ECHO =
            EnvTypes.of(EchoAction.class, EchoObservation.class, EchoState.class);

    @Test
    void typedClientResetsStepsAndReadsState() {
        try (EnvServer server = EnvServer.builder().environment(EchoEnvironment::new).transport("local").build().start();
             EnvClient<EchoAction, EchoObservation, EchoState> env = EnvClient.connect(server.uri().toString(), ECHO)) {
            StepResult<EchoObservation> reset = env.reset(ResetOptions.seeded(7).withEpisodeId("ep-1"));
            assertThat(reset.observation()).isEqualTo(new EchoObservation("Echo environment ready!", 0));
            StepResult<EchoObservation> step = env.step(new EchoAction("héllo 👋"));
            assertThat(step.observation().messageLength()).isEqualTo(7);
            assertThat(step.reward()).hasValue(7 * 0.1);
            assertThat(step.done()).isFalse();
            assertThat(env.state()).isEqualTo(new EchoState("ep-1", 1));
            assertThat(env.generic().protocol()).isEqualTo("websocket");
            assertThat(env.generic().transport()).isEqualTo("local");
        }
    }

    @Test
    void validationErrorsArriveAsEnvironmentExceptionsWithEveryProblemAndTheSessionSurvives() {
        try (EnvServer server = EnvServer.builder().environment(EchoEnvironment::new).transport("local").build().start();
             GenericEnvClient env = GenericEnvClient.connect(server.uri().toString())) {
            env.reset();
            assertThatThrownBy(() -> env.step(Map.of("bogus", 1)))
                    .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                        assertThat(e.code()).isEqualTo("VALIDATION_ERROR");
                        assertThat(e.problems()).extracting(p -> p.type()).containsExactlyInAnyOrder("missing",
                                "extra_forbidden");
                    });
            assertThat(env.step(Map.of("message", "still here")).observation()).containsEntry("message_length", 10L);
        }
    }

    @Test
    void capacityReachedIsReportedToTheClient() {
        try (EnvServer server = EnvServer.builder().environment(EchoEnvironment::new).maxSessions(1).transport("local")
                .build().start();
             GenericEnvClient first = GenericEnvClient.connect(server.uri().toString())) {
            first.reset();
            try (GenericEnvClient second = GenericEnvClient.connect(server.uri().toString())) {
                assertThatThrownBy(second::reset).isInstanceOfSatisfying(EnvironmentException.class,
                        e -> assertThat(e.code()).isEqualTo("CAPACITY_REACHED"));
            }
        }
    }

    @Test
    void closingAClientAfterItsServerStoppedIsQuiet() {
        EnvServer server = EnvServer.builder().environment(EchoEnvironment::new).transport("local").build().start();
        GenericEnvClient env = GenericEnvClient.connect(server.uri().toString());
        env.reset();

        server.close();

        // A benchmark harness or a try-with-resources may end the client after the server. (The rejected-task
        // case the suite hit needs a session that escaped shutdown; SerialExecutorTest covers that fallback.)
        env.close();
        assertThatThrownBy(() -> env.step(java.util.Map.of("message", "late")))
                .isInstanceOf(TransportException.class);
    }

    @Test
    void anUnknownLocalServerIsAClearTransportError() {
        assertThatThrownBy(() -> GenericEnvClient.connect("local://nowhere"))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("No in-process server at local://nowhere");
    }

    @Test
    void gridWorldEpisodeEndsAsTerminated() {
        var types = EnvTypes.of(GridAction.class, GridObservation.class, GridState.class);
        try (EnvServer server = EnvServer.builder().environment(GridWorldEnvironment::new).transport("local").build()
                .start();
             EnvClient<GridAction, GridObservation, GridState> env = EnvClient.connect(server.uri().toString(), types)) {
            env.reset();
            StepResult<GridObservation> last = null;
            for (Direction d : new Direction[] {Direction.DOWN, Direction.DOWN, Direction.DOWN, Direction.DOWN,
                    Direction.RIGHT, Direction.RIGHT, Direction.RIGHT, Direction.RIGHT}) {
                last = env.step(new GridAction(d));
            }
            assertThat(last.done()).isTrue();
            assertThat(last.terminated()).isTrue();
            assertThat(last.reward()).hasValue(1.0);
            assertThat(env.state()).isEqualTo(new GridState(env.state().episodeId(), 8, 4, 4));
        }
    }

    @Test
    void connectFourPlaysToTheEndWithNestedObservationsAndItsOwnState() {
        var types = EnvTypes.of(ConnectFourAction.class, ConnectFourObservation.class, ConnectFourState.class);
        try (EnvServer server = EnvServer.builder().environment(ConnectFourEnvironment::new).transport("local").build()
                .start();
             EnvClient<ConnectFourAction, ConnectFourObservation, ConnectFourState> env =
                     EnvClient.connect(server.uri().toString(), types)) {
            StepResult<ConnectFourObservation> result = env.reset(ResetOptions.seeded(1));
            assertThat(result.observation().board().cells()).hasSize(6).allSatisfy(row -> assertThat(row).hasSize(7));
            assertThat(result.observation().legalMoves()).containsExactly(0, 1, 2, 3, 4, 5, 6);
            int moves = 0;
            while (!result.done() && moves < 100) {
                result = env.step(new ConnectFourAction(result.observation().legalMoves().get(0)));
                moves++;
            }
            assertThat(result.done()).isTrue();
            assertThat(result.observation().status()).isIn("won", "lost", "draw");
            ConnectFourState state = env.state();
            assertThat(state.stepCount()).isEqualTo(moves);
            assertThat(state.discsPlayed()).isGreaterThanOrEqualTo(moves);
            assertThat(state.legalMoves()).isEmpty();
        }
    }

    @Test
    void connectFourRejectsAColumnOutsideTheBoard() {
        var types = EnvTypes.of(ConnectFourAction.class, ConnectFourObservation.class, ConnectFourState.class);
        try (EnvServer server = EnvServer.builder().environment(ConnectFourEnvironment::new).transport("local").build()
                .start();
             EnvClient<ConnectFourAction, ConnectFourObservation, ConnectFourState> env =
                     EnvClient.connect(server.uri().toString(), types)) {
            env.reset();
            assertThatThrownBy(() -> env.step(new ConnectFourAction(9)))
                    .isInstanceOfSatisfying(EnvironmentException.class,
                            e -> assertThat(e.problems()).extracting(p -> p.type()).containsExactly("less_than_equal"));
        }
    }
}
