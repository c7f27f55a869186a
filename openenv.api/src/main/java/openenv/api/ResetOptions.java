package openenv.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a reset asked for: an optional seed ({@code >= 0}), an optional episode id, and any further keys the
 * client sent ({@code extras}, JSON values as maps, lists, strings, numbers, booleans).
 */
public record ResetOptions(OptionalLong seed, Optional<String> episodeId, Map<String, Object> extras) {

    private static final ResetOptions NONE = new ResetOptions(OptionalLong.empty(), Optional.empty(), Map.of());

    public ResetOptions {
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(episodeId, "episodeId");
        extras = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(extras, "extras")));
    }

    /** A reset with no seed, no episode id and no extras. */
    public static ResetOptions none() {
        return NONE;
    }

    /** A reset with the given seed. */
    public static ResetOptions seeded(long seed) {
        return new ResetOptions(OptionalLong.of(seed), Optional.empty(), Map.of());
    }

    /** A copy with the given seed. */
    public ResetOptions withSeed(long newSeed) {
        return new ResetOptions(OptionalLong.of(newSeed), episodeId, extras);
    }

    /** A copy with the given episode id. */
    public ResetOptions withEpisodeId(String id) {
        return new ResetOptions(seed, Optional.of(Objects.requireNonNull(id, "id")), extras);
    }

    /** A copy with one more extra key. */
    public ResetOptions withExtra(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(extras);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new ResetOptions(seed, episodeId, copy);
    }
}
