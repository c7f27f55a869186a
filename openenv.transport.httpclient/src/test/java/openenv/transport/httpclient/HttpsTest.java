package openenv.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import openenv.api.EnvClient;
import openenv.api.TransportException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https against a JDK HttpsServer with a fresh self-signed certificate for 127.0.0.1. Trust comes from the
 * {@code javax.net.ssl.*} system properties, which the JDK reads once per JVM: the trusting client runs in a
 * JVM of its own.
 */
class HttpsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private static Path keyStore;
    private static SSLContext serverTls;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keyStore = dir.resolve("server.p12");
        Launcher.run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
    }

    @Test
    void anHttpsServerIsReachedWithTheTrustStoreFromTheSystemProperties() throws Exception {
        try (FakeServer server = FakeServer.startHttps(serverTls)) {
            String output = Launcher.runSmoke(Path.of(System.getProperty("java.home"), "bin", "java"), List.of(
                    "-Djavax.net.ssl.trustStore=" + keyStore, "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
                    "-Djavax.net.ssl.trustStoreType=PKCS12",
                    "-p", Launcher.modulePath(ModulePathLaunchTest.modulePath())), server.uri().toString());

            assertThat(server.uri().getScheme()).isEqualTo("https");
            assertThat(output).contains("state=" + FakeServer.STATE);
            assertThat(server.count("GET", "/state")).isEqualTo(1);
        }
    }

    @Test
    void anUntrustedCertificateIsATransportErrorThatSaysWhy() throws Exception {
        try (FakeServer server = FakeServer.startHttps(serverTls)) {
            assertThatThrownBy(() -> EnvClient.builder().url(server.uri()).transport("httpclient").buildGeneric())
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("TLS handshake with " + server.uri())
                    .hasMessageContaining("javax.net.ssl.trustStore");
            assertThat(server.requests()).isEmpty();
        }
    }
}
