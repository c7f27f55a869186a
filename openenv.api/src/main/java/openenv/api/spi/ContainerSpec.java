package openenv.api.spi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import openenv.api.ConfigurationException;

/**
 * What to start: an environment image and how to run it. Immutable; build with
 * {@code ContainerSpec.builder("openenv/echo:latest").env("MAX_CONCURRENT_ENVS", "8").memoryBytes(256 << 20).build()}.
 * Providers honour every setting they can and reject (with {@link openenv.api.ContainerException}) settings they
 * cannot.
 */
public final class ContainerSpec {

    /** When to pull the image. */
    public enum PullPolicy {
        /** Pull only when the image is not present locally (default). */
        IF_MISSING,
        /** Always pull. */
        ALWAYS,
        /** Never pull; fail when the image is absent. */
        NEVER
    }

    private final String image;
    private final Map<String, String> env;
    private final int containerPort;
    private final String hostAddress;
    private final Duration startupTimeout;
    private final List<String> command;
    private final OptionalLong memoryBytes;
    private final OptionalDouble cpus;
    private final OptionalLong pidsLimit;
    private final Optional<String> networkMode;
    private final boolean readOnlyRootFilesystem;
    private final PullPolicy pullPolicy;
    private final Map<String, String> labels;

    private ContainerSpec(Builder b) {
        this.image = b.image;
        this.env = Map.copyOf(b.env);
        this.containerPort = b.containerPort;
        this.hostAddress = b.hostAddress;
        this.startupTimeout = b.startupTimeout;
        this.command = List.copyOf(b.command);
        this.memoryBytes = b.memoryBytes;
        this.cpus = b.cpus;
        this.pidsLimit = b.pidsLimit;
        this.networkMode = b.networkMode;
        this.readOnlyRootFilesystem = b.readOnlyRootFilesystem;
        this.pullPolicy = b.pullPolicy;
        this.labels = Map.copyOf(b.labels);
    }

    /** The image with every default: port 8000 on 127.0.0.1, 60 s startup timeout, the image's own command. */
    public static ContainerSpec of(String image) {
        return builder(image).build();
    }

    /** A builder for {@code image}. */
    public static Builder builder(String image) {
        return new Builder(image);
    }

    /** Image reference, e.g. {@code openenv/echo:latest}. */
    public String image() {
        return image;
    }

    /** Environment variables. */
    public Map<String, String> env() {
        return env;
    }

    /** Port the server listens on inside the container; default 8000. */
    public int containerPort() {
        return containerPort;
    }

    /** Host address the port is published on; default {@code 127.0.0.1}. The host port is chosen by the engine. */
    public String hostAddress() {
        return hostAddress;
    }

    /** Longest wait for readiness (running + {@code /health} 200); default 60 s. */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** Command override; empty = the image's own. */
    public List<String> command() {
        return command;
    }

    /** Memory limit in bytes. */
    public OptionalLong memoryBytes() {
        return memoryBytes;
    }

    /** CPU limit (e.g. 0.5 = half a core). */
    public OptionalDouble cpus() {
        return cpus;
    }

    /** Maximum number of processes/threads. */
    public OptionalLong pidsLimit() {
        return pidsLimit;
    }

    /** Network mode, e.g. {@code bridge} or {@code none}; empty = the engine's default. */
    public Optional<String> networkMode() {
        return networkMode;
    }

    /** Mount the root filesystem read-only; default false. */
    public boolean readOnlyRootFilesystem() {
        return readOnlyRootFilesystem;
    }

    /** When to pull; default {@link PullPolicy#IF_MISSING}. */
    public PullPolicy pullPolicy() {
        return pullPolicy;
    }

    /** Extra labels; providers add their own (managed-by, session id, creation time). */
    public Map<String, String> labels() {
        return labels;
    }

    @Override
    public String toString() {
        return "ContainerSpec[" + image + ", port " + containerPort + ", env " + env.keySet() + "]";
    }

    /** Builds a {@link ContainerSpec}. Not thread-safe. */
    public static final class Builder {
        private final String image;
        private final Map<String, String> env = new LinkedHashMap<>();
        private int containerPort = 8000;
        private String hostAddress = "127.0.0.1";
        private Duration startupTimeout = Duration.ofSeconds(60);
        private List<String> command = List.of();
        private OptionalLong memoryBytes = OptionalLong.empty();
        private OptionalDouble cpus = OptionalDouble.empty();
        private OptionalLong pidsLimit = OptionalLong.empty();
        private Optional<String> networkMode = Optional.empty();
        private boolean readOnlyRootFilesystem;
        private PullPolicy pullPolicy = PullPolicy.IF_MISSING;
        private final Map<String, String> labels = new LinkedHashMap<>();

        private Builder(String image) {
            this.image = Objects.requireNonNull(image, "image");
            if (image.isBlank()) {
                throw new ConfigurationException("image must not be blank");
            }
        }

        /** Adds an environment variable. */
        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds environment variables. */
        public Builder env(Map<String, String> values) {
            values.forEach(this::env);
            return this;
        }

        /** Port inside the container; default 8000. */
        public Builder containerPort(int port) {
            if (port < 1 || port > 65535) {
                throw new ConfigurationException("containerPort must be 1..65535, was " + port);
            }
            this.containerPort = port;
            return this;
        }

        /** Host address to publish on; default 127.0.0.1. */
        public Builder hostAddress(String address) {
            this.hostAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Readiness timeout; default 60 s. */
        public Builder startupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new ConfigurationException("startupTimeout must be positive, was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /** Command override; default: the image's own. */
        public Builder command(List<String> command) {
            this.command = List.copyOf(Objects.requireNonNull(command, "command"));
            return this;
        }

        /** Memory limit in bytes; default none. */
        public Builder memoryBytes(long bytes) {
            if (bytes <= 0) {
                throw new ConfigurationException("memoryBytes must be positive, was " + bytes);
            }
            this.memoryBytes = OptionalLong.of(bytes);
            return this;
        }

        /** CPU limit; default none. */
        public Builder cpus(double cpus) {
            if (!(cpus > 0)) {
                throw new ConfigurationException("cpus must be positive, was " + cpus);
            }
            this.cpus = OptionalDouble.of(cpus);
            return this;
        }

        /** Process/thread limit; default none. */
        public Builder pidsLimit(long pids) {
            if (pids <= 0) {
                throw new ConfigurationException("pidsLimit must be positive, was " + pids);
            }
            this.pidsLimit = OptionalLong.of(pids);
            return this;
        }

        /** Network mode; default the engine's. */
        public Builder networkMode(String mode) {
            this.networkMode = Optional.of(Objects.requireNonNull(mode, "mode"));
            return this;
        }

        /** Read-only root filesystem; default false. */
        public Builder readOnlyRootFilesystem(boolean readOnly) {
            this.readOnlyRootFilesystem = readOnly;
            return this;
        }

        /** Pull policy; default {@link PullPolicy#IF_MISSING}. */
        public Builder pullPolicy(PullPolicy policy) {
            this.pullPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Adds a label. */
        public Builder label(String name, String value) {
            labels.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(this);
        }
    }
}
