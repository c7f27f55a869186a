package openenv.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transport on a plain module path, launched with {@code java -p … -m}, where (unlike under surefire) only
 * the modules the main module requires are resolved: this is where HttpClient 5, an automatic module, needs
 * {@code jdk.net} and gets it only because our module requires it.
 */
class ModulePathLaunchTest {

    /** openenv.api, this module, and HttpClient's unpatched jars with SLF4J: what a user puts on -p. */
    static List<Path> modulePath() {
        return List.of(
                Launcher.moduleLocation("openenv.api"),
                Launcher.moduleLocation(Launcher.MODULE),
                Launcher.locationOf("org.apache.hc.client5.http.impl.classic.HttpClients"),
                Launcher.locationOf("org.apache.hc.core5.http.HttpHost"),
                Launcher.locationOf("org.apache.hc.core5.http2.HttpVersionPolicy"),
                Launcher.locationOf("org.slf4j.LoggerFactory"));
    }

    @Test
    void aCallWorksWithTheUnpatchedAutomaticModulesOnAPlainModulePath() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        try (FakeServer server = FakeServer.start()) {
            String output = Launcher.runSmoke(java, List.of("-p", Launcher.modulePath(modulePath())),
                    server.uri().toString());

            assertThat(output).contains("state=" + FakeServer.STATE).contains("protocol=http");
            assertThat(server.count("GET", "/state")).isEqualTo(1);
        }
    }
}
