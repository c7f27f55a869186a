package openenv.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import openenv.api.ContainerException;
import openenv.api.spi.ContainerSpec;
import openenv.api.spi.RunningContainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("docker")
@ExtendWith(DockerTests.EngineAndCleanup.class)
class DockerPoolIT {

    @Test
    void poolOfFourHandsOutEightFreshHealthyContainersInSequenceAndLeavesNothingBehind() throws Exception {
        Set<String> seen = new HashSet<>();
        try (DockerPool pool = DockerPool.builder(ContainerSpec.of(TestImages.tiny())).size(4).maxParallelStarts(2)
                .build()) {
            assertThat(pool.awaitFull(Duration.ofSeconds(60))).as("pool filled").isTrue();
            assertThat(pool.idle()).isEqualTo(4);
            for (int session = 0; session < 8; session++) {
                long t0 = System.nanoTime();
                try (RunningContainer c = pool.take()) {
                    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertThat(DockerTests.get(c.baseUri().resolve("/health")).statusCode()).isEqualTo(200);
                    System.out.printf("pool take %d: %d ms, first /health at %d ms%n", session, tookMs,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    assertThat(seen.add(c.id())).as("never reused").isTrue();
                }
                assertThat(pool.starting() + pool.idle()).isLessThanOrEqualTo(4);
            }
        }
        assertThat(seen).hasSize(8).noneMatch(DockerTests::exists);
    }

    @Test
    void poolOfAnImageThatCannotStartReportsTheFailure() {
        ContainerSpec broken = ContainerSpec.builder(TestImages.tiny()).command(List.of("exit")).build();
        try (DockerPool pool = DockerPool.builder(broken).size(1).build()) {
            assertThatThrownBy(() -> pool.take(Duration.ofSeconds(30)))
                    .isInstanceOf(ContainerException.class)
                    .hasMessageContaining("DockerPool could not start containers of")
                    .hasMessageContaining("exit code 3");
        }
    }
}
