package openenv.transport.netty;

import static openenv.transport.netty.NettyServerTransportTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import openenv.api.EnvServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real EnvServer on the Netty transport, driven with literal bytes over plain sockets (PROTOCOL.md §1, §2). */
class EnvServerOverNettyTest {

    private static final String STATE = "\\{\"episode_id\":\"[0-9a-f-]{36}\",\"step_count\":%d}";

    private final EchoEnvironment.Hooks hooks = new EchoEnvironment.Hooks();
    private EnvServer server;

    private URI start() {
        server = Servers.echo(hooks);
        return server.uri();
    }

    @AfterEach
    void stop() {
        hooks.open();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthIsExactlyHealthy() throws IOException {
        try (RawHttp http = new RawHttp(start())) {
            RawHttp.Reply reply = http.exchange("GET", "/health", null);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("content-type")).isEqualTo("application/json");
            assertThat(reply.text()).isEqualTo("{\"status\":\"healthy\"}");
        }
    }

    @Test
    void httpResetStepStateAnswerTheReferenceBytes() throws IOException {
        try (RawHttp http = new RawHttp(start())) {
            assertThat(http.exchange("POST", "/reset", "{}").text()).isEqualTo(
                    "{\"observation\":{\"echoed_message\":\"Echo environment ready!\",\"message_length\":0},"
                            + "\"reward\":0.0,\"done\":false}");
            assertThat(http.exchange("POST", "/step", "{\"action\":{\"message\":\"Hello, OpenEnv!\"}}").text())
                    .isEqualTo("{\"observation\":{\"echoed_message\":\"Hello, OpenEnv!\",\"message_length\":15},"
                            + "\"reward\":1.5,\"done\":false}");
            assertThat(http.exchange("POST", "/step", "{\"action\":{\"message\":\"abc\"}}").text())
                    .contains("\"reward\":0.30000000000000004");
            assertThat(http.exchange("GET", "/state", null).text()).matches(String.format(STATE, 2));
        }
    }

    @Test
    void wrongMethodIs405WithAllow() throws IOException {
        try (RawHttp http = new RawHttp(start())) {
            RawHttp.Reply getStep = http.exchange("GET", "/step", null);
            RawHttp.Reply postHealth = http.exchange("POST", "/health", "{}");

            assertThat(getStep.status()).isEqualTo(405);
            assertThat(getStep.header("allow")).isEqualTo("POST");
            assertThat(getStep.text()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
            assertThat(postHealth.status()).isEqualTo(405);
            assertThat(postHealth.header("allow")).isEqualTo("GET");
        }
    }

    @Test
    void unknownPathIs404NotFound() throws IOException {
        try (RawHttp http = new RawHttp(start())) {
            RawHttp.Reply reply = http.exchange("GET", "/nope?x=1", null);

            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.text()).isEqualTo("{\"detail\":\"Not Found\"}");
        }
    }

