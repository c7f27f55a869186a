package openenv.api.spi;

import java.util.Map;

/**
 * One client session with a server. JSON values are trees: {@code Map<String,Object>} (insertion ordered),
 * {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean}, {@code null}.
 *
 * <p>Calls are synchronous and not concurrent: one session's calls are made one after the other.
 * Server errors are thrown as {@link openenv.api.EnvironmentException} (the session stays usable for
 * validation and execution errors); I/O failures and timeouts as {@link openenv.api.TransportException},
 * after which the connection is closed.
 */
public interface ClientConnection extends AutoCloseable {

    /** Resets; {@code request} is the reset body ({@code seed}, {@code episode_id}, extras). Returns the step envelope. */
    Map<String, Object> reset(Map<String, Object> request);

    /** Steps with the bare action object. Returns the step envelope {@code {observation, reward, done, ...}}. */
    Map<String, Object> step(Map<String, Object> action);

    /** The state object. */
    Map<String, Object> state();

    /** Which protocol this connection speaks, e.g. {@code "websocket"} or {@code "http"}. */
    String protocol();

    /** Ends the session (WebSocket {@code close} message / HTTP session delete) and releases the connection. Idempotent. */
    @Override
    void close();
}
