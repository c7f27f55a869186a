package openenv.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole suite in one go, sized for a 2-core machine (about 10 minutes): step latency of every transport pair
 * with the TCP floor in the same JMH run (and bytes allocated per step), throughput with 1, 16, 64 and 256
 * sessions, the codec alone, and the idle-session scale probe. Writes the raw JMH JSON, the probe's JSON, the
 * machine description and {@code results.md} (see {@link Report}) into the output folder; prints progress.
 *
 * <pre>java -cp benchmarks.jar openenv.benchmarks.Suite --out results/2025-01-01 --launcher ./openenv [--quick]
 *     [--only latency,throughput,codec,scale]</pre>
 */
public final class Suite {

    /** Latency: every pair, each with the server's default worker pool and with {@code runOnIoThread} ({@code +io}). */
    static final String[] LATENCY_PAIRS = {"local", "local+io", "netty-ws", "netty-ws+io",
        "netty-http", "netty-http+io", "httpclient-http", "httpclient-http+io"};
    /**
     * Throughput: every client transport with the default server, the WebSocket ones also with {@code +io}. Not
     * {@code local+io}: with more threads than cores and no blocking anywhere, JMH's per-thread timing of an
     * in-process call is not a throughput.
     */
    static final String[] THROUGHPUT_PAIRS = {"local", "netty-ws", "netty-ws+io",
        "netty-http", "httpclient-http"};
    static final int[] SESSIONS = {1, 16, 64, 256};

    private final Path out;
    private final boolean quick;
    /** See {@link #awake()}. */
    private final boolean keepAwake;
    private final Map<String, Object> machine = new LinkedHashMap<>();
    private final List<Object> loads = new ArrayList<>();

    private Suite(Path out, boolean quick, boolean keepAwake) {
        this.out = out;
        this.quick = quick;
        this.keepAwake = keepAwake;
    }

    public static void main(String[] args) throws Exception {
        Path out = null;
        String launcher = "./openenv";
        String commit = "unknown";
        boolean quick = false;
        boolean keepAwake = true;
        Set<String> only = Set.of("latency", "throughput", "codec", "scale");
        int scaleSessions = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--launcher" -> launcher = args[++i];
                case "--commit" -> commit = args[++i];
                case "--quick" -> quick = true;
                case "--idle-cpus" -> keepAwake = false;
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--scale-sessions" -> scaleSessions = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        Files.createDirectories(out);
        Suite suite = new Suite(out, quick, keepAwake);
        suite.describeMachine(commit);
        long start = System.nanoTime();
        try (AutoCloseable awake = suite.awake()) {
            if (only.contains("latency")) {
                suite.latency();
            }
            if (only.contains("throughput")) {
                suite.throughput();
            }
        }
        if (only.contains("codec")) {
            suite.codec();
        }
        if (only.contains("scale")) {
            suite.scale(launcher, quick ? 500 : scaleSessions);
        }
        suite.machine.put("interference", suite.loads);
        suite.machine.put("suite_seconds", (System.nanoTime() - start) / 1e9);
        Json.write(out.resolve("machine.json"), suite.machine);
        Path table = Report.write(out);
        System.out.println();
        System.out.println(Files.readString(table));
        System.out.printf(Locale.ROOT, "bench-suite: done in %s; results in %s%n",
                Duration.ofSeconds((long) ((System.nanoTime() - start) / 1e9)), out);
    }

    private void describeMachine(String commit) throws IOException {
        machine.put("date", Instant.now().toString());
        machine.put("commit", commit);
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("memory_mb", memoryMb());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("quick", quick);
        machine.put("cpus_kept_awake", keepAwake);
        System.out.printf(Locale.ROOT, "bench-suite: %d cores (%s), %s; load average %s; writing %s%n",
                machine.get("cores"), machine.get("cpu"), machine.get("jdk"), loadAverage(), out);
    }

