package openenv.api;

/**
 * Marker for an environment's observation, normally a record. Reward, done and metadata are not part of the
 * observation: they travel in the {@link StepResult} and are lifted to the top of the wire envelope.
 */
public interface Observation {
}
