package openenv.transport.httpclient;

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
 * Client transport {@code "httpclient"}: the OpenEnv HTTP routes ({@code /reset}, {@code /step}, {@code /state},
 * stateful sessions when the server offers them) over Apache HttpClient 5 with keep-alive, for {@code http://}
 * and {@code https://} URLs.
 *
 * <p>Priority -10: another client transport serving {@code http://} at the default priority 0 (e.g. Netty's) wins
 * unless this one is named, with {@code EnvClient.builder().transport("httpclient")} or
 * {@code -Dopenenv.client=httpclient}. Found by {@link java.util.ServiceLoader}; the constructor does nothing.
 */
public final class HttpClientTransportProvider implements ClientTransportProvider {

    /** The provider's name, {@value}. */
    public static final String NAME = "httpclient";

    /** Lower than the default 0, so a transport that also serves WebSockets is preferred unless this is named. */
    static final int PRIORITY = -10;

    private static final Set<String> SCHEMES = Set.of("http", "https");

    /** For {@link java.util.ServiceLoader}; does nothing. */
    public HttpClientTransportProvider() {
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

    /**
     * Connects for one session: opens a stateful HTTP session ({@code POST /sessions}) when the server offers
     * them, else uses the server's default session (Python OpenEnv servers).
     *
     * @throws ConfigurationException           when {@code baseUri} is not an absolute http(s) URL with a host
     * @throws openenv.api.TransportException   when the server cannot be reached
     * @throws openenv.api.EnvironmentException when the server refuses the session (e.g. {@code CAPACITY_REACHED})
     */
    @Override
    public ClientConnection connect(URI baseUri, ClientConfig config, Codec codec) {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(codec, "codec");
        String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme) || baseUri.getHost() == null) {
            throw new ConfigurationException("The '" + NAME + "' client transport needs an http:// or https:// URL"
                    + " with a host, e.g. http://127.0.0.1:8000; got '" + baseUri + "'.");
        }
        if (baseUri.getRawFragment() != null) {
            throw new ConfigurationException("The server URL '" + baseUri + "' has a fragment (#…); remove it.");
        }
        return new HttpClientConnection(baseUri, config, codec);
    }
}
