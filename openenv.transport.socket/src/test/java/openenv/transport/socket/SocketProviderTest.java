package openenv.transport.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import openenv.api.ConfigurationException;
import openenv.api.internal.Providers;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.ClientTransportProvider;
import org.junit.jupiter.api.Test;

/** The provider is found as the client builder finds it, and says what it serves. */
class SocketProviderTest {

    @Test
    void testsRunOnTheModulePath() {
        assertThat(SocketClientTransportProvider.class.getModule().getName()).isEqualTo("openenv.transport.socket");
    }

    @Test
    void serviceLoaderFindsItAsSocketForWebSocketUrlsBelowTheDefaultPriority() {
        List<ClientTransportProvider> found = Providers.load(ClientTransportProvider.class);

        assertThat(found).filteredOn(p -> p.name().equals("socket")).singleElement()
                .isInstanceOf(SocketClientTransportProvider.class)
                .satisfies(p -> assertThat(p.schemes()).isEqualTo(Set.of("ws", "wss")))
                .satisfies(p -> assertThat(p.priority()).isNegative());
    }

    @Test
    void moduleInfoProvidesAgreeWithMetaInfServicesAndNothingIsExported() throws IOException {
        ModuleDescriptor descriptor = SocketClientTransportProvider.class.getModule().getDescriptor();
        Set<String> provided = new TreeSet<>();
        for (ModuleDescriptor.Provides p : descriptor.provides()) {
            assertThat(p.service()).isEqualTo(ClientTransportProvider.class.getName());
            provided.addAll(p.providers());
        }
        Set<String> listed = new TreeSet<>();
        try (InputStream in = SocketClientTransportProvider.class.getModule()
                .getResourceAsStream("META-INF/services/" + ClientTransportProvider.class.getName())) {
            assertThat(in).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    listed.add(line.trim());
                }
            }
        }

        assertThat(listed).isEqualTo(provided).containsExactly(SocketClientTransportProvider.class.getName());
        assertThat(descriptor.exports()).isEmpty();
    }

    @Test
    void anHttpUrlIsRefusedWithTheTransportsThatServeIt() {
        assertThatThrownBy(() -> new SocketClientTransportProvider().connect(URI.create("http://127.0.0.1:1"),
                ClientConfig.defaults(), FakeWebSocketServer.codec()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ws://")
                .hasMessageContaining("netty");
    }

    @Test
    void theWebSocketUrlKeepsAPathPrefixAndQuery() {
        assertThat(SocketWebSocketConnection.webSocketUri(URI.create("ws://h:1/env/?k=v")))
                .isEqualTo(URI.create("ws://h:1/env/ws?k=v"));
        assertThat(SocketWebSocketConnection.webSocketUri(URI.create("wss://h/ws")))
                .isEqualTo(URI.create("wss://h/ws"));
    }
}
