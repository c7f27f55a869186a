package openenv.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import openenv.api.GenericEnvClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport is whatever module the runtime can see, linked or in a plugin folder on {@code --module-path}
 * beside it; no code changes. A "bare" runtime links the environments and the codec but no transport (and
 * jdk.net, which the HttpClient 5 plugin needs); the Docker/Kubernetes providers are run the same way.
 */
@Tag("slow")
class PluginFolderIT {

    private static final Duration START = Duration.ofSeconds(30);
    private static final String LAUNCHER = "openenv.examples/openenv.examples.Launcher";

    @TempDir
    static Path work;
    private static Path bare;
    private static Path nettyPlugins;
    private static Path httpClientPlugins;
    private static Path dockerPlugins;

    @BeforeAll
    static void linkARuntimeWithoutTransport() {
        nettyPlugins = pluginFolder("plugins-netty", "netty-", "openenv-transport-netty-");
        httpClientPlugins = Path.of(System.getProperty("openenv.plugins", "target/plugins"));
        dockerPlugins = Path.of(System.getProperty("openenv.plugins.docker", "target/plugins-docker"));
        bare = work.resolve("runtime-bare");
        // --plugins: link the JDK modules the plugin jars need (java.logging, jdk.unsupported, jdk.net, ...)
        String output = Commands.run(Duration.ofMinutes(2), Map.of(),
                Commands.packagingDir().resolve("bin/link-runtime").toString(),
                "--module-path", modules().toString(), "--add-modules", "openenv.examples,openenv.json",
                "--plugins", nettyPlugins + ":" + httpClientPlugins + ":" + dockerPlugins, "--cache", "none",
                "--java-home", System.getProperty("openenv.java.home", System.getProperty("java.home")),
                "--output", bare.toString()).ok();
        assertThat(output).contains("plugins in").contains("jdk.net");
    }

    private static Path modules() {
        return Path.of(System.getProperty("openenv.modules", "target/modules"));
    }

    /** A plugin folder: the jars of {@code modules()} whose names start with one of {@code prefixes}. */
    private static Path pluginFolder(String name, String... prefixes) {
        Path folder = work.resolve(name);
        try (Stream<Path> jars = Files.list(modules())) {
            Files.createDirectories(folder);
            for (Path jar : jars.toList()) {
                String file = jar.getFileName().toString();
                if (Stream.of(prefixes).anyMatch(file::startsWith)) {
                    Files.copy(jar, folder.resolve(file));
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void nettyFromAPluginFolderServesWithoutRelinking() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of(bare.resolve("bin/java").toString(),
                "--module-path", nettyPlugins.toString(), "-m", LAUNCHER, "serve", "echo"), Map.of("PORT", "0"))) {
            URI base = server.awaitHealthy(START);
            try (GenericEnvClient env = GenericEnvClient.connect("ws://" + base.getAuthority())) {
                env.reset();
                assertThat(env.step(Map.of("message", "plugin")).observation())
                        .containsEntry("echoed_message", "plugin");
            }
            assertThat(server.output()).contains("transport 'netty' from module openenv.transport.netty");
            assertThat(server.terminate(START)).isZero();
        }
    }

    @Test
    void httpClient5AutomaticModulesRunFromAPluginFolder() throws Exception {
        try (ServerProcess server = ServerProcess.start(
                List.of(ServerProcess.runtime().resolve("bin/openenv-server").toString(), "echo"),
                Map.of("PORT", "0"))) {
            URI base = server.awaitHealthy(START);
            Commands.Result bench = Commands.run(START, Map.of(), bare.resolve("bin/java").toString(),
                    "--module-path", httpClientPlugins.toString(), "-m", LAUNCHER, "bench", "--url", base.toString(),
                    "--transport", "httpclient", "--steps", "20", "--warmup", "0");
            assertThat(bench.ok()).contains("httpclient").contains("http");
            assertThat(server.terminate(START)).isZero();
        }
    }

    /**
     * The Docker provider (docker-java: automatic modules) from a plugin folder, beside a runtime that links only
     * the environments, the codec and the JDK modules the plugins use; a stand-in trainer module (compiled here,
     * needing only openenv.api) starts the echo image through it and steps it.
     */
    @Test
    @Tag("docker")
    void dockerProviderFromAPluginFolderStartsAnImage() throws Exception {
        Commands.requireDockerOrSkip();
        Path trainer = compileTrainer();
        String tag = "openenv-it/plugin-echo:" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try {
            Commands.run(Duration.ofMinutes(3), Map.of(), Commands.packagingDir().resolve("bin/build-image").toString(),
                    "echo", "--runtime", ServerProcess.runtime().toString(), "--tag", tag).ok();
            Commands.Result run = Commands.run(Duration.ofMinutes(2), Map.of(), bare.resolve("bin/java").toString(),
                    // the trainer, the provider, and a client transport (this runtime links none)
                    "--module-path", String.join(java.io.File.pathSeparator, trainer.toString(),
                            dockerPlugins.toString(), nettyPlugins.toString()),
                    "-m", "com.acme.trainer/com.acme.trainer.Main", tag);
            assertThat(run.ok()).contains("provider=docker").contains("echoed=from a plugin folder");
        } finally {
            Commands.docker("rmi", "-f", tag);
        }
    }

    /** Compiles src/test/trainer/com.acme.trainer into an exploded module (a folder works on --module-path). */
    private static Path compileTrainer() throws IOException {
        Path source = Commands.packagingDir().resolve("src/test/trainer/com.acme.trainer");
        Path out = work.resolve("trainer/com.acme.trainer");
        List<String> args = new java.util.ArrayList<>(List.of("--release", "17", "-d", out.toString(),
                "--module-path", modules().toString()));
        try (Stream<Path> files = Files.walk(source)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac exit code").isZero();
        return out;
    }
}
