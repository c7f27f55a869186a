package openenv.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import openenv.api.TransportException;
import openenv.api.spi.HttpRequest;
import openenv.api.spi.HttpResponse;
import openenv.api.spi.JsonStrings;
import openenv.api.spi.ProtocolHandler;
import openenv.api.spi.ServerConfig;
import openenv.api.spi.ServerTransport;
import openenv.api.spi.WebSocketPeer;
import openenv.api.spi.WebSocketSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server transport against a small hand-written protocol handler: framing, ordering, limits, lifecycle. */
class NettyServerTransportTest {

    /**
     * Answers {@code {"method","path","body","query_header"}}; {@code /slow/<ms>} answers after that many
     * milliseconds from another thread; {@code .../sessions} is 404 as on a Python server; {@code /ws} echoes WebSocket messages as {@code echo:<text>}.
     */
    static final class EchoHandler implements ProtocolHandler {
        final List<HttpRequest> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<WebSocketPeer> peers = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<HttpResponse> handle(HttpRequest request) {
            requests.add(request);
            String body = "{\"method\":" + JsonStrings.quote(request.method()) + ",\"path\":"
                    + JsonStrings.quote(request.path()) + ",\"body\":"
                    + JsonStrings.quote(new String(request.body(), StandardCharsets.UTF_8)) + "}";
            HttpResponse response = HttpResponse.json(200, body.getBytes(StandardCharsets.UTF_8));
            if (request.path().startsWith("/slow/")) {
                long millis = Long.parseLong(request.path().substring("/slow/".length()));
                Executor later = CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS);
                return CompletableFuture.supplyAsync(() -> response, later);
            }
            if (request.path().endsWith("/sessions")) { // like a Python server: no HTTP sessions
                return CompletableFuture.completedFuture(HttpResponse.detail(404, "Not Found"));
            }
            if (request.path().equals("/allow")) {
                return CompletableFuture.completedFuture(new HttpResponse(405, HttpResponse.JSON,
                        Map.of("Allow", "POST"), "{\"detail\":\"Method Not Allowed\"}".getBytes(StandardCharsets.UTF_8)));
            }
            return CompletableFuture.completedFuture(response);
        }

        @Override
        public boolean acceptsWebSocket(String path) {
            return path.equals("/ws");
        }

        @Override
        public WebSocketSession openWebSocket(WebSocketPeer peer) {
            opened.incrementAndGet();
            peers.add(peer);
            return new WebSocketSession() {
                @Override
                public void onText(byte[] utf8) {
                    String text = new String(utf8, StandardCharsets.UTF_8);
                    if (text.equals("close-me")) {
                        peer.close(1000, "bye");
                        return;
                    }
                    peer.sendText(("echo:" + text).getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void onClose() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    private final EchoHandler handler = new EchoHandler();
    private final List<ServerTransport> servers = new ArrayList<>();

    private ServerTransport start(int maxBodyBytes, Duration ping) {
        ServerTransport server = new NettyServerTransportProvider().start(
                new ServerConfig("127.0.0.1", 0, maxBodyBytes, ping, 0), handler);
        servers.add(server);
        return server;
    }

    private ServerTransport start() {
        return start(2048, Duration.ZERO);
    }

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.shutdown(Duration.ofSeconds(1)));
    }

    @Test
    void reportsTheBoundPortWhenAnyFreePortWasAsked() {
        ServerTransport server = start();

        assertThat(server.uri().getScheme()).isEqualTo("http");
        assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
        assertThat(server.uri().getPort()).isPositive();
    }

    @Test
    void reportsTheWildcardAddressLiterally() {
        ServerTransport server = new NettyServerTransportProvider().start(
                new ServerConfig("0.0.0.0", 0, 2048, Duration.ZERO, 1), handler);
        servers.add(server);

        assertThat(server.uri().toString()).startsWith("http://0.0.0.0:");
    }

    @Test
    void handsTheHandlerTheDecodedPathLowerCasedHeadersAndTheBody() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            RawHttp.Reply reply = http.send("POST", "/a%20b/c?x=1&y=2", "{\"k\":1}", Map.of("X-Custom-Thing", "V"))
                    .read();

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("content-type")).isEqualTo("application/json");
            assertThat(reply.header("content-length")).isEqualTo(String.valueOf(reply.body().length));
        }
        HttpRequest seen = handler.requests.get(0);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/a b/c");
        assertThat(seen.headers()).containsEntry("x-custom-thing", "V").containsKey("content-length");
        assertThat(new String(seen.body(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":1}");
    }

    @Test
    void writesTheHandlersExtraHeaders() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            RawHttp.Reply reply = http.exchange("GET", "/allow", null);

            assertThat(reply.status()).isEqualTo(405);
            assertThat(reply.header("allow")).isEqualTo("POST");
            assertThat(reply.text()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
        }
    }

