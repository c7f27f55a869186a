package openenv.api.spi;

/** Supplies the JSON codec; "jackson" is provided by module {@code openenv.json}. */
public interface CodecProvider extends Provider {

    /** Creates a codec. Codecs are thread-safe and meant to be shared. */
    Codec create();
}
