package openenv.transport.netty;

import static openenv.transport.netty.NettyServerTransportTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import openenv.api.ClientBuilder;
import openenv.api.EnvClient;
import openenv.api.EnvServer;
import openenv.api.EnvironmentException;
import openenv.api.GenericEnvClient;
import openenv.api.ResetOptions;
import openenv.api.StepResult;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.ValidationProblem;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.ClientConnection;
import openenv.api.spi.ServerConfig;
import openenv.api.spi.ServerTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The Netty client, over ws:// and http:// URLs, against a real EnvServer on the Netty server transport. */
class NettyClientTest {

    private final EchoEnvironment.Hooks hooks = new EchoEnvironment.Hooks();
    private EnvServer server;

    @AfterEach
    void stop() {
        hooks.open();
        if (server != null) {
            server.close();
        }
    }

    private URI url(String scheme) {
        if (server == null) {
            server = Servers.echo(hooks);
        }
        return URI.create(server.uri().toString().replaceFirst("^http", scheme));
    }

    private static ClientBuilder client(URI url) {
        return EnvClient.builder().url(url).transport("netty").codec("jackson");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "http"})
    void resetStepAndStateReturnTypedResults(String scheme) {
        try (EnvClient<EchoAction, EchoObservation, EchoState> env = client(url(scheme)).build(Servers.ECHO)) {
            StepResult<EchoObservation> reset = env.reset(ResetOptions.none().withEpisodeId("ep-7"));
            StepResult<EchoObservation> step = env.step(new EchoAction("Hello, OpenEnv!"));
            EchoState state = env.state();

            assertThat(reset.observation()).isEqualTo(new EchoObservation("Echo environment ready!", 0));
            assertThat(step.observation()).isEqualTo(new EchoObservation("Hello, OpenEnv!", 15));
            assertThat(step.reward().getAsDouble()).isEqualTo(1.5);
            assertThat(step.done()).isFalse();
            assertThat(state).isEqualTo(new EchoState("ep-7", 1));
            assertThat(env.generic().protocol()).isEqualTo(scheme.equals("ws") ? "websocket" : "http");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "http"})
    void validationErrorIsAnEnvironmentExceptionWithEveryProblemAndTheSessionSurvives(String scheme) {
        try (GenericEnvClient env = client(url(scheme)).buildGeneric()) {
            env.reset();

            assertThatThrownBy(() -> env.step(Map.of("bogus", 1)))
                    .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                        assertThat(e.code()).isEqualTo("VALIDATION_ERROR");
                        assertThat(e.problems()).extracting(ValidationProblem::type)
                                .containsExactlyInAnyOrder("missing", "extra_forbidden");
                    });
            assertThat(env.step(Map.of("message", "still here")).observation())
                    .containsEntry("echoed_message", "still here");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "http"})
    void typedActionViolatingAConstraintIsAValidationError(String scheme) {
        try (EnvClient<EchoAction, EchoObservation, EchoState> env = client(url(scheme)).build(Servers.ECHO)) {
            env.reset();

            assertThatThrownBy(() -> env.step(new EchoAction("")))
                    .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                        assertThat(e.code()).isEqualTo("VALIDATION_ERROR");
                        assertThat(e.problems()).extracting(ValidationProblem::type)
                                .containsExactly("string_too_short");
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "http"})
    void requestTimeoutAgainstASlowEnvironmentThrowsAndTheNextClientWorks(String scheme) {
        URI url = url(scheme);
        try (EnvClient<EchoAction, EchoObservation, EchoState> env = client(url)
                .requestTimeout(Duration.ofMillis(300)).build(Servers.ECHO)) {
            env.reset();

            assertThatThrownBy(() -> env.step(new EchoAction("block")))
                    .isInstanceOf(TransportTimeoutException.class)
                    .hasMessageContaining("300 ms");
        }
        hooks.open();
        try (EnvClient<EchoAction, EchoObservation, EchoState> next = client(url).build(Servers.ECHO)) {
            next.reset();
            assertThat(next.step(new EchoAction("fine")).observation().echoedMessage()).isEqualTo("fine");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "http"})
    void serverStoppedBetweenCallsGivesATransportException(String scheme) {
        try (GenericEnvClient env = client(url(scheme)).buildGeneric()) {
            env.reset();

            server.close();

            assertThatThrownBy(() -> env.step(Map.of("message", "anyone?")))
                    .isInstanceOf(TransportException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "http"})
    void serverStoppedDuringACallGivesATransportExceptionNotAHang(String scheme) throws Exception {
        server = Servers.echo(hooks, b -> b.shutdownGrace(Duration.ofMillis(200)));
        try (GenericEnvClient env = client(url(scheme)).buildGeneric()) {
            env.reset();
            CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> env.step(Map.of("message", "block")));
            await(() -> hooks.blocked.get() == 1, "step running");

            // its own thread: the ws:// client's call blocks a common-pool worker in a socket read, and with
            // 2 cores the common pool has only that one worker (no compensation for plain blocking I/O)
            new Thread(server::close, "test-server-close").start();

            assertThatThrownBy(() -> call.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TransportException.class);
        } finally {
            hooks.open();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "http"})
    void closingTheClientFreesTheServerSession(String scheme) {
        URI url = url(scheme);
        GenericEnvClient env = client(url).buildGeneric();
        env.reset();
        assertThat(server.activeSessions()).isEqualTo(1);

        env.close();
        env.close(); // idempotent

        await(() -> server.activeSessions() == 0, "session freed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "http"})
    void aReplyLargerThanMaxMessageBytesIsATransportException(String scheme) {
        try (GenericEnvClient env = client(url(scheme)).maxMessageBytes(1024).buildGeneric()) {
            env.reset();

            assertThatThrownBy(() -> env.step(Map.of("message", "x".repeat(2000))))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("maxMessageBytes");
        }
    }

    @Test
    void overCapacityTheWebSocketClientGetsCapacityReached() {
        server = Servers.echo(hooks, b -> b.maxSessions(1));
        try (GenericEnvClient first = client(url("ws")).buildGeneric();
             GenericEnvClient second = client(url("ws")).buildGeneric()) {
            first.reset();

            assertThatThrownBy(second::reset).isInstanceOfSatisfying(EnvironmentException.class,
                    e -> assertThat(e.code()).isEqualTo("CAPACITY_REACHED"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "http"})
    void connectionRefusedNamesTheUrlAndSuggestsTheServerIsNotRunning(String scheme) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket()) {
            free.bind(new InetSocketAddress("127.0.0.1", 0));
            port = free.getLocalPort();
        }
        URI url = URI.create(scheme + "://127.0.0.1:" + port);

        assertThatThrownBy(() -> client(url).buildGeneric())
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("may not be running");
    }

    @Test
    void webSocketUpgradeRefusedSaysWhatTheServerAnswered() {
        ServerTransport plain = new NettyServerTransportProvider().start(
                new ServerConfig("127.0.0.1", 0, 4096, Duration.ZERO, 1), new NettyServerTransportTest.EchoHandler());
        try {
            URI url = URI.create("ws://127.0.0.1:" + plain.uri().getPort() + "/other");

            assertThatThrownBy(() -> new NettyClientTransportProvider().connect(url, ClientConfig.defaults(),
                    Servers.codec()))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("refused the WebSocket upgrade");
        } finally {
            plain.shutdown(Duration.ZERO);
        }
    }

    @Test
    void httpClientSendsConfiguredHeadersAndKeepsAPathPrefix() {
        NettyServerTransportTest.EchoHandler handler = new NettyServerTransportTest.EchoHandler();
        ServerTransport plain = new NettyServerTransportProvider().start(
                new ServerConfig("127.0.0.1", 0, 4096, Duration.ZERO, 1), handler);
        try {
            URI url = URI.create(plain.uri() + "/prefix/");
            ClientConfig config = new ClientConfig(Duration.ofSeconds(3), Duration.ofSeconds(3), 1 << 20,
                    Map.of("Authorization", "Bearer t"));
            try (ClientConnection connection = new NettyClientTransportProvider().connect(url, config,
                    Servers.codec())) {
                assertThat(connection.state()).containsEntry("path", "/prefix/state");
            }
            assertThat(handler.requests).allSatisfy(r -> assertThat(r.headers())
                    .containsEntry("authorization", "Bearer t"));
            assertThat(handler.requests.get(0).path()).isEqualTo("/prefix/sessions");
        } finally {
            plain.shutdown(Duration.ZERO);
        }
    }

    @Test
    void httpClientReconnectsWhenTheServerClosedTheIdleConnection() throws Exception {
        // a server that closes each connection right after its reply, without saying so in the reply
        // (as servers with a short keep-alive timeout do to idle connections)
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread serverThread = new Thread(() -> serveOneRequestPerConnection(listener, 4));
            serverThread.setDaemon(true);
            serverThread.start();
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort());
            try (ClientConnection connection = new NettyClientTransportProvider().connect(url,
                    ClientConfig.defaults(), Servers.codec())) {
                assertThat(connection.state()).containsEntry("n", 2L);
                Thread.sleep(300); // idle past 200 ms: the client checks the connection before reusing it
                assertThat(connection.state()).containsEntry("n", 3L);
            }
        }
    }

    @Test
    void httpClientNeverRepeatsAStepThatWasSent() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread serverThread = new Thread(() -> serveOneRequestPerConnection(listener, 3, seen));
            serverThread.setDaemon(true);
            serverThread.start();
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort());
            try (ClientConnection connection = new NettyClientTransportProvider().connect(url,
                    ClientConfig.defaults(), Servers.codec())) {
                Thread.sleep(300); // idle past 200 ms: the client checks the connection before reusing it
                assertThatThrownBy(() -> connection.step(Map.of("message", "drop-me")))
                        .isInstanceOf(TransportException.class);
            }
            await(() -> seen.size() >= 2, "requests seen");
            assertThat(seen).filteredOn(line -> line.startsWith("POST /step")).hasSize(1);
        }
    }

    private static void serveOneRequestPerConnection(ServerSocket listener, int count) {
        serveOneRequestPerConnection(listener, count, new java.util.ArrayList<>());
    }

    /**
     * Answers {@code count} requests, one per connection: 404 to POST /sessions, no reply at all to POST /step
     * (the connection just closes), {"n": i} to the rest. Request lines go to {@code seen}.
     */
    private static void serveOneRequestPerConnection(ServerSocket listener, int count, java.util.List<String> seen) {
        for (int i = 1; i <= count; i++) {
            try (java.net.Socket socket = listener.accept()) {
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
                String requestLine = in.readLine();
                int length = 0;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.skip(length);
                seen.add(requestLine);
                if (requestLine.startsWith("POST /step")) {
                    continue;
                }
                String body = requestLine.startsWith("POST /sessions") ? "{\"detail\":\"Not Found\"}"
                        : "{\"n\":" + i + "}";
                String status = requestLine.startsWith("POST /sessions") ? "404 Not Found" : "200 OK";
                socket.getOutputStream().write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Test
    void webSocketUrlIsBaseSlashWsKeepingAPrefix() {
        assertThat(DirectWebSocketConnection.webSocketUri(URI.create("ws://h:1"))).hasToString("ws://h:1/ws");
        assertThat(DirectWebSocketConnection.webSocketUri(URI.create("ws://h:1/"))).hasToString("ws://h:1/ws");
        assertThat(DirectWebSocketConnection.webSocketUri(URI.create("WSS://h/env/a/")))
                .hasToString("wss://h/env/a/ws");
        assertThat(DirectWebSocketConnection.webSocketUri(URI.create("ws://h:1/env/ws"))).hasToString("ws://h:1/env/ws");
        assertThat(DirectWebSocketConnection.webSocketUri(URI.create("ws://h:1/p?token=x")))
                .hasToString("ws://h:1/p/ws?token=x");
    }
}
