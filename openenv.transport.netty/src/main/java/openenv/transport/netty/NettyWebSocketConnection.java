package openenv.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.internal.WebSocketClientProtocol;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.Codec;

/**
 * A WebSocket session with an OpenEnv server ({@code <base>/ws}) over one Netty channel. The protocol is done by
 * {@link WebSocketClientProtocol}; this class connects, handshakes, reassembles fragmented text messages and
 * reports the close code when the connection ends.
 */
final class NettyWebSocketConnection extends WebSocketClientProtocol {

    private static final System.Logger LOG = System.getLogger(NettyWebSocketConnection.class.getName());

    private final Channel channel;

    private NettyWebSocketConnection(URI wsUri, ClientConfig config, Codec codec) {
        super(wsUri, config, codec);
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            headers.set(header.getKey(), header.getValue());
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(wsUri,
                WebSocketVersion.V13, null, false, headers, config.maxMessageBytes());
        Frames frames = new Frames(handshaker, config.maxMessageBytes());
        long millis = config.connectTimeout().toMillis();
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        this.channel = ClientSupport.connect(wsUri, wsUri, config.connectTimeout(), pipeline -> pipeline
                .addLast("http-codec", new HttpClientCodec())
                .addLast("http-aggregator", new HttpObjectAggregator(64 * 1024))
                .addLast("openenv-ws", frames));
        try {
            // one connect timeout covers the TCP connect, TLS and the upgrade
            frames.handshake.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            channel.close();
            throw new TransportTimeoutException("The WebSocket handshake with " + wsUri + " did not finish within "
                    + millis + " ms (connect timeout).", e);
        } catch (ExecutionException e) {
            channel.close();
            Throwable cause = e.getCause();
            if (cause instanceof TransportException transport) {
                throw transport;
            }
            throw new TransportException("The WebSocket handshake with " + wsUri + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new TransportException("Interrupted during the WebSocket handshake with " + wsUri, e);
        }
    }

    static NettyWebSocketConnection open(URI baseUri, ClientConfig config, Codec codec) {
        return new NettyWebSocketConnection(webSocketUri(baseUri), config, codec);
    }

    /** {@code <base>/ws}, keeping a path prefix; a URI whose path already ends with {@code /ws} is used as is. */
    static URI webSocketUri(URI base) {
        String path = ClientSupport.basePath(base);
        if (!path.endsWith("/ws")) {
            path = path + "/ws";
        }
        String query = base.getRawQuery() == null ? "" : "?" + base.getRawQuery();
        try {
            return new URI(base.getScheme().toLowerCase(Locale.ROOT) + "://" + base.getRawAuthority() + path + query);
        } catch (URISyntaxException e) {
            throw new TransportException("Cannot make a WebSocket URL from " + base + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void sendFrame(byte[] utf8) {
        if (!channel.isActive()) {
            throw new TransportException("The connection to " + uri + " is closed. Open a new client to continue.");
        }
        // No promise or listener per message: a failed write reaches Frames.exceptionCaught, which closes.
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
    }

    @Override
    protected void closeTransport() {
        channel.close();
        if (!channel.eventLoop().inEventLoop()) {
            channel.closeFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    /** The channel's handler: handshake, then frames. On the event loop. */
    private final class Frames extends ChannelInboundHandlerAdapter {

        final CompletableFuture<Void> handshake = new CompletableFuture<>();
        private final WebSocketClientHandshaker handshaker;
        private final int maxMessageBytes;
        private ByteBuf fragments;
        private boolean fragmentsAreText;
        private String closeReason;

        Frames(WebSocketClientHandshaker handshaker, int maxMessageBytes) {
            this.handshaker = handshaker;
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            handshaker.handshake(ctx.channel()).addListener(f -> {
                if (!f.isSuccess()) {
                    handshake.completeExceptionally(new TransportException("Could not send the WebSocket handshake"
                            + " to " + uri + ": " + ClientSupport.reason(f.cause()), f.cause()));
                    ctx.close();
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!handshaker.isHandshakeComplete()) {
                    if (msg instanceof FullHttpResponse response) {
                        finishHandshake(ctx, response);
                    }
                    return;
                }
                if (msg instanceof WebSocketFrame frame) {
                    onFrame(ctx, frame);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void finishHandshake(ChannelHandlerContext ctx, FullHttpResponse response) {
            try {
                handshaker.finishHandshake(ctx.channel(), response);
                handshake.complete(null);
            } catch (WebSocketHandshakeException e) {
                String body = response.content().toString(StandardCharsets.UTF_8);
                String hint = response.status().code() == 404
                        ? " Does the server speak the OpenEnv WebSocket protocol (openenv-core 0.2+)? For an older"
                        + " server use an http:// URL."
                        : "";
                handshake.completeExceptionally(new TransportException("The server at " + uri
                        + " refused the WebSocket upgrade: HTTP " + response.status()
                        + (body.isBlank() ? "" : " " + abbreviate(body)) + "." + hint, e));
                ctx.close();
            }
        }

        private void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                boolean text = frame instanceof TextWebSocketFrame;
                if (fragments != null) {
                    fail(ctx, 1002, "the server started a message inside a fragmented one");
                    return;
                }
                if (frame.isFinalFragment()) {
                    if (text) {
                        onText(ByteBufUtil.getBytes(frame.content()));
                    } else {
                        fail(ctx, 1003, "the server sent a binary message; OpenEnv uses JSON text messages");
                    }
                    return;
                }
                fragmentsAreText = text;
                fragments = ctx.alloc().heapBuffer();
                append(ctx, frame);
            } else if (frame instanceof ContinuationWebSocketFrame) {
                if (fragments == null) {
                    fail(ctx, 1002, "the server sent a continuation frame without a message to continue");
                    return;
                }
                if (!append(ctx, frame) || !frame.isFinalFragment()) {
                    return;
                }
                ByteBuf whole = fragments;
                fragments = null;
                try {
                    if (fragmentsAreText) {
                        onText(ByteBufUtil.getBytes(whole));
                    } else {
                        fail(ctx, 1003, "the server sent a binary message; OpenEnv uses JSON text messages");
                    }
                } finally {
                    whole.release();
                }
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                int code = close.statusCode();
                String text = close.reasonText();
                closeReason = "closed by the server with code " + (code < 0 ? 1005 : code)
                        + (text == null || text.isEmpty() ? "" : ": " + text);
                ctx.writeAndFlush(code > 0 ? new CloseWebSocketFrame(code, "") : new CloseWebSocketFrame())
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        private boolean append(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if ((long) fragments.readableBytes() + frame.content().readableBytes() > maxMessageBytes) {
                fragments.release();
                fragments = null;
                fail(ctx, 1009, tooBig());
                return false;
            }
            fragments.writeBytes(frame.content());
            return true;
        }

        private String tooBig() {
            return "a reply was larger than maxMessageBytes (" + maxMessageBytes + " bytes), so the client closed"
                    + " the connection; raise maxMessageBytes";
        }

        private void fail(ChannelHandlerContext ctx, int code, String why) {
            closeReason = why;
            ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (fragments != null) {
                fragments.release();
                fragments = null;
            }
            String reason = closeReason != null ? closeReason : "connection lost";
            handshake.completeExceptionally(new TransportException("The server at " + uri
                    + " closed the connection during the WebSocket handshake (" + reason + ")."));
            onClosed(reason);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket connection to " + uri + " failed: " + cause);
            if (closeReason == null) {
                closeReason = cause instanceof CorruptedWebSocketFrameException corrupt
                        && corrupt.closeStatus().code() == 1009 ? tooBig() : ClientSupport.reason(cause);
            }
            handshake.completeExceptionally(new TransportException("The WebSocket connection to " + uri
                    + " failed: " + ClientSupport.reason(cause), cause));
            ctx.close();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