    @Test
    void keepsTheConnectionOpenAcrossRequests() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            for (int i = 0; i < 5; i++) {
                assertThat(http.exchange("GET", "/n" + i, null).text()).contains("\"/n" + i + "\"");
            }
        }
    }

    @Test
    void answersPipelinedRequestsInRequestOrderEvenWhenTheFirstFinishesLast() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            String host = "Host: x\r\n";
            http.write("GET /slow/300 HTTP/1.1\r\n" + host + "\r\n"
                    + "GET /fast HTTP/1.1\r\n" + host + "\r\n"
                    + "POST /slow/100 HTTP/1.1\r\n" + host + "Content-Length: 2\r\n\r\n{}"
                    + "GET /last HTTP/1.1\r\n" + host + "\r\n");

            assertThat(http.read().text()).contains("\"/slow/300\"");
            assertThat(http.read().text()).contains("\"/fast\"");
            assertThat(http.read().text()).contains("\"/slow/100\"").contains("\"body\":\"{}\"");
            assertThat(http.read().text()).contains("\"/last\"");
        }
    }

    @Test
    void answersExpectContinueThenReadsTheBody() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            http.write("POST /expect HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");

            assertThat(http.read().status()).isEqualTo(100);
            http.write("{}");
            assertThat(http.read().text()).contains("\"body\":\"{}\"");
        }
    }

    @Test
    void rejectsAnAnnouncedOversizedBodyBeforeItIsSent() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            http.write("POST /big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 99999\r\n\r\n");

            assertThat(http.read().status()).isEqualTo(413);
        }
    }

    @Test
    void confirmsKeepAliveToHttp10Clients() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            http.write("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(http.read().header("connection")).isEqualToIgnoringCase("keep-alive");

            http.write("GET /old-again HTTP/1.0\r\n\r\n");
            assertThat(http.read().header("connection")).isEqualTo("close");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void acceptsChunkedBodies() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            http.write("POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n");

            assertThat(http.read().text()).contains("\"body\":\"{\\\"a\\\":1}\"");
        }
    }

    @Test
    void rejectsABodyOverTheLimitWithJson413AndKeepsServing() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            RawHttp.Reply reply = http.exchange("POST", "/step", "x".repeat(4000));

            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.header("content-type")).isEqualTo("application/json");
            assertThat(reply.text()).isEqualTo("{\"detail\":\"Request body too large: limit is 2048 bytes\"}");
        }
        try (RawHttp http = new RawHttp(server.uri())) {
            assertThat(http.exchange("GET", "/health", null).status()).isEqualTo(200);
        }
        assertThat(handler.requests).extracting(HttpRequest::path).containsExactly("/health");
    }

    @Test
    void rejectsAChunkedBodyThatGrowsOverTheLimit() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            String chunk = "x".repeat(1000);
            http.write("POST /step HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                http.write(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            RawHttp.Reply reply = http.read();

            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.text()).contains("limit is 2048 bytes");
        }
    }

    @Test
    void answersGarbageWithJson400OrClosesAndOtherConnectionsAreUnaffected() throws IOException {
        ServerTransport server = start();
        try (RawHttp good = new RawHttp(server.uri()); RawHttp bad = new RawHttp(server.uri())) {
            assertThat(good.exchange("GET", "/before", null).status()).isEqualTo(200);

            bad.write(new byte[] {0, 1, 2, (byte) 0xFF, 'G', 'A', 'R', '\r', '\n', '\r', '\n'});
            RawHttp.Reply reply = bad.read();

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.text()).startsWith("{\"detail\":\"Malformed HTTP request");
            assertThat(bad.closedByServer()).isTrue();
            assertThat(good.exchange("GET", "/after", null).status()).isEqualTo(200);
        }
    }

    @Test
    void survivesATruncatedRequest() throws IOException {
        ServerTransport server = start();
        try (RawHttp truncated = new RawHttp(server.uri())) {
            truncated.write("POST /step HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"act");
        }
        try (RawHttp http = new RawHttp(server.uri())) {
            assertThat(http.exchange("GET", "/health", null).status()).isEqualTo(200);
        }
    }

    @Test
    void closesAfterReplyingWhenTheClientAsksForIt() throws IOException {
        ServerTransport server = start();
        try (RawHttp http = new RawHttp(server.uri())) {
            RawHttp.Reply reply = http.send("GET", "/once", null, Map.of("Connection", "close")).read();

            assertThat(reply.header("connection")).isEqualTo("close");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void exchangesWebSocketTextMessagesInOrder() throws IOException {
        ServerTransport server = start();
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            for (int i = 0; i < 20; i++) {
                ws.text("m" + i);
            }
            for (int i = 0; i < 20; i++) {
                assertThat(ws.readText()).isEqualTo("echo:m" + i);
            }
        }
    }

    @Test
    void reassemblesFragmentedTextMessages() throws IOException {
        ServerTransport server = start();
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            ws.frame(RawWebSocket.TEXT, false, bytes("{\"type\":"))
                    .frame(RawWebSocket.PING, true, bytes("in-between"))
                    .frame(RawWebSocket.CONTINUATION, false, bytes("\"st"))
                    .frame(RawWebSocket.CONTINUATION, true, bytes("ate\"}"));

            RawWebSocket.Frame pong = ws.next();
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(pong.text()).isEqualTo("in-between");
            assertThat(ws.readText()).isEqualTo("echo:{\"type\":\"state\"}");
        }
    }

    @Test
    void closesWith1009WhenAFragmentedMessageGrowsOverTheLimit() throws IOException {
        ServerTransport server = start();
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            ws.frame(RawWebSocket.TEXT, false, bytes("x".repeat(1500)))
                    .frame(RawWebSocket.CONTINUATION, true, bytes("x".repeat(1500)));

            assertThat(ws.readClose()).isEqualTo(1009);
        }
        awaitClosedSessions(1);
    }

    @Test
    void closesWith1009WhenOneFrameIsOverTheLimit() throws IOException {
        ServerTransport server = start();
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            ws.frame(RawWebSocket.TEXT, true, bytes("x".repeat(3000)));

            assertThat(ws.readClose()).isEqualTo(1009);
        }
    }

    @Test
    void closesWith1003OnBinaryMessages() throws IOException {
        ServerTransport server = start();
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            ws.frame(RawWebSocket.BINARY, true, new byte[] {1, 2, 3});

            assertThat(ws.readClose()).isEqualTo(1003);
            assertThat(ws.closedByServer()).isTrue();
        }
        awaitClosedSessions(1);
    }

    @Test
    void answersAClientCloseFrameAndEndsTheSessionOnce() throws IOException {
        ServerTransport server = start();
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            ws.text("hi");
            assertThat(ws.readText()).isEqualTo("echo:hi");

            ws.frame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8});

            assertThat(ws.readClose()).isEqualTo(1000);
            assertThat(ws.closedByServer()).isTrue();
        }
        awaitClosedSessions(1);
        assertThat(handler.opened.get()).isEqualTo(1);
    }

    @Test
    void peerCloseSendsTheCodeAndClosesTheConnection() throws IOException {
        ServerTransport server = start();
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            ws.text("close-me");

            assertThat(ws.readClose()).isEqualTo(1000);
            assertThat(ws.closedByServer()).isTrue();
        }
        awaitClosedSessions(1);
    }

    @Test
    void aDroppedConnectionEndsTheSessionExactlyOnce() throws IOException {
        ServerTransport server = start();
        RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws");
        ws.text("hi");
        assertThat(ws.readText()).isEqualTo("echo:hi");

        ws.close();

        awaitClosedSessions(1);
        assertThat(handler.closed.get()).isEqualTo(1);
    }

    @Test
    void sendsFromManyThreadsArriveWholeAndInEachThreadsOrder() throws Exception {
        ServerTransport server = start();
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            ws.text("hello");
            assertThat(ws.readText()).isEqualTo("echo:hello");
            WebSocketPeer peer = handler.peers.get(0);
            int threads = 4;
            int each = 50;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread sender = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        peer.sendText((id + ":" + i).getBytes(StandardCharsets.UTF_8));
                    }
                });
                sender.start();
                senders.add(sender);
            }
            go.countDown();
            for (Thread sender : senders) {
                sender.join();
            }
            int[] next = new int[threads];
            for (int n = 0; n < threads * each; n++) {
                String[] parts = ws.readText().split(":");
                int id = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(next[id]);
                next[id]++;
            }
        }
    }

    @Test
    void pingsAndDropsAPeerThatNeverAnswers() throws IOException {
        ServerTransport server = start(2048, Duration.ofMillis(200));
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            RawWebSocket.Frame first = ws.next();
            assertThat(first.opcode()).isEqualTo(RawWebSocket.PING);
            // never answer: the server gives up after two intervals without a frame
            ws.setTimeoutMillis(10_000);
            assertThat(ws.closedByServer()).isTrue();
        }
        awaitClosedSessions(1);
    }

    @Test
    void keepsAPeerThatAnswersPings() throws IOException, InterruptedException {
        ServerTransport server = start(2048, Duration.ofMillis(300));
        try (RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            int pings = 0;
            while (System.nanoTime() < end) {
                RawWebSocket.Frame frame = ws.next();
                if (frame.opcode() == RawWebSocket.PING) {
                    pings++;
                    ws.frame(RawWebSocket.PONG, true, frame.payload());
                }
            }
            ws.text("still here");

            assertThat(ws.readText()).isEqualTo("echo:still here");
            assertThat(pings).isGreaterThan(1);
        }
    }

    @Test
    void refusesUpgradesOnPathsTheHandlerDoesNotAccept() throws IOException {
        ServerTransport server = start();

        assertThatThrownBy(() -> RawWebSocket.connect(server.uri(), "/other")).isInstanceOf(IOException.class)
                .hasMessageContaining("upgrade refused");
        assertThat(handler.requests).extracting(HttpRequest::path).contains("/other");
    }

    @Test
    void shutdownLetsAnInFlightRequestFinishThenReleasesThePort() throws Exception {
        ServerTransport server = start();
        int port = server.uri().getPort();
        try (RawHttp http = new RawHttp(server.uri()); RawWebSocket ws = RawWebSocket.connect(server.uri(), "/ws")) {
            http.send("GET", "/slow/2000", null);
            awaitRequests(1);

            Thread stopper = new Thread(() -> server.shutdown(Duration.ofSeconds(5)));
            stopper.start();
            // shutdown has begun once the listener refuses connections; only then is the reply's
            // Connection: close deterministic (a fixed sleep raced the stopper thread on a loaded machine)
            await(() -> {
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                    return false;
                } catch (IOException refused) {
                    return true;
                }
            }, "listener closed");

            RawHttp.Reply reply = http.read();
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("connection")).isEqualTo("close");
            assertThat(ws.readClose()).isEqualTo(1001);
            stopper.join();
        }
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        awaitClosedSessions(1);
        server.shutdown(Duration.ofSeconds(1)); // idempotent
    }

    @Test
    void bindFailureSaysWhichAddressAndWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> new NettyServerTransportProvider().start(
                    new ServerConfig("127.0.0.1", port, 2048, Duration.ZERO, 1), handler))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("Is another server using it? Use --port 0 for any free port");
        }
    }

    private void awaitClosedSessions(int count) {
        await(() -> handler.closed.get() >= count, "sessions closed: " + count);
        assertThat(handler.closed.get()).isEqualTo(count);
    }

    private void awaitRequests(int count) {
        await(() -> handler.requests.size() >= count, "requests: " + count);
    }

    static void await(java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
