package openenv.transport.netty;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.internal.HttpClientProtocol;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.Codec;

/**
 * The HTTP routes of an OpenEnv server over one keep-alive Netty channel. The protocol is done by
 * {@link HttpClientProtocol}; this class moves one request and its response at a time. A connection the server
 * closed while idle is replaced before the next request is sent. A request that was sent is repeated only when
 * its method is idempotent (a {@code GET /state}, never a {@code POST /step}) and the reused connection closed
 * before any byte of a reply, which is how a server closing an idle keep-alive connection looks.
 */
final class NettyHttpConnection extends HttpClientProtocol {

    private final Object lock = new Object();
    private final String basePath;
    private final String hostHeader;
    /** Replaced under {@link #lock} by {@link #channel()}; closed without the lock, so a hung call can be aborted. */
    private volatile Channel channel;
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

    /** Methods that may be repeated when a reused connection closes before any response byte (RFC 9110 §9.2.2). */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    /** The connection closed while a request waited for its response. */
    private static final class Closed extends IOException {
        private static final long serialVersionUID = 1L;

        Closed() {
            super("the server closed the connection");
        }
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
     * Sends one request and waits for its response. Throws {@link NotSent} only for a reused connection that
     * turned out to be closed: the write failed, or (idempotent methods only) the connection closed before any
     * byte of a response came back, the race of a server closing an idle keep-alive connection.
     */
    private Response send(String method, String path, byte[] body, Map<String, String> headers) throws NotSent {
        Channel previous = channel;
        boolean reused = previous != null && previous.isActive();
        Channel ch = channel();
        Responses handler = responses;
        CompletableFuture<Response> reply = handler.expect();
        ChannelFuture written = ch.writeAndFlush(request(method, path, body, headers));
        long millis = config.requestTimeout().toMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            written.await(millis, TimeUnit.MILLISECONDS);
            if (written.isDone() && !written.isSuccess()) {
                ch.close();
                if (reused) {
                    throw new NotSent(written.cause());
                }
                throw new TransportException("Could not send " + method + " " + path + " to " + baseUri + ": "
                        + ClientSupport.reason(written.cause()), written.cause());
            }
            return reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            ch.close();
            throw new TransportTimeoutException("No reply to " + method + " " + path + " from " + baseUri
                    + " within " + millis + " ms (request timeout); the connection was closed. Raise requestTimeout"
                    + " or check the server.", e);
        } catch (ExecutionException e) {
            ch.close();
            Throwable cause = e.getCause();
            if (reused && cause instanceof Closed && !handler.sawResponseBytes && IDEMPOTENT.contains(method)) {
                throw new NotSent(cause);
            }
            if (cause instanceof TooLongFrameException) {
                throw new TransportException("The reply to " + method + " " + path + " from " + baseUri
                        + " is larger than maxMessageBytes (" + config.maxMessageBytes() + " bytes).", cause);
            }
            throw new TransportException("The connection to " + baseUri + " failed during " + method + " " + path
                    + ": " + ClientSupport.reason(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ch.close();
            throw new TransportException("Interrupted while waiting for " + method + " " + path + " on " + baseUri,
                    e);
        }
    }

    /** The open channel, connecting a new one when there is none or the server closed the idle one. */
    private Channel channel() {
        Channel current = channel;
        if (current != null && current.isActive()) {
            return current;
        }
        if (current != null) {
            current.close();
        }
        Responses handler = new Responses();
        Channel fresh = ClientSupport.connect(baseUri, baseUri, config.connectTimeout(), pipeline -> pipeline
                .addLast("openenv-read-mark", handler.readMark())
                .addLast("http-codec", new HttpClientCodec())
                .addLast("http-aggregator", new HttpObjectAggregator(config.maxMessageBytes()))
                .addLast("openenv-http", handler));
        responses = handler;
        channel = fresh;
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
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
            if (!ch.eventLoop().inEventLoop()) {
                ch.closeFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
    }

    /** Completes the one outstanding request's future with its response. On the event loop. */
    private static final class Responses extends SimpleChannelInboundHandler<FullHttpResponse> {

        private volatile CompletableFuture<Response> current;
        /** Whether any byte arrived since the current request was made. */
        volatile boolean sawResponseBytes;
        /** The failure that closed the channel, reported to a request that was waiting. */
        private volatile Throwable closed;

        CompletableFuture<Response> expect() {
            CompletableFuture<Response> future = new CompletableFuture<>();
            sawResponseBytes = false;
            current = future;
            return future;
        }

        /** Sits before the HTTP codec and notes that bytes arrived. */
        ChannelInboundHandlerAdapter readMark() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    sawResponseBytes = true;
                    ctx.fireChannelRead(msg);
                }
            };
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            CompletableFuture<Response> future = current;
            current = null;
            Response result = new Response(response.status().code(), ByteBufUtil.getBytes(response.content()));
            if (!HttpUtil.isKeepAlive(response)) {
                ctx.close();
            }
            if (future != null) {
                future.complete(result);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(closed != null ? closed : new Closed());
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closed = cause;
            fail(cause);
            ctx.close();
        }

        private void fail(Throwable cause) {
            CompletableFuture<Response> future = current;
            current = null;
            if (future != null) {
                future.completeExceptionally(cause);
            }
        }
    }
}
