package openenv.api.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import openenv.api.StepResult;

/**
 * JSON for OpenEnv: parsing to and writing from trees, and mapping records to and from trees with snake_case
 * keys. Trees are {@code Map<String,Object>} (insertion ordered), {@code List<Object>}, {@code String},
 * {@code Long}/{@code Double} (or {@code BigInteger}/{@code BigDecimal} when they do not fit), {@code Boolean}
 * and {@code null}. Thread-safe.
 */
public interface Codec {

    /**
     * Parses one JSON document.
     *
     * @throws MalformedJsonException with the character offset of the first error
     */
    Object parse(byte[] utf8);

    /**
     * Writes a tree, a record (snake_case keys), an enum (its name), or a mix of these as compact UTF-8 JSON.
     * Doubles are written in the shortest form that round-trips.
     */
    byte[] write(Object value);

    /** Converts a record (or any value {@link #write} accepts) to a tree. */
    Object toTree(Object value);

    /**
     * Builds a record of {@code type} from a tree.
     *
     * @param strict {@code true} for actions: unknown keys, missing fields, wrong types and violated constraints
     *               are all collected and reported together; {@code false} for observations and states read by
     *               clients: unknown keys are ignored
     * @throws ValidationFailure listing every problem, locations relative to the tree
     */
    <T> T fromTree(Object tree, Class<T> type, boolean strict);

    /** JSON Schema (draft 2020-12 subset, as pydantic writes it) of a record type. */
    Map<String, Object> schema(Class<?> type);

    /**
     * Writes what reset and step answer, once per step on the server: the step envelope of PROTOCOL.md §1,
     * {@code {"observation": {...}, "reward": 0.5, "done": false}} (reward {@code null} when absent, then
     * {@code "metadata"} when non-empty, {@code "terminated"} and {@code "truncated"} when truncated), or with
     * {@code messageType} the WebSocket message {@code {"type": messageType, "data": <envelope>}} plus
     * {@code "id"} when {@code id} is not null.
     *
     * <p>The default builds that tree ({@link #stepEnvelope}) and calls {@link #write}; a codec may write the
     * same bytes directly, without the intermediate maps.
     *
     * @param messageType the WebSocket message type ({@code "observation"}), or null for the bare envelope (HTTP)
     * @param id          the request id to echo (WebSocket only), or null
     */
    default byte[] writeStepResult(StepResult<?> result, String messageType, Object id) {
        Map<String, Object> envelope = stepEnvelope(result);
        if (messageType == null) {
            return write(envelope);
        }
        Map<String, Object> message = new LinkedHashMap<>(4);
        message.put("type", messageType);
        message.put("data", envelope);
        if (id != null) {
            message.put("id", id);
        }
        return write(message);
    }

    /** The step envelope as a tree (the observation stays a record), as {@link #writeStepResult} writes it. */
    static Map<String, Object> stepEnvelope(StepResult<?> result) {
        Map<String, Object> envelope = new LinkedHashMap<>(8);
        envelope.put("observation", result.observation());
        envelope.put("reward", result.reward().isPresent() ? result.reward().getAsDouble() : null);
        envelope.put("done", result.done());
        if (!result.metadata().isEmpty()) {
            envelope.put("metadata", result.metadata());
        }
        if (result.truncated()) {
            envelope.put("terminated", result.terminated());
            envelope.put("truncated", true);
        }
        return envelope;
    }
}
