package openenv.provider.docker;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the test image once per test JVM and removes it when the JVM ends: a jlink runtime of
 * {@code java.base} from the JDK running the tests, the shared libraries it links (found with {@code ldd}), and
 * {@link TinyServer}, on {@code FROM scratch}. No registry needed. About 40 MB; a few seconds to build.
 */
final class TestImages {

    private static String tiny;

    private TestImages() {
    }

    /** The tag of the tiny image; builds it on first use. */
    static synchronized String tiny() {
        if (tiny == null) {
            String tag = "openenv-test/tiny:" + UUID.randomUUID().toString().substring(0, 8);
            long t0 = System.nanoTime();
            build(tag);
            System.out.printf("Built %s in %d ms%n", tag, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(tag)));
            tiny = tag;
        }
        return tiny;
    }

    private static void build(String tag) {
        Path stage = null;
        try {
            stage = Files.createTempDirectory("openenv-tiny-image");
            Path rootfs = stage.resolve("rootfs");
            Path javaHome = rootfs.resolve("opt/java");
            Files.createDirectories(rootfs.resolve("tmp"));
            run(List.of(Path.of(System.getProperty("java.home"), "bin", "jlink").toString(),
                    "--add-modules", "java.base", "--strip-debug", "--no-header-files", "--no-man-pages",
                    "--output", javaHome.toString()));
            for (String lib : sharedLibraries(javaHome)) {
                Path target = rootfs.resolve(lib.substring(1));
                Files.createDirectories(target.getParent());
                Files.copy(Path.of(lib), target, StandardCopyOption.REPLACE_EXISTING); // follows symlinks
            }
            Path classFile = rootfs.resolve("app/openenv/provider/docker/TinyServer.class");
            Files.createDirectories(classFile.getParent());
            try (InputStream in = TinyServer.class.getResourceAsStream("TinyServer.class")) {
                Files.copy(in, classFile);
            }
            Files.writeString(stage.resolve("Dockerfile"), String.join("\n",
                    "FROM scratch",
                    "COPY rootfs/ /",
                    "ENTRYPOINT [\"/opt/java/bin/java\", \"-XX:-UsePerfData\", \"-XX:+UseSerialGC\", \"-Xmx32m\","
                            + " \"-XX:TieredStopAtLevel=1\", \"-cp\", \"/app\", \"openenv.provider.docker.TinyServer\"]",
                    "CMD [\"serve\"]", ""));
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
