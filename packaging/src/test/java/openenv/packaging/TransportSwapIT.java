package openenv.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swap the linked transport module, get another transport, change no code: a runtime linked with the
 * ModiTect-patched HttpClient 5 client (openenv.transport.httpclient's target/modules) instead of Netty. jlink
 * accepts the patched jars; the same launcher's {@code bench} then talks HTTP through HttpClient 5 without being
 * told, and its {@code serve} says that a server transport is missing.
 */
@Tag("slow")
class TransportSwapIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String LAUNCHER = "openenv.examples/openenv.examples.Launcher";

    @TempDir
    static Path work;
    private static Path httpClientRuntime;

    @BeforeAll
    static void linkTheHttpClientInsteadOfNetty() {
        Path patched = Path.of(System.getProperty("openenv.httpclient.modules",
                "../openenv.transport.httpclient/target/modules"));
        assertThat(patched).as("ModiTect output of openenv.transport.httpclient (build it in the same reactor)")
                .isDirectoryContaining("glob:**/httpclient5-*.jar");
        httpClientRuntime = work.resolve("runtime-httpclient");
        // the patched directory first: its jars win over the unpatched (automatic) copies in target/modules
        String output = Commands.run(TIMEOUT, Map.of(), Commands.packagingDir().resolve("bin/link-runtime").toString(),
                "--module-path", patched + ":" + System.getProperty("openenv.modules", "target/modules"),
                "--add-modules", "openenv.examples,openenv.json,openenv.transport.httpclient", "--cache", "none",
                "--java-home", System.getProperty("openenv.java.home", System.getProperty("java.home")),
                "--output", httpClientRuntime.toString()).ok();
        assertThat(output).contains("runtime ready");
    }

    @Test
    void jlinkAcceptsThePatchedHttpClientModules() {
        String modules = Commands.run(TIMEOUT, Map.of(), httpClientRuntime.resolve("bin/java").toString(),
                "--list-modules").ok();

        assertThat(modules).contains("openenv.transport.httpclient@", "org.apache.httpcomponents.client5.httpclient5@",
                "org.apache.httpcomponents.core5.httpcore5@", "org.slf4j@", "jdk.net@")
                .doesNotContain("io.netty", "openenv.transport.netty", "java.security.jgss");
        assertThat(Files.exists(httpClientRuntime.resolve("lib/openenv/server.aot"))).isFalse();
    }

    @Test
    void theSameLauncherUsesWhicheverClientTransportIsLinked() throws Exception {
        try (ServerProcess server = ServerProcess.start(
                List.of(ServerProcess.runtime().resolve("bin/openenv-server").toString(), "echo"),
                Map.of("PORT", "0"))) {
            URI base = server.awaitHealthy(TIMEOUT);
            assertThat(server.output()).contains("transport 'netty'");

            Commands.Result bench = Commands.run(TIMEOUT, Map.of(), httpClientRuntime.resolve("bin/java").toString(),
                    "-m", LAUNCHER, "bench", "--url", base.toString(), "--steps", "20", "--warmup", "0", "--json");
            assertThat(bench.ok()).contains("\"transport\":\"httpclient\"").contains("\"errors\":0");
            assertThat(server.terminate(TIMEOUT)).isZero();
        }
    }

    @Test
    void withoutAServerTransportServeSaysWhichModuleToLink() {
        Commands.Result serve = Commands.run(TIMEOUT, Map.of("PORT", "0"),
                httpClientRuntime.resolve("bin/openenv-server").toString(), "echo");

        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.output()).contains("openenv.transport.netty").contains("--add-modules");
    }
}
