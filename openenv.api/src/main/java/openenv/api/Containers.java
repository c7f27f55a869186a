package openenv.api;

import java.util.Objects;
import java.util.Optional;
import openenv.api.internal.ProviderKind;
import openenv.api.internal.Providers;
import openenv.api.spi.ContainerProvider;
import openenv.api.spi.ContainerSpec;
import openenv.api.spi.RunningContainer;

/**
 * Starts environment images with the container provider on the module path ("docker", "k8s"), chosen by name
 * or {@code -Dopenenv.container=name}.
 *
 * <pre>{@code
 * try (RunningContainer echo = Containers.start(ContainerSpec.of("openenv/echo:latest"));
 *      GenericEnvClient env = GenericEnvClient.connect(echo.baseUri().toString().replaceFirst("^http", "ws"))) {
 *     env.reset();
 * }
 * }</pre>
 *
 * Or in one step, with the container's life tied to the client: {@code EnvClient.builder().container(spec)}.
 */
public final class Containers {

    private Containers() {
    }

    /** Starts {@code spec} with the discovered provider and waits until it is ready. */
    public static RunningContainer start(ContainerSpec spec) {
        return provider(Optional.empty()).start(Objects.requireNonNull(spec, "spec"));
    }

    /** Starts {@code spec} with the provider of that name (e.g. "docker") and waits until it is ready. */
    public static RunningContainer start(String providerName, ContainerSpec spec) {
        return provider(Optional.of(providerName)).start(Objects.requireNonNull(spec, "spec"));
    }

    /** The container provider that would be used. */
    public static ContainerProvider provider(Optional<String> name) {
        return Providers.pick(ProviderKind.CONTAINER, Providers.load(ContainerProvider.class),
                Providers.requestedName(ProviderKind.CONTAINER, name), "");
    }
}
