package openenv.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import openenv.api.ClientBuilder;
import openenv.api.EnvClient;
import openenv.api.EnvironmentException;
import openenv.api.GenericEnvClient;
import openenv.api.ResetOptions;
import openenv.api.StepResult;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.ValidationProblem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport against a scripted JDK HttpServer: what goes on the wire, and how failures surface. */
class HttpClientConnectionTest {

    private FakeServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = FakeServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static ClientBuilder client(URI uri) {
        return EnvClient.builder().url(uri).transport("httpclient");
    }

    private GenericEnvClient connect() {
        return client(server.uri()).buildGeneric();
    }

    @Test
    void resetStepAndStateSendTheProtocolsPathsAndBodies() {
        try (GenericEnvClient env = connect()) {
            env.reset(ResetOptions.seeded(7).withEpisodeId("ep-42"));
            StepResult<Map<String, Object>> result = env.step(Map.of("message", "hi"));
            Map<String, Object> state = env.state();

            assertThat(result.observation()).containsEntry("echoed_message", "hi").containsEntry("message_length", 2L);
            assertThat(result.reward()).hasValue(0.2);
            assertThat(result.done()).isFalse();
            assertThat(state).containsEntry("episode_id", "ep-1").containsEntry("step_count", 1L);
            assertThat(env.protocol()).isEqualTo("http");
        }
        List<FakeServer.Request> calls = server.requests().stream()
                .filter(r -> !r.path().equals("/sessions")).toList();
        assertThat(calls).extracting(FakeServer.Request::method, FakeServer.Request::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/reset"),
                        org.assertj.core.groups.Tuple.tuple("POST", "/step"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/state"));
        assertThat(calls.get(0).body()).isEqualTo("{\"seed\":7,\"episode_id\":\"ep-42\"}");
        assertThat(calls.get(1).body()).isEqualTo("{\"action\":{\"message\":\"hi\"}}");
        assertThat(calls.get(2).body()).isEmpty();
        assertThat(calls.get(0).header("Content-Type")).startsWith("application/json");
        assertThat(calls.get(1).header("Content-Type")).startsWith("application/json");
        assertThat(calls).allSatisfy(r -> assertThat(r.header("Accept")).isEqualTo("application/json"));
    }

    @Test
    void aResetWithoutOptionsSendsAnEmptyObject() {
        try (GenericEnvClient env = connect()) {
            env.reset();
        }
        assertThat(server.requests()).filteredOn(r -> r.path().equals("/reset"))
                .singleElement().extracting(FakeServer.Request::body).isEqualTo("{}");
    }

    @Test
    void usesAStatefulSessionWhenTheServerOffersOne() {
        server.offerSessions("s-1");

        try (GenericEnvClient env = connect()) {
            env.reset();
            env.step(Map.of("message", "hi"));
            env.state();
        }

        List<FakeServer.Request> requests = server.requests();
        assertThat(requests.get(0).method()).isEqualTo("POST");
        assertThat(requests.get(0).path()).isEqualTo("/sessions");
        assertThat(requests.subList(1, 4)).extracting(FakeServer.Request::path)
                .containsExactly("/reset", "/step", "/state");
        assertThat(requests.subList(1, 4))
                .allSatisfy(r -> assertThat(r.header("X-OpenEnv-Session")).isEqualTo("s-1"));
        assertThat(requests.get(4).method()).isEqualTo("DELETE");
        assertThat(requests.get(4).path()).isEqualTo("/sessions/s-1");
        assertThat(requests).hasSize(5);
    }

    @Test
    void fallsBackToTheDefaultSessionWhenSessionsAnswer404LikeAPythonServer() {
        try (GenericEnvClient env = connect()) {
            env.reset();
            env.step(Map.of("message", "hi"));
        }

        assertThat(server.count("POST", "/sessions")).isEqualTo(1);
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.header("X-OpenEnv-Session")).isNull());
        assertThat(server.requests()).noneMatch(r -> r.method().equals("DELETE"));
    }

    @Test
    void validationErrorCarriesEveryProblemAndKeepsTheSessionUsable() {
        server.reply("POST", "/step", 422, "{\"detail\":["
                + "{\"type\":\"missing\",\"loc\":[\"message\"],\"msg\":\"Field required\",\"input\":{\"bogus\":1}},"
                + "{\"type\":\"extra_forbidden\",\"loc\":[\"bogus\"],\"msg\":\"Extra inputs are not permitted\","
                + "\"input\":1}]}");

        try (GenericEnvClient env = connect()) {
            assertThatThrownBy(() -> env.step(Map.of("bogus", 1)))
                    .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                        assertThat(e.code()).isEqualTo("VALIDATION_ERROR");
                        assertThat(e.problems()).extracting(ValidationProblem::type)
                                .containsExactly("missing", "extra_forbidden");
                        assertThat(e.problems()).extracting(ValidationProblem::loc)
                                .containsExactly(List.of("message"), List.of("bogus"));
                    });