    /**
     * On a virtual machine an idle vCPU is halted, and waking it goes through the hypervisor: on the 2-core
     * machine this suite was written on that alone moved the TCP floor from 14 to 53 µs, and every thread hand-off
     * of a step with it. For the latency and throughput groups the suite therefore keeps the cores from idling
     * with one lowest-priority busy loop ({@code nice -n 19}, about 1.5% of a core when the benchmark wants it
     * all), so the numbers measure the software, not the hypervisor's wake-up. {@code --idle-cpus} measures
     * without it. Returns what stops it.
     */
    private AutoCloseable awake() {
        if (!keepAwake) {
            return () -> { };
        }
        try {
            // The loop ends by itself when this JVM is gone (kill -0 on its parent, every 200,000 turns: the loop
            // must stay in user mode, or its system calls count as other work and disturb the kernel paths we time).
            Process spinner = new ProcessBuilder("nice", "-n", "19", "sh", "-c",
                    "i=0; while :; do i=$((i+1)); if [ $i -ge 200000 ]; then i=0; kill -0 $PPID 2>/dev/null "
                            + "|| exit 0; fi; done").redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(spinner::destroy, "suite-stop-busy-loop"));
            System.out.println("bench-suite: keeping the CPUs out of idle with a nice-19 busy loop (pid "
                    + spinner.pid() + "); --idle-cpus to measure without it");
            return () -> {
                spinner.destroy();
                spinner.waitFor(5, TimeUnit.SECONDS);
            };
        } catch (IOException e) {
            System.out.println("bench-suite: could not start the busy loop (" + e.getMessage() + "); CPUs may idle");
            machine.put("cpus_kept_awake", false);
            return () -> { };
        }
    }

    // ------------------------------------------------------------------ groups

    /** Sequential step latency of every pair plus the TCP floor, one JMH run; -prof gc for bytes per step. */
    private void latency() throws Exception {
        ChainedOptionsBuilder options = base("latency", 2)
                .include("^openenv\\.benchmarks\\.(TcpFloorBenchmark\\.pingPong|StepRoundTripBenchmark\\.step)$")
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .param("pair", LATENCY_PAIRS)
                .addProfiler(GCProfiler.class);
        run("latency", options);
    }

    /** Steps per second with K concurrent sessions (one JMH thread each), one JMH run per K. */
    private void throughput() throws Exception {
        for (int sessions : SESSIONS) {
            // Many client threads need longer than one thread for the JIT to settle: with 64 on 2 cores the
            // compiler threads get little CPU, and 1 s iterations were still climbing (38k, 48k, 59k steps/s).
            boolean many = sessions >= 16;
            ChainedOptionsBuilder options = base("throughput-" + sessions, 1)
                    .include("^openenv\\.benchmarks\\.(TcpFloorBenchmark\\.pingPong|StepRoundTripBenchmark\\.step)$")
                    .warmupIterations(quick ? 1 : many ? 4 : 3)
                    .warmupTime(quick ? TimeValue.milliseconds(300) : TimeValue.seconds(many ? 2 : 1))
                    .measurementTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(many ? 2 : 1))
                    .mode(Mode.Throughput)
                    .timeUnit(TimeUnit.SECONDS)
                    .threads(sessions)
                    .param("pair", THROUGHPUT_PAIRS)
                    .param("sizes", "48/119");
            run("throughput-" + sessions, options);
        }
    }

    /** The codec alone, average time and bytes per operation. */
    private void codec() throws Exception {
        ChainedOptionsBuilder options = base("codec", 2)
                .include("^openenv\\.benchmarks\\.CodecBenchmark\\.")
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .addProfiler(GCProfiler.class);
        run("codec", options);
    }

    private void scale(String launcher, int sessions) throws Exception {
        double othersBusy = recordOthers("scale");
        System.out.printf(Locale.ROOT, "[scale] %d idle WebSocket sessions against a server in its own JVM (CPU busy "
                + "with other work: %.0f%%)%n", sessions, othersBusy);
        ScaleProbe.Result result = ScaleProbe.run(launcher, sessions, "-Xmx1g", System.out);
        Json.write(out.resolve("scale.json"), result.tree());
        System.out.printf(Locale.ROOT, "[scale] heap %.0f B/session, RSS %.0f B/session, %d of %d answered a step%n",
                (double) result.heapPerSession(), (double) result.rssPerSession(), result.answered(),
                result.sessions());
    }

    // ------------------------------------------------------------------ running

    private ChainedOptionsBuilder base(String group, int forks) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(quick ? 1 : forks)
                .warmupIterations(quick ? 1 : 2)
                .warmupTime(quick ? TimeValue.milliseconds(300) : TimeValue.seconds(1))
                .measurementIterations(quick ? 1 : 3)
                .measurementTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
                .jvmArgs("-Xms512m", "-Xmx512m")
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve(group + ".json").toString())
                .output(out.resolve(group + ".log").toString());
        return options;
    }

    private void run(String group, ChainedOptionsBuilder options) throws RunnerException, IOException {
        double othersBusy = recordOthers(group);
        System.out.printf(Locale.ROOT, "[%s] starting (CPU busy with other work while the suite idles: %.0f%%; load "
                + "average %s); JMH log: %s%n", group, othersBusy, loadAverage(), out.resolve(group + ".log"));
        long start = System.nanoTime();
        Progress progress = new Progress(group, out.resolve(group + ".log"));
        progress.start();
        try {
            new Runner(options.build()).run();
        } finally {
            progress.finish();
        }
        System.out.printf(Locale.ROOT, "[%s] done in %.0f s%n", group, (System.nanoTime() - start) / 1e9);
    }

    /**
     * How busy the CPUs are with other work just before a group starts: the suite runs nothing for a second and
     * /proc/stat says what fraction of all cores was busy anyway (others' builds and tests on a shared machine),
     * not counting niced work such as the suite's own busy loop.
     */
    private double recordOthers(String group) {
        double busy = cpuBusyPercent();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("before", group);
        entry.put("others_cpu_busy_percent", Math.round(busy));
        entry.put("loadavg", loadAverage());
        loads.add(entry);
        return busy;
    }

    /** Percent of all cores busy over one second, from /proc/stat; NaN where there is none. */
    static double cpuBusyPercent() {
        try {
            long[] a = cpuTimes();
            Thread.sleep(1_000);
            long[] b = cpuTimes();
            double total = b[0] - a[0];
            return total <= 0 ? Double.NaN : 100.0 * (total - (b[1] - a[1])) / total;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** {total, idle + iowait + nice} jiffies of the aggregate "cpu" line (nice: our own busy loop). */
    private static long[] cpuTimes() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5]) + Long.parseLong(f[2])};
    }

    /** Echoes JMH's log as one line per fork: group, overall progress, benchmark and parameters. */
    private static final class Progress extends Thread {
        private final String group;
        private final Path log;
        private volatile boolean finished;
        private String benchmark = "";
        private String parameters = "";
        private String progress = "";

        Progress(String group, Path log) {
            super("suite-progress");
            setDaemon(true);
            this.group = group;
            this.log = log;
        }

        @Override
        public void run() {
            long offset = 0;
            StringBuilder partial = new StringBuilder();
            while (true) {
                boolean last = finished;
                try {
                    if (Files.exists(log)) {
                        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                            if (file.length() > offset) {
                                byte[] bytes = new byte[(int) (file.length() - offset)];
                                file.seek(offset);
                                file.readFully(bytes);
                                offset += bytes.length;
                                partial.append(new String(bytes, StandardCharsets.UTF_8));
                                int nl;
                                while ((nl = partial.indexOf("\n")) >= 0) {
                                    line(partial.substring(0, nl));
                                    partial.delete(0, nl + 1);
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // the log is optional
                }
                if (last) {
                    return;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void line(String line) {
            if (line.startsWith("# Benchmark: ")) {
                benchmark = line.substring("# Benchmark: openenv.benchmarks.".length());
            } else if (line.startsWith("# Parameters: ")) {
                parameters = line.substring("# Parameters: ".length());
            } else if (line.startsWith("# Run progress: ")) {
                progress = line.substring("# Run progress: ".length());
            } else if (line.startsWith("# Fork: ")) {
                System.out.printf(Locale.ROOT, "[%s] %s | %s %s | fork %s%n", group, progress, benchmark,
                        parameters, line.substring("# Fork: ".length()));
            } else if (line.startsWith("<failure>") || line.contains("Exception")) {
                System.out.printf(Locale.ROOT, "[%s] %s%n", group, line);
            }
        }

        void finish() {
            finished = true;
            try {
                join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ machine

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static long memoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }
}
