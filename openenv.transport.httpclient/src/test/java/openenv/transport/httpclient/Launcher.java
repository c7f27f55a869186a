package openenv.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Finds the module jars the tests run with and launches {@link LaunchedSmoke} in another JVM. */
final class Launcher {

    static final String MODULE = "openenv.transport.httpclient";

    private Launcher() {
    }

    /** This module's folder (surefire runs tests there and sets {@code basedir}). */
    static Path basedir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    /** Where a module of the boot layer was loaded from: a jar, or target/classes for this one. */
    static Path moduleLocation(String module) {
        return ModuleLayer.boot().configuration().findModule(module)
                .flatMap(m -> m.reference().location()).map(Path::of)
                .orElseThrow(() -> new AssertionError(module + " is not on the module path of this test run"));
    }

    /** The jar or folder a class was loaded from, module path or class path. */
    static Path locationOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, ClassLoader.getSystemClassLoader());
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new AssertionError("Cannot locate " + className, e);
        }
    }

    static String modulePath(List<Path> entries) {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /** Runs {@code java} with {@code options} and {@link LaunchedSmoke} as main; returns its output. */
    static String runSmoke(Path java, List<String> options, String url) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(options);
        // LaunchedSmoke lives in the test classes: patch them into the linked (or module-path) module.
        command.add("--patch-module");
        command.add(MODULE + "=" + basedir().resolve("target/test-classes"));
        command.add("-m");
        command.add(MODULE + "/" + LaunchedSmoke.class.getName());
        command.add(url);
        return run(command);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(exited).as("%s did not exit:%n%s", command, text).isTrue();
        assertThat(process.exitValue()).as("exit code of %s, output:%n%s", command, text).isZero();
        return text;
    }
}