            assertThat(env.state()).containsEntry("step_count", 1L);
        }
    }

    @Test
    void executionErrorKeepsItsCodeAndDetail() {
        server.reply("POST", "/step", 500, "{\"detail\":\"boom: the environment threw\",\"code\":\"EXECUTION_ERROR\"}");

        try (GenericEnvClient env = connect()) {
            assertThatThrownBy(() -> env.step(Map.of("message", "hi")))
                    .isInstanceOfSatisfying(EnvironmentException.class,
                            e -> assertThat(e.code()).isEqualTo("EXECUTION_ERROR"))
                    .hasMessageContaining("boom: the environment threw");
        }
    }

    @Test
    void capacityReachedWhenTheServerAnswers503() {
        server.reply("POST", "/sessions", 503, "{\"detail\":\"all 4 session slots are in use\","
                + "\"code\":\"CAPACITY_REACHED\"}");

        assertThatThrownBy(this::connect)
                .isInstanceOfSatisfying(EnvironmentException.class,
                        e -> assertThat(e.code()).isEqualTo("CAPACITY_REACHED"))
                .hasMessageContaining("session slots");
    }

    @Test
    void a503WithoutACodeStillMeansCapacityReached() {
        server.reply("POST", "/reset", 503, "{\"detail\":\"Service Unavailable\"}");

        try (GenericEnvClient env = connect()) {
            assertThatThrownBy(env::reset).isInstanceOfSatisfying(EnvironmentException.class,
                    e -> assertThat(e.code()).isEqualTo("CAPACITY_REACHED"));
        }
    }

    @Test
    void aSlowReplyTimesOutClosesTheConnectionAndIsNotResent() throws InterruptedException {
        CountDownLatch released = new CountDownLatch(1);
        server.on("POST", "/step", (exchange, request) -> {
            try {
                released.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            FakeServer.send(exchange, 200, FakeServer.ENVELOPE);
        });

        try (GenericEnvClient env = client(server.uri()).requestTimeout(Duration.ofMillis(300)).buildGeneric()) {
            env.reset();
            long start = System.nanoTime();
            assertThatThrownBy(() -> env.step(Map.of("message", "hi")))
                    .isInstanceOf(TransportTimeoutException.class)
                    .hasMessageContaining("/step")
                    .hasMessageContaining("300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));

            assertThatThrownBy(env::state).isInstanceOf(TransportException.class)
                    .hasMessageContaining("closed after an earlier failure");
        } finally {
            released.countDown();
        }
        Thread.sleep(200);
        assertThat(server.count("POST", "/step")).isEqualTo(1);
        assertThat(server.count("GET", "/state")).isZero();
    }

    @Test
    void aDroppedConnectionDuringAStepIsReportedAndTheStepIsNotResent() throws InterruptedException {
        server.on("POST", "/step", (exchange, request) -> {
            throw new IOException("simulated crash: the connection is dropped without a reply");
        });

        try (GenericEnvClient env = connect()) {
            env.reset();
            assertThatThrownBy(() -> env.step(Map.of("message", "hi")))
                    .isInstanceOf(TransportException.class)
                    .isNotInstanceOf(TransportTimeoutException.class)
                    .hasMessageContaining("POST /step")
                    .hasMessageContaining("not retried");
        }
        Thread.sleep(200);
        assertThat(server.count("POST", "/step")).isEqualTo(1);
    }

    @Test
    void aStateReadDroppedWithoutReplyIsRetriedOnceOnAFreshConnection() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        server.on("GET", "/state", (exchange, request) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("simulated: the server dropped an idle keep-alive connection");
            }
            FakeServer.send(exchange, 200, FakeServer.STATE);
        });

        try (GenericEnvClient env = connect()) {
            assertThat(env.state()).containsEntry("episode_id", "ep-1");
        }
        assertThat(server.count("GET", "/state")).isEqualTo(2);
    }

    @Test
    void aStateReadDroppedTwiceFailsAfterOneRetry() {
        server.on("GET", "/state", (exchange, request) -> {
            throw new IOException("simulated: dropped again");
        });

        try (GenericEnvClient env = connect()) {
            assertThatThrownBy(env::state).isInstanceOf(TransportException.class)
                    .hasMessageContaining("GET /state");
        }
        assertThat(server.count("GET", "/state")).isEqualTo(2);
    }

    @Test
    void theRetryStrategyNeverRetriesAPostATimeoutOrAStatus() {
        var retry = new HttpClientConnection.StaleConnectionRetry();
        var context = org.apache.hc.core5.http.protocol.HttpCoreContext.create();
        var post = new org.apache.hc.core5.http.message.BasicHttpRequest("POST", "/step");
        var get = new org.apache.hc.core5.http.message.BasicHttpRequest("GET", "/state");
        var dropped = new org.apache.hc.core5.http.NoHttpResponseException("dropped");
        var reset = new java.net.SocketException("Connection reset");

        assertThat(retry.retryRequest(post, dropped, 1, context)).isFalse();
        assertThat(retry.retryRequest(post, reset, 1, context)).isFalse();
        assertThat(retry.retryRequest(get, new java.net.SocketTimeoutException("Read timed out"), 1, context))
                .isFalse();
        assertThat(retry.retryRequest(get, new java.net.ConnectException("Connection refused"), 1, context))
                .isFalse();
        assertThat(retry.retryRequest(get, dropped, 1, context)).isTrue();
        assertThat(retry.retryRequest(get, reset, 1, context)).isTrue();
        assertThat(retry.retryRequest(get, dropped, 2, context)).isFalse();
        assertThat(retry.retryRequest(new org.apache.hc.core5.http.message.BasicHttpResponse(503), 1, context))
                .isFalse();
    }

    @Test
    void connectionRefusedNamesTheUrlAndSuggestsTheServerIsDown() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + port);

        assertThatThrownBy(() -> client(nobody).buildGeneric())
                .isInstanceOf(TransportException.class)
                .isNotInstanceOf(TransportTimeoutException.class)
                .hasMessageContaining(nobody.toString())
                .hasMessageContaining("may be down");
    }

    @Test
    void aReplyOverMaxMessageBytesIsRefused() {
        String big = "{\"observation\":{\"echoed_message\":\"" + "x".repeat(5000) + "\"},\"done\":false}";
        server.reply("POST", "/step", 200, big);

        try (GenericEnvClient env = client(server.uri()).maxMessageBytes(4096).buildGeneric()) {
            assertThatThrownBy(() -> env.step(Map.of("message", "hi")))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("4096")
                    .hasMessageContaining("maxMessageBytes");
        }
    }

    @Test
    void aChunkedReplyOverMaxMessageBytesIsRefusedToo() {
        String big = "{\"observation\":{\"echoed_message\":\"" + "x".repeat(5000) + "\"},\"done\":false}";
        server.on("POST", "/step", (exchange, request) -> {
            exchange.sendResponseHeaders(200, 0); // 0 = chunked, no Content-Length
            try (var out = exchange.getResponseBody()) {
                out.write(big.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        });

        try (GenericEnvClient env = client(server.uri()).maxMessageBytes(4096).buildGeneric()) {
            assertThatThrownBy(() -> env.step(Map.of("message", "hi")))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("more than 4096 bytes");
        }
    }

    @Test
    void aReplyOfExactlyMaxMessageBytesIsAccepted() {
        String body = "{\"observation\":{\"echoed_message\":\"\"},\"done\":false}";
        server.reply("POST", "/step", 200, body);

        try (GenericEnvClient env = client(server.uri()).maxMessageBytes(body.length()).buildGeneric()) {
            assertThat(env.step(Map.of("message", "hi")).observation()).containsEntry("echoed_message", "");
        }
    }

    @Test
    void extraHeadersGoWithEveryRequest() {
        server.offerSessions("s-2");

        try (GenericEnvClient env = client(server.uri()).header("Authorization", "Bearer t0k3n")
                .header("X-Trace", "abc").buildGeneric()) {
            env.reset();
            env.step(Map.of("message", "hi"));
            env.state();
        }

        assertThat(server.requests()).hasSize(5).allSatisfy(r -> {
            assertThat(r.header("Authorization")).isEqualTo("Bearer t0k3n");
            assertThat(r.header("X-Trace")).isEqualTo("abc");
        });
    }

    @Test
    void theBaseUrlsPathPrefixIsKept() throws IOException {
        try (FakeServer prefixed = FakeServer.startWithPrefix("/env/echo")) {
            prefixed.offerSessions("s-3");
            for (URI uri : List.of(prefixed.uri(), URI.create(prefixed.uri() + "/"))) {
                try (GenericEnvClient env = client(uri).buildGeneric()) {
                    env.reset();
                    env.step(Map.of("message", "hi"));
                }
            }
            assertThat(prefixed.requests()).extracting(FakeServer.Request::path)
                    .containsExactly("/sessions", "/reset", "/step", "/sessions/s-3",
                            "/sessions", "/reset", "/step", "/sessions/s-3");
        }
    }

    @Test
    void callsOfOneSessionReuseOneKeptAliveConnection() {
        server.offerSessions("s-4");

        try (GenericEnvClient env = connect()) {
            env.reset();
            for (int i = 0; i < 5; i++) {
                env.step(Map.of("message", "hi"));
            }
            env.state();
        }

        assertThat(server.requests()).hasSize(9)
                .extracting(FakeServer.Request::clientPort).containsOnly(server.requests().get(0).clientPort());
    }

    @Test
    void aReplyThatIsNotJsonIsATransportError() {
        server.on("POST", "/step", (exchange, request) -> {
            byte[] html = "<html>Bad Gateway</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            try (var out = exchange.getResponseBody()) {
                out.write(html);
            }
        });

        try (GenericEnvClient env = connect()) {
            assertThatThrownBy(() -> env.step(Map.of("message", "hi")))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("not JSON");
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        server.offerSessions("s-5");
        GenericEnvClient env = connect();
        env.reset();

        env.close();
        env.close();

        assertThatThrownBy(() -> env.step(Map.of("message", "hi"))).isInstanceOf(TransportException.class)
                .hasMessageContaining("closed");
        assertThat(server.count("DELETE", "/sessions/s-5")).isEqualTo(1);
        assertThat(server.count("POST", "/step")).isZero();
    }
}
