package openenv.api;

import java.util.Map;

/**
 * An OpenEnv environment: {@code reset}, {@code step}, {@code state} over typed actions, observations and states.
 *
 * <p>A server creates one instance per session from the factory it is given and never calls one instance from
 * two threads at once, so implementations need no locking. Calls of one session arrive in order.
 *
 * @param <A> action type, a record implementing {@link Action}
 * @param <O> observation type, a record implementing {@link Observation}
 * @param <S> state type, a record implementing {@link State}
 */
public interface Environment<A extends Action, O extends Observation, S extends State> extends AutoCloseable {

    /** Starts a new episode and returns its first observation. */
    StepResult<O> reset(ResetOptions options);

    /** Applies one action. An exception thrown here reaches the client as {@code EXECUTION_ERROR}. */
    StepResult<O> step(A action);

    /**
     * Applies one action that carried a {@code metadata} object on the wire. The default ignores the metadata
     * and calls {@link #step(Action)}; override it to read the metadata.
     */
    default StepResult<O> step(A action, Map<String, Object> actionMetadata) {
        return step(action);
    }

    /** The current state; called by {@code GET /state} and the WebSocket {@code state} message. */
    S state();

    /** Releases what the environment holds. Called once, when its session ends. The default does nothing. */
    @Override
    default void close() {
    }
}
