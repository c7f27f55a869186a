package openenv.provider.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import openenv.api.ContainerException;
import openenv.api.spi.ContainerSpec;

/**
 * One per JVM: the docker-java client, this JVM's session id, the containers it has started and not yet removed,
 * the shutdown hook, the crash reaper process, and the startup sweep. Created on the first {@code start}.
 */
final class DockerEngine {

    private static final System.Logger LOG = System.getLogger(DockerEngine.class.getName());
    /** Container output goes here, one logger for all containers, each line prefixed with the container name. */
    private static final System.Logger CONTAINER_LOG = System.getLogger("openenv.provider.docker.container");

    static final String BUILD_HINT = "build it with ./openenv image <env>";

    private static volatile DockerEngine instance;

    final String session = UUID.randomUUID().toString();
    private final DockerClient docker;
    private final URI dockerHost;
    private final HttpClient http;
    private final Set<DockerRunningContainer> live = ConcurrentHashMap.newKeySet();
    private final Owner owner = Owner.current();
    private volatile Process reaper;

    private DockerEngine() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        this.dockerHost = config.getDockerHost();
        this.docker = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                // one connection stays open per followed log stream, so allow many
                .maxConnections(1024)
                .connectionTimeout(Duration.ofSeconds(5))
                .build());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /** The engine of this JVM; the first call registers the shutdown hook, starts the reaper and sweeps. */
    static DockerEngine get() {
        DockerEngine engine = instance;
        if (engine == null) {
            synchronized (DockerEngine.class) {
                engine = instance;
                if (engine == null) {
                    engine = new DockerEngine();
                    engine.init();
                    instance = engine;
                }
            }
        }
        return engine;
    }

    private void init() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::removeAllOnShutdown, "openenv-docker-shutdown"));
        if (!Boolean.parseBoolean(System.getProperty("openenv.docker.reaper", "true"))) {
            LOG.log(System.Logger.Level.INFO, "openenv.docker.reaper=false: containers of this JVM are removed on"
                    + " close and on shutdown, but not after a crash");
        } else {
            startReaper();
        }
        Thread sweeper = new Thread(this::sweepQuietly, "openenv-docker-sweep");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    DockerClient docker() {
        return docker;
    }

    URI dockerHost() {
        return dockerHost;
    }

    Optional<Process> reaper() {
        return Optional.ofNullable(reaper);
    }

    // ---------------------------------------------------------------------------------------------- start

    DockerRunningContainer start(ContainerSpec spec) {
        long t0 = System.nanoTime();
        long deadline = t0 + spec.startupTimeout().toNanos();
        String network = spec.networkMode().orElse("");
        boolean hostNetwork = network.equals("host");
        if (network.equals("none") || network.startsWith("container:")) {
            throw new ContainerException("Network mode '" + network + "' leaves no way to reach the environment"
                    + " server of " + spec.image() + "; use the default (bridge), a user-defined network or 'host'");
        }
        checkLabels(spec);
        ensureImage(spec, deadline);

        String name = containerName(spec.image());
        long t1 = System.nanoTime();
        String id = create(spec, name, hostNetwork);
        DockerRunningContainer container = new DockerRunningContainer(this, id, name, spec.image());
        live.add(container);
        try {
            long t2 = System.nanoTime();
            call("start container " + name, () -> docker.startContainerCmd(id).exec());
            follow(container);
            URI base = hostNetwork
                    ? URI.create("http://" + uriHost(connectHost(spec.hostAddress())) + ":" + spec.containerPort())
                    : publishedUri(id, spec);
            container.baseUri(base);
            long t3 = System.nanoTime();
            awaitReady(container, spec, deadline);
            long t4 = System.nanoTime();
            LOG.log(System.Logger.Level.INFO, () -> String.format(Locale.ROOT,
                    "Started %s (%s, id %.12s) at %s in %d ms (image check %d, create %d, start %d, until healthy"
                            + " %d)", name, spec.image(), id, base, millis(t4 - t0), millis(t1 - t0), millis(t2 - t1),
                    millis(t3 - t2), millis(t4 - t3)));
            return container;
        } catch (RuntimeException e) {
            try {
                container.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void checkLabels(ContainerSpec spec) {
        for (String key : spec.labels().keySet()) {
            if (key.startsWith(Labels.PREFIX)) {
                throw new ContainerException("Label '" + key + "' is reserved: labels under '" + Labels.PREFIX
                        + "' are set by openenv-java itself (session, owner, creation time); choose another key");
            }
        }
    }

    private String create(ContainerSpec spec, String name, boolean hostNetwork) {
        ExposedPort port = ExposedPort.tcp(spec.containerPort());
        HostConfig host = HostConfig.newHostConfig();
        if (!hostNetwork) {
            // No host port: the engine picks a free one atomically when it starts the container (no race).
            host.withPortBindings(new PortBinding(Ports.Binding.bindIp(spec.hostAddress()), port));
        }
        spec.memoryBytes().ifPresent(bytes -> host.withMemory(bytes).withMemorySwap(bytes));
        spec.cpus().ifPresent(cpus -> host.withNanoCPUs(Math.round(cpus * 1e9)));
        spec.pidsLimit().ifPresent(host::withPidsLimit);
        spec.networkMode().ifPresent(host::withNetworkMode);
        if (spec.readOnlyRootFilesystem()) {
            host.withReadonlyRootfs(true);
        }
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(Labels.SESSION, session);
        labels.put(Labels.CREATED, Instant.now().toString());
        labels.put(Labels.OWNER_HOST, owner.host());
        labels.put(Labels.OWNER_PID, Long.toString(owner.pid()));
        owner.start().ifPresent(start -> labels.put(Labels.OWNER_START, Long.toString(start)));
        owner.pidNamespace().ifPresent(ns -> labels.put(Labels.OWNER_PID_NAMESPACE, ns));
        labels.put(Labels.IMAGE, spec.image());
        List<String> env = new ArrayList<>();
        if (!spec.env().containsKey("PORT")) {
            env.add("PORT=" + spec.containerPort());
        }
        spec.env().forEach((k, v) -> env.add(k + "=" + v));

        CreateContainerCmd cmd = docker.createContainerCmd(spec.image())
                .withName(name)
                .withLabels(labels)
                .withEnv(env)
                .withExposedPorts(port)
                .withHostConfig(host);
        if (!spec.command().isEmpty()) {
            cmd.withCmd(spec.command());
        }
        return call("create a container from " + spec.image(), cmd::exec).getId();
    }

    private void follow(DockerRunningContainer container) {
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                container.logBuffer().append(frame.getStreamType() == StreamType.STDERR ? 1 : 0, frame.getPayload());
            }

            @Override
            public void onError(Throwable error) {
                if (!container.isClosed()) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "Log stream of " + container.name() + " failed: "
                            + error);
                }
                ended();
                super.onError(error);
            }

            @Override
            public void onComplete() {
                ended();
                super.onComplete();
            }

            private void ended() {
                container.logBuffer().flush();
                container.logStreamEnded();
            }
        };
        container.logStream(callback);
        call("follow the logs of " + container.name(), () -> docker.logContainerCmd(container.id())
                .withStdOut(true).withStdErr(true).withFollowStream(true).withTailAll().exec(callback));
    }

    /** A sink for the container's log lines. */
    static java.util.function.Consumer<String> loggerFor(String name) {
        return line -> CONTAINER_LOG.log(System.Logger.Level.DEBUG, "[{0}] {1}", name, line);
    }

    private URI publishedUri(String id, ContainerSpec spec) {
        InspectContainerResponse inspect = call("inspect container " + id, () -> docker.inspectContainerCmd(id).exec());
        Ports.Binding[] bindings = Optional.ofNullable(inspect.getNetworkSettings())
                .map(n -> n.getPorts())
                .map(p -> p.getBindings().get(ExposedPort.tcp(spec.containerPort())))
                .orElse(null);
        if (bindings == null || bindings.length == 0 || bindings[0].getHostPortSpec() == null) {
            if (inspect.getState() != null && !Boolean.TRUE.equals(inspect.getState().getRunning())) {
                throw exitedDuringStartup(id, spec, inspect);
            }
            throw new ContainerException("The engine published no host port for port " + spec.containerPort()
                    + " of " + spec.image() + " (container " + shortId(id) + ")");
        }
        return URI.create("http://" + uriHost(connectHost(spec.hostAddress())) + ":" + bindings[0].getHostPortSpec());
    }

    /** Where to connect for a port published on {@code bindAddress}. */
    String connectHost(String bindAddress) {
        boolean wildcard = bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.isEmpty();
        if (!wildcard) {
            return bindAddress;
        }
        String scheme = String.valueOf(dockerHost.getScheme());
        if ((scheme.equals("tcp") || scheme.equals("http") || scheme.equals("https")) && dockerHost.getHost() != null) {
            return dockerHost.getHost(); // a remote engine publishes on its own host
        }
        return "127.0.0.1";
    }

    private static String uriHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    // ------------------------------------------------------------------------------------------ readiness

    private void awaitReady(DockerRunningContainer container, ContainerSpec spec, long deadline) {
        URI health = container.baseUri().resolve("/health");
        long delayMs = 10;
        long nextInspect = 0;
        String lastProbe = "no answer yet";
        while (true) {
            long now = System.nanoTime();
            if (container.logStreamHasEnded() || now - nextInspect >= 0) {
                // The log stream ends when the container stops: check at once instead of at the next inspect.
                InspectContainerResponse inspect = call("inspect container " + container.name(),
                        () -> docker.inspectContainerCmd(container.id()).exec());
                if (inspect.getState() == null || !Boolean.TRUE.equals(inspect.getState().getRunning())) {
                    throw exitedDuringStartup(container.id(), spec, inspect);
                }
                nextInspect = now + TimeUnit.MILLISECONDS.toNanos(250);
            }
            long remaining = deadline - now;
            if (remaining <= 0) {
                throw new ContainerException(String.format(Locale.ROOT,
                        "%s (image %s) did not become healthy within %s: GET %s never answered 200 (last: %s);"
                                + " the container was removed. Check that it listens on port %d (env PORT) and"
                                + " serves /health, or raise ContainerSpec.startupTimeout.%s",
                        container.name(), spec.image(), pretty(spec.startupTimeout()), health, lastProbe,
                        spec.containerPort(), lastLines(container.logBuffer().tail(20))));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(health)
                        .timeout(Duration.ofNanos(Math.min(remaining, TimeUnit.SECONDS.toNanos(2))))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
                lastProbe = "HTTP " + response.statusCode();
            } catch (IOException e) {
                lastProbe = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException("Interrupted while waiting for " + container.name() + " to be ready", e);
            }
            sleep(Math.min(delayMs, TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime())) + 1));
            delayMs = Math.min(delayMs * 2, 50); // probes are cheap; a long pause would add to every start
        }
    }

    private ContainerException exitedDuringStartup(String id, ContainerSpec spec, InspectContainerResponse inspect) {
        InspectContainerResponse.ContainerState state = inspect.getState();
        String status = state == null ? "unknown" : state.getStatus();
        Long exit = state == null ? null : state.getExitCodeLong();
        boolean oom = state != null && Boolean.TRUE.equals(state.getOOMKilled());
        String error = state == null || state.getError() == null || state.getError().isBlank() ? ""
                : " (engine: " + state.getError() + ")";
        return new ContainerException(String.format(Locale.ROOT,
                "%s (image %s) exited during startup with exit code %s%s%s; status %s.%s",
                inspect.getName() == null ? shortId(id) : inspect.getName().replaceFirst("^/", ""), spec.image(),
                exit == null ? "unknown" : exit, oom ? " (killed: out of memory, raise ContainerSpec.memoryBytes)" : "",
                error, status, lastLines(tailLogs(id, 20))));
    }

    /** The last lines straight from the engine (the followed stream may still be catching up). */
    private String tailLogs(String id, int lines) {
        LogBuffer buffer = new LogBuffer(lines, line -> { });
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                buffer.append(frame.getStreamType() == StreamType.STDERR ? 1 : 0, frame.getPayload());
            }
        };
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines).exec(callback)
                    .awaitCompletion(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return "(logs unavailable: " + e.getMessage() + ")";
        }
        buffer.flush();
        return buffer.text();
    }

    private static String lastLines(String text) {
        return text.isBlank() ? " It wrote no output." : " Last output:\n" + text.stripTrailing();
    }

    // ------------------------------------------------------------------------------------------- images

    private void ensureImage(ContainerSpec spec, long deadline) {
        String image = spec.image();
        boolean present;
        switch (spec.pullPolicy()) {
            case ALWAYS:
                pull(image, deadline, true);
                return;
            case NEVER:
                present = imagePresent(image);
                if (!present) {
                    throw new ContainerException("Image " + image + " not found locally and the pull policy is NEVER; "
                            + BUILD_HINT);
                }
                return;
            case IF_MISSING:
            default:
                if (!imagePresent(image)) {
                    pull(image, deadline, false);
                }
        }
    }

    private boolean imagePresent(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw engineFailure("inspect image " + image, e);
        }
    }

    private void pull(String image, long deadline, boolean always) {
        ImageRef ref = ImageRef.parse(image);
        LOG.log(System.Logger.Level.INFO, "Pulling {0}", image);
        ResultCallback.Adapter<PullResponseItem> pulling = docker.pullImageCmd(ref.repository())
                .withTag(ref.tag().orElse(null)).start();
        String failure;
        try {
            long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (pulling.awaitCompletion(waitMs, TimeUnit.MILLISECONDS)) {
                return;
            }
            failure = "no answer within the startup timeout";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("Interrupted while pulling " + image, e);
        } catch (RuntimeException e) {
            failure = engineMessage(e);
        } finally {
            closeQuietly(pulling);
        }
        throw new ContainerException("Image " + image + (always ? " could not be pulled (pull policy ALWAYS): "
                : " not found locally and could not be pulled: ") + failure + "; " + BUILD_HINT);
    }

    /** A reference split for the pull API, which pulls every tag when given none. */
    record ImageRef(String repository, Optional<String> tag) {
        static ImageRef parse(String image) {
            if (image.contains("@")) {
                return new ImageRef(image, Optional.empty()); // by digest: the engine takes it whole
            }
            int slash = image.lastIndexOf('/');
            int colon = image.lastIndexOf(':');
            if (colon > slash) {
                return new ImageRef(image.substring(0, colon), Optional.of(image.substring(colon + 1)));
            }
            return new ImageRef(image, Optional.of("latest"));
        }
    }

    // -------------------------------------------------------------------------------------------- close

    /** Force-removes (kills) the container and its anonymous volumes; absent is fine. */
    void remove(DockerRunningContainer container) {
        live.remove(container);
        try {
            docker.removeContainerCmd(container.id()).withForce(true).withRemoveVolumes(true).exec();
            LOG.log(System.Logger.Level.DEBUG, "Removed {0}", container.name());
        } catch (NotFoundException e) {
            // already gone
        } catch (ConflictException e) {
            if (!String.valueOf(e.getMessage()).contains("already in progress")) {
                throw engineFailure("remove container " + container.name(), e);
            }
        } catch (RuntimeException e) {
            throw engineFailure("remove container " + container.name(), e);
        }
    }

    private void removeAllOnShutdown() {
        List<DockerRunningContainer> open = new ArrayList<>(live);
        if (!open.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "JVM shutting down: removing {0} container(s) still open", open.size());
        }
        open.parallelStream().forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not remove " + c.name() + " at shutdown: "
                        + e.getMessage());
            }
        });
        // A start in progress may have created one the set does not know yet; the reaper looks again later.
        try {
            removeSession(session);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Session sweep at shutdown failed: " + e);
        }
    }

    /** Removes every container labelled with {@code sessionId}; returns their ids. */
    List<String> removeSession(String sessionId) {
        List<Container> found = call("list containers", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.SESSION, sessionId)).exec());
        List<String> removed = new ArrayList<>();
        for (Container c : found) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed.add(c.getId());
            } catch (NotFoundException | ConflictException e) {
                // gone, or being removed by someone else
            }
        }
        return removed;
    }

    // -------------------------------------------------------------------------------------- sweep, reaper

    private void sweepQuietly() {
        try {
            List<String> removed = sweep();
            if (!removed.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "Removed {0} container(s) left behind by openenv-java JVMs that"
                        + " are gone: {1}", removed.size(), removed.stream().map(DockerEngine::shortId)
                        .collect(Collectors.joining(", ")));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Startup sweep skipped: " + e.getMessage());
        }
    }

    /**
     * Removes our containers whose owner JVM ran on this host, in this pid namespace, and is gone (its pid is
     * free, or now belongs to a process started at another time). Containers of other hosts or namespaces
     * sharing the engine are left alone: we cannot tell whether their owner lives.
     */
    List<String> sweep() {
        List<Container> ours = call("list containers", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)).exec());
        List<String> removed = new ArrayList<>();
        for (Container c : ours) {
            Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
            if (session.equals(labels.get(Labels.SESSION)) || !owner.sameMachineAs(labels)) {
                continue;
            }
            if (Owner.isAlive(labels.get(Labels.OWNER_PID), labels.get(Labels.OWNER_START))) {
                continue;
            }
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed.add(c.getId());
            } catch (NotFoundException | ConflictException e) {
                // gone, or being removed by its reaper right now
            }
        }
        return removed;
    }

    private void startReaper() {
        if (!Reaper.Engine.supports(dockerHost)) {
            LOG.log(System.Logger.Level.WARNING, "No crash reaper for DOCKER_HOST " + dockerHost + " (it speaks"
                    + " unix:// and plain tcp:// only): containers are removed on close and shutdown, and stale ones"
                    + " at the next start, but not right after a crash");
            return;
        }
        Optional<Path> location = codeLocation();
        if (location.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "No crash reaper: cannot locate the openenv.provider.docker classes"
                    + " on disk to launch it; containers are removed on close and shutdown only");
            return;
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // own session: a Ctrl-C to the owner's process group spares it
        }
        command.addAll(List.of(javaBin.toString(), "-Xmx16m", "-Xss256k", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djava.awt.headless=true",
                "-cp", location.get().toString(), Reaper.class.getName(), dockerHost.toString(), session));
        Path logFile = Path.of(System.getProperty("java.io.tmpdir"), "openenv-docker-reaper-" + session + ".log");
        command.add(logFile.toString());
        try {
            reaper = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.PIPE) // the lifeline: closes when this JVM ends
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            LOG.log(System.Logger.Level.DEBUG, () -> "Crash reaper pid " + reaper.pid() + " for session " + session
                    + ", log " + logFile);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not start the crash reaper (" + e.getMessage() + ");"
                    + " containers are removed on close and shutdown only");
        }
    }

    private static Optional<Path> codeLocation() {
        try {
            var source = Reaper.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
                return Optional.empty();
            }
            return Optional.of(new File(source.getLocation().toURI()).toPath());
        } catch (java.net.URISyntaxException | SecurityException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static String containerName(String image) {
        String base = image.replaceFirst("@.*$", "");
        base = base.substring(base.lastIndexOf('/') + 1).replaceFirst(":.*$", "");
        base = base.replaceAll("[^a-zA-Z0-9_.-]", "-");
        String random = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        return "openenv-" + (base.isEmpty() ? "env" : base) + "-" + random;
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String pretty(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("Interrupted while waiting for a container to be ready", e);
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    <T> T call(String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw engineFailure(what, e);
        }
    }

    private void call(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    ContainerException engineFailure(String what, RuntimeException e) {
        if (e instanceof ContainerException) {
            return (ContainerException) e;
        }
        if (e instanceof com.github.dockerjava.api.exception.DockerException) {
            return new ContainerException("Docker could not " + what + ": " + engineMessage(e), e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return new ContainerException("Cannot reach the Docker engine at " + dockerHost + " to " + what
                        + " (" + engineMessage(e) + "). Start it (systemctl start docker, or dockerd &) or point"
                        + " DOCKER_HOST at a running engine.", e);
            }
        }
        return new ContainerException("Could not " + what + " on the Docker engine at " + dockerHost + ": "
                + engineMessage(e), e);
    }

    /** The engine's own words: docker-java wraps them as {@code Status 404: {"message":"..."}}. */
    static String engineMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage()).strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(message);
        return m.find() ? m.group(1).replace("\\\"", "\"") : message;
    }

    /** Who we are, for the labels the startup sweep reads. */
    record Owner(String host, long pid, Optional<Long> start, Optional<String> pidNamespace) {
        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(hostName(), self.pid(), self.info().startInstant().map(Instant::toEpochMilli),
                    currentPidNamespace());
        }

        /** Whether pids in these labels are pids we can look up: same host name, same pid namespace. */
        boolean sameMachineAs(Map<String, String> labels) {
            return host.equals(labels.get(Labels.OWNER_HOST))
                    && pidNamespace.isPresent() && pidNamespace.get().equals(labels.get(Labels.OWNER_PID_NAMESPACE));
        }

        private static Optional<String> currentPidNamespace() {
            try {
                return Optional.of(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // not Linux: the sweep leaves everything alone
            }
        }

        static boolean isAlive(String pidLabel, String startLabel) {
            long pid;
            try {
                pid = Long.parseLong(String.valueOf(pidLabel));
            } catch (NumberFormatException e) {
                return true; // not ours to judge
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return false;
            }
            if (startLabel == null) {
                return true;
            }
            Optional<Instant> started = process.get().info().startInstant();
            try {
                // pid reuse: the same pid started at another time is another process
                return started.isEmpty() || Math.abs(started.get().toEpochMilli() - Long.parseLong(startLabel)) < 2000;
            } catch (NumberFormatException e) {
                return true;
            }
        }

        private static String hostName() {
            for (Path p : List.of(Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hostname"))) {
                try {
                    String name = Files.readString(p).strip();
                    if (!name.isEmpty()) {
                        return name;
                    }
                } catch (IOException | RuntimeException e) {
                    // next
                }
            }
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
