package openenv.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bin/build-image's behaviour that needs no Docker engine. */
class BuildImageScriptTest {

    private static String script() {
        return Commands.packagingDir().resolve("bin/build-image").toString();
    }

    @Test
    void withoutAnEngineItSaysWhatToInstallOrStartAndFails() {
        Commands.Result result = Commands.run(Duration.ofSeconds(30),
                Map.of("DOCKER_HOST", "unix:///nonexistent/openenv-test.sock"), script(), "echo");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("[1/5] checking the Docker engine")
                .containsPattern("no (Docker engine answers|`docker` command)")
                .contains("apt-get install -y docker.io")
                .doesNotContain("[2/5]");
    }

    @Test
    void anEnvironmentIsRequired() {
        Commands.Result result = Commands.run(Duration.ofSeconds(30), Map.of(), script());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("which environment?");
    }
}
