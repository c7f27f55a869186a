package openenv.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import openenv.api.spi.CodecProvider;
import org.junit.jupiter.api.Test;

class CodecProviderTest {

    @Test
    void serviceLoaderFindsJacksonOnTheModulePath() {
        // The tests run inside module openenv.json, which provides but does not use the service (openenv.api does).
        CodecProviderTest.class.getModule().addUses(CodecProvider.class);

        List<CodecProvider> providers = ServiceLoader.load(CodecProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toList());

        assertThat(providers).extracting(CodecProvider::name).containsExactly("jackson");
        assertThat(providers.get(0)).isInstanceOf(JacksonCodecProvider.class);
        assertThat(JacksonCodecProvider.class.getModule().isNamed()).as("runs on the module path").isTrue();
        assertThat(JacksonCodecProvider.class.getModule().getName()).isEqualTo("openenv.json");
    }

    @Test
    void providerCreatesAWorkingSharedCodec() {
        CodecProvider provider = new JacksonCodecProvider();

        assertThat(provider.create()).isSameAs(provider.create());
        assertThat(new String(provider.create().write(provider.create().parse("{\"a\":[1,2.5]}".getBytes(
                StandardCharsets.UTF_8))), StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1,2.5]}");
    }

    @Test
    void moduleInfoProvidesAgreesWithTheServicesFile() throws IOException {
        String service = CodecProvider.class.getName();
        List<String> fromFile;
        try (InputStream in = JacksonCodecProvider.class.getModule()
                .getResourceAsStream("META-INF/services/" + service)) {
            assertThat(in).as("META-INF/services/" + service).isNotNull();
            fromFile = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(line -> line.replaceAll("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.toList());
        }
        ModuleDescriptor descriptor = JacksonCodecProvider.class.getModule().getDescriptor();
        List<String> fromModuleInfo = descriptor.provides().stream()
                .filter(p -> p.service().equals(service))
                .flatMap(p -> p.providers().stream())
                .collect(Collectors.toList());

        assertThat(fromModuleInfo).containsExactly(JacksonCodecProvider.class.getName());
        assertThat(fromFile).containsExactlyElementsOf(fromModuleInfo);
        assertThat(descriptor.provides()).hasSize(1);
    }
}
