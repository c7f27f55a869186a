package openenv.transport.netty;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.internal.HttpClientProtocol;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.Codec;

/**
 * The HTTP routes of an OpenEnv server over one keep-alive connection, a {@link CallerDrivenChannel}: the calling
 * thread writes the request and reads the response itself, Netty's HTTP codec does the protocol. The protocol of
 * OpenEnv is done by {@link HttpClientProtocol}; this class moves one request and its response at a time.
 *
 * <p>A connection idle for 200 ms or more is checked (one read that does not block) before it is reused, and
 * replaced when the server closed it. A request that was sent is repeated only when its method is idempotent (a
 * {@code GET /state}, never a {@code POST /step}) and the reused connection closed before any byte of a reply,
 * which is how a server closing an idle keep-alive connection at that very moment looks.
 */
final class NettyHttpConnection extends HttpClientProtocol {

    /**
     * Idle time after which a kept connection is checked before use. Steps in a loop are never that far apart,
     * so they pay nothing; after a pause the check costs three system calls. (Apache HttpClient checks after 2 s.)
     */
    private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Methods that may be repeated when a reused connection closes before any response byte (RFC 9110 §9.2.2). */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final Object lock = new Object();
    private final String basePath;
    private final String hostHeader;
    /** Replaced under {@link #lock}; closed without it, so a hung call can be aborted from another thread. */
    private volatile CallerDrivenChannel pipe;
    private Responses responses;

    private NettyHttpConnection(URI baseUri, ClientConfig config, Codec codec) {
        super(baseUri, config, codec);
        this.basePath = ClientSupport.basePath(baseUri);
        this.hostHeader = baseUri.getPort() == -1 ? baseUri.getHost() : baseUri.getHost() + ":" + baseUri.getPort();
        try {
            openSession();
        } catch (RuntimeException e) {
            closeTransport();
            throw e;
        }
    }

    static NettyHttpConnection open(URI baseUri, ClientConfig config, Codec codec) {
        return new NettyHttpConnection(baseUri, config, codec);
    }

    /** Why a request can be sent again on a new connection: it never reached the server (or was idempotent). */
    private static final class NotSent extends Exception {
        private static final long serialVersionUID = 1L;

        NotSent(Throwable cause) {
            super(cause);
        }
    }

    @Override
    protected Response exchange(String method, String path, byte[] body, Map<String, String> headers) {
        synchronized (lock) {
            try {
                return send(method, path, body, headers);
            } catch (NotSent e) {
                // the reused connection was already closed by the server: one more try on a fresh connection
                try {
                    return send(method, path, body, headers);
                } catch (NotSent again) {
                    throw new TransportException("Could not send " + method + " " + path + " to " + baseUri + ": "
                            + ClientSupport.reason(again.getCause()), again.getCause());
                }
            }
        }
    }

    /**
     * Sends one request and reads its response. Throws {@link NotSent} only for a reused connection that turned
     * out to be closed: the write failed, or (idempotent methods only) the connection closed before any byte of
     * a response came back.
     */
    private Response send(String method, String path, byte[] body, Map<String, String> headers) throws NotSent {
        CallerDrivenChannel current = pipe;
        boolean reused = current != null;
        CallerDrivenChannel p = connection(); // locked
        reused = reused && p == current;
        Responses handler = responses;
        try {
            handler.expect();
            long readBefore = p.bytesRead();
            try {
                p.write(request(method, path, body, headers));
            } catch (IOException e) {
                p.close();
                if (reused) {
                    throw new NotSent(e);
                }
                throw new TransportException("Could not send " + method + " " + path + " to " + baseUri + ": "
                        + ClientSupport.reason(e), e);
            }
            try {
                p.readUntil(handler::answered, config.requestTimeout().toNanos());
            } catch (ClosedByInterruptException e) {
                Thread.currentThread().interrupt();
                p.close();
                throw new TransportException("Interrupted while waiting for " + method + " " + path + " on "
                        + baseUri, e);
            } catch (IOException e) {
                p.close();
                if (p.timedOut()) {
                    throw new TransportTimeoutException("No reply to " + method + " " + path + " from " + baseUri
                            + " within " + config.requestTimeout().toMillis() + " ms (request timeout); the connection"
                            + " was closed. Raise requestTimeout or check the server.", e);
                }
                if (handler.failure == null) {
                    if (reused && p.bytesRead() == readBefore && IDEMPOTENT.contains(method)) {
                        throw new NotSent(e);
                    }
                    throw new TransportException("The connection to " + baseUri + " failed during " + method + " "
                            + path + ": " + (p.isClosed() ? "closed by the client" : ClientSupport.reason(e)), e);
                }
            }
            if (handler.failure != null) {
                p.close();
                Throwable cause = handler.failure;
                if (cause instanceof TooLongFrameException) {
                    throw new TransportException("The reply to " + method + " " + path + " from " + baseUri
                            + " is larger than maxMessageBytes (" + config.maxMessageBytes() + " bytes).", cause);
                }
                throw new TransportException("The connection to " + baseUri + " failed during " + method + " "
                        + path + ": " + ClientSupport.reason(cause), cause);
            }
            return handler.response;
        } finally {
            p.unlock();
        }
    }

    /**
     * The kept connection, locked, when it is still open (checked after a pause); else a new one, locked. The
     * caller unlocks it.
     */
    private CallerDrivenChannel connection() {
        CallerDrivenChannel current = pipe;
        if (current != null) {
            current.lock();
            if (!current.closedWhileIdle(CHECK_AFTER_IDLE_NANOS)) {
                return current;
            }
            current.unlock();
            current.close();
        }
        Responses handler = new Responses();
        CallerDrivenChannel fresh = CallerDrivenChannel.open(baseUri, config.connectTimeout(), false,
                new HttpClientCodec(), new HttpObjectAggregator(config.maxMessageBytes()), handler);
        responses = handler;
        pipe = fresh;
        return fresh;
    }

    private FullHttpRequest request(String method, String path, byte[] body, Map<String, String> headers) {
        byte[] content = body == null ? new byte[0] : body;
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method),
                basePath + path, Unpooled.wrappedBuffer(content));
        request.headers().set(HttpHeaderNames.HOST, hostHeader);
        request.headers().set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            request.headers().set(header.getKey(), header.getValue());
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            request.headers().set(header.getKey(), header.getValue());
        }
        if (body != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        if (body != null || !"GET".equals(method)) {
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.length);
        }
        return request;
    }

    @Override
    protected void closeTransport() {
        CallerDrivenChannel p = pipe;
        pipe = null;
        if (p != null) {
            p.close();
        }
    }

    /** Takes the one outstanding request's response, or the failure that ended the connection. */
    private static final class Responses extends SimpleChannelInboundHandler<FullHttpResponse> {

        Response response;
        Throwable failure;

        void expect() {
            response = null;
            failure = null;
        }

        boolean answered() {
            return response != null || failure != null;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse message) {
            response = new Response(message.status().code(), ByteBufUtil.getBytes(message.content()));
            if (!HttpUtil.isKeepAlive(message)) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            ctx.close();
        }
    }
}
