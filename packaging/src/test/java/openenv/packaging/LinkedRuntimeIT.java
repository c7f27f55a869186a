package openenv.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import openenv.api.GenericEnvClient;
import openenv.api.OpenEnvException;
import openenv.api.StepResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The linked runtime (target/runtime, made by bin/link-runtime in the package phase) as a user runs it:
 * {@code bin/openenv-server <env>} in its own process, nothing from the build on its module path.
 */
@Tag("slow")
class LinkedRuntimeIT {

    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(15);

    private static ServerProcess serve(String env, Map<String, String> vars) {
        Path launcher = ServerProcess.runtime().resolve("bin/openenv-server");
        return ServerProcess.start(List.of(launcher.toString(), env), vars);
    }

    @Test
    void echoServesHttpAndWebSocketAndStopsOnSigtermWithExitCodeZero() throws Exception {
        try (ServerProcess server = serve("echo", Map.of("PORT", "0"))) {
            URI base = server.awaitHealthy(START);
            assertThat(ServerProcess.get(base, "/health").body()).contains("healthy");

            // HTTP routes: the default session
            assertThat(ServerProcess.post(base, "/reset", "{}").body()).contains("Echo environment ready!");
            HttpResponse<String> step = ServerProcess.post(base, "/step", "{\"action\":{\"message\":\"hi\"}}");
            assertThat(step.statusCode()).isEqualTo(200);
            assertThat(step.body()).contains("\"echoed_message\":\"hi\"").contains("\"reward\":0.2");
            assertThat(ServerProcess.get(base, "/state").body()).contains("\"step_count\":1");

            // WebSocket session protocol, through the openenv client (netty transport, json codec)
            try (GenericEnvClient ws = GenericEnvClient.connect("ws://" + base.getAuthority())) {
                ws.reset();
                StepResult<Map<String, Object>> r = ws.step(Map.of("message", "Hello, OpenEnv!"));
                assertThat(r.observation()).containsEntry("echoed_message", "Hello, OpenEnv!");
                assertThat(r.reward()).hasValue(1.5);
                assertThat(ws.state()).containsEntry("step_count", 1L);
            }

            assertThat(server.terminate(STOP)).as("exit code after SIGTERM; output:\n%s", server.output()).isZero();
            assertPortIsFree(base.getPort());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gridworld, GridAction", "connect4, ConnectFourAction"})
    void everyBundledEnvironmentServesFromTheSameRuntime(String env, String actionTitle) throws Exception {
        try (ServerProcess server = serve(env, Map.of("PORT", "0"))) {
            URI base = server.awaitHealthy(START);
            assertThat(ServerProcess.get(base, "/schema").body()).contains("\"title\":\"" + actionTitle + "\"");
            assertThat(ServerProcess.post(base, "/reset", "{}").statusCode()).isEqualTo(200);
            assertThat(server.terminate(STOP)).isZero();
        }
    }

    @Test
    void maxConcurrentEnvsLimitsTheSessions() throws Exception {
        try (ServerProcess server = serve("echo", Map.of("PORT", "0", "MAX_CONCURRENT_ENVS", "1"))) {
            URI base = server.awaitHealthy(START);
            String ws = "ws://" + base.getAuthority();
            try (GenericEnvClient first = GenericEnvClient.connect(ws)) {
                first.reset();
                assertThatThrownBy(() -> {
                    try (GenericEnvClient second = GenericEnvClient.connect(ws)) {
                        second.reset();
                    }
                }).isInstanceOf(OpenEnvException.class).hasMessageContaining("CAPACITY");
            }
            assertThat(server.terminate(STOP)).isZero();
        }
    }

    @Test
    void theStartupCacheTheBuildMadeIsValid() throws Exception {
        Path lib = ServerProcess.runtime().resolve("lib/openenv");
        // Refuse to start rather than silently ignore a cache that does not match the runtime.
        String strict;
        if (Files.exists(lib.resolve("server.aot"))) {
            strict = "-XX:AOTMode=on";
        } else if (Files.exists(lib.resolve("server.jsa"))) {
            strict = "-Xshare:on";
        } else {
            throw new AssertionError("link-runtime made neither lib/openenv/server.aot nor server.jsa");
        }
        try (ServerProcess server = serve("echo", Map.of("PORT", "0", "JAVA_OPTS", strict))) {
            server.awaitHealthy(START);
            assertThat(server.terminate(STOP)).isZero();
        }
    }

    static void assertPortIsFree(int port) throws Exception {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
