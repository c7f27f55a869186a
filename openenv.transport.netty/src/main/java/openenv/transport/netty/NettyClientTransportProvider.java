package openenv.transport.netty;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import openenv.api.ConfigurationException;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.ClientConnection;
import openenv.api.spi.ClientTransportProvider;
import openenv.api.spi.Codec;

/**
 * The Netty client transport, {@code "netty"}: {@code ws://} and {@code wss://} URLs speak the WebSocket session
 * protocol on {@code <base>/ws}; {@code http://} and {@code https://} URLs speak the HTTP routes over one
 * keep-alive connection per client. TLS uses the JDK's provider and its default trust store.
 *
 * <p>Found by {@link java.util.ServiceLoader}; the constructor does nothing. All connections share one small
 * pool of daemon I/O threads, created on first use.
 */
public final class NettyClientTransportProvider implements ClientTransportProvider {

    private static final Set<String> SCHEMES = Set.of("ws", "wss", "http", "https");

    /** For {@link java.util.ServiceLoader}. */
    public NettyClientTransportProvider() {
    }

    @Override
    public String name() {
        return NettyServerTransportProvider.NAME;
    }

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public ClientConnection connect(URI baseUri, ClientConfig config, Codec codec) {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(codec, "codec");
        String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
        if (baseUri.getHost() == null) {
            throw new ConfigurationException("URL '" + baseUri + "' has no host; use e.g. ws://127.0.0.1:8000");
        }
        switch (scheme) {
            case "ws", "wss":
                return DirectWebSocketConnection.open(baseUri, config, codec);
            case "http", "https":
                return NettyHttpConnection.open(baseUri, config, codec);
            default:
                throw new ConfigurationException("The netty client transport serves ws://, wss://, http:// and "
                        + "https:// URLs, not '" + baseUri + "'.");
        }
    }
}
