package openenv.api;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import openenv.api.internal.ProviderKind;
import openenv.api.internal.Providers;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.ClientConnection;
import openenv.api.spi.ClientTransportProvider;
import openenv.api.spi.Codec;
import openenv.api.spi.CodecProvider;
import openenv.api.spi.ContainerSpec;
import openenv.api.spi.RunningContainer;

/**
 * Builds clients. The URL scheme picks the protocol: {@code ws://} / {@code wss://} = the WebSocket session
 * protocol on {@code /ws} (openenv-core 0.2+ servers), {@code http://} / {@code https://} = the HTTP routes
 * (0.1-style servers, or any server over plain HTTP), {@code local://} = an in-process server. Which transport
 * implementation serves the scheme is found on the module path or named with {@link #transport(String)}.
 *
 * <p>Not thread-safe; every client built is independent and owns one session.
 */
public final class ClientBuilder {

    private URI url;
    private String transportName;
    private ClientTransportProvider transportProvider;
    private String codecName;
    private CodecProvider codecProvider;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int maxMessageBytes = 16 * 1024 * 1024;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private ContainerSpec container;
    private String containerProvider;
    private RunningContainer running;

    ClientBuilder() {
    }

    /** Required. The server's base URL, e.g. {@code ws://127.0.0.1:8000} or {@code http://127.0.0.1:8000}. */
    public ClientBuilder url(String url) {
        return url(URI.create(Objects.requireNonNull(url, "url")));
    }

    /** Required. The server's base URL. */
    public ClientBuilder url(URI url) {
        this.url = Objects.requireNonNull(url, "url");
        if (url.getScheme() == null) {
            throw new ConfigurationException("URL '" + url + "' has no scheme; use ws://, http:// or local://");
        }
        return this;
    }

    /** Transport by name, e.g. {@code "netty"} or {@code "httpclient"}; default: discovered for the scheme. */
    public ClientBuilder transport(String name) {
        this.transportName = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Transport instance; wins over names and discovery. */
    public ClientBuilder transport(ClientTransportProvider provider) {
        this.transportProvider = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /** Codec by name; default: discovered. */
    public ClientBuilder codec(String name) {
        this.codecName = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Codec instance; wins over names and discovery. */
    public ClientBuilder codec(CodecProvider provider) {
        this.codecProvider = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /** Longest wait to connect; default 10 s. */
    public ClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Longest wait for one reply; default 60 s. On expiry the connection is closed. */
    public ClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Largest reply accepted; default 16 MiB. */
    public ClientBuilder maxMessageBytes(int bytes) {
        this.maxMessageBytes = bytes;
        return this;
    }

    /** An extra header for every request and the WebSocket handshake (e.g. authorization). */
    public ClientBuilder header(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Starts this image first (with the container provider on the module path, or the one named) and connects
     * to it; closing the client stops and removes the container. Like Python's {@code from_docker_image}. The
     * URL, if set, only contributes its scheme ({@code ws} by default, {@code http} for the HTTP routes).
     */
    public ClientBuilder container(ContainerSpec spec) {
        this.container = Objects.requireNonNull(spec, "spec");
        return this;
    }

    /** Like {@link #container(ContainerSpec)} with a named provider, e.g. {@code "docker"} or {@code "k8s"}. */
    public ClientBuilder container(String providerName, ContainerSpec spec) {
        this.containerProvider = Objects.requireNonNull(providerName, "providerName");
        return container(spec);
    }

    /**
     * Connects to a container that is already running (e.g. taken from a warm pool); closing the client closes
     * the container. The URL, if set, only contributes its scheme ({@code ws} by default).
     */
    public ClientBuilder container(RunningContainer started) {
        this.running = Objects.requireNonNull(started, "started");
        return this;
    }

    /** Connects a typed client. */
    public <A extends Action, O extends Observation, S extends State> EnvClient<A, O, S> build(
            EnvTypes<A, O, S> types) {
        Objects.requireNonNull(types, "types");
        Connected connected = connect();
        return new EnvClient<>(new GenericEnvClient(connected.connection(), connected.codec(), connected.url(), connected.transport()), types);
    }

    /** Connects a generic client (JSON objects in and out), which needs no Java types for the environment. */
    public GenericEnvClient buildGeneric() {
        Connected connected = connect();
        return new GenericEnvClient(connected.connection(), connected.codec(), connected.url(), connected.transport());
    }

    private record Connected(ClientConnection connection, Codec codec, String transport, URI url) {
    }

    private Connected connect() {
        if (container != null || running != null) {
            return connectToContainer();
        }
        if (url == null) {
            throw new ConfigurationException("No URL: call .url(\"ws://host:8000\") (or http://, local://).");
        }
        ClientConfig config;
        try {
            config = new ClientConfig(connectTimeout, requestTimeout, maxMessageBytes, headers);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        Codec codec = EnvServer.pickCodec(codecProvider, codecName);
        ClientTransportProvider provider = transportProvider != null ? transportProvider : pickTransport();
        return new Connected(provider.connect(url, config, codec), codec, provider.name(), url);
    }

    private Connected connectToContainer() {
        RunningContainer target = running != null ? running
                : Containers.provider(Optional.ofNullable(containerProvider)).start(container);
        String scheme = url == null || url.getScheme().startsWith("ws") ? "ws" : "http";
        URI previous = url;
        ContainerSpec spec = container;
        RunningContainer given = running;
        try {
            url = target.uri(scheme);
            container = null;
            running = null;
            Connected connected = connect();
            return new Connected(new ContainerOwningConnection(connected.connection(), target), connected.codec(),
                    connected.transport(), connected.url());
        } catch (RuntimeException e) {
            try {
                target.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            url = previous;
            container = spec;
            running = given;
        }
    }

    /** Closes the container after the session. */
    private record ContainerOwningConnection(ClientConnection delegate, RunningContainer container)
            implements ClientConnection {
        @Override
        public Map<String, Object> reset(Map<String, Object> request) {
            return delegate.reset(request);
        }

        @Override
        public Map<String, Object> step(Map<String, Object> action) {
            return delegate.step(action);
        }

        @Override
        public Map<String, Object> state() {
            return delegate.state();
        }

        @Override
        public String protocol() {
            return delegate.protocol();
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } finally {
                container.close();
            }
        }
    }

    private ClientTransportProvider pickTransport() {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        List<ClientTransportProvider> all = Providers.load(ClientTransportProvider.class);
        List<ClientTransportProvider> forScheme = all.stream().filter(p -> p.schemes().contains(scheme))
                .collect(Collectors.toList());
        Optional<String> name = Providers.requestedName(ProviderKind.CLIENT_TRANSPORT, Optional.ofNullable(transportName));
        if (name.isPresent() && forScheme.stream().noneMatch(p -> p.name().equals(name.get()))
                && all.stream().anyMatch(p -> p.name().equals(name.get()))) {
            ClientTransportProvider named = all.stream().filter(p -> p.name().equals(name.get())).findFirst()
                    .orElseThrow();
            throw new ConfigurationException("The client transport '" + named.name() + "' does not serve "
                    + scheme + ":// URLs (it serves " + named.schemes() + "). Use a matching URL scheme or another"
                    + " transport.");
        }
        return Providers.pick(ProviderKind.CLIENT_TRANSPORT, forScheme, name, "for " + scheme + ":// URLs");
    }
}
