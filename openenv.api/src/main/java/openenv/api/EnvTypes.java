package openenv.api;

import java.util.Objects;

/**
 * The three record types of an environment, as a client needs them to decode replies:
 * {@code EnvTypes.of(EchoAction.class, EchoObservation.class, EchoState.class)}.
 */
public record EnvTypes<A extends Action, O extends Observation, S extends State>(
        Class<A> action, Class<O> observation, Class<S> state) {

    public EnvTypes {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(state, "state");
    }

    public static <A extends Action, O extends Observation, S extends State> EnvTypes<A, O, S> of(
            Class<A> action, Class<O> observation, Class<S> state) {
        return new EnvTypes<>(action, observation, state);
    }

    /**
     * Types found by reflection; checked here instead of by the compiler.
     *
     * @throws ConfigurationException if a class does not implement the expected interface
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static EnvTypes<?, ?, ?> ofUnchecked(Class<?> action, Class<?> observation, Class<?> state) {
        check(action, Action.class);
        check(observation, Observation.class);
        check(state, State.class);
        return new EnvTypes(action, observation, state);
    }

    private static void check(Class<?> type, Class<?> expected) {
        if (!expected.isAssignableFrom(type)) {
            throw new ConfigurationException(type.getName() + " must implement " + expected.getName());
        }
    }
}
