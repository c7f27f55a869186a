package openenv.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import openenv.api.spi.ClientConnection;
import openenv.api.spi.Codec;

/**
 * A client that needs no Java types: actions, observations and states are JSON objects
 * ({@code Map<String, Object>} trees with wire, i.e. snake_case, keys). Drives any OpenEnv server, Java or Python.
 *
 * <pre>{@code
 * try (GenericEnvClient env = GenericEnvClient.connect("ws://127.0.0.1:8000")) {
 *     env.reset();
 *     StepResult<Map<String, Object>> r = env.step(Map.of("message", "hi"));
 * }
 * }</pre>
 *
 * One session per client; calls are not concurrent (use one client per thread).
 */
public final class GenericEnvClient implements AutoCloseable {

    private final ClientConnection connection;
    private final Codec codec;
    private final URI url;
    private final String transport;

    GenericEnvClient(ClientConnection connection, Codec codec, URI url, String transport) {
        this.connection = connection;
        this.codec = codec;
        this.url = url;
        this.transport = transport;
    }

    /** Connects with default settings; the URL scheme picks the protocol (see {@link ClientBuilder}). */
    public static GenericEnvClient connect(String url) {
        return EnvClient.builder().url(url).buildGeneric();
    }

    /** Resets with no seed. */
    public StepResult<Map<String, Object>> reset() {
        return reset(ResetOptions.none());
    }

    /** Resets with the given options. */
    public StepResult<Map<String, Object>> reset(ResetOptions options) {
        Objects.requireNonNull(options, "options");
        Map<String, Object> request = new LinkedHashMap<>(options.extras());
        options.seed().ifPresent(seed -> request.put("seed", seed));
        options.episodeId().ifPresent(id -> request.put("episode_id", id));
        return result(connection.reset(request));
    }

    /** Steps with an action object (wire keys). */
    public StepResult<Map<String, Object>> step(Map<String, Object> action) {
        return result(connection.step(Objects.requireNonNull(action, "action")));
    }

    /** The state object. */
    public Map<String, Object> state() {
        return connection.state();
    }

    /** The protocol in use: {@code "websocket"} or {@code "http"}. */
    public String protocol() {
        return connection.protocol();
    }

    /** Name of the client transport in use, e.g. {@code "netty"} or {@code "httpclient"}. */
    public String transport() {
        return transport;
    }

    /** The server URL. */
    public URI url() {
        return url;
    }

    Codec codec() {
        return codec;
    }

    /** Ends the session and closes the connection. Idempotent. */
    @Override
    public void close() {
        connection.close();
    }

    @SuppressWarnings("unchecked")
    private StepResult<Map<String, Object>> result(Map<String, Object> envelope) {
        Object observation = envelope.get("observation");
        if (!(observation instanceof Map)) {
            throw new TransportException("The server at " + url + " sent a step reply without an observation"
                    + " object: " + envelope);
        }
        Object reward = envelope.get("reward");
        OptionalDouble value = reward instanceof Number number ? OptionalDouble.of(number.doubleValue())
                : OptionalDouble.empty();
        boolean done = Boolean.TRUE.equals(envelope.get("done"));
        boolean truncated = Boolean.TRUE.equals(envelope.get("truncated"));
        Object terminatedFlag = envelope.get("terminated");
        boolean terminated = terminatedFlag instanceof Boolean b ? b : done && !truncated;
        Object metadata = envelope.get("metadata");
        return new StepResult<>((Map<String, Object>) observation, value, terminated, truncated,
                metadata instanceof Map ? (Map<String, Object>) metadata : Map.of());
    }
}