    @Test
    void bodyOverTheLimitIs413AndTheServerKeepsServing() throws IOException {
        server = Servers.echo(hooks, b -> b.maxBodyBytes(2048));
        String big = "{\"action\":{\"message\":\"" + "x".repeat(3000) + "\"}}";
        try (RawHttp http = new RawHttp(server.uri())) {
            RawHttp.Reply reply = http.exchange("POST", "/step", big);

            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.header("content-type")).isEqualTo("application/json");
            assertThat(reply.text()).isEqualTo("{\"detail\":\"Request body too large: limit is 2048 bytes\"}");
        }
        try (RawHttp http = new RawHttp(server.uri())) {
            assertThat(http.exchange("POST", "/reset", "{}").status()).isEqualTo(200);
            assertThat(http.exchange("POST", "/step", "{\"action\":{\"message\":\"ok\"}}").status()).isEqualTo(200);
        }
    }

    @Test
    void malformedJsonIs422JsonInvalid() throws IOException {
        try (RawHttp http = new RawHttp(start())) {
            RawHttp.Reply reply = http.exchange("POST", "/step", "{bad");

            assertThat(reply.status()).isEqualTo(422);
            assertThat(reply.text()).startsWith(
                    "{\"detail\":[{\"type\":\"json_invalid\",\"loc\":[\"body\",1],\"msg\":\"JSON decode error\"");
        }
    }

    @Test
    void garbageOnOneSocketDoesNotHurtAGoodRequestAfterIt() throws IOException {
        URI uri = start();
        try (RawHttp garbage = new RawHttp(uri)) {
            garbage.write(new byte[] {(byte) 0x16, 3, 1, 0, (byte) 0xA5, 1, 0, 0, 0, '\r', '\n', '\r', '\n'});
            assertThat(garbage.closedByServer() || garbage.read().status() == 400).isTrue();
        } catch (IOException closedFirst) {
            // the server may close before we read: also fine
        }
        try (RawHttp http = new RawHttp(uri)) {
            assertThat(http.exchange("GET", "/health", null).text()).isEqualTo("{\"status\":\"healthy\"}");
        }
    }

    @Test
    void webSocketExchangeMatchesTheReferenceByteForByte() throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(start(), "/ws")) {
            assertThat(ws.text("{\"type\":\"reset\",\"data\":{}}").readText()).isEqualTo(
                    "{\"type\":\"observation\",\"data\":{\"observation\":{\"echoed_message\":\"Echo environment ready!\","
                            + "\"message_length\":0},\"reward\":0.0,\"done\":false}}");
            assertThat(ws.text("{\"type\":\"step\",\"data\":{\"message\":\"Hello, OpenEnv!\"}}").readText()).isEqualTo(
                    "{\"type\":\"observation\",\"data\":{\"observation\":{\"echoed_message\":\"Hello, OpenEnv!\","
                            + "\"message_length\":15},\"reward\":1.5,\"done\":false}}");
            assertThat(ws.text("{\"type\":\"state\"}").readText())
                    .matches("\\{\"type\":\"state\",\"data\":" + String.format(STATE, 1) + "}");
            assertThat(ws.text("{bad").readText())
                    .startsWith("{\"type\":\"error\",\"data\":{\"message\":\"Invalid JSON: ")
                    .endsWith("\"code\":\"INVALID_JSON\"}}");
            assertThat(ws.text("{\"type\":\"frob\"}").readText()).isEqualTo(
                    "{\"type\":\"error\",\"data\":{\"message\":\"Unknown message type: frob\",\"code\":\"UNKNOWN_TYPE\"}}");
            assertThat(ws.text("{\"type\":\"step\",\"data\":{\"bogus\":1}}").readText())
                    .startsWith("{\"type\":\"error\",\"data\":{\"message\":\"Invalid message\",\"code\":\"VALIDATION_ERROR\","
                            + "\"errors\":[{\"type\":\"missing\",\"loc\":[\"message\"],")
                    .contains("{\"type\":\"extra_forbidden\",\"loc\":[\"bogus\"],");
            // errors did not count as steps
            assertThat(ws.text("{\"type\":\"state\"}").readText()).contains("\"step_count\":1");
        }
    }

    @Test
    void closeMessageEndsTheSessionWith1000() throws IOException {
        URI uri = start();
        try (RawWebSocket ws = RawWebSocket.connect(uri, "/ws")) {
            ws.text("{\"type\":\"reset\"}").readText();
            assertThat(server.activeSessions()).isEqualTo(1);

            ws.text("{\"type\":\"close\"}");

            assertThat(ws.readClose()).isEqualTo(1000);
        }
        await(() -> server.activeSessions() == 0, "session freed");
    }

    @Test
    void secondConnectionOverCapacityGetsCapacityReachedThenClose1000() throws IOException {
        server = Servers.echo(hooks, b -> b.maxSessions(1));
        try (RawWebSocket first = RawWebSocket.connect(server.uri(), "/ws");
             RawWebSocket second = RawWebSocket.connect(server.uri(), "/ws")) {
            String error = second.readText();

            assertThat(error).startsWith("{\"type\":\"error\",\"data\":{\"message\":\"")
                    .contains("\"code\":\"CAPACITY_REACHED\"")
                    .contains("\"active_sessions\":1")
                    .contains("\"max_sessions\":1");
            assertThat(second.readClose()).isEqualTo(1000);
            assertThat(first.text("{\"type\":\"reset\"}").readText()).startsWith("{\"type\":\"observation\"");
        }
    }

    @Test
    void aClientThatDisconnectsFreesItsSession() throws IOException {
        URI uri = start();
        RawWebSocket ws = RawWebSocket.connect(uri, "/ws");
        ws.text("{\"type\":\"reset\"}").readText();
        assertThat(server.activeSessions()).isEqualTo(1);

        ws.close(); // no close frame, no close message: the TCP connection just goes away

        await(() -> server.activeSessions() == 0, "session freed");
        await(() -> hooks.closed.get() >= 1, "environment closed");
    }

    @Test
    void aSlowSessionDoesNotDelayAnother() throws Exception {
        URI uri = start();
        try (RawWebSocket slow = RawWebSocket.connect(uri, "/ws"); RawWebSocket quick = RawWebSocket.connect(uri, "/ws")) {
            slow.text("{\"type\":\"reset\"}").readText();
            slow.text("{\"type\":\"step\",\"data\":{\"message\":\"block\"}}");
            await(() -> hooks.blocked.get() == 1, "slow step running");

            // the slow session's step is still blocked while the quick one is served
            assertThat(quick.text("{\"type\":\"reset\"}").readText()).startsWith("{\"type\":\"observation\"");
            assertThat(quick.text("{\"type\":\"step\",\"data\":{\"message\":\"hi\"}}").readText())
                    .contains("\"echoed_message\":\"hi\"");
            assertThat(hooks.gate.getCount()).isEqualTo(1);

            hooks.open();
            assertThat(slow.readText()).contains("\"echoed_message\":\"block\"");
        }
    }

    @Test
    void fiftyConcurrentSessionsStayIsolated() throws Exception {
        URI uri = start();
        int sessions = 50;
        int steps = 10;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                int id = s;
                results.add(pool.submit(() -> {
                    try (RawWebSocket ws = RawWebSocket.connect(uri, "/ws")) {
                        ws.text("{\"type\":\"reset\",\"data\":{\"episode_id\":\"ep-" + id + "\"}}").readText();
                        for (int i = 1; i <= steps; i++) {
                            String message = "s" + id + "-" + i;
                            String reply = ws.text("{\"type\":\"step\",\"data\":{\"message\":\"" + message + "\"}}")
                                    .readText();
                            if (!reply.contains("\"echoed_message\":\"" + message + "\"")) {
                                return "session " + id + " got " + reply;
                            }
                        }
                        return ws.text("{\"type\":\"state\"}").readText();
                    }
                }));
            }
            for (int s = 0; s < sessions; s++) {
                assertThat(results.get(s).get(60, TimeUnit.SECONDS)).isEqualTo(
                        "{\"type\":\"state\",\"data\":{\"episode_id\":\"ep-" + s + "\",\"step_count\":" + steps + "}}");
            }
        } finally {
            pool.shutdownNow();
        }
        await(() -> server.activeSessions() == 0, "all sessions freed");
    }

    @Test
    void gracefulShutdownClosesEveryEnvironmentAndReleasesThePort() throws IOException {
        URI uri = start();
        int port = uri.getPort();
        List<RawWebSocket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawWebSocket ws = RawWebSocket.connect(uri, "/ws");
                ws.text("{\"type\":\"reset\"}").readText();
                clients.add(ws);
            }
            try (RawHttp http = new RawHttp(uri)) {
                http.exchange("POST", "/reset", "{}");
            }
            assertThat(server.activeSessions()).isEqualTo(3);

            server.close();

            for (RawWebSocket ws : clients) {
                assertThat(ws.readClose()).isEqualTo(1001);
            }
        } finally {
            for (RawWebSocket ws : clients) {
                ws.close();
            }
        }
        await(() -> hooks.closed.get() == hooks.created.get(), "every environment closed");
        assertThat(hooks.created.get()).isEqualTo(4); // default HTTP session + three WebSocket sessions
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
        server.close(); // idempotent
    }

    @Test
    void deadPeersAreDroppedByPingTimeoutAndFreeTheirSession() throws IOException {
        server = Servers.echo(hooks, b -> b.pingInterval(java.time.Duration.ofMillis(300)));
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            ws.text("{\"type\":\"reset\"}");
            // read the reply but never answer the pings: the peer looks dead
            assertThat(ws.next().opcode()).isIn(RawWebSocket.TEXT, RawWebSocket.PING);
            await(() -> server.activeSessions() == 0, "session freed by ping timeout");
        }
    }
}
