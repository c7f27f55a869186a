package openenv.json;

import openenv.api.spi.Codec;
import openenv.api.spi.CodecProvider;

/**
 * The {@code "jackson"} codec: JSON on Jackson's streaming core, records bound by this module's own binder.
 * Found by {@link java.util.ServiceLoader}; applications do not normally use it directly.
 */
public final class JacksonCodecProvider implements CodecProvider {

    /** Does nothing; called by {@link java.util.ServiceLoader}. */
    public JacksonCodecProvider() {
    }

    @Override
    public String name() {
        return "jackson";
    }

    /** The shared codec: it is stateless apart from its per-type caches, and thread-safe. */
    @Override
    public Codec create() {
        return JacksonCodec.INSTANCE;
    }
}
