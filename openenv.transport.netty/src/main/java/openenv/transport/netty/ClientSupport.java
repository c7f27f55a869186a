package openenv.transport.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;

/** What the client connections share: TLS, URL parts and connection errors. */
final class ClientSupport {

    private ClientSupport() {
    }

    /** A TLS handler for a client connection to {@code host:port} (JDK provider, default trust, host check). */
    static SslHandler tlsHandler(ByteBufAllocator alloc, String host, int port) {
        return Tls.CONTEXT.newHandler(alloc, unbracketed(host), port);
    }

    /** The JDK's TLS with its default trust store and host name verification. */
    private static final class Tls {
        static final SslContext CONTEXT = create();

        private static SslContext create() {
            try {
                return SslContextBuilder.forClient()
                        .sslProvider(SslProvider.JDK)
                        .endpointIdentificationAlgorithm("HTTPS")
                        .build();
            } catch (SSLException e) {
                throw new TransportException("Cannot set up TLS with the JDK's provider: " + e.getMessage(), e);
            }
        }
    }

    static boolean secure(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("wss") || scheme.equals("https");
    }

    static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : secure(uri) ? 443 : 80;
    }

    /** The base path of a URI without a trailing slash ({@code ""} for none). */
    static String basePath(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    static TransportException connectFailure(URI shownAs, Throwable cause, long millis) {
        if (cause instanceof SocketTimeoutException) {
            return new TransportTimeoutException("Could not connect to " + shownAs + " within " + millis
                    + " ms (connect timeout). Is the OpenEnv server running and reachable?", cause);
        }
        if (cause instanceof ConnectException) {
            return new TransportException("Could not connect to " + shownAs + ": " + cause.getMessage()
                    + ". The server may not be running, or not on this host and port.", cause);
        }
        if (cause instanceof UnknownHostException) {
            return new TransportException("Could not connect to " + shownAs + ": unknown host "
                    + shownAs.getHost() + ".", cause);
        }
        return new TransportException("Could not connect to " + shownAs + ": " + cause, cause);
    }

    /** A failure as a short phrase: Netty's decoder wrappers removed, TLS failures named as such. */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof DecoderException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return cause instanceof SSLException ? "TLS handshake failed: " + message : message;
    }

    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
