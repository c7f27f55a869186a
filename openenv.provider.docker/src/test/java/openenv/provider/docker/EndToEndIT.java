package openenv.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import openenv.api.EnvClient;
import openenv.api.EnvTypes;
import openenv.api.GenericEnvClient;
import openenv.api.StepResult;
import openenv.api.spi.ContainerSpec;
import openenv.examples.EchoAction;
import openenv.examples.EchoObservation;
import openenv.examples.EchoState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real OpenEnv server image (the echo environment over Netty) started, stepped and removed. */
@Tag("docker")
@ExtendWith(DockerTests.EngineAndCleanup.class)
class EndToEndIT {

    @Test
    void startStepOverWebSocketAndCloseLeavesNoContainer() {
        ContainerSpec spec = ContainerSpec.builder(TestImages.echo()).env("MAX_CONCURRENT_ENVS", "4").build();
        long t0 = System.nanoTime();
        try (GenericEnvClient env = EnvClient.builder().container(spec).buildGeneric()) {
            assertThat(env.url().getScheme()).isEqualTo("ws");
            assertThat(env.url().getHost()).isEqualTo("127.0.0.1");
            env.reset();
            StepResult<Map<String, Object>> step = env.step(Map.of("message", "hello"));
            System.out.printf("cold start to first step over ws: %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertThat(step.observation()).containsEntry("echoed_message", "hello")
                    .containsEntry("message_length", 5L);
            assertThat(DockerTests.sessionContainers()).hasSize(1);
        }
    }

    @Test
    void startStepOverHttpWithTypedClientAndCloseLeavesNoContainer() {
        ContainerSpec spec = ContainerSpec.builder(TestImages.echo()).startupTimeout(Duration.ofSeconds(30)).build();
        try (EnvClient<EchoAction, EchoObservation, EchoState> env = EnvClient.builder().url("http://container")
                .container(spec).build(EnvTypes.of(EchoAction.class, EchoObservation.class, EchoState.class))) {
            assertThat(env.generic().url().getScheme()).isEqualTo("http");
            env.reset();
            StepResult<EchoObservation> step = env.step(new EchoAction("over http"));
            assertThat(step.observation().echoedMessage()).isEqualTo("over http");
            assertThat(env.state().stepCount()).isEqualTo(1);
            assertThat(DockerTests.sessionContainers()).hasSize(1);
        }
    }

    @Test
    void warmPoolServesEpisodesOfTheRealImage() {
        try (DockerPool pool = DockerPool.builder(ContainerSpec.of(TestImages.echo())).size(2).build()) {
            assertThat(pool.awaitFull(Duration.ofSeconds(60))).isTrue();
            long t0 = System.nanoTime();
            try (var c = pool.take();
                 GenericEnvClient env = EnvClient.builder().url(c.baseUri().toString().replaceFirst("^http", "ws"))
                         .buildGeneric()) {
                env.reset();
                assertThat(env.step(Map.of("message", "warm")).observation()).containsEntry("echoed_message", "warm");
                System.out.printf("warm pool take to first step over ws: %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        }
    }
}
