package openenv.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import openenv.api.ContainerException;
import openenv.api.Containers;
import openenv.api.spi.ContainerSpec;
import openenv.api.spi.RunningContainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("docker")
@ExtendWith(DockerTests.EngineAndCleanup.class)
class DockerProviderIT {

    @Test
    void startsOnALoopbackPortTheEngineChoseAnswersHealthAndCloseRemovesIt() throws Exception {
        String id;
        try (RunningContainer c = Containers.start("docker", ContainerSpec.builder(TestImages.tiny())
                .label("team", "rl").build())) {
            id = c.id();
            assertThat(c.baseUri().getScheme()).isEqualTo("http");
            assertThat(c.baseUri().getHost()).isEqualTo("127.0.0.1");
            assertThat(c.baseUri().getPort()).isPositive();
            assertThat(DockerTests.get(c.baseUri().resolve("/health")).statusCode()).isEqualTo(200);

            InspectContainerResponse inspect = DockerEngine.get().docker().inspectContainerCmd(id).exec();
            Ports.Binding binding = inspect.getNetworkSettings().getPorts().getBindings()
                    .get(ExposedPort.tcp(8000))[0];
            assertThat(binding.getHostIp()).isEqualTo("127.0.0.1");
            Map<String, String> labels = inspect.getConfig().getLabels();
            assertThat(labels).containsEntry("dev.openenv.managed-by", "openenv-java")
                    .containsEntry("dev.openenv.session", DockerEngine.get().session)
                    .containsEntry("team", "rl")
                    .containsKeys("dev.openenv.created", "dev.openenv.owner.pid", "dev.openenv.owner.host");
            assertThat(Instant.parse(labels.get("dev.openenv.created"))).isBefore(Instant.now().plusSeconds(1));
            assertThat(c.logs()).contains("tiny: listening on 8000");
        }
        assertThat(DockerTests.exists(id)).as("container exists after close").isFalse();
    }

    @Test
    void limitsEnvironmentReadOnlyRootAndNetworkModeAreApplied() throws Exception {
        ContainerSpec spec = ContainerSpec.builder(TestImages.tiny())
                .env("GREETING", "hello from the test")
                .memoryBytes(256L << 20)
                .cpus(0.5)
                .pidsLimit(64)
                .readOnlyRootFilesystem(true)
                .networkMode("bridge")
                .build();
        try (RunningContainer c = Containers.start("docker", spec)) {
            assertThat(DockerTests.get(c.baseUri().resolve("/env?name=GREETING")).body())
                    .isEqualTo("hello from the test");
            assertThat(DockerTests.get(c.baseUri().resolve("/write")).body()).startsWith("read-only");
            HostConfig host = DockerEngine.get().docker().inspectContainerCmd(c.id()).exec().getHostConfig();
            assertThat(host.getMemory()).isEqualTo(256L << 20);
            assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
            assertThat(host.getPidsLimit()).isEqualTo(64L);
            assertThat(host.getReadonlyRootfs()).isTrue();
            assertThat(host.getNetworkMode()).isEqualTo("bridge");
        }
    }

    @Test
    void containerThatExitsAtStartFailsFastWithExitCodeAndLastLogLines() {
        ContainerSpec spec = ContainerSpec.builder(TestImages.tiny()).command(List.of("exit"))
                .startupTimeout(Duration.ofSeconds(60)).build();
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> Containers.start("docker", spec))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("exited during startup with exit code 3")
                .hasMessageContaining("tiny: missing configuration FOO_TOKEN, giving up")
                .hasMessageContaining("tiny: starting in mode exit");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("fail fast, not at the 60 s timeout")
                .isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void containerThatNeverBecomesHealthyTimesOutWithAClearMessage() {
        // 8 s: long enough for the tiny server's JVM to be listening even on a loaded 2-core machine, so the
        // last probe is its 503 rather than a refused connection
        ContainerSpec spec = ContainerSpec.builder(TestImages.tiny()).command(List.of("unhealthy"))
                .startupTimeout(Duration.ofSeconds(8)).build();
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> Containers.start("docker", spec))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("did not become healthy within 8 s")
                .hasMessageContaining("/health never answered 200 (last: ")
                .hasMessageContaining("ContainerSpec.startupTimeout");
        // bounded by the startup timeout, not hanging (generous: the machine may be loaded)
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(40));
    }

    @Test
    void missingImageThatCannotBePulledSaysHowToBuildIt() {
        ContainerSpec ifMissing = ContainerSpec.builder("openenv-test/absent:nope")
                .startupTimeout(Duration.ofSeconds(20)).build();
        assertThatThrownBy(() -> Containers.start("docker", ifMissing))
                .isInstanceOf(ContainerException.class)
                .hasMessageStartingWith("Image openenv-test/absent:nope not found locally and could not be pulled: ")
                .hasMessageEndingWith("; build it with ./openenv image <env>");

        ContainerSpec never = ContainerSpec.builder("openenv-test/absent:nope")
                .pullPolicy(ContainerSpec.PullPolicy.NEVER).build();
        assertThatThrownBy(() -> Containers.start("docker", never))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("not found locally and the pull policy is NEVER; build it with ./openenv image");
    }

    @Test
    void reservedLabelsAndUnreachableNetworkModesAreRejected() {
        assertThatThrownBy(() -> Containers.start("docker", ContainerSpec.builder(TestImages.tiny())
                .label("dev.openenv.session", "mine").build()))
                .isInstanceOf(ContainerException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Containers.start("docker", ContainerSpec.builder(TestImages.tiny())
                .networkMode("none").build()))
                .isInstanceOf(ContainerException.class).hasMessageContaining("no way to reach");
    }

    @Test
    void wildcardBindAddressIsReachedOverLoopback() throws Exception {
        try (RunningContainer c = Containers.start("docker", ContainerSpec.builder(TestImages.tiny())
                .hostAddress("0.0.0.0").build())) {
            URI base = c.baseUri();
            assertThat(base.getHost()).isEqualTo("127.0.0.1");
            assertThat(DockerTests.get(base.resolve("/health")).statusCode()).isEqualTo(200);
        }
    }
}
