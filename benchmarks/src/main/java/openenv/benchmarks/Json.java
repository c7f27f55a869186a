package openenv.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import openenv.api.spi.Codec;
import openenv.api.spi.CodecProvider;

/** Our own codec, found as any user finds it, for the suite's JSON files (JMH results included). */
final class Json {

    static final Codec CODEC = ServiceLoader.load(CodecProvider.class).findFirst()
            .orElseThrow(() -> new IllegalStateException("openenv-json missing from the benchmark class path"))
            .create();

    private Json() {
    }

    static Object read(Path file) throws IOException {
        return CODEC.parse(Files.readAllBytes(file));
    }

    static void write(Path file, Object tree) throws IOException {
        Files.write(file, CODEC.write(tree));
    }
}
