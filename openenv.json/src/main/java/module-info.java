/**
 * JSON for OpenEnv on Jackson's streaming core: parses and writes JSON trees, maps records to snake_case JSON
 * objects and back, validates actions with pydantic-shaped problems, and writes JSON Schema of records for
 * {@code /schema}. Put it on the module path beside {@code openenv.api} and the API picks it up.
 *
 * <p>Record types are read through method handles, so the packages holding your actions, observations and
 * states must be exported (or opened) to this module, e.g. {@code exports my.env;} or
 * {@code exports my.env to openenv.json;}. Types on the class path need nothing.
 *
 * @provides openenv.api.spi.CodecProvider as "jackson"
 */
module openenv.json {
    requires openenv.api;
    requires com.fasterxml.jackson.core;   // streaming parser/generator only; explicit module, jlink accepts it
    provides openenv.api.spi.CodecProvider with openenv.json.JacksonCodecProvider;
}
