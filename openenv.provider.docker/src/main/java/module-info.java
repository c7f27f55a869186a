/**
 * Docker container provider: starts OpenEnv environment images (Java or Python) on a Docker engine, waits until
 * {@code /health} answers 200, follows their logs, and removes them on close, at JVM shutdown and, through a
 * small reaper process, after a JVM crash. Put it on the module path beside {@code openenv.api} and
 * {@code Containers.start(spec)} or {@code EnvClient.builder().container(spec)} pick it up.
 *
 * <p>docker-java is an automatic module, which jlink refuses: run this module from a plugin folder on
 * {@code --module-path} next to a linked runtime.
 *
 * <p>Unlike other provider modules this one exports its package, for one public type besides the provider:
 * {@link openenv.provider.docker.DockerPool}, a warm pool of pre-started containers. The API has no pool type
 * yet; when it gains one ({@code Containers.pool}), this export goes.
 *
 * @provides openenv.api.spi.ContainerProvider as "docker"
 */
module openenv.provider.docker {
    requires transitive openenv.api;                    // DockerPool's signatures use ContainerSpec, RunningContainer
    requires java.net.http;                             // readiness probe: GET /health
    requires com.github.dockerjava.api;                 // automatic module (docker-java-api)
    requires com.github.dockerjava.core;                // automatic module (docker-java-core)
    requires com.github.dockerjava.transport;           // automatic module (docker-java-transport)
    requires com.github.dockerjava.transport.zerodep;   // automatic module; shades its own HttpClient 5
    // docker-java's jars are automatic modules, which cannot declare what they need; these explicit modules
    // they use must be required by someone to be resolved on the module path, so we do.
    requires com.fasterxml.jackson.databind;            // JSON of the engine API
    requires com.google.common;                         // Guava
    requires org.apache.commons.lang3;
    requires org.apache.commons.io;
    requires org.apache.commons.compress;               // tar archives (image builds, file copies)
    requires org.bouncycastle.pkix;                     // TLS engines (DOCKER_TLS_VERIFY): PEM keys
    requires org.slf4j;                                 // docker-java logs through SLF4J (no binding shipped)

    exports openenv.provider.docker;

    provides openenv.api.spi.ContainerProvider with openenv.provider.docker.DockerContainerProvider;
}
