package openenv.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import openenv.api.internal.Providers;
import openenv.api.spi.ClientTransportProvider;
import openenv.api.spi.ServerTransportProvider;
import org.junit.jupiter.api.Test;

/** The providers are found the way EnvServer and the client builder find them, on the module path and class path. */
class ProviderRegistrationTest {

    @Test
    void testsRunOnTheModulePath() {
        assertThat(NettyServerTransportProvider.class.getModule().getName()).isEqualTo("openenv.transport.netty");
    }

    @Test
    void serviceLoaderFindsTheServerTransportAsNetty() {
        List<ServerTransportProvider> found = Providers.load(ServerTransportProvider.class);

        assertThat(found).filteredOn(p -> p.name().equals("netty")).singleElement()
                .isInstanceOf(NettyServerTransportProvider.class);
    }

    @Test
    void serviceLoaderFindsTheClientTransportForAllFourSchemes() {
        List<ClientTransportProvider> found = Providers.load(ClientTransportProvider.class);

        assertThat(found).filteredOn(p -> p.name().equals("netty")).singleElement()
                .isInstanceOf(NettyClientTransportProvider.class)
                .extracting(ClientTransportProvider::schemes)
                .isEqualTo(Set.of("ws", "wss", "http", "https"));
    }

    @Test
    void moduleInfoProvidesAgreeWithMetaInfServices() throws IOException {
        ModuleDescriptor descriptor = NettyServerTransportProvider.class.getModule().getDescriptor();
        Map<String, Set<String>> provides = new TreeMap<>();
        for (ModuleDescriptor.Provides p : descriptor.provides()) {
            provides.put(p.service(), new TreeSet<>(p.providers()));
        }
        Map<String, Set<String>> services = new TreeMap<>();
        for (String service : provides.keySet()) {
            services.put(service, servicesFile(service));
        }

        assertThat(provides).containsOnlyKeys(ServerTransportProvider.class.getName(),
                ClientTransportProvider.class.getName());
        assertThat(services).isEqualTo(provides);
    }

    @Test
    void exportsNothing() {
        assertThat(NettyServerTransportProvider.class.getModule().getDescriptor().exports()).isEmpty();
    }

    private static Set<String> servicesFile(String service) throws IOException {
        Set<String> names = new TreeSet<>();
        try (InputStream in = NettyServerTransportProvider.class.getModule()
                .getResourceAsStream("META-INF/services/" + service)) {
            assertThat(in).as("META-INF/services/" + service).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.replaceAll("#.*", "").trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
