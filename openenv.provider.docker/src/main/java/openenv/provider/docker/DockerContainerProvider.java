package openenv.provider.docker;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import openenv.api.spi.Availability;
import openenv.api.spi.ContainerProvider;
import openenv.api.spi.ContainerSpec;
import openenv.api.spi.RunningContainer;

/**
 * The container provider "docker": starts environment images on the Docker engine at {@code DOCKER_HOST} or
 * {@code /var/run/docker.sock}. Found by ServiceLoader; users normally go through {@code Containers.start(spec)}
 * or {@code EnvClient.builder().container(spec)} and never name this class.
 *
 * <p>Every container is published on {@link ContainerSpec#hostAddress()} (127.0.0.1) with a host port the
 * engine picks, is ready once it runs and {@code GET /health} answers 200, and carries labels
 * ({@code dev.openenv.managed-by=openenv-java}, a per-JVM session id, creation time, owner). It is removed on
 * {@code close()}, at JVM shutdown, after a JVM crash by a small reaper process, and at the next start by a
 * sweep of containers whose owner JVM is gone.
 */
public final class DockerContainerProvider implements ContainerProvider {

    static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

    /** Does nothing; the engine connection is made on the first {@link #start}. */
    public DockerContainerProvider() {
    }

    @Override
    public String name() {
        return "docker";
    }

    /** Whether {@code DOCKER_HOST} is set or {@code /var/run/docker.sock} exists; makes no network call. */
    @Override
    public Availability availability() {
        return availability(System.getenv("DOCKER_HOST"), DEFAULT_SOCKET);
    }

    static Availability availability(String dockerHost, Path defaultSocket) {
        if (dockerHost != null && !dockerHost.isBlank()) {
            if (dockerHost.startsWith("unix://")) {
                Path socket = Path.of(URI.create(dockerHost).getPath());
                if (!Files.exists(socket)) {
                    return Availability.no("DOCKER_HOST is " + dockerHost + " but " + socket + " does not exist:"
                            + " start the Docker engine (systemctl start docker, or dockerd &) or fix DOCKER_HOST");
                }
            }
            return Availability.yes();
        }
        if (Files.exists(defaultSocket)) {
            return Availability.yes();
        }
        return Availability.no("no Docker engine: DOCKER_HOST is not set and " + defaultSocket + " does not exist."
                + " Install Docker (e.g. apt-get install docker.io) and start it (systemctl start docker, or"
                + " dockerd &), or set DOCKER_HOST");
    }

    @Override
    public RunningContainer start(ContainerSpec spec) {
        return DockerEngine.get().start(Objects.requireNonNull(spec, "spec"));
    }
}
