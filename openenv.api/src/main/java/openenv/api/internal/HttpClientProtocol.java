package openenv.api.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import openenv.api.EnvironmentException;
import openenv.api.TransportException;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.ClientConnection;
import openenv.api.spi.Codec;
import openenv.api.spi.MalformedJsonException;

/**
 * The client side of the HTTP routes (PROTOCOL.md §1) over any HTTP/1.1 client. On open it asks for a
 * stateful session ({@code POST /sessions}, an openenv-java extension); a server without it (a Python OpenEnv
 * server) answers 404/405 and the connection uses the server's default session.
 */
public abstract class HttpClientProtocol implements ClientConnection {

    private static final System.Logger LOG = System.getLogger(HttpClientProtocol.class.getName());

    /** Status and body of one exchange. */
    public record Response(int status, byte[] body) {
    }

    protected final Codec codec;
    protected final ClientConfig config;
    protected final URI baseUri;
    private Optional<String> sessionId = Optional.empty();
    private volatile boolean closed;
    /** Why the connection broke, when it did (shown to later calls). */
    private volatile String brokenBecause;

    protected HttpClientProtocol(URI baseUri, ClientConfig config, Codec codec) {
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        this.config = Objects.requireNonNull(config, "config");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * One request/response. {@code path} starts with {@code /}; the implementation prefixes the base URI's path.
     * {@code body} is {@code null} for requests without one (GET).
     * Must honour {@link ClientConfig#requestTimeout()} and throw {@link TransportException} (or its timeout
     * subclass) on I/O failure.
     */
    protected abstract Response exchange(String method, String path, byte[] body, Map<String, String> headers);

    /** Releases the underlying client. Idempotent. */
    protected abstract void closeTransport();

    /** Opens a stateful session if the server offers them. Call once at the end of the subclass constructor. */
    protected final void openSession() {
        Response response = exchange("POST", "/sessions", new byte[0], Map.of());
        if (response.status() == 201) {
            Object id = asMap(response, "/sessions").get("session_id");
            if (id instanceof String text) {
                sessionId = Optional.of(text);
                return;
            }
        }
        if (response.status() == 404 || response.status() == 405) {
            LOG.log(System.Logger.Level.DEBUG, () -> baseUri + " has no HTTP sessions (a Python OpenEnv server?);"
                    + " using its default session, which all HTTP clients of that server share");
            return;
        }
        throw error(response, "/sessions");
    }

    /** The stateful session id, if the server gave one. */
    public Optional<String> sessionId() {
        return sessionId;
    }

    @Override
    public String protocol() {
        return "http";
    }

    @Override
    public Map<String, Object> reset(Map<String, Object> request) {
        return call("POST", "/reset", codec.write(request));
    }

    @Override
    public Map<String, Object> step(Map<String, Object> action) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", action);
        return call("POST", "/step", codec.write(body));
    }

    @Override
    public Map<String, Object> state() {
        return call("GET", "/state", null);
    }

    private Map<String, Object> call(String method, String path, byte[] body) {
        if (closed) {
            throw new TransportException("This client's connection to " + baseUri + (brokenBecause == null
                    ? " is closed." : " was closed after an earlier failure (" + brokenBecause + ")")
                    + " Open a new client to continue.");
        }
        Map<String, String> headers = sessionId.map(id -> Map.of("X-OpenEnv-Session", id)).orElse(Map.of());
        Response response;
        try {
            response = exchange(method, path, body, headers);
        } catch (TransportException e) {
            // as ClientConnection promises: after an I/O failure or timeout this connection is done
            brokenBecause = e.getMessage();
            closeBroken();
            throw e;
        }
        if (response.status() != 200) {
            throw error(response, path);
        }
        return asMap(response, path);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(Response response, String path) {
        Object tree;
        try {
            tree = codec.parse(response.body());
        } catch (MalformedJsonException e) {
            brokenBecause = "unreadable reply";
            closeBroken();
            throw new TransportException(path + " on " + baseUri + " answered " + response.status()
                    + " with a body that is not JSON: " + preview(response.body()), e);
        }
        if (!(tree instanceof Map)) {
            brokenBecause = "unreadable reply";
            closeBroken();
            throw new TransportException(path + " on " + baseUri + " answered with a non-object: "
                    + preview(response.body()));
        }
        return (Map<String, Object>) tree;
    }

    /** A reply we cannot read means the peer is not what we think: stop using this connection. */
    private void closeBroken() {
        closed = true;
        closeTransport();
    }

    private RuntimeException error(Response response, String path) {
        Object tree;
        try {
            tree = codec.parse(response.body());
        } catch (MalformedJsonException e) {
            return new EnvironmentException("HTTP_" + response.status(), path + " answered " + response.status()
                    + ": " + preview(response.body()));
        }
        Object detail = tree instanceof Map<?, ?> map ? map.get("detail") : null;
        Object code = tree instanceof Map<?, ?> map ? map.get("code") : null;
        if (response.status() == 422) {
            return new EnvironmentException("VALIDATION_ERROR", "the server rejected the request to " + path,
                    WireErrors.problems(detail));
        }
        String fallback = response.status() == 503 ? "CAPACITY_REACHED"
                : response.status() == 404 && path.equals("/state") || sessionId.isPresent()
                        && response.status() == 404 ? "SESSION_ERROR" : "HTTP_" + response.status();
        return new EnvironmentException(code instanceof String c ? c : fallback,
                detail == null ? preview(response.body()) : String.valueOf(detail));
    }

    private static String preview(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (sessionId.isPresent()) {
                // Best effort: after a transport failure the connection refuses further exchanges; the server
                // then frees the session when its idle timeout (5 min by default) reaps it.
                exchange("DELETE", "/sessions/" + java.net.URLEncoder.encode(sessionId.get(),
                        StandardCharsets.UTF_8), new byte[0], Map.of());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Could not delete HTTP session on " + baseUri + ": " + e);
        } finally {
            closeTransport();
        }
    }
}
