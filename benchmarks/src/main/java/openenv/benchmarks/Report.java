package openenv.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a suite folder (JMH JSON files, {@code scale.json}, {@code machine.json}) into {@code results.md}. Latency
 * percentiles are computed per fork from JMH's raw sample histograms and the median over forks is reported, with
 * the spread of the fork p50s, so one disturbed fork shows instead of hiding in a merged histogram.
 *
 * <pre>java -cp benchmarks.jar openenv.benchmarks.Report results/2025-01-01</pre>
 */
public final class Report {

    private static final String FLOOR = "TcpFloorBenchmark.pingPong";
    private static final String STEP = "StepRoundTripBenchmark.step";
    private static final String WS_FLOOR = "48/119";
    private static final String HTTP_FLOOR = "210/160";

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Path table = write(Path.of(args.length > 0 ? args[0] : "."));
        System.out.println(Files.readString(table));
    }

    /** One latency row: per-fork p50 / p99 (µs), their medians, and bytes per op. */
    record Latency(String name, List<Double> forkP50, List<Double> forkP99, double allocPerOp) {
        double p50() {
            return median(forkP50);
        }

        double p99() {
            return median(forkP99);
        }
    }

    static Path write(Path dir) throws IOException {
        StringBuilder md = new StringBuilder();
        Map<String, Object> machine = readMap(dir.resolve("machine.json")).orElse(Map.of());
        md.append("Machine: ").append(machine.getOrDefault("cores", "?")).append(" cores (")
                .append(machine.getOrDefault("cpu", "?")).append("), ")
                .append(machine.getOrDefault("memory_mb", "?")).append(" MB, ")
                .append(machine.getOrDefault("jdk", "?")).append("; commit ")
                .append(machine.getOrDefault("commit", "?")).append(", ").append(machine.getOrDefault("date", "?"))
                .append(Boolean.TRUE.equals(machine.get("quick")) ? " (QUICK run: not for quoting)" : "")
                .append(".\n");
        md.append(Boolean.FALSE.equals(machine.get("cpus_kept_awake"))
                ? "CPUs were allowed to idle (--idle-cpus): every wake-up of a halted vCPU is in the numbers.\n"
                : "Latency and throughput ran with a nice-19 busy loop keeping the vCPUs out of idle (see "
                + "benchmarks/README.md).\n");
        if (machine.get("interference") instanceof List<?> loads && !loads.isEmpty()) {
            md.append("Other work on the machine (CPU busy, not niced, during a 1 s pause of the suite before each group): ");
            List<String> parts = new ArrayList<>();
            for (Object load : loads) {
                Map<?, ?> entry = (Map<?, ?>) load;
                parts.add(entry.get("before") + " " + entry.get("others_cpu_busy_percent") + "%");
            }
            md.append(String.join(", ", parts)).append(".\n");
        }

        Map<String, Latency> latency = latency(dir.resolve("latency.json"));
        Map<String, Map<Integer, Double>> throughput = throughput(dir);
        Map<String, double[]> codec = codec(dir.resolve("codec.json"));
        Map<String, Object> scale = readMap(dir.resolve("scale.json")).orElse(null);

        if (!latency.isEmpty()) {
            Latency wsFloor = latency.get("floor " + WS_FLOOR);
            Latency httpFloor = latency.get("floor " + HTTP_FLOOR);
            md.append("\n### Step round trip, one session, sequential (echo; client and server in one JVM)\n\n");
            md.append("| Pair | p50 µs | p99 µs | p50 / floor | bytes allocated / step | fork p50s µs |\n");
            md.append("|---|---:|---:|---:|---:|---|\n");
            for (Latency row : latency.values()) {
                Latency floor = row.name().contains("-ws") ? wsFloor
                        : row.name().contains("-http") ? httpFloor : null;
                String ratio = floor == null ? "—" : fmt(row.p50() / floor.p50(), 1) + "×";
                md.append("| ").append(label(row.name())).append(" | ").append(fmt(row.p50(), 1)).append(" | ")
                        .append(fmt(row.p99(), 1)).append(" | ").append(ratio).append(" | ")
                        .append(row.name().startsWith("floor") ? "—" : String.format(Locale.ROOT, "%,.0f",
                                row.allocPerOp()))
                        .append(" | ").append(forkList(row.forkP50())).append(" |\n");
            }
        }
        if (!throughput.isEmpty()) {
            md.append("\n### Throughput, steps/s, K concurrent sessions (one blocking client thread each)\n\n");
            md.append("The TCP floor row is K independent blocking ping-pong pairs (2K threads) in the same run.\n\n");
            md.append("| Pair |");
            for (int k : Suite.SESSIONS) {
                md.append(" K=").append(k).append(" |");
            }
            md.append("\n|---|");
            for (int ignored : Suite.SESSIONS) {
                md.append("---:|");
            }
            md.append("\n");
            for (Map.Entry<String, Map<Integer, Double>> row : throughput.entrySet()) {
                md.append("| ").append(label(row.getKey())).append(" |");
                for (int k : Suite.SESSIONS) {
                    Double value = row.getValue().get(k);
                    md.append(' ').append(value == null ? "—" : String.format(Locale.ROOT, "%,.0f", value))
                            .append(" |");
                }
                md.append("\n");
            }
        }
        if (!codec.isEmpty()) {
            md.append("\n### Codec alone\n\n| Operation | µs / op | bytes allocated / op |\n|---|---:|---:|\n");
            for (Map.Entry<String, double[]> row : codec.entrySet()) {
                md.append("| ").append(row.getKey()).append(" | ").append(fmt(row.getValue()[0], 2)).append(" | ")
                        .append(String.format(Locale.ROOT, "%,.0f", row.getValue()[1])).append(" |\n");
            }
        }
        if (scale != null) {
            md.append("\n### Idle WebSocket sessions (server in its own JVM, ")
                    .append(scale.get("server_jvm_options")).append(")\n\n");
            md.append("| Sessions | answered a step after | server heap after GC | heap / session | RSS / session |\n");
            md.append("|---:|---:|---:|---:|---:|\n");
            md.append(String.format(Locale.ROOT, "| %,d | %,d | %.0f MB | %,d B | %,d B |%n",
                    num(scale.get("opened")).longValue(), num(scale.get("answered")).longValue(),
                    num(scale.get("heap_with_sessions_bytes")).doubleValue() / 1e6,
                    num(scale.get("heap_per_session_bytes")).longValue(),
                    num(scale.get("rss_per_session_bytes")).longValue()));
        }
        md.append(goals(latency, throughput, scale));
        Path file = dir.resolve("results.md");
        Files.writeString(file, md.toString());
        return file;
    }

    private static String goals(Map<String, Latency> latency, Map<String, Map<Integer, Double>> throughput,
                                Map<String, Object> scale) {
        StringBuilder md = new StringBuilder("\n### Goals\n\n| Goal | Measured | Met |\n|---|---|---|\n");
        Latency wsFloor = latency.get("floor " + WS_FLOOR);
        Latency httpFloor = latency.get("floor " + HTTP_FLOOR);
        for (String ws : List.of("netty-ws", "netty-ws+io")) {
            Latency row = latency.get(ws);
            if (row != null && wsFloor != null) {
                double ratio = row.p50() / wsFloor.p50();
                goal(md, "WebSocket step p50 ≤ 3× floor (" + label(ws) + ")", fmt(ratio, 1) + "× ("
                        + fmt(row.p50(), 1) + " µs vs " + fmt(wsFloor.p50(), 1) + " µs)", ratio <= 3);
            }
        }
        for (String suffix : List.of("", "+io")) {
            Latency bestHttp = null;
            for (String http : List.of("netty-http", "httpclient-http")) {
                Latency row = latency.get(http + suffix);
                if (row != null && (bestHttp == null || row.p50() < bestHttp.p50())) {
                    bestHttp = row;
                }
            }
            if (bestHttp != null && httpFloor != null) {
                double ratio = bestHttp.p50() / httpFloor.p50();
                goal(md, "HTTP step p50 (best client" + (suffix.isEmpty() ? "" : ", `runOnIoThread`")
                        + ") ≤ 5× floor", fmt(ratio, 1) + "× (" + label(bestHttp.name()) + ", "
                        + fmt(bestHttp.p50(), 1) + " µs)", ratio <= 5);
            }
        }
        for (String pair : List.of("local", "local+io")) {
            Latency local = latency.get(pair);
            if (local != null) {
                goal(md, "In-process step ≤ 5 µs (" + label(pair) + ")", fmt(local.p50(), 1) + " µs p50",
                        local.p50() <= 5);
            }
        }
        for (String ws : List.of("netty-ws", "netty-ws+io")) {
            Double rate = throughput.getOrDefault(ws, Map.of()).get(64);
            if (rate != null) {
                goal(md, "≥ 50,000 steps/s with 64 WebSocket sessions (" + label(ws) + ")",
                        String.format(Locale.ROOT, "%,.0f", rate), rate >= 50_000);
            }
        }
        for (String pair : List.of("netty-ws")) {
            Latency ws = latency.get(pair);
            if (ws != null) {
                goal(md, "≤ 4 KB allocated per echo step over WebSocket, client + server (" + label(pair) + ")",
                        String.format(Locale.ROOT, "%,.0f B", ws.allocPerOp()), ws.allocPerOp() <= 4096);
            }
        }
        if (scale != null) {
            double heap = num(scale.get("heap_with_sessions_bytes")).doubleValue();
            long opened = num(scale.get("opened")).longValue();
            goal(md, "10,000 idle WebSocket sessions in ≤ 512 MB heap", String.format(Locale.ROOT,
                    "%.0f MB for %,d sessions", heap / 1e6, opened), heap <= 512e6 && opened >= 10_000);
        }
        return md.toString();
    }

    private static void goal(StringBuilder md, String goal, String measured, boolean met) {
        md.append("| ").append(goal).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    // ------------------------------------------------------------------ reading

    private static Map<String, Latency> latency(Path file) throws IOException {
        Map<String, Latency> rows = new LinkedHashMap<>();
        Map<String, Latency> floors = new LinkedHashMap<>();
        for (Map<String, Object> result : results(file)) {
            String name = shortName(result);
            Map<?, ?> primary = (Map<?, ?>) result.get("primaryMetric");
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (Object fork : (List<?>) primary.get("rawDataHistogram")) {
                List<double[]> samples = new ArrayList<>();
                for (Object iteration : (List<?>) fork) {
                    for (Object pair : (List<?>) iteration) {
                        List<?> vc = (List<?>) pair;
                        samples.add(new double[] {num(vc.get(0)).doubleValue(), num(vc.get(1)).doubleValue()});
                    }
                }
                p50.add(percentile(samples, 0.50));
                p99.add(percentile(samples, 0.99));
            }
            double alloc = secondary(result, "gc.alloc.rate.norm");
            Latency row;
            if (name.startsWith(FLOOR)) {
                String sizes = String.valueOf(((Map<?, ?>) result.get("params")).get("sizes"));
                row = new Latency("floor " + sizes, p50, p99, alloc);
                floors.put(row.name(), row);
            } else {
                String pair = String.valueOf(((Map<?, ?>) result.get("params")).get("pair"));
                row = new Latency(pair, p50, p99, alloc);
                rows.put(pair, row);
            }
        }
        Map<String, Latency> ordered = new LinkedHashMap<>(floors);
        ordered.putAll(rows);
        return ordered;
    }

    private static Map<String, Map<Integer, Double>> throughput(Path dir) throws IOException {
        Map<String, Map<Integer, Double>> rows = new LinkedHashMap<>();
        for (int k : Suite.SESSIONS) {
            for (Map<String, Object> result : results(dir.resolve("throughput-" + k + ".json"))) {
                String pair = shortName(result).startsWith(FLOOR) ? "floor " + WS_FLOOR
                        : String.valueOf(((Map<?, ?>) result.get("params")).get("pair"));
                double score = num(((Map<?, ?>) result.get("primaryMetric")).get("score")).doubleValue();
                rows.computeIfAbsent(pair, p -> new LinkedHashMap<>()).put(k, score);
            }
        }
        return rows;
    }

    private static Map<String, double[]> codec(Path file) throws IOException {
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (Map<String, Object> result : results(file)) {
            double score = num(((Map<?, ?>) result.get("primaryMetric")).get("score")).doubleValue();
            rows.put(shortName(result).replace("CodecBenchmark.", ""),
                    new double[] {score, secondary(result, "gc.alloc.rate.norm")});
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return (List<Map<String, Object>>) Json.read(file);
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> readMap(Path file) throws IOException {
        return Files.exists(file) ? Optional.of((Map<String, Object>) Json.read(file)) : Optional.empty();
    }

    private static String shortName(Map<String, Object> result) {
        return String.valueOf(result.get("benchmark")).replace("openenv.benchmarks.", "");
    }

    private static double secondary(Map<String, Object> result, String metric) {
        Object secondary = result.get("secondaryMetrics");
        if (secondary instanceof Map<?, ?> map && map.get(metric) instanceof Map<?, ?> m) {
            return num(m.get("score")).doubleValue();
        }
        return Double.NaN;
    }

    /** The smallest sampled value with at least {@code q} of the samples at or below it. */
    static double percentile(List<double[]> valueCounts, double q) {
        List<double[]> sorted = new ArrayList<>(valueCounts);
        sorted.sort((a, b) -> Double.compare(a[0], b[0]));
        double total = 0;
        for (double[] vc : sorted) {
            total += vc[1];
        }
        double seen = 0;
        for (double[] vc : sorted) {
            seen += vc[1];
            if (seen >= q * total) {
                return vc[0];
            }
        }
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1)[0];
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Number num(Object value) {
        if (value instanceof Number n) {
            return n;
        }
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String forkList(List<Double> values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(fmt(v, 1));
        }
        return String.join(", ", parts);
    }

    /** Human names of the pairs. */
    static String label(String pair) {
        return switch (pair) {
            case "local" -> "in-process (`local`)";
            case "local+io" -> "in-process, `runOnIoThread`";
            case "netty-ws" -> "Netty server × Netty WebSocket client";
            case "netty-ws+io" -> "Netty server (`runOnIoThread`) × Netty WebSocket client";
            case "netty-http" -> "Netty server × Netty HTTP client";
            case "netty-http+io" -> "Netty server (`runOnIoThread`) × Netty HTTP client";
            case "httpclient-http" -> "Netty server × Apache HttpClient 5";
            case "httpclient-http+io" -> "Netty server (`runOnIoThread`) × Apache HttpClient 5";
            default -> pair.startsWith("floor ") ? "TCP floor, " + pair.substring(6) + " bytes" : pair;
        };
    }
}
