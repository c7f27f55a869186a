package openenv.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import openenv.api.ClientBuilder;
import openenv.api.EnvClient;
import openenv.api.EnvironmentException;
import openenv.api.GenericEnvClient;

/**
 * Drives any OpenEnv server with the generic client: per session one reset, some warm-up steps, then
 * {@code steps} timed steps; {@code sessions} sessions run concurrently, each on its own thread.
 */
final class Bench {

    /** What to run. */
    record Plan(String url, Optional<String> transport, int steps, int sessions, int warmup,
                Map<String, Object> action) {
    }

    /** What came out. Latencies in microseconds. */
    record Result(String transport, String protocol, String url, int sessions, long steps, long errors,
                  double p50, double p90, double p99, double stepsPerSecond, Optional<String> firstError) {

        String json() {
            return String.format(Locale.ROOT, "{\"transport\":\"%s\",\"protocol\":\"%s\",\"url\":\"%s\",\"sessions\":%d,"
                            + "\"steps\":%d,\"errors\":%d,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,"
                            + "\"steps_per_s\":%.0f}", transport, protocol, url, sessions, steps, errors, p50, p90, p99,
                    stepsPerSecond);
        }
    }

    private Bench() {
    }

    static Result run(Plan plan, PrintStream progress) {
        int sessions = plan.sessions();
        long[][] latencies = new long[sessions][];
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicReference<String> transport = new AtomicReference<>("?");
        AtomicReference<String> protocol = new AtomicReference<>("?");
        AtomicLong startNanos = new AtomicLong();
        CyclicBarrier ready = new CyclicBarrier(sessions, () -> startNanos.set(System.nanoTime()));
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            int index = s;
            Thread thread = new Thread(() -> {
                long[] mine = new long[plan.steps()];
                int recorded = 0;
                GenericEnvClient client = null;
                try {
                    ClientBuilder builder = EnvClient.builder().url(plan.url()).requestTimeout(Duration.ofSeconds(30));
                    plan.transport().ifPresent(builder::transport);
                    client = builder.buildGeneric();
                    transport.set(client.transport());
                    protocol.set(client.protocol());
                    client.reset();
                    for (int i = 0; i < plan.warmup(); i++) {
                        client.step(plan.action());
                    }
                } catch (RuntimeException | LinkageError e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, String.valueOf(e));
                    if (client != null) {
                        try {
                            client.close();
                        } catch (RuntimeException ignored) {
                            // already failing; the first error is what the user needs
                        }
                        client = null;
                    }
                }
                try {
                    ready.await();
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
                if (client != null) {
                    try (GenericEnvClient c = client) {
                        for (int i = 0; i < plan.steps(); i++) {
                            long t0 = System.nanoTime();
                            try {
                                c.step(plan.action());
                                mine[recorded++] = System.nanoTime() - t0;
                            } catch (EnvironmentException e) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, e.getMessage());
                            }
                            done.incrementAndGet();
                        }
                    } catch (RuntimeException | LinkageError e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, String.valueOf(e));
                    }
                }
                latencies[index] = Arrays.copyOf(mine, recorded);
            }, "bench-session-" + s);
            threads.add(thread);
            thread.start();
        }
        long total = (long) plan.steps() * sessions;
        long lastPrint = 0;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                long now = System.nanoTime();
                if (progress != null && startNanos.get() != 0 && now - lastPrint > 500_000_000L) {
                    lastPrint = now;
                    double seconds = (now - startNanos.get()) / 1e9;
                    progress.printf(Locale.ROOT, "\r  %,d / %,d steps  %,.0f steps/s   ", done.get(), total,
                            done.get() / Math.max(seconds, 1e-9));
                    progress.flush();
                }
            }
        }
        long elapsed = System.nanoTime() - startNanos.get();
        if (progress != null) {
            progress.print("\r" + " ".repeat(60) + "\r");
            progress.flush();
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(transport.get(), protocol.get(), plan.url(), sessions, all.length, errors.get(),
                percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99),
                all.length / Math.max(elapsed / 1e9, 1e-9), Optional.ofNullable(firstError.get()));
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    static String tableHeader() {
        return String.format(Locale.ROOT, "%-11s %-10s %8s %9s %9s %9s %9s %12s %7s", "transport", "protocol",
                "sessions", "steps", "p50 µs", "p90 µs", "p99 µs", "steps/s", "errors");
    }

    static String tableRow(Result r) {
        return String.format(Locale.ROOT, "%-11s %-10s %8d %9d %9.1f %9.1f %9.1f %,12.0f %7d", r.transport(),
                r.protocol(), r.sessions(), r.steps(), r.p50(), r.p90(), r.p99(), r.stepsPerSecond(), r.errors());
    }
}
