package openenv.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jlink readiness: the ModiTect execution of this module's pom writes HttpClient 5's jars with module
 * descriptors to {@code target/modules}; jlink must link them with this module, openenv.api and slf4j-api 2.x
 * (an explicit module already) into a runtime image, and that image must find the transport through
 * ServiceLoader and make a real call.
 */
@Tag("slow")
class JlinkImageTest {

    @TempDir
    Path work;

    @Test
    void jlinkLinksTheTransportAndTheImageMakesACall() throws Exception {
        Path patched = Launcher.basedir().resolve("target/modules");
        assertThat(patched).as("patched jars from the ModiTect execution; run the tests through Maven")
                .isDirectoryContaining("glob:**/httpclient5-*.jar");
        List<Path> modulePath = new ArrayList<>();
        // JDK 17 links from its jmods; JDK 24+ builds without jmods (Temurin 25) link from the run-time image.
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        if (Files.isDirectory(jmods)) {
            modulePath.add(jmods);
        }
        modulePath.add(patched);
        modulePath.add(Launcher.moduleLocation("openenv.api"));
        modulePath.add(Launcher.moduleLocation("org.slf4j"));
        modulePath.add(Launcher.moduleLocation(Launcher.MODULE));
        Path image = work.resolve("image");

        List<String> arguments = List.of(
                "--module-path", Launcher.modulePath(modulePath),
                "--add-modules", Launcher.MODULE,
                "--no-header-files", "--no-man-pages",
                "--output", image.toString());
        if (Files.isDirectory(jmods)) {
            ToolProvider jlink = ToolProvider.findFirst("jlink")
                    .orElseThrow(() -> new AssertionError("No jlink tool in this JDK (module jdk.jlink)"));
            StringWriter log = new StringWriter();
            int code = jlink.run(new PrintWriter(log, true), new PrintWriter(log, true),
                    arguments.toArray(String[]::new));
            assertThat(code).as("jlink exit code; its output:%n%s", log).isZero();
        } else {
            // Linking from the run-time image is refused inside a JVM started with --patch-module, as this
            // one is (surefire patches the tests into the module): run jlink in a clean JVM instead.
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "jlink").toString());
            command.addAll(arguments);
            Launcher.run(command);
        }

        Path java = image.resolve("bin").resolve("java");
        String modules = Launcher.run(List.of(java.toString(), "--list-modules"));
        assertThat(modules).contains(Launcher.MODULE + "@", "openenv.api@", "jdk.net@",
                "org.apache.httpcomponents.client5.httpclient5@", "org.apache.httpcomponents.core5.httpcore5@",
                "org.apache.httpcomponents.core5.httpcore5.h2@", "org.slf4j@");

        try (FakeServer server = FakeServer.start()) {
            String output = Launcher.runSmoke(java, List.of(), server.uri().toString());

            assertThat(output).contains("state=" + FakeServer.STATE).contains("protocol=http");
            // opens org.apache.hc.client5 in the patched descriptor lets HttpClient read its version.properties
            assertThat(server.requests()).allSatisfy(r -> assertThat(r.header("User-Agent"))
                    .startsWith("Apache-HttpClient/5.").doesNotContain("UNAVAILABLE"));
        }
    }
}
