package openenv.transport.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import openenv.api.spi.HttpRequest;
import openenv.api.spi.HttpResponse;

/**
 * The HTTP side of one connection: aggregates each request (up to {@code maxBodyBytes}), hands it to the
 * protocol handler, and writes the replies in request order even when they complete out of order (pipelining).
 * A WebSocket upgrade on an accepted path replaces this handler with a {@link WebSocketServerHandler}.
 *
 * <p>All state is confined to the channel's event loop; replies that complete elsewhere hop back onto it.
 */
final class HttpServerHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(HttpServerHandler.class.getName());

    /** Requests queued beyond this stop reading from the socket until replies drain. */
    private static final int MAX_QUEUED = 16;

    /** One request awaiting its reply, in request order. */
    private static final class Pending {
        final boolean keepAlive;
        /** An HTTP/1.0 request that asked for keep-alive, which must be confirmed in the reply. */
        boolean http10;
        final boolean head;
        final boolean counted;
        /** The upgrade request, when this entry is a WebSocket upgrade rather than a reply. */
        final FullHttpRequest upgrade;
        HttpResponse response;
        boolean closeAfter;

        Pending(boolean keepAlive, boolean head, boolean counted, FullHttpRequest upgrade) {
            this.keepAlive = keepAlive;
            this.head = head;
            this.counted = counted;
            this.upgrade = upgrade;
        }

        boolean ready() {
            return response != null || upgrade != null;
        }
    }

    private final NettyServer server;
    private final int maxBodyBytes;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** The request whose body is being read; null between requests and while discarding. */
    private io.netty.handler.codec.http.HttpRequest current;
    private ByteArrayOutputStream body;
    /** No further requests are read: the connection closes after the queued replies (or was upgraded). */
    private boolean done;

    HttpServerHandler(NettyServer server) {
        this.server = server;
        this.maxBodyBytes = server.config().maxBodyBytes();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        try {
            if (done) {
                return;
            }
            if (msg instanceof io.netty.handler.codec.http.HttpRequest request) {
                startRequest(request);
            }
            if (msg instanceof HttpContent content && current != null) {
                addContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startRequest(io.netty.handler.codec.http.HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            rejectMalformed(result.cause());
            return;
        }
        long declared;
        try {
            declared = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            reject(HttpResponse.detail(400, "Malformed HTTP request: invalid Content-Length"));
            return;
        }
        if (declared > maxBodyBytes) {
            rejectTooLarge();
            return;
        }
        current = request;
        // grows as bytes arrive: a Content-Length alone must not reserve memory
        body = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 0), 64 * 1024));
        if (HttpUtil.is100ContinueExpected(request) && queue.isEmpty()) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
    }

    private void addContent(HttpContent content) {
        DecoderResult result = content.decoderResult();
        if (result.isFailure()) {
            rejectMalformed(result.cause());
            return;
        }
        int readable = content.content().readableBytes();
        if (readable > 0) {
            if ((long) body.size() + readable > maxBodyBytes) {
                rejectTooLarge();
                return;
            }
            try {
                content.content().readBytes(body, readable);
            } catch (IOException e) {
                throw new IllegalStateException("cannot happen: in-memory stream", e);
            }
        }
        if (content instanceof LastHttpContent) {
            io.netty.handler.codec.http.HttpRequest request = current;
            byte[] bytes = body.toByteArray();
            current = null;
            body = null;
            dispatch(request, bytes);
        }
    }

    private void rejectMalformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            reject(HttpResponse.detail(414, "Request line too long: " + cause.getMessage()));
        } else if (cause instanceof TooLongHttpHeaderException) {
            reject(HttpResponse.detail(431, "Request headers too large: " + cause.getMessage()));
        } else {
            String why = cause == null || cause.getMessage() == null ? "unreadable request" : cause.getMessage();
            reject(HttpResponse.detail(400, "Malformed HTTP request: " + why));
        }
    }

    private void rejectTooLarge() {
        reject(HttpResponse.detail(413, "Request body too large: limit is " + maxBodyBytes + " bytes"));
    }

    /** Queues an error reply after which the connection closes; nothing more is read. */
    private void reject(HttpResponse response) {
        current = null;
        body = null;
        done = true;
        Pending pending = new Pending(false, false, false, null);
        pending.response = response;
        pending.closeAfter = true;
        queue.add(pending);
        drain();
    }

    private void dispatch(io.netty.handler.codec.http.HttpRequest request, byte[] bytes) {
        String path;
        try {
            path = decodePath(request.uri());
        } catch (IllegalArgumentException e) {
            reject(HttpResponse.detail(400, "Malformed request target: " + request.uri()));
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (isWebSocketUpgrade(request) && server.handler().acceptsWebSocket(path)) {
            done = true;
            FullHttpRequest upgrade = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                    request.uri(), Unpooled.EMPTY_BUFFER, request.headers().copy(), EmptyHttpHeaders.INSTANCE);
            queue.add(new Pending(false, false, false, upgrade));
            drain();
            return;
        }
        if (!keepAlive) {
            done = true;
        }
        Pending pending = new Pending(keepAlive, HttpMethod.HEAD.equals(request.method()), true, null);
        pending.http10 = HttpVersion.HTTP_1_0.equals(request.protocolVersion());
        queue.add(pending);
        server.requestStarted();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(), (a, b) -> a + ", " + b);
        }
        CompletionStage<HttpResponse> reply;
        try {
            reply = server.handler().handle(new HttpRequest(request.method().name(), path, headers, bytes));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Protocol handler failed on " + request.method() + " " + path, e);
            reply = CompletableFuture.completedFuture(HttpResponse.detail(500, "Internal server error"));
        }
        EventExecutor loop = ctx.executor();
        reply.whenComplete((response, failure) -> {
            HttpResponse answer = response;
            if (answer == null) {
                LOG.log(System.Logger.Level.ERROR, "Protocol handler failed on " + request.method() + " " + path,
                        failure);
                answer = HttpResponse.detail(500, "Internal server error");
            }
            HttpResponse result = answer;
            if (loop.inEventLoop()) {
                complete(pending, result);
            } else {
                try {
                    loop.execute(() -> complete(pending, result));
                } catch (RejectedExecutionException e) {
                    // the server stopped while the call ran: the connection is gone and was counted then
                }
            }
        });
        if (queue.size() >= MAX_QUEUED) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void complete(Pending pending, HttpResponse response) {
        if (!queue.contains(pending)) {
            return; // the connection closed meanwhile; channelInactive already counted it
        }
        pending.response = response;
        drain();
    }

    /** Writes every reply at the head of the queue that is ready, in order. */
    private void drain() {
        boolean wrote = false;
        while (!queue.isEmpty() && queue.peek().ready()) {
            Pending pending = queue.poll();
            if (pending.upgrade != null) {
                if (wrote) {
                    ctx.flush();
                }
                upgrade(pending.upgrade);
                return;
            }
            boolean close = pending.closeAfter || !pending.keepAlive || server.shuttingDown();
            ChannelFuture written = ctx.write(toNetty(pending, close));
            wrote = true;
            if (pending.counted) {
                written.addListener(f -> server.requestFinished());
            }
            if (close) {
                done = true;
                written.addListener(ChannelFutureListener.CLOSE);
                forgetQueued();
                break;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (!done && queue.size() < MAX_QUEUED && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void forgetQueued() {
        for (Pending pending : queue) {
            if (pending.counted) {
                server.requestFinished();
            }
            if (pending.upgrade != null) {
                pending.upgrade.release();
            }
        }
        queue.clear();
    }

    private static FullHttpResponse toNetty(Pending pending, boolean close) {
        HttpResponse response = pending.response;
        byte[] bytes = response.body();
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()),
                pending.head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            out.headers().set(header.getKey(), header.getValue());
        }
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (close) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (pending.http10) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return out;
    }

    private static boolean isWebSocketUpgrade(io.netty.handler.codec.http.HttpRequest request) {
        return HttpMethod.GET.equals(request.method())
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** The decoded path without the query, from origin-form ({@code /a?b}) or absolute-form targets. */
    static String decodePath(String target) {
        String raw = target;
        if (!raw.startsWith("/")) {
            if ("*".equals(raw)) {
                return raw;
            }
            URI uri = URI.create(raw);
            raw = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                raw = raw + "?" + uri.getRawQuery();
            }
        }
        return new QueryStringDecoder(raw).path();
    }

    private void upgrade(FullHttpRequest request) {
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxBodyBytes)
                .allowExtensions(false)
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(true)
                .build();
        String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, authority()) + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, decoder)
                .newHandshaker(request);
        if (handshaker == null) {
            request.release();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // Open the engine's session before the 101 leaves, so a client that got its 101 holds a slot (capacity
        // is decided in connection order). Whatever the engine sends is queued behind the 101 on the event loop.
        WebSocketServerHandler websocket = new WebSocketServerHandler(server);
        ctx.pipeline().replace(this, "openenv-ws", websocket);
        websocket.start();
        Channel channel = websocket.channel();
        ChannelFuture handshake;
        try {
            handshake = handshaker.handshake(channel, request);
        } catch (WebSocketHandshakeException e) {
            Pending pending = new Pending(false, false, false, null);
            pending.response = HttpResponse.detail(400, "WebSocket handshake failed: " + e.getMessage());
            channel.writeAndFlush(toNetty(pending, true)).addListener(ChannelFutureListener.CLOSE);
            return; // closing the channel ends the session just opened
        } finally {
            request.release();
        }
        handshake.addListener(f -> {
            if (!f.isSuccess()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket handshake failed: " + f.cause());
                channel.close();
            }
        });
    }

    /** The server's authority, for the handshaker's location when the request had no Host header. */
    private String authority() {
        URI uri = server.uri();
        return uri == null ? "localhost" : uri.getAuthority();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        forgetQueued();
        current = null;
        body = null;
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.log(System.Logger.Level.DEBUG, () -> "HTTP connection failed: " + cause);
        } else {
            LOG.log(System.Logger.Level.WARNING, "Closing an HTTP connection after an unexpected error", cause);
        }
        context.close();
    }
}
