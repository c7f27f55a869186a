package openenv.transport.httpclient;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A scripted OpenEnv HTTP server on the JDK's {@code jdk.httpserver}: records every request and answers from a
 * table of routes. By default it behaves like a Python OpenEnv server (no {@code /sessions}).
 */
final class FakeServer implements AutoCloseable {

    static final String ENVELOPE = "{\"observation\":{\"echoed_message\":\"hi\",\"message_length\":2},"
            + "\"reward\":0.2,\"done\":false}";
    static final String STATE = "{\"episode_id\":\"ep-1\",\"step_count\":1}";

    /** One request as the server saw it; {@code path} is relative to the server's prefix. */
    record Request(String method, String path, Headers headers, String body, int clientPort) {

        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** Answers one request. */
    @FunctionalInterface
    interface Route {
        void answer(HttpExchange exchange, Request request) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String prefix;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    private FakeServer(String prefix, SSLContext tls) throws IOException {
        this.prefix = prefix;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            this.server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            this.server = https;
        }
        server.setExecutor(executor);
        server.createContext(prefix.isEmpty() ? "/" : prefix, this::handle);
        reply("POST", "/sessions", 404, "{\"detail\":\"Not Found\"}");
        reply("POST", "/reset", 200, ENVELOPE);
        reply("POST", "/step", 200, ENVELOPE);
        reply("GET", "/state", 200, STATE);
        server.start();
    }

    /** A server at the root path. */
    static FakeServer start() throws IOException {
        return new FakeServer("", null);
    }

    /** A server whose routes live under {@code prefix}, e.g. {@code /env/echo}. */
    static FakeServer startWithPrefix(String prefix) throws IOException {
        return new FakeServer(prefix, null);
    }

    /** An https server at the root path. */
    static FakeServer startHttps(SSLContext tls) throws IOException {
        return new FakeServer("", tls);
    }

    /** Base URI, including the prefix. */
    URI uri() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + prefix);
    }

    /** Routes {@code method path} (path relative to the prefix) to {@code route}. */
    FakeServer on(String method, String path, Route route) {
        routes.put(method + " " + path, route);
        return this;
    }

    /** Routes {@code method path} to a fixed JSON reply. */
    FakeServer reply(String method, String path, int status, String json) {
        return on(method, path, (exchange, request) -> send(exchange, status, json));
    }

    /** Offers stateful sessions: {@code POST /sessions} answers 201 with {@code id}, DELETE answers 200. */
    FakeServer offerSessions(String id) {
        reply("POST", "/sessions", 201, "{\"session_id\":\"" + id + "\"}");
        return reply("DELETE", "/sessions/" + id, 200, "{}");
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests seen for {@code method path}. */
    long count(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath().substring(prefix.length());
        String query = exchange.getRequestURI().getRawQuery();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Request request = new Request(exchange.getRequestMethod(), query == null ? path : path + "?" + query,
                exchange.getRequestHeaders(), new String(body, StandardCharsets.UTF_8),
                exchange.getRemoteAddress().getPort());
        requests.add(request);
        Route route = routes.get(request.method() + " " + path);
        if (route == null) {
            send(exchange, 404, "{\"detail\":\"Not Found\"}");
        } else {
            route.answer(exchange, request);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
