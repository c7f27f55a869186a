package openenv.api.spi;

import java.util.Map;

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
}
