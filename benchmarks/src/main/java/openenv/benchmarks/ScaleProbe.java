package openenv.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import openenv.api.EnvClient;
import openenv.api.EnvTypes;
import openenv.examples.EchoAction;
import openenv.examples.EchoObservation;
import openenv.examples.EchoState;

/**
 * Memory per idle WebSocket session: starts an echo server in its own JVM with the {@code openenv} launcher,
 * opens {@code sessions} WebSocket sessions to it (each one reset, then left idle), and reports the server's heap
 * after a full GC ({@code jcmd GC.run} + {@code GC.heap_info}) and its resident set size, both minus the same
 * figures taken after a warm-up with no session open; then steps every session once to check all still answer.
 *
 * <pre>java -cp benchmarks.jar openenv.benchmarks.ScaleProbe --launcher ./openenv --sessions 10000 --out scale.json</pre>
 */
public final class ScaleProbe {

    private static final EnvTypes<EchoAction, EchoObservation, EchoState> ECHO =
            EnvTypes.of(EchoAction.class, EchoObservation.class, EchoState.class);
    private static final Pattern URL = Pattern.compile("on (http://\\S+)");
    private static final Pattern G1_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private ScaleProbe() {
    }

    /** What came out; memory in bytes. */
    record Result(int sessions, int opened, int answered, long heapBaseline, long heapWithSessions, long rssBaseline,
                  long rssWithSessions, String serverJvmOptions, double openSeconds, String firstError) {

        long heapPerSession() {
            return opened == 0 ? 0 : (heapWithSessions - heapBaseline) / opened;
        }

        long rssPerSession() {
            return opened == 0 ? 0 : (rssWithSessions - rssBaseline) / opened;
        }

        Map<String, Object> tree() {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("sessions", sessions);
            tree.put("opened", opened);
            tree.put("answered", answered);
            tree.put("heap_baseline_bytes", heapBaseline);
            tree.put("heap_with_sessions_bytes", heapWithSessions);
            tree.put("heap_per_session_bytes", heapPerSession());
            tree.put("rss_baseline_bytes", rssBaseline);
            tree.put("rss_with_sessions_bytes", rssWithSessions);
            tree.put("rss_per_session_bytes", rssPerSession());
            tree.put("server_jvm_options", serverJvmOptions);
            tree.put("open_seconds", openSeconds);
            tree.put("first_error", firstError);
            return tree;
        }
    }

    public static void main(String[] args) throws Exception {
        String launcher = "./openenv";
        int sessions = 10_000;
        Path out = null;
        String serverOptions = "-Xmx1g";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--launcher" -> launcher = args[++i];
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--server-jvm-options" -> serverOptions = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Result result = run(launcher, sessions, serverOptions, System.out);
        String json = new String(Json.CODEC.write(result.tree()), StandardCharsets.UTF_8);
        if (out != null) {
            Files.writeString(out, json);
        }
        System.out.println(json);
        System.exit(result.answered() == sessions ? 0 : 1);
    }

    static Result run(String launcher, int sessions, String serverOptions, PrintStream progress) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(launcher, "serve", "echo", "--port", "0", "--max-sessions",
                String.valueOf(sessions + 1000), "--idle-timeout", "0");
        builder.environment().put("OPENENV_JAVA_OPTS", serverOptions);
        builder.redirectErrorStream(true);
        Process server = builder.start();
        List<EnvClient<EchoAction, EchoObservation, EchoState>> clients = new ArrayList<>();
        try {
            String base = awaitUrl(server);
            String ws = base.replaceFirst("^http", "ws");
            long pid = server.pid();
            progress.printf(Locale.ROOT, "  scale: server pid %d on %s (%s)%n", pid, base, serverOptions);

            // Warm-up: load classes and compile the session paths, then measure with nothing open.
            for (int round = 0; round < 3; round++) {
                List<EnvClient<EchoAction, EchoObservation, EchoState>> warm = open(ws, 300, new AtomicReference<>());
                for (EnvClient<EchoAction, EchoObservation, EchoState> client : warm) {
                    client.step(StepRoundTripBenchmark.ACTION);
                    client.close();
                }
            }
            Thread.sleep(500); // let the server notice the closes
            long heapBaseline = heapAfterGc(pid);
            long rssBaseline = rss(pid);
            progress.printf(Locale.ROOT, "  scale: baseline heap %.1f MB, RSS %.1f MB; opening %d sessions...%n",
                    heapBaseline / 1e6, rssBaseline / 1e6, sessions);

            AtomicReference<String> firstError = new AtomicReference<>();
            long start = System.nanoTime();
            clients.addAll(open(ws, sessions, firstError));
            double openSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(500);
            long heap = heapAfterGc(pid);
            long rss = rss(pid);
            progress.printf(Locale.ROOT, "  scale: %d open in %.1f s; heap %.1f MB, RSS %.1f MB; stepping each...%n",
                    clients.size(), openSeconds, heap / 1e6, rss / 1e6);

            int answered = 0;
            for (EnvClient<EchoAction, EchoObservation, EchoState> client : clients) {
                try {
                    if (client.step(StepRoundTripBenchmark.ACTION).observation().messageLength() == 5) {
                        answered++;
                    }
                } catch (RuntimeException e) {
                    firstError.compareAndSet(null, e.toString());
                }
            }
            return new Result(sessions, clients.size(), answered, heapBaseline, heap, rssBaseline, rss,
                    serverOptions, openSeconds, firstError.get());
        } finally {
            closeAll(clients);
            server.destroy();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Opens {@code count} reset sessions with a few threads; failures are counted, the first one kept. */
    private static List<EnvClient<EchoAction, EchoObservation, EchoState>> open(String url, int count,
                                                                                AtomicReference<String> firstError)
            throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        List<Future<List<EnvClient<EchoAction, EchoObservation, EchoState>>>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            parts.add(pool.submit(() -> {
                List<EnvClient<EchoAction, EchoObservation, EchoState>> mine = new ArrayList<>();
                while (next.getAndIncrement() < count) {
                    try {
                        mine.add(EnvClient.builder().url(url).transport("netty").build(ECHO));
                        mine.get(mine.size() - 1).reset();
                    } catch (RuntimeException e) {
                        firstError.compareAndSet(null, e.toString());
                    }
                }
                return mine;
            }));
        }
        List<EnvClient<EchoAction, EchoObservation, EchoState>> all = new ArrayList<>(count);
        for (Future<List<EnvClient<EchoAction, EchoObservation, EchoState>>> part : parts) {
            all.addAll(part.get());
        }
        pool.shutdown();
        return all;
    }

    private static void closeAll(List<EnvClient<EchoAction, EchoObservation, EchoState>> clients) {
        for (EnvClient<EchoAction, EchoObservation, EchoState> client : clients) {
            try {
                client.close();
            } catch (RuntimeException e) {
                // the server is going away anyway
            }
        }
    }

    private static String awaitUrl(Process server) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = URL.matcher(line);
            if (line.startsWith("Serving") && m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (lines.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (IOException ignored) {
                        // server gone
                    }
                }, "scale-server-output");
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IOException("the server exited before printing its URL:\n" + seen);
    }

    /** Used heap after a full GC, from {@code jcmd}. */
    static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = G1_USED.matcher(info);
        if (!m.find()) {
            throw new IOException("cannot read the used heap from jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(m.group(2)) * 1024;
    }

    /** Resident set size from {@code /proc/<pid>/status}. */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed:\n" + text);
        }
        return text;
    }
}
