package openenv.provider.docker;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the test images once per test JVM and removes them when the JVM ends: {@code FROM scratch}, a jlink
 * runtime from the JDK running the tests, the shared libraries it links (found with {@code ldd}), and the
 * program. No registry needed; a few seconds each.
 */
final class TestImages {

    private static String tiny;
    private static String echo;

    private TestImages() {
    }

    /** The tiny image ({@link TinyServer}, java.base only); builds it on first use. */
    static synchronized String tiny() {
        if (tiny == null) {
            tiny = build("openenv-test/tiny", Set.of("java.base"), (rootfs) -> {
                Path classFile = rootfs.resolve("app/openenv/provider/docker/TinyServer.class");
                Files.createDirectories(classFile.getParent());
                try (InputStream in = TinyServer.class.getResourceAsStream("TinyServer.class")) {
                    Files.copy(in, classFile);
                }
            }, List.of("-cp", "/app", "openenv.provider.docker.TinyServer"), List.of("serve"));
        }
        return tiny;
    }

    /**
     * A real OpenEnv server image: the echo environment of {@code openenv.examples} with the JSON codec and the
     * Netty transport, their jars taken from this test's module path, on a runtime linked with just the JDK
     * modules they need. What {@code ./openenv image echo} makes, without its startup cache.
     */
    static synchronized String echo() {
        if (echo == null) {
            // Maven may put test-scoped modules on the class path; look for the jars on both paths.
            Path[] modulePath = Stream.of(System.getProperty("jdk.module.path", ""),
                            System.getProperty("java.class.path", ""))
                    .flatMap(path -> Stream.of(path.split(File.pathSeparator)))
                    .filter(s -> s.endsWith(".jar") && (s.contains("openenv-") || s.contains("netty")
                            || s.contains("jackson-core")))
                    .distinct().map(Path::of).toArray(Path[]::new);
            Configuration graph = Configuration.resolve(ModuleFinder.of(modulePath), List.of(Configuration.empty()),
                    ModuleFinder.ofSystem(), Set.of("openenv.examples", "openenv.json", "openenv.transport.netty"));
            Set<String> jdk = new TreeSet<>(Set.of("jdk.unsupported")); // Netty's optional fast paths
            List<Path> jars = new ArrayList<>();
            for (ResolvedModule m : graph.modules()) {
                URI location = m.reference().location().orElseThrow();
                if (location.getScheme().equals("jrt")) {
                    jdk.add(m.name());
                } else {
                    jars.add(Path.of(location));
                }
            }
            echo = build("openenv-test/echo", jdk, rootfs -> {
                Path app = Files.createDirectories(rootfs.resolve("app"));
                for (Path jar : jars) {
                    if (Files.isDirectory(jar)) {
                        throw new IllegalStateException("echo image needs packaged jars, found directory " + jar);
                    }
                    Files.copy(jar, app.resolve(jar.getFileName()));
                }
            }, List.of("--module-path", "/app", "-m",
                    "openenv.examples/openenv.examples.Launcher"), List.of("serve", "echo"));
        }
        return echo;
    }

    /** Files to put into the image's root filesystem. */
    private interface Content {
        void write(Path rootfs) throws IOException;
    }

    private static String build(String repository, Set<String> jdkModules, Content content, List<String> javaArgs,
            List<String> cmd) {
        String tag = repository + ":" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        Path stage = null;
        try {
            stage = Files.createTempDirectory("openenv-test-image");
            Path rootfs = stage.resolve("rootfs");
            Path javaHome = rootfs.resolve("opt/java");
            Files.createDirectories(rootfs.resolve("tmp"));
            run(List.of(Path.of(System.getProperty("java.home"), "bin", "jlink").toString(),
                    "--add-modules", String.join(",", jdkModules), "--strip-debug", "--no-header-files",
                    "--no-man-pages", "--output", javaHome.toString()));
            for (String lib : sharedLibraries(javaHome)) {
                Path target = rootfs.resolve(lib.substring(1));
                Files.createDirectories(target.getParent());
                Files.copy(Path.of(lib), target, StandardCopyOption.REPLACE_EXISTING); // follows symlinks
            }
            content.write(rootfs);
            List<String> entrypoint = new ArrayList<>(List.of("/opt/java/bin/java", "-XX:-UsePerfData",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            entrypoint.addAll(javaArgs);
            Files.writeString(stage.resolve("Dockerfile"), String.join("\n",
                    "FROM scratch",
                    "COPY rootfs/ /",
                    "ENV HOST=0.0.0.0",
                    "ENTRYPOINT " + jsonArray(entrypoint),
                    "CMD " + jsonArray(cmd), ""));
            Process tar = new ProcessBuilder("tar", "-C", stage.toString(), "-cf", "-", ".")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (InputStream context = tar.getInputStream()) {
                DockerEngine.get().docker().buildImageCmd(context).withTags(Set.of(tag)).withPull(false)
                        .exec(new BuildImageResultCallback()).awaitImageId(120, TimeUnit.SECONDS);
            }
            if (tar.waitFor() != 0) {
                throw new IllegalStateException("tar failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (stage != null) {
                deleteTree(stage);
            }
        }
        System.out.printf("Built %s in %d ms%n", tag, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(tag)));
        return tag;
    }

    private static String jsonArray(List<String> items) {
        return items.stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** Every library {@code ldd} names for the launcher and the runtime's own libraries, by absolute path. */
    private static Set<String> sharedLibraries(Path javaHome) throws IOException, InterruptedException {
        Set<String> libs = new TreeSet<>();
        List<Path> binaries;
        try (Stream<Path> files = Files.walk(javaHome)) {
            binaries = files.filter(p -> p.toString().endsWith(".so") || p.endsWith(Path.of("bin", "java")))
                    .toList();
        }
        for (Path binary : binaries) {
            for (String line : run(List.of("ldd", binary.toString())).split("\n")) {
                String t = line.strip();
                int arrow = t.indexOf("=> /");
                String path = arrow >= 0 ? t.substring(arrow + 3) : t.startsWith("/") ? t : null;
                if (path != null) {
                    path = path.replaceFirst(" \\(0x[0-9a-f]+\\)$", "");
                    if (!path.startsWith(javaHome.toString())) {
                        libs.add(path);
                    }
                }
            }
        }
        return libs;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        return out;
    }

    private static void remove(String tag) {
        try {
            DockerEngine.get().docker().removeImageCmd(tag).withForce(true).exec();
        } catch (NotFoundException e) {
            // gone
        } catch (RuntimeException e) {
            System.err.println("Could not remove test image " + tag + ": " + e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp dir; best effort
        }
    }
}
