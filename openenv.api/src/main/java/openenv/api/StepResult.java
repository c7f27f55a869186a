package openenv.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What {@code reset} and {@code step} return: the observation, an optional reward, whether the episode ended
 * (split as in Gymnasium into {@code terminated}, reaching a terminal state, and {@code truncated}, cut short
 * e.g. by a step limit), and metadata.
 *
 * <p>On the wire: {@code {"observation": {...}, "reward": 0.5, "done": false}}; {@code reward} is {@code null}
 * when absent, {@code metadata} is added when non-empty, and {@code terminated}/{@code truncated} are added
 * when the episode was truncated (a Python peer ignores them).
 *
 * @param <O> the observation type
 */
public record StepResult<O>(O observation, OptionalDouble reward, boolean terminated, boolean truncated,
                            Map<String, Object> metadata) {

    public StepResult {
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(reward, "reward");
        Objects.requireNonNull(metadata, "metadata");
        metadata = metadata.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** An ongoing step with no reward. */
    public static <O> StepResult<O> of(O observation) {
        return new StepResult<>(observation, OptionalDouble.empty(), false, false, Map.of());
    }

    /** An ongoing step with a reward. */
    public static <O> StepResult<O> of(O observation, double reward) {
        return new StepResult<>(observation, OptionalDouble.of(reward), false, false, Map.of());
    }

    /** {@code terminated || truncated}: the value sent as {@code done}. */
    public boolean done() {
        return terminated || truncated;
    }

    /** A copy that ends the episode in a terminal state. */
    public StepResult<O> asTerminated() {
        return new StepResult<>(observation, reward, true, truncated, metadata);
    }

    /** A copy that ends the episode by truncation (time limit, step budget). */
    public StepResult<O> asTruncated() {
        return new StepResult<>(observation, reward, terminated, true, metadata);
    }

    /** A copy with the given reward. */
    public StepResult<O> withReward(double newReward) {
        return new StepResult<>(observation, OptionalDouble.of(newReward), terminated, truncated, metadata);
    }

    /** A copy with the given metadata (sent as the envelope's top-level {@code metadata}). */
    public StepResult<O> withMetadata(Map<String, Object> newMetadata) {
        return new StepResult<>(observation, reward, terminated, truncated, newMetadata);
    }

    /** A copy with another observation, e.g. after decoding. */
    public <P> StepResult<P> withObservation(P newObservation) {
        return new StepResult<>(newObservation, reward, terminated, truncated, metadata);
    }
}
