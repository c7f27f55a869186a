package openenv.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

    @Test
    void apiRequiresNothingButJavaBase() {
        ModuleDescriptor descriptor = Environment.class.getModule().getDescriptor();
        assertThat(descriptor).as("tests must run on the module path").isNotNull();
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactly("java.base");
    }

    @Test
    void servicesFileAgreesWithModuleInfoProvides() throws Exception {
        ModuleDescriptor descriptor = Environment.class.getModule().getDescriptor();
        for (ModuleDescriptor.Provides provides : descriptor.provides()) {
            String file = "META-INF/services/" + provides.service();
            try (var in = Environment.class.getModule().getResourceAsStream(file)) {
                assertThat(in).as(file).isNotNull();
                var listed = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
                assertThat(listed).containsExactlyInAnyOrderElementsOf(provides.providers());
            }
        }
    }
}
