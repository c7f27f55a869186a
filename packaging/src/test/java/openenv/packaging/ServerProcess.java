package openenv.packaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server started from a linked runtime as a separate process; its URL is read from what it prints. */
final class ServerProcess implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("http://[0-9.]+:([0-9]+)");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<URI> uri = new CompletableFuture<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "server-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} with {@code env} added to this process's environment; stderr joins stdout. */
    static ServerProcess start(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            return new ServerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** The linked runtime the build made (target/runtime), checked to be there. */
    static Path runtime() {
        Path runtime = Path.of(System.getProperty("openenv.runtime", "target/runtime"));
        if (!Files.isExecutable(runtime.resolve("bin/openenv-server"))) {
            throw new IllegalStateException("No linked runtime at " + runtime.toAbsolutePath() + ": run the "
                    + "package phase (./mvnw -pl packaging -am verify), and do not set -Dopenenv.link.skip.");
        }
        return runtime;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.add(line);
                Matcher m = URL.matcher(line);
                if (!uri.isDone() && m.find()) {
                    uri.complete(URI.create(m.group()));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        uri.completeExceptionally(new IllegalStateException("server ended without printing its URL:\n" + output()));
    }

    /** Waits for the printed URL, then for {@code GET /health} = 200; returns the base URL (http://host:port). */
    URI awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI base = uri.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        while (true) {
            try {
                if (get(base, "/health").statusCode() == 200) {
                    return base;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("no 200 on " + base + "/health within " + timeout + "; output:\n" + output());
            }
            Thread.sleep(20);
        }
    }

    static HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(URI base, String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends SIGTERM ({@link Process#destroy()} on Linux) and returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running " + timeout + " after SIGTERM; output:\n" + output());
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
