package openenv.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import openenv.api.Containers;
import openenv.api.spi.Availability;
import openenv.api.spi.ContainerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerContainerProviderTest {

    @TempDir
    Path dir;

    @Test
    void isFoundByServiceLoaderUnderTheNameDocker() {
        ContainerProvider provider = Containers.provider(Optional.of("docker"));
        assertThat(provider).isInstanceOf(DockerContainerProvider.class);
        assertThat(provider.name()).isEqualTo("docker");
    }

    @Test
    void servicesFileMatchesTheModuleDeclaration() throws IOException {
        String file;
        try (InputStream in = DockerContainerProvider.class.getModule()
                .getResourceAsStream("META-INF/services/openenv.api.spi.ContainerProvider")) {
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        ModuleDescriptor descriptor = DockerContainerProvider.class.getModule().getDescriptor();
        assertThat(descriptor.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo(ContainerProvider.class.getName());
            assertThat(p.providers()).containsExactly(file);
        });
        assertThat(descriptor.exports()).singleElement()
                .satisfies(e -> assertThat(e.source()).isEqualTo("openenv.provider.docker"));
    }

    @Test
    void availableWhenTheDefaultSocketExists() throws IOException {
        Path socket = Files.createFile(dir.resolve("docker.sock"));
        assertThat(DockerContainerProvider.availability(null, socket).available()).isTrue();
        assertThat(DockerContainerProvider.availability("tcp://10.0.0.1:2375", dir.resolve("none")).available())
                .isTrue();
    }

    @Test
    void unavailabilitySaysWhatToInstallAndStart() {
        Availability none = DockerContainerProvider.availability(null, dir.resolve("docker.sock"));
        assertThat(none.available()).isFalse();
        assertThat(none.reason().orElseThrow()).contains("DOCKER_HOST is not set")
                .contains("apt-get install docker.io").contains("dockerd");

        Availability badHost = DockerContainerProvider.availability("unix://" + dir.resolve("x.sock"),
                dir.resolve("docker.sock"));
        assertThat(badHost.available()).isFalse();
        assertThat(badHost.reason().orElseThrow()).contains("x.sock does not exist").contains("start the Docker engine");
    }

    @Test
    void imageReferencesAreSplitForThePullApi() {
        assertThat(DockerEngine.ImageRef.parse("openenv/echo:latest"))
                .isEqualTo(new DockerEngine.ImageRef("openenv/echo", Optional.of("latest")));
        assertThat(DockerEngine.ImageRef.parse("echo"))
                .isEqualTo(new DockerEngine.ImageRef("echo", Optional.of("latest")));
        assertThat(DockerEngine.ImageRef.parse("localhost:5000/team/echo"))
                .isEqualTo(new DockerEngine.ImageRef("localhost:5000/team/echo", Optional.of("latest")));
        assertThat(DockerEngine.ImageRef.parse("localhost:5000/echo:1.2"))
                .isEqualTo(new DockerEngine.ImageRef("localhost:5000/echo", Optional.of("1.2")));
        assertThat(DockerEngine.ImageRef.parse("echo@sha256:abc"))
                .isEqualTo(new DockerEngine.ImageRef("echo@sha256:abc", Optional.empty()));
    }

    @Test
    void engineMessagesAreUnwrappedFromDockerJavaStatusText() {
        RuntimeException e = new RuntimeException(
                "Status 404: {\"message\":\"pull access denied for x, repository does not exist\"}\n");
        assertThat(DockerEngine.engineMessage(e)).isEqualTo("pull access denied for x, repository does not exist");
        assertThat(DockerEngine.engineMessage(new RuntimeException("plain"))).isEqualTo("plain");
    }

    @Test
    void reaperReadsContainerIdsFromTheListAnswer() {
        String json = "[{\"Id\":\"" + "a".repeat(64) + "\",\"Names\":[\"/x\"]},{\"Id\": \"" + "b".repeat(64) + "\"}]";
        assertThat(Reaper.ids(json)).isEqualTo(List.of("a".repeat(64), "b".repeat(64)));
        assertThat(Reaper.ids("[]")).isEmpty();
    }
}
