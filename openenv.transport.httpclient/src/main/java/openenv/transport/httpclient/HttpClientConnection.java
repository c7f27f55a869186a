package openenv.transport.httpclient;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.internal.HttpClientProtocol;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.Codec;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * One client session over HTTP: {@link HttpClientProtocol} does the OpenEnv protocol, this class moves bytes
 * with a classic (blocking) Apache HttpClient 5.
 *
 * <p><b>One pooled client per connection, not one per JVM.</b> A session's calls are sequential, so a session
 * holds at most one socket whichever way the pool is shared: a JVM-wide pool saves no sockets for the usual case
 * of many sessions stepping in parallel, and only helps clients that are opened and closed in quick succession.
 * A private pool instead (1) honours each client's own connect timeout without HttpClient's deprecated
 * per-request connect timeout, (2) confines a failure: after an I/O error or a timeout this session's socket and
 * pool are closed and no other session is touched, (3) makes {@link #close()} really release the socket, and
 * (4) starts no background thread (the classic pool has no evictor unless asked) and needs no JVM-wide state
 * that would never be closed.
 *
 * <p><b>A POST is never sent twice.</b> A retried {@code /step} whose first attempt reached the server would
 * step the environment twice, so HttpClient's retry strategy is replaced by {@link StaleConnectionRetry}: it
 * never retries a POST ({@code /reset}, {@code /step}, {@code /sessions}) nor any call after a timeout, and
 * retries a GET or DELETE once only when the server closed the connection without answering, as a server does
 * with an idle keep-alive connection. Redirects are not followed either. To keep stale keep-alive sockets from
 * failing a POST in the first place, a pooled socket idle for {@link #VALIDATE_AFTER_INACTIVITY} is checked
 * before reuse, and one idle for {@link #KEEP_ALIVE} is not reused at all (uvicorn, which serves Python OpenEnv
 * environments, closes idle connections after 5 s).
 *
 * <p><b>Timeouts.</b> {@link ClientConfig#connectTimeout()} bounds connecting, the TLS handshake and waiting for a
 * pooled socket; {@link ClientConfig#requestTimeout()} is HttpClient's response timeout, i.e. the longest silence
 * while waiting for (any part of) the reply. On expiry the call fails with {@link TransportTimeoutException}, the
 * socket is discarded (a late reply can never be read as the answer to another call) and this connection is
 * closed, as it is after any other {@link TransportException}.
 */
final class HttpClientConnection extends HttpClientProtocol {

    /** Pooled sockets idle longer than this are not reused; below uvicorn's default keep-alive of 5 s. */
    static final TimeValue KEEP_ALIVE = TimeValue.ofSeconds(4);

    /** Pooled sockets idle longer than this get a stale check (a 1 ms read) before they carry a request. */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(1);

    private final CloseableHttpClient client;
    private final String origin;
    private final String pathPrefix;
    private final String query;
    private final AtomicBoolean transportClosed = new AtomicBoolean();
    private volatile TransportException failure;

    HttpClientConnection(URI baseUri, ClientConfig config, Codec codec) {
        super(baseUri, config, codec);
        this.origin = baseUri.getScheme().toLowerCase(Locale.ROOT) + "://" + baseUri.getRawAuthority();
        String path = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        this.pathPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.query = baseUri.getRawQuery();
        this.client = newClient(config);
        try {
            openSession();
        } catch (RuntimeException e) {
            closeTransport();
            throw e;
        }
    }

    private static CloseableHttpClient newClient(ClientConfig config) {
        Timeout connectTimeout = Timeout.of(config.connectTimeout());
        Timeout responseTimeout = Timeout.of(config.requestTimeout());
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                // A session makes one call at a time; the second slot only serves a close() racing a call.
                .setMaxConnTotal(2)
                .setMaxConnPerRoute(2)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connectTimeout)
                        .setSocketTimeout(responseTimeout)
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .setDefaultTlsConfig(TlsConfig.custom().setHandshakeTimeout(connectTimeout).build())
                // https: trust and key stores from the javax.net.ssl.* system properties, like the JDK's clients.
                .useSystemProperties()
                .build();
        RequestConfig requestConfig = RequestConfig.custom()
                .setConnectionRequestTimeout(connectTimeout)
                .setResponseTimeout(responseTimeout)
                .setConnectionKeepAlive(KEEP_ALIVE)
                .setRedirectsEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(requestConfig)
                .setDefaultHeaders(defaultHeaders(config.headers()))
                .setRetryStrategy(new StaleConnectionRetry()) // never re-sends a POST, above all not /step
                .disableRedirectHandling()
                .build();
    }

    /** The user's headers, then {@code Accept: application/json} unless the user set an Accept header. */
    private static List<Header> defaultHeaders(Map<String, String> extra) {
        List<Header> headers = new ArrayList<>();
        extra.forEach((name, value) -> headers.add(new BasicHeader(name, value)));
        if (extra.keySet().stream().noneMatch(HttpHeaders.ACCEPT::equalsIgnoreCase)) {
            headers.add(new BasicHeader(HttpHeaders.ACCEPT, ContentType.APPLICATION_JSON.getMimeType()));
        }
        return headers;
    }

    @Override
    protected Response exchange(String method, String path, byte[] body, Map<String, String> headers) {
        TransportException earlier = failure;
        if (earlier != null) {
            throw new TransportException("The connection to " + baseUri + " was closed after an earlier failure;"
                    + " open a new client. The failure was: " + earlier.getMessage(), earlier);
        }
        if (transportClosed.get()) {
            throw new TransportException("The connection to " + baseUri + " is closed.");
        }
        HttpUriRequestBase request = new HttpUriRequestBase(method, target(path));
        headers.forEach(request::setHeader);
        if (body != null && (body.length > 0 || method.equals("POST"))) {
            request.setEntity(new ByteArrayEntity(body, body.length == 0 ? null : ContentType.APPLICATION_JSON));
        }
        try {
            return client.execute(request, response -> read(response, method, path));
        } catch (TransportException e) {
            throw failed(e);
        } catch (IOException e) {
            throw failed(describe(e, method, path));
        } catch (RuntimeException e) {
            // e.g. IllegalStateException("Connection pool shut down") when close() raced this call
            throw failed(new TransportException(method + " " + path + " on " + baseUri + " failed: " + e, e));
        }
    }

    private URI target(String path) {
        String text = origin + pathPrefix + path + (query == null ? "" : "?" + query);
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new TransportException("Cannot build a request URL from " + baseUri + " and '" + path + "': "
                    + e.getMessage(), e);
        }
    }

    /** Status and body; a body over {@link ClientConfig#maxMessageBytes()} fails without being read further. */
    private Response read(ClassicHttpResponse response, String method, String path) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return new Response(response.getCode(), new byte[0]);
        }
        int max = config.maxMessageBytes();
        long declared = entity.getContentLength();
        if (declared > max) {
            throw tooLarge(method, path, declared + " bytes");
        }
        byte[] bytes;
        try (InputStream in = entity.getContent()) {
            // One byte more than allowed tells "exactly max" from "too large"; readNBytes grows as it reads.
            bytes = in.readNBytes((int) Math.min((long) max + 1, Integer.MAX_VALUE));
        }
        if (bytes.length > max) {
            throw tooLarge(method, path, "more than " + max + " bytes");
        }
        return new Response(response.getCode(), bytes);
    }

    private TransportException tooLarge(String method, String path, String size) {
        return new TransportException("The reply to " + method + " " + path + " from " + baseUri + " is " + size
                + ", over the limit of " + config.maxMessageBytes() + " bytes. Raise it with"
                + " EnvClient.builder().maxMessageBytes(...).");
    }

    private TransportException describe(IOException e, String method, String path) {
        String call = method + " " + path + " on " + baseUri;
        if (e instanceof ConnectTimeoutException) {
            return new TransportTimeoutException("Could not connect to " + baseUri + " within the connect timeout of "
                    + seconds(config.connectTimeout()) + ". Is the host reachable? Raise the limit with"
                    + " EnvClient.builder().connectTimeout(...).", e);
        }
        if (e instanceof ConnectException) {
            return new TransportException("Could not connect to " + baseUri + ": " + e.getMessage() + ". The server"
                    + " may be down, still starting, or listening on another port.", e);
        }
        if (e instanceof UnknownHostException) {
            return new TransportException("Could not connect to " + baseUri + ": unknown host '" + baseUri.getHost()
                    + "'.", e);
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException) {
            return new TransportException("The TLS handshake with " + baseUri + " failed: " + e.getMessage() + ". Does"
                    + " this JVM trust the server's certificate (javax.net.ssl.trustStore) and does the certificate"
                    + " name the host of the URL?", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new TransportTimeoutException(call + " got no reply within the request timeout of "
                    + seconds(config.requestTimeout()) + "; the connection was closed. The server may still"
                    + " complete the call. Raise the limit with EnvClient.builder().requestTimeout(...).", e);
        }
        return new TransportException(call + " failed: " + e + ". The connection was closed."
                + (method.equals("POST") ? " The server may or may not have applied the request; it was not"
                        + " retried, because a repeated step would step twice." : ""), e);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** Remembers the first failure and drops the sockets: later calls fail fast instead of reusing the client. */
    private TransportException failed(TransportException e) {
        if (failure == null) {
            failure = e;
        }
        if (transportClosed.compareAndSet(false, true)) {
            client.close(CloseMode.IMMEDIATE);
        }
        return e;
    }

    /**
     * Retries only what cannot do harm twice: a GET or DELETE (idempotent by HTTP's definition and by the
     * protocol's), once, after the server dropped the connection without a reply. Never a POST, never after a
     * timeout, never on an HTTP status (503 {@code CAPACITY_REACHED} goes straight to the caller).
     */
    static final class StaleConnectionRetry implements HttpRequestRetryStrategy {

        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
            String method = request.getMethod();
            return execCount <= 1 && (method.equals("GET") || method.equals("DELETE"))
                    && (exception instanceof NoHttpResponseException
                    || exception instanceof SocketException && !(exception instanceof ConnectException));
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }
    }

    @Override
    protected void closeTransport() {
        if (transportClosed.compareAndSet(false, true)) {
            client.close(CloseMode.GRACEFUL);
        }
    }
}
