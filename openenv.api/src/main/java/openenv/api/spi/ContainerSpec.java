package openenv.api.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start.
 *
 * @param image          image reference, e.g. {@code openenv/echo:latest}
 * @param env            environment variables
 * @param containerPort  port the server listens on inside the container (8000 by convention)
 * @param startupTimeout longest wait for readiness
 * @param command        command override; empty = the image's own
 */
public record ContainerSpec(String image, Map<String, String> env, int containerPort, Duration startupTimeout,
                            List<String> command) {

    public ContainerSpec {
        Objects.requireNonNull(image, "image");
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        command = List.copyOf(Objects.requireNonNull(command, "command"));
    }

    /** The image with port 8000, a 60 s startup timeout, no env and its own command. */
    public static ContainerSpec of(String image) {
        return new ContainerSpec(image, Map.of(), 8000, Duration.ofSeconds(60), List.of());
    }
}
