package openenv.transport.socket;

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
 * Client transport {@code "socket"}: the WebSocket session protocol ({@code ws://}, {@code wss://}) over one
 * blocking JDK socket per client, read and written by the calling thread. No I/O threads, so no thread hand-offs
 * per step: the lowest latency of the client transports, and no dependency beyond the JDK. TLS uses the JDK's
 * default trust store.
 *
 * <p>Priority -20: a transport at the default priority 0 (Netty's) serves {@code ws://} when both are present,
 * unless this one is named with {@code EnvClient.builder().transport("socket")} or {@code -Dopenenv.client=socket}.
 * Found by {@link java.util.ServiceLoader}; the constructor does nothing.
 */
public final class SocketClientTransportProvider implements ClientTransportProvider {

    /** The provider's name, {@value}. */
    public static final String NAME = "socket";

    /** Below the default 0: adding this module never changes which transport an application already uses. */
    static final int PRIORITY = -20;

    private static final Set<String> SCHEMES = Set.of("ws", "wss");

    /** For {@link java.util.ServiceLoader}; does nothing. */
    public SocketClientTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
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
        if (!SCHEMES.contains(scheme) || baseUri.getHost() == null) {
            throw new ConfigurationException("The '" + NAME + "' client transport needs a ws:// or wss:// URL with a"
                    + " host, e.g. ws://127.0.0.1:8000; got '" + baseUri + "'. For http:// use the netty or"
                    + " httpclient transport.");
        }
        return SocketWebSocketConnection.open(baseUri, config, codec);
    }
}
