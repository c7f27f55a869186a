package openenv.api;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import openenv.api.internal.EnvTypesResolver;
import openenv.api.internal.InProcessServerTransportProvider;
import openenv.api.internal.ProtocolEngine;
import openenv.api.internal.ProviderKind;
import openenv.api.internal.Providers;
import openenv.api.spi.Codec;
import openenv.api.spi.CodecProvider;
import openenv.api.spi.ServerConfig;
import openenv.api.spi.ServerExtension;
import openenv.api.spi.ServerTransport;
import openenv.api.spi.ServerTransportProvider;

/**
 * Serves an environment over the OpenEnv protocol.
 *
 * <pre>{@code
 * try (EnvServer server = EnvServer.builder()
 *         .environment(EchoEnvironment::new)      // one instance per session
 *         .port(0)                                // 0 = any free port
 *         .build()
 *         .start()) {
 *     System.out.println("listening on " + server.uri());
 *     server.awaitShutdown();
 * }
 * }</pre>
 *
 * The transport is the one on the module path (e.g. {@code openenv.transport.netty}), or the one named with
 * {@link Builder#transport(String)} / {@code -Dopenenv.server=name}; {@code "local"} serves in-process.
 */
public final class EnvServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EnvServer.class.getName());

    private final Builder settings;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private ProtocolEngine engine;
    private ServerTransport transport;
    private boolean closed;

    private EnvServer(Builder builder) {
        this.settings = builder.copy();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts serving. Returns this server, started.
     *
     * @throws ConfigurationException for a missing codec/transport or unusable environment types
     * @throws TransportException     when the address cannot be bound
     */
    public EnvServer start() {
        synchronized (lifecycle) {
            if (engine != null || closed) {
                throw new IllegalStateException("A server can be started once; build a new one.");
            }
            Codec codec = pickCodec(settings.codecProvider, settings.codecName);
            ServerTransportProvider transportProvider = pickTransport();
            Environment<?, ?, ?> first = settings.factory.get();
            if (first == null) {
                throw new ConfigurationException("The environment factory returned null.");
            }
            try {
                EnvTypes<?, ?, ?> types = settings.types != null ? settings.types
                        : EnvTypesResolver.resolve(first.getClass()).orElseThrow(() -> new ConfigurationException(
                                "Cannot tell the action, observation and state types of " + first.getClass().getName()
                                        + " (it does not declare concrete type arguments for Environment<A, O, S>). "
                                        + "Pass them with EnvServer.builder().types(EnvTypes.of(A.class, O.class, "
                                        + "S.class))."));
                EnvironmentInfo info = settings.info != null ? settings.info
                        : EnvironmentInfo.named(first.getClass().getSimpleName());
                List<ServerExtension> extensions = settings.extensionsEnabled
                        ? Providers.load(ServerExtension.class) : List.of();
                engine = new ProtocolEngine(new ProtocolEngine.Settings(settings.maxSessions,
                        settings.idleTimeout, settings.stepTimeout, settings.onIoThread), codec, settings.factory, first, types, info,
                        extensions);
            } catch (RuntimeException e) {
                first.close();
                throw e;
            }
            try {
                transport = transportProvider.start(new ServerConfig(settings.host, settings.port,
                        settings.maxBodyBytes, settings.pingInterval, settings.ioThreads), engine);
            } catch (RuntimeException e) {
                engine.shutdown(Duration.ofSeconds(1));
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, "OpenEnv server for {0} listening on {1} (transport ''{2}'' from {3})",
                    first.getClass().getSimpleName(), transport.uri(), transportProvider.name(),
                    Providers.origin(transportProvider));
            return this;
        }
    }

    private ServerTransportProvider pickTransport() {
        if (settings.transportProvider != null) {
            return settings.transportProvider;
        }
        Optional<String> name = Providers.requestedName(ProviderKind.SERVER_TRANSPORT,
                Optional.ofNullable(settings.transportName));
        if (name.isPresent() && name.get().equals(InProcessServerTransportProvider.NAME)) {
            return new InProcessServerTransportProvider();
        }
        return Providers.pick(ProviderKind.SERVER_TRANSPORT, Providers.load(ServerTransportProvider.class), name, "");
    }

    static Codec pickCodec(CodecProvider explicit, String name) {
        if (explicit != null) {
            return explicit.create();
        }
        return Providers.pick(ProviderKind.CODEC, Providers.load(CodecProvider.class),
                Providers.requestedName(ProviderKind.CODEC, Optional.ofNullable(name)), "").create();
    }

    /** The bound base URI, e.g. {@code http://127.0.0.1:8000} or {@code local://server-1}. */
    public URI uri() {
        synchronized (lifecycle) {
            if (transport == null) {
                throw new IllegalStateException("The server is not started; call start() first.");
            }
            return transport.uri();
        }
    }

    /** Sessions open now (WebSocket and HTTP sessions; not the default HTTP session). */
    public int activeSessions() {
        synchronized (lifecycle) {
            return engine == null ? 0 : engine.activeSessions();
        }
    }

    /** Blocks until {@link #close()} is called (e.g. from a shutdown hook). Returns early if interrupted. */
    public void awaitShutdown() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Graceful shutdown: stops accepting connections, lets in-flight calls finish (up to the shutdown grace),
     * closes every session (calling each environment's {@code close}) and releases the port. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException failure = null;
            if (transport != null) {
                try {
                    transport.shutdown(settings.shutdownGrace);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (engine != null) {
                try {
                    engine.shutdown(settings.shutdownGrace);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            stopped.countDown();
            if (failure != null) {
                throw failure;
            }
        }
    }

    /**
     * Builds an {@link EnvServer}. Not thread-safe; the built server keeps a copy of the settings.
     */
    public static final class Builder {

        private Supplier<? extends Environment<?, ?, ?>> factory;
        private EnvTypes<?, ?, ?> types;
        private EnvironmentInfo info;
        private String host = "127.0.0.1";
        private int port = 8000;
        private int maxSessions = 64;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration stepTimeout = Duration.ZERO;
        private int maxBodyBytes = 16 * 1024 * 1024;
        private Duration pingInterval = Duration.ofSeconds(30);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private int ioThreads;
        private String transportName;
        private ServerTransportProvider transportProvider;
        private String codecName;
        private CodecProvider codecProvider;
        private boolean extensionsEnabled = true;
        private boolean onIoThread;

        private Builder() {
        }

        private Builder copy() {
            if (factory == null) {
                throw new ConfigurationException("No environment: call EnvServer.builder().environment(MyEnv::new).");
            }
            Builder copy = new Builder();
            copy.factory = factory;
            copy.types = types;
            copy.info = info;
            copy.host = host;
            copy.port = port;
            copy.maxSessions = maxSessions;
            copy.idleTimeout = idleTimeout;
            copy.stepTimeout = stepTimeout;
            copy.maxBodyBytes = maxBodyBytes;
            copy.pingInterval = pingInterval;
            copy.shutdownGrace = shutdownGrace;
            copy.ioThreads = ioThreads;
            copy.transportName = transportName;
            copy.transportProvider = transportProvider;
            copy.codecName = codecName;
            copy.codecProvider = codecProvider;
            copy.extensionsEnabled = extensionsEnabled;
            copy.onIoThread = onIoThread;
            return copy;
        }

        /** Required. Makes one environment per session (and one for the default HTTP session). */
        public Builder environment(Supplier<? extends Environment<?, ?, ?>> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** The record types; default: read from the environment class's {@code Environment<A, O, S>}. */
        public Builder types(EnvTypes<?, ?, ?> types) {
            this.types = Objects.requireNonNull(types, "types");
            return this;
        }

        /** What {@code /metadata} reports; default: the environment class's simple name, nothing else. */
        public Builder info(EnvironmentInfo info) {
            this.info = Objects.requireNonNull(info, "info");
            return this;
        }

        /** Bind address; default {@code 127.0.0.1} (use {@code 0.0.0.0} in containers). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Bind port; default 8000; 0 = any free port (read it back from {@link EnvServer#uri()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new ConfigurationException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** WebSocket + HTTP sessions at once; default 64. More get {@code CAPACITY_REACHED} / 503. */
        public Builder maxSessions(int maxSessions) {
            if (maxSessions < 1) {
                throw new ConfigurationException("maxSessions must be at least 1, was " + maxSessions);
            }
            this.maxSessions = maxSessions;
            return this;
        }

        /** Sessions idle this long are closed; default 5 minutes; {@link Duration#ZERO} never reaps. */
        public Builder sessionIdleTimeout(Duration timeout) {
            this.idleTimeout = nonNegative(timeout, "sessionIdleTimeout");
            return this;
        }

        /**
         * Longest environment call; default {@link Duration#ZERO} = no limit. On expiry the client gets
         * {@code EXECUTION_ERROR} and the session is closed (its environment is closed once the call returns).
         */
        public Builder stepTimeout(Duration timeout) {
            this.stepTimeout = nonNegative(timeout, "stepTimeout");
            return this;
        }

        /** Largest request body / WebSocket message; default 16 MiB. Larger gets 413 (HTTP) or close 1009. */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1024) {
                throw new ConfigurationException("maxBodyBytes must be at least 1024, was " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /** WebSocket ping interval to detect dead peers; default 30 s; {@link Duration#ZERO} disables. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = nonNegative(interval, "pingInterval");
            return this;
        }

        /** How long {@link EnvServer#close()} lets in-flight calls finish; default 10 s. */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = nonNegative(grace, "shutdownGrace");
            return this;
        }

        /** Transport I/O threads; default 0 = the transport's own default. */
        public Builder ioThreads(int threads) {
            if (threads < 0) {
                throw new ConfigurationException("ioThreads must not be negative, was " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /** Server transport by name, e.g. {@code "netty"}, or {@code "local"} for in-process; default: discovered. */
        public Builder transport(String name) {
            this.transportName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Server transport instance; wins over names and discovery. */
        public Builder transport(ServerTransportProvider provider) {
            this.transportProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Codec by name, e.g. {@code "jackson"}; default: discovered. */
        public Builder codec(String name) {
            this.codecName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Codec instance; wins over names and discovery. */
        public Builder codec(CodecProvider provider) {
            this.codecProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Mount {@link ServerExtension}s found on the module path (e.g. the web UI); default true. */
        public Builder enableExtensions(boolean enabled) {
            this.extensionsEnabled = enabled;
            return this;
        }

        /**
         * Run environment calls directly on the transport's I/O thread; default false (a worker pool). Saves two
         * thread hand-offs per call, which matters when a step takes microseconds; but a step that blocks or takes
         * long then stalls every connection on that I/O thread. One session's calls stay in order either way.
         */
        public Builder runOnIoThread(boolean enabled) {
            this.onIoThread = enabled;
            return this;
        }

        /** A server with these settings, not yet started. */
        public EnvServer build() {
            return new EnvServer(this);
        }

        private static Duration nonNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new ConfigurationException(name + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
