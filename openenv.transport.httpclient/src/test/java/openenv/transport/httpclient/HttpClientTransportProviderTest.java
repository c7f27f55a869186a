package openenv.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import openenv.api.ConfigurationException;
import openenv.api.EnvClient;
import openenv.api.GenericEnvClient;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.ClientTransportProvider;
import openenv.api.spi.Codec;
import openenv.api.spi.CodecProvider;
import org.junit.jupiter.api.Test;

/** The provider as ServiceLoader, the module system and the client builder see it. */
class HttpClientTransportProviderTest {

    private static final String SERVICE = "META-INF/services/" + ClientTransportProvider.class.getName();

    @Test
    void runsOnTheModulePath() {
        Module module = HttpClientTransportProvider.class.getModule();

        assertThat(module.isNamed()).isTrue();
        assertThat(module.getName()).isEqualTo("openenv.transport.httpclient");
        assertThat(ClientTransportProvider.class.getModule().getName()).isEqualTo("openenv.api");
    }

    @Test
    void serviceLoaderFindsHttpclientOnTheModulePath() {
        // Our module declares no 'uses' (only the api calls ServiceLoader); the test adds it to its own module.
        getClass().getModule().addUses(ClientTransportProvider.class);

        List<ClientTransportProvider> found = ServiceLoader.load(ClientTransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("httpclient"))
                .collect(Collectors.toList());

        assertThat(found).singleElement().satisfies(provider -> {
            assertThat(provider).isInstanceOf(HttpClientTransportProvider.class);
            assertThat(provider.getClass().getModule().getName()).isEqualTo("openenv.transport.httpclient");
            assertThat(provider.schemes()).containsExactlyInAnyOrder("http", "https");
        });
    }

    @Test
    void providesAgreesWithTheServicesFile() throws IOException {
        ModuleDescriptor descriptor = HttpClientTransportProvider.class.getModule().getDescriptor();
        List<String> declared = descriptor.provides().stream()
                .filter(p -> p.service().equals(ClientTransportProvider.class.getName()))
                .flatMap(p -> p.providers().stream()).collect(Collectors.toList());

        String file;
        try (InputStream in = HttpClientTransportProvider.class.getModule().getResourceAsStream(SERVICE)) {
            assertThat(in).as(SERVICE).isNotNull();
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> listed = file.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toList());

        assertThat(declared).containsExactly(HttpClientTransportProvider.class.getName());
        assertThat(listed).isEqualTo(declared);
        assertThat(descriptor.exports()).as("a provider module exports nothing").isEmpty();
    }

    @Test
    void isNamedHttpclientAndServesHttpAndHttps() {
        HttpClientTransportProvider provider = new HttpClientTransportProvider();

        assertThat(provider.name()).isEqualTo("httpclient");
        assertThat(provider.schemes()).containsExactlyInAnyOrder("http", "https");
        assertThat(provider.availability().available()).isTrue();
    }

    @Test
    void ranksBelowATransportWithTheDefaultPriority() {
        ClientTransportProvider defaultPriority = new ClientTransportProvider() {
            @Override
            public String name() {
                return "other";
            }

            @Override
            public java.util.Set<String> schemes() {
                return java.util.Set.of("http");
            }

            @Override
            public openenv.api.spi.ClientConnection connect(URI baseUri, ClientConfig config, Codec codec) {
                throw new UnsupportedOperationException();
            }
        };

        assertThat(new HttpClientTransportProvider().priority()).isNegative()
                .isLessThan(defaultPriority.priority());
    }

    @Test
    void isPickedForHttpUrlsByTheSystemPropertyOpenenvClient() throws IOException {
        String before = System.getProperty("openenv.client");
        System.setProperty("openenv.client", "httpclient");
        try (FakeServer server = FakeServer.start();
             GenericEnvClient env = EnvClient.builder().url(server.uri()).buildGeneric()) {
            env.reset();

            assertThat(env.protocol()).isEqualTo("http");
            assertThat(server.requests()).isNotEmpty().allSatisfy(
                    r -> assertThat(r.header("User-Agent")).startsWith("Apache-HttpClient/"));
        } finally {
            if (before == null) {
                System.clearProperty("openenv.client");
            } else {
                System.setProperty("openenv.client", before);
            }
        }
    }

    @Test
    void refusesUrlsItCannotServe() {
        HttpClientTransportProvider provider = new HttpClientTransportProvider();
        Codec codec = codec();

        for (String url : List.of("ws://127.0.0.1:8000", "local://server-1", "http:relative", "/just/a/path")) {
            assertThatThrownBy(() -> provider.connect(URI.create(url), ClientConfig.defaults(), codec))
                    .as(url).isInstanceOf(ConfigurationException.class).hasMessageContaining("http://");
        }
    }

    private static Codec codec() {
        return openenv.api.internal.Providers.load(CodecProvider.class).get(0).create();
    }
}
