package openenv.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import openenv.api.Observation;
import openenv.api.spi.Codec;
import openenv.api.spi.CodecProvider;
import openenv.examples.EchoAction;
import openenv.examples.EchoObservation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec alone: what the server does per step (decode the action, encode the envelope) for echo, and encode
 * plus decode of a large observation (an 84×84×3 integer image as nested arrays, like an Atari frame).
 * Run with {@code -prof gc} for bytes allocated per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class CodecBenchmark {

    /** An image observation: [84][84][3] values 0..255. */
    public record Frame(int[][][] pixels) implements Observation {
    }

    private Codec codec;
    private byte[] echoActionJson;
    private Map<String, Object> echoEnvelope;
    private Map<String, Object> frameEnvelope;
    private byte[] frameJson;

    @Setup
    public void setUp() {
        codec = ServiceLoader.load(CodecProvider.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("openenv-json missing from the benchmark class path"))
                .create();
        echoActionJson = codec.write(new EchoAction("hello"));
        echoEnvelope = envelope(new EchoObservation("hello", 5), 0.5);
        int[][][] pixels = new int[84][84][3];
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[y][x][c] = (y * 31 + x * 17 + c * 7) & 0xff;
                }
            }
        }
        frameEnvelope = envelope(new Frame(pixels), 1.0);
        frameJson = codec.write(frameEnvelope);
    }

    private static Map<String, Object> envelope(Object observation, double reward) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("observation", observation);
        envelope.put("reward", reward);
        envelope.put("done", false);
        return envelope;
    }

    /** Server side of one echo step: parse and bind the action, write the reply envelope. */
    @Benchmark
    public byte[] echoServerSide() {
        Object tree = codec.parse(echoActionJson);
        EchoAction action = codec.fromTree(tree, EchoAction.class, true);
        echoEnvelope.put("observation", new EchoObservation(action.message(), 5));
        return codec.write(echoEnvelope);
    }

    /** Encode a large observation envelope. */
    @Benchmark
    public byte[] frameEncode() {
        return codec.write(frameEnvelope);
    }

    /** Decode a large observation back into the record. */
    @Benchmark
    @SuppressWarnings("unchecked")
    public Frame frameDecode() {
        Map<String, Object> tree = (Map<String, Object>) codec.parse(frameJson);
        return codec.fromTree(tree.get("observation"), Frame.class, false);
    }
}
