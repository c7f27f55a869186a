package openenv.transport.httpclient;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import openenv.api.EnvClient;
import openenv.api.GenericEnvClient;
import openenv.api.spi.Codec;
import openenv.api.spi.CodecProvider;

/**
 * Run in a separate JVM (a jlink image, or {@code java -p … -m}) by {@link JlinkImageTest}: connects to the URL
 * in {@code args[0]} with the transport found by ServiceLoader, reads the state, prints it and exits.
 * It needs only openenv.api and this module; its tiny codec stands in for openenv.json, which is not linked.
 */
public final class LaunchedSmoke {

    private LaunchedSmoke() {
    }

    public static void main(String[] args) {
        try (GenericEnvClient env = EnvClient.builder().url(args[0]).codec(new RawCodecProvider()).buildGeneric()) {
            System.out.println("state=" + env.state().get("raw"));
            System.out.println("protocol=" + env.protocol());
        }
    }

    /** Parses every document to {@code {"raw": <text>}} and writes {@code {}}: enough for {@code GET /state}. */
    private static final class RawCodecProvider implements CodecProvider {

        @Override
        public String name() {
            return "raw";
        }

        @Override
        public Codec create() {
            return new Codec() {
                @Override
                public Object parse(byte[] utf8) {
                    return Map.of("raw", new String(utf8, StandardCharsets.UTF_8));
                }

                @Override
                public byte[] write(Object value) {
                    return "{}".getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public Object toTree(Object value) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public <T> T fromTree(Object tree, Class<T> type, boolean strict) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Map<String, Object> schema(Class<?> type) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }
}
