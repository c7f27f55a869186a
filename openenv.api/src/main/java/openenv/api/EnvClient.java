package openenv.api;

import java.util.Map;
import java.util.Objects;

/**
 * A typed client for one session of an OpenEnv server (Java or Python).
 *
 * <pre>{@code
 * var types = EnvTypes.of(EchoAction.class, EchoObservation.class, EchoState.class);
 * try (EnvClient<EchoAction, EchoObservation, EchoState> env = EnvClient.connect("ws://127.0.0.1:8000", types)) {
 *     env.reset();
 *     StepResult<EchoObservation> r = env.step(new EchoAction("hi"));
 *     System.out.println(r.observation().echoedMessage() + " " + r.reward());
 * }
 * }</pre>
 *
 * Server errors arrive as {@link EnvironmentException} (with {@code code()} and every validation problem);
 * I/O failures and timeouts as {@link TransportException}. Calls are not concurrent: use one client per thread.
 */
public final class EnvClient<A extends Action, O extends Observation, S extends State> implements AutoCloseable {

    private final GenericEnvClient generic;
    private final EnvTypes<A, O, S> types;

    EnvClient(GenericEnvClient generic, EnvTypes<A, O, S> types) {
        this.generic = generic;
        this.types = types;
    }

    /** A builder for clients with non-default settings or a named transport. */
    public static ClientBuilder builder() {
        return new ClientBuilder();
    }

    /** Connects with default settings; the URL scheme picks the protocol (see {@link ClientBuilder}). */
    public static <A extends Action, O extends Observation, S extends State> EnvClient<A, O, S> connect(
            String url, EnvTypes<A, O, S> types) {
        return builder().url(url).build(types);
    }

    /** Resets with no seed. */
    public StepResult<O> reset() {
        return typed(generic.reset());
    }

    /** Resets with a seed, episode id or extras. */
    public StepResult<O> reset(ResetOptions options) {
        return typed(generic.reset(options));
    }

    /** Applies one action. */
    @SuppressWarnings("unchecked")
    public StepResult<O> step(A action) {
        Objects.requireNonNull(action, "action");
        return typed(generic.step((Map<String, Object>) generic.codec().toTree(action)));
    }

    /** The current state. */
    public S state() {
        return decode(generic.state(), types.state());
    }

    /** The untyped client underneath (same session). */
    public GenericEnvClient generic() {
        return generic;
    }

    /** Ends the session and closes the connection. Idempotent. */
    @Override
    public void close() {
        generic.close();
    }

    private StepResult<O> typed(StepResult<Map<String, Object>> raw) {
        return raw.withObservation(decode(raw.observation(), types.observation()));
    }

    private <T> T decode(Map<String, Object> tree, Class<T> type) {
        try {
            return generic.codec().fromTree(tree, type, false);
        } catch (openenv.api.spi.ValidationFailure e) {
            throw new TransportException("The reply from " + generic.url() + " does not fit " + type.getName()
                    + ": " + e.getMessage() + ". Do the client's types match the server's /schema?", e);
        }
    }
}
