package openenv.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import openenv.api.EnvClient;
import openenv.api.EnvServer;
import openenv.api.StepResult;
import openenv.api.TransportException;
import openenv.api.spi.ClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * wss:// and https:// through a TLS-terminating proxy in front of the (plain) Netty server. The certificate is
 * made with the JDK's keytool for 127.0.0.1 only and trusted through the standard {@code javax.net.ssl.trustStore}
 * property, which the client's JDK TLS honours.
 */
@Tag("slow") // keytool runs three times
class TlsTest {

    private static final String PASSWORD = "changeit";
    private static final EchoEnvironment.Hooks HOOKS = new EchoEnvironment.Hooks();
    private static Path dir;
    private static EnvServer server;
    private static TlsProxy proxy;
    private static SSLContext serverTls;

    @BeforeAll
    static void certificateServerAndProxy() throws Exception {
        dir = Files.createTempDirectory("openenv-tls");
        Path keys = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        Path trust = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-keystore", keys.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "server", "-keystore", keys.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(),
                "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        System.setProperty("javax.net.ssl.trustStore", trust.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

        server = Servers.echo(HOOKS);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(factory.getKeyManagers(), null, null);
        serverTls = tls;
        proxy = new TlsProxy(tls, server.uri().getPort());
    }

    @AfterAll
    static void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wss", "https"})
    void secureUrlsReachTheServerThroughTls(String scheme) {
        URI url = URI.create(scheme + "://127.0.0.1:" + proxy.port());
        try (EnvClient<EchoAction, EchoObservation, EchoState> env = EnvClient.builder().url(url).transport("netty")
                .codec("jackson").build(Servers.ECHO)) {
            env.reset();
            StepResult<EchoObservation> step = env.step(new EchoAction("secret"));

            assertThat(step.observation()).isEqualTo(new EchoObservation("secret", 6));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wss", "https"})
    void aCertificateForAnotherHostIsRejected(String scheme) {
        URI url = URI.create(scheme + "://localhost:" + proxy.port());
        ClientConfig config = new ClientConfig(Duration.ofSeconds(5), Duration.ofSeconds(5), 1 << 20, Map.of());

        assertThatThrownBy(() -> new NettyClientTransportProvider().connect(url, config, Servers.codec()))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("TLS handshake failed")
                .hasStackTraceContaining("No name matching localhost"); // host name verification is on
    }

    @Test
    void anIdleWssClientAnswersPingsThroughTlsAndKeepsItsSession() throws Exception {
        // The keeper reads the raw TLS records of an idle connection without blocking; the TLS handler decides
        // what they hold. Server pings every 500 ms and drops a peer silent for 1 s.
        CallerDrivenChannel.idleReadInterval(Duration.ofMillis(200));
        EnvServer pinging = Servers.echo(HOOKS, b -> b.pingInterval(Duration.ofMillis(500)));
        try (TlsProxy front = new TlsProxy(serverTls, pinging.uri().getPort());
             EnvClient<EchoAction, EchoObservation, EchoState> env = EnvClient.builder()
                     .url(URI.create("wss://127.0.0.1:" + front.port())).transport("netty").codec("jackson")
                     .build(Servers.ECHO)) {
            env.reset();
            env.step(new EchoAction("before"));

            Thread.sleep(2_500);

            assertThat(env.step(new EchoAction("after")).observation()).isEqualTo(new EchoObservation("after", 5));
            assertThat(env.state().stepCount()).isEqualTo(2);
        } finally {
            CallerDrivenChannel.idleReadInterval(Duration.ofSeconds(2));
            pinging.close();
        }
    }

    @Test
    void tlsAgainstAPlainServerFailsWithATransportException() {
        URI url = URI.create("wss://127.0.0.1:" + server.uri().getPort());
        ClientConfig config = new ClientConfig(Duration.ofSeconds(5), Duration.ofSeconds(5), 1 << 20, Map.of());

        assertThatThrownBy(() -> new NettyClientTransportProvider().connect(url, config, Servers.codec()))
                .isInstanceOf(TransportException.class);
    }

    /** Accepts TLS on an ephemeral port and pipes the plain bytes to {@code 127.0.0.1:target}. */
    private static final class TlsProxy implements AutoCloseable {
        private final SSLServerSocket listener;
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        TlsProxy(SSLContext tls, int target) throws IOException {
            listener = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket upstream = new Socket("127.0.0.1", target);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        // closed, or a client that failed its handshake
                    }
                }
            }, "tls-proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void pump(Socket from, Socket to) {
            Thread thread = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // one side closed
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }, "tls-proxy-pump");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
