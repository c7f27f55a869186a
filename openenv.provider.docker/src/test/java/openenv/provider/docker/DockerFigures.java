package openenv.provider.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import openenv.api.Containers;
import openenv.api.EnvClient;
import openenv.api.GenericEnvClient;
import openenv.api.spi.ContainerSpec;
import openenv.api.spi.RunningContainer;

/**
 * The figures of the provider's note, for an image that serves echo (default {@code openenv/echo:latest}):
 * cold start to first step, warm-pool take to first step, and containers started per minute at a bounded
 * parallelism. Not a test; run it on the test class path:
 * <pre>
 * ./mvnw -q -pl openenv.provider.docker -am install -DskipTests
 * ./mvnw -q -pl openenv.provider.docker dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp openenv.provider.docker/target/test-classes:openenv.provider.docker/target/classes:$(cat /tmp/cp.txt) \
 *      openenv.provider.docker.DockerFigures openenv/echo:latest
 * </pre>
 */
final class DockerFigures {

    private DockerFigures() {
    }

    public static void main(String[] args) throws Exception {
        String image = args.length > 0 ? args[0] : "openenv/echo:latest";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        ContainerSpec spec = ContainerSpec.of(image);
        System.out.printf("image %s, Java %s, %d cores%n", image, Runtime.version(),
                Runtime.getRuntime().availableProcessors());

        // Warm-up: the first start also loads docker-java, the HTTP client and the reaper.
        stepOnce(spec);

        List<Long> cold = new ArrayList<>();
        List<Long> coldReady = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            try (RunningContainer c = Containers.start("docker", spec)) {
                coldReady.add(ms(t0));
                try (GenericEnvClient env = EnvClient.builder().url(ws(c)).buildGeneric()) {
                    env.reset();
                    env.step(Map.of("message", "hi"));
                }
                cold.add(ms(t0));
            }
        }
        report("cold: start -> healthy", coldReady);
        report("cold: start -> first step (ws)", cold);

        List<Long> warm = new ArrayList<>();
        try (DockerPool pool = DockerPool.builder(spec).size(4).maxParallelStarts(2).build()) {
            for (int i = 0; i < rounds; i++) {
                pool.awaitFull(Duration.ofSeconds(60)); // not timed: a pool in steady state
                long t0 = System.nanoTime();
                try (RunningContainer c = pool.take();
                     GenericEnvClient env = EnvClient.builder().url(ws(c)).buildGeneric()) {
                    env.reset();
                    env.step(Map.of("message", "hi"));
                    warm.add(ms(t0));
                }
            }
        }
        report("warm pool: take -> first step (ws)", warm);

        int count = 16;
        for (int parallel : new int[] {1, 2, 4}) {
            ExecutorService starters = Executors.newFixedThreadPool(parallel);
            List<Future<RunningContainer>> started = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                started.add(starters.submit(() -> Containers.start("docker", spec)));
            }
            List<RunningContainer> all = new ArrayList<>();
            for (Future<RunningContainer> f : started) {
                all.add(f.get());
            }
            long elapsed = ms(t0);
            starters.shutdown();
            long r0 = System.nanoTime();
            all.parallelStream().forEach(RunningContainer::close);
            System.out.printf("throughput: %d healthy containers with at most %d starting at once: %d ms ="
                    + " %.0f/min (then removed in %d ms)%n", count, parallel, elapsed, count * 60_000.0 / elapsed,
                    ms(r0));
        }
    }

    private static void stepOnce(ContainerSpec spec) {
        try (GenericEnvClient env = EnvClient.builder().container(spec).buildGeneric()) {
            env.reset();
            env.step(Map.of("message", "warm-up"));
        }
    }

    private static String ws(RunningContainer c) {
        return c.baseUri().toString().replaceFirst("^http", "ws");
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void report(String what, List<Long> samples) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        System.out.printf("%s: median %d ms, min %d, max %d (n=%d)%n", what, sorted.get(sorted.size() / 2),
                sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }
}
