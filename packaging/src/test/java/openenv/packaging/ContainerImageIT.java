package openenv.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import openenv.api.GenericEnvClient;
import openenv.api.OpenEnvException;
import openenv.api.StepResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The container image as a provider runs it: built by bin/build-image from the linked runtime, started with a
 * random host port, stepped from the Java client, checked to run as a non-root user, stopped with
 * {@code docker stop}. Skips when no Docker engine answers, fails instead with OPENENV_REQUIRE_DOCKER=1.
 */
@Tag("docker")
class ContainerImageIT {

    private static final String LABEL = "dev.openenv.test=ContainerImageIT";

    private final List<String> containers = new ArrayList<>();
    private final List<String> images = new ArrayList<>();

    @BeforeAll
    static void dockerEngineAnswers() {
        Commands.requireDockerOrSkip();
    }

    @AfterEach
    void removeEverythingThisTestCreated() {
        containers.forEach(id -> Commands.docker("rm", "-f", "-v", id));
        images.forEach(tag -> Commands.docker("rmi", "-f", tag));
        // belt and braces: anything labelled by a run of this test that crashed before bookkeeping
        String leftovers = Commands.docker("ps", "-aq", "--filter", "label=" + LABEL).output().trim();
        for (String id : leftovers.isEmpty() ? new String[0] : leftovers.split("\\s+")) {
            Commands.docker("rm", "-f", "-v", id);
        }
    }

    @Test
    void imageServesTheEchoEnvironmentAsNonRootAndStopsWithExitCodeZero() throws Exception {
        String tag = "openenv-it/echo:" + UUID.randomUUID().toString().substring(0, 8);
        images.add(tag);
        Path runtime = ServerProcess.runtime();
        Commands.Result build = Commands.run(Duration.ofMinutes(3), Map.of(),
                Commands.packagingDir().resolve("bin/build-image").toString(), "echo", "--runtime",
                runtime.toString(), "--tag", tag);
        assertThat(build.ok()).endsWith(tag);
        assertThat(build.output()).contains("[5/5] docker build");

        assertThat(Commands.docker("image", "inspect", "-f", "{{.Config.User}}", tag).ok()).isEqualTo("10001:10001");
        // FROM scratch: one layer, no shell
        assertThat(Commands.docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", tag).ok()).isEqualTo("1");

        String id = Commands.docker("run", "-d", "--label", LABEL, "-p", "127.0.0.1::8000",
                "-e", "MAX_CONCURRENT_ENVS=1", tag).ok();
        containers.add(id);
        String hostPort = Commands.docker("port", id, "8000/tcp").ok().lines().findFirst().orElseThrow();
        URI base = URI.create("http://" + hostPort.replace("0.0.0.0", "127.0.0.1"));
        awaitHealthy(base, id);

        String ws = "ws://" + base.getAuthority();
        try (GenericEnvClient env = GenericEnvClient.connect(ws)) {
            assertThat(env.reset().observation()).containsEntry("echoed_message", "Echo environment ready!");
            StepResult<Map<String, Object>> r = env.step(Map.of("message", "Hello, OpenEnv!"));
            assertThat(r.observation()).containsEntry("echoed_message", "Hello, OpenEnv!");
            assertThat(r.reward()).hasValue(1.5);
            // MAX_CONCURRENT_ENVS=1: a second session is refused while this one is open
            assertThatThrownBy(() -> {
                try (GenericEnvClient second = GenericEnvClient.connect(ws)) {
                    second.reset();
                }
            }).isInstanceOf(OpenEnvException.class).hasMessageContaining("CAPACITY");
        }

        // Non-root: the image says so, and the kernel agrees about the container's main process.
        assertThat(Commands.docker("inspect", "-f", "{{.Config.User}}", id).ok()).isEqualTo("10001:10001");
        String pid = Commands.docker("inspect", "-f", "{{.State.Pid}}", id).ok();
        Path status = Path.of("/proc", pid, "status");
        if (Files.isReadable(status)) { // a remote engine (DOCKER_HOST=tcp://…) has no /proc here
            String uid = Files.readAllLines(status).stream().filter(l -> l.startsWith("Uid:")).findFirst()
                    .orElseThrow();
            assertThat(uid.split("\\s+")).containsExactly("Uid:", "10001", "10001", "10001", "10001");
        }

        Commands.docker("stop", "-t", "20", id).ok();
        assertThat(Commands.docker("inspect", "-f", "{{.State.ExitCode}}", id).ok())
                .as("exit code after docker stop; logs:\n%s", Commands.docker("logs", id).output())
                .isEqualTo("0");
        assertThat(Commands.docker("logs", id).output()).contains("SIGTERM");
    }

    private static void awaitHealthy(URI base, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (ServerProcess.get(base, "/health").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        fail("no 200 on " + base + "/health within 30 s; container logs:\n" + Commands.docker("logs", id).output());
    }
}
