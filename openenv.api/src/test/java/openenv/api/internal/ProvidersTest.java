package openenv.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import openenv.api.ConfigurationException;
import openenv.api.spi.Availability;
import openenv.api.spi.ProtocolHandler;
import openenv.api.spi.ServerConfig;
import openenv.api.spi.ServerTransport;
import openenv.api.spi.ServerTransportProvider;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    private static ServerTransportProvider provider(String name, int priority, Availability availability) {
        return new ServerTransportProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public Availability availability() {
                return availability;
            }

            @Override
            public ServerTransport start(ServerConfig config, ProtocolHandler handler) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void missingTransportErrorTellsTheUserWhatToAdd() {
        assertThatThrownBy(() -> Providers.pick(ProviderKind.SERVER_TRANSPORT, List.of(), Optional.empty(), ""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("No ServerTransportProvider found")
                .hasMessageContaining("openenv-transport-netty")
                .hasMessageContaining("--add-modules openenv.transport.netty")
                .hasMessageContaining("--bind-services")
                .hasMessageContaining("docs/troubleshooting.md#no-server-transport");
    }

    @Test
    void singleProviderIsUsed() {
        ServerTransportProvider only = provider("netty", 0, Availability.yes());
        assertThat(Providers.pick(ProviderKind.SERVER_TRANSPORT, List.of(only), Optional.empty(), "")).isSameAs(only);
    }

    @Test
    void highestPriorityWinsAmongSeveral() {
        ServerTransportProvider low = provider("low", -10, Availability.yes());
        ServerTransportProvider high = provider("high", 5, Availability.yes());
        assertThat(Providers.pick(ProviderKind.SERVER_TRANSPORT, List.of(low, high), Optional.empty(), ""))
                .isSameAs(high);
    }

    @Test
    void tieAtTheTopIsAnErrorNamingTheChoices() {
        List<ServerTransportProvider> tied = List.of(provider("a", 1, Availability.yes()),
                provider("b", 1, Availability.yes()), provider("c", 0, Availability.yes()));
        assertThatThrownBy(() -> Providers.pick(ProviderKind.SERVER_TRANSPORT, tied, Optional.empty(), ""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'a'")
                .hasMessageContaining("'b'")
                .hasMessageContaining("-Dopenenv.server=a");
    }

    @Test
    void requestedNameWinsOverPriority() {
        ServerTransportProvider low = provider("low", -10, Availability.yes());
        ServerTransportProvider high = provider("high", 5, Availability.yes());
        assertThat(Providers.pick(ProviderKind.SERVER_TRANSPORT, List.of(low, high), Optional.of("low"), ""))
                .isSameAs(low);
    }

    @Test
    void unknownRequestedNameListsWhatWasFound() {
        List<ServerTransportProvider> found = List.of(provider("netty", 0, Availability.yes()));
        assertThatThrownBy(() -> Providers.pick(ProviderKind.SERVER_TRANSPORT, found, Optional.of("jetty"), ""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("No ServerTransportProvider named 'jetty'")
                .hasMessageContaining("'netty'");
    }

    @Test
    void unavailableProvidersAreSkippedAndTheirReasonsReported() {
        ServerTransportProvider broken = provider("broken", 10, Availability.no("no socket at /var/run/x.sock"));
        ServerTransportProvider fine = provider("fine", 0, Availability.yes());
        assertThat(Providers.pick(ProviderKind.SERVER_TRANSPORT, List.of(broken, fine), Optional.empty(), ""))
                .isSameAs(fine);
        assertThatThrownBy(() -> Providers.pick(ProviderKind.SERVER_TRANSPORT, List.of(broken), Optional.empty(), ""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no socket at /var/run/x.sock");
    }

    @Test
    void requestingAnUnavailableProviderByNameSaysWhy() {
        ServerTransportProvider broken = provider("docker", 0, Availability.no("no Docker engine answers"));
        assertThatThrownBy(() -> Providers.pick(ProviderKind.CONTAINER, List.of(broken), Optional.of("docker"), ""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("present but unavailable")
                .hasMessageContaining("no Docker engine answers");
    }

    @Test
    void systemPropertyNamesTheProviderWhenTheBuilderDoesNot() {
        System.setProperty("openenv.codec", "jackson");
        try {
            assertThat(Providers.requestedName(ProviderKind.CODEC, Optional.empty())).contains("jackson");
            assertThat(Providers.requestedName(ProviderKind.CODEC, Optional.of("other"))).contains("other");
        } finally {
            System.clearProperty("openenv.codec");
        }
    }

    @Test
    void serviceLoaderFindsTheInProcessClientTransportOnTheModulePath() {
        List<openenv.api.spi.ClientTransportProvider> found =
                Providers.load(openenv.api.spi.ClientTransportProvider.class);
        assertThat(found).extracting(openenv.api.spi.ClientTransportProvider::name).contains("local");
    }
}
