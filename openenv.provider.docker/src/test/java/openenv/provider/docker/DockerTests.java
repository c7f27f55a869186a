package openenv.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import openenv.api.spi.Availability;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Shared by the Docker tests: skip (or fail, with OPENENV_REQUIRE_DOCKER=1) without an engine; small probes. */
final class DockerTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static String problem;
    private static boolean checked;

    private DockerTests() {
    }

    /** Skips the calling test when no engine answers; fails it instead when OPENENV_REQUIRE_DOCKER=1. */
    static synchronized void assumeEngine() {
        if (!checked) {
            checked = true;
            Availability availability = new DockerContainerProvider().availability();
            if (!availability.available()) {
                problem = availability.reason().orElse("unavailable");
            } else {
                try {
                    DockerEngine.get().docker().pingCmd().exec();
                } catch (RuntimeException e) {
                    problem = "the Docker engine did not answer a ping (" + DockerEngine.engineMessage(e) + ")";
                }
            }
        }
        if (problem != null) {
            if ("1".equals(System.getenv("OPENENV_REQUIRE_DOCKER"))) {
                fail("OPENENV_REQUIRE_DOCKER=1 but " + problem);
            }
            Assumptions.abort("Skipping Docker test: " + problem + " (set OPENENV_REQUIRE_DOCKER=1 to fail instead)");
        }
    }

    /**
     * For tests that start containers: before each, an engine must answer ({@link #assumeEngine}); after each,
     * none of this JVM's containers may be left. {@code @ExtendWith(DockerTests.EngineAndCleanup.class)}.
     */
    static final class EngineAndCleanup implements BeforeEachCallback, AfterEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            assumeEngine();
        }

        @Override
        public void afterEach(ExtensionContext context) {
            assertThat(sessionContainers()).as("containers of this JVM after the test").isEmpty();
        }
    }

    /** Containers of this JVM's session still known to the engine. */
    static List<Container> sessionContainers() {
        return DockerEngine.get().docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.SESSION, DockerEngine.get().session)).exec();
    }

    static boolean exists(String id) {
        try {
            DockerEngine.get().docker().inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
