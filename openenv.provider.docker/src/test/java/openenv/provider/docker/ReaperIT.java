package openenv.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("docker")
class ReaperIT {

    @BeforeEach
    void engine() {
        DockerTests.assumeEngine();
    }

    @Test
    void killMinus9OfAJvmThatStartedContainersLetsTheReaperRemoveThem() throws Exception {
        String image = TestImages.tiny();
        Path childLog = Files.createTempFile("openenv-crash-child", ".log");
        Process child = new ProcessBuilder(childCommand(image))
                .redirectError(childLog.toFile())
                .start();
        String[] started;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("child JVM output; its stderr:%n%s", Files.readString(childLog))
                    .startsWith("STARTED ");
            started = line.split(" ");
        } catch (RuntimeException | AssertionError e) {
            child.destroyForcibly();
            throw e;
        }
        List<String> ids = List.of(started[1], started[2]);
        Optional<ProcessHandle> reaper = ProcessHandle.of(Long.parseLong(started[3]));
        assertThat(reaper).as("the child's reaper process").isPresent();
        assertThat(ids).allMatch(DockerTests::exists);

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ids.stream().anyMatch(DockerTests::exists) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ids).as("containers of the killed JVM").noneMatch(DockerTests::exists);
        assertThat(reaper.get().onExit().get(20, TimeUnit.SECONDS).isAlive()).as("reaper exits after cleanup")
                .isFalse();
        Files.deleteIfExists(childLog);
        // the reaper keeps its log when it removed something; this one was expected
        Files.deleteIfExists(Path.of(System.getProperty("java.io.tmpdir"), "openenv-docker-reaper-" + started[4] + ".log"));
    }

    /**
     * The test JVM's module path, with the test classes patched into our module (as Maven runs the tests), so
     * the child finds the provider through {@code provides} and launches the reaper from the module's jar.
     */
    private static List<String> childCommand(String image) {
        Path testClasses = Path.of(System.getProperty("basedir", ".")).resolve("target/test-classes");
        String modulePath = System.getProperty("jdk.module.path", "");
        assertThat(modulePath).as("tests run on the module path").isNotBlank();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--module-path", modulePath,
                "--patch-module", "openenv.provider.docker=" + testClasses,
                "-m", "openenv.provider.docker/" + CrashChild.class.getName(), image));
        return command;
    }
}
