package openenv.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and keeps its output (stderr merged into stdout). */
final class Commands {

    record Result(List<String> command, int exitCode, String output) {

        /** The output, trimmed; fails with the whole transcript when the command did not exit 0. */
        String ok() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
            }
            return output.trim();
        }
    }

    private Commands() {
    }

    static Result run(Duration timeout, Map<String, String> env, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // read fully before waiting, so a chatty command cannot block on a full pipe
            var output = new java.util.concurrent.CompletableFuture<String>();
            Thread reader = new Thread(() -> {
                try {
                    output.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.complete("(output unreadable: " + e + ")");
                }
            }, "command-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(List.of(command), process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            return new Result(List.of(command), 127, "cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("cannot read the output of " + String.join(" ", command), e);
        }
    }

    static Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return run(Duration.ofMinutes(2), Map.of(), command.toArray(String[]::new));
    }

    /** Why no Docker engine can be used here, or empty when {@code docker info} answers. */
    static Optional<String> dockerUnavailable() {
        Result info = run(Duration.ofSeconds(20), Map.of(), "docker", "info", "--format", "{{.ServerVersion}}");
        if (info.exitCode() == 0 && !info.output().isBlank()) {
            return Optional.empty();
        }
        String[] lines = info.output().trim().split("\n");
        return Optional.of("docker info exited " + info.exitCode() + ": " + lines[lines.length - 1]);
    }

    /** Aborts (skips) the calling test when no engine answers; fails it instead with OPENENV_REQUIRE_DOCKER=1. */
    static void requireDockerOrSkip() {
        Optional<String> why = dockerUnavailable();
        if (why.isEmpty()) {
            return;
        }
        String message = "No Docker engine answers (" + why.get() + "). Install and start one (Debian/Ubuntu: "
                + "apt-get install -y docker.io; dockerd &) to run the container tests.";
        if ("1".equals(System.getenv("OPENENV_REQUIRE_DOCKER"))) {
            throw new AssertionError(message + " OPENENV_REQUIRE_DOCKER=1, so this is a failure, not a skip.");
        }
        org.junit.jupiter.api.Assumptions.abort(message + " Skipped (set OPENENV_REQUIRE_DOCKER=1 to fail instead).");
    }

    static Path packagingDir() {
        return Path.of(System.getProperty("openenv.packaging.dir", ".")).toAbsolutePath();
    }
}
