package openenv.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import openenv.api.TransportException;
import openenv.api.internal.WebSocketClientProtocol;

/**
 * The client side of an OpenEnv WebSocket, as a channel handler: finishes the upgrade, reassembles fragmented
 * text messages for {@link WebSocketClientProtocol#onText}, answers pings, answers and reports the server's
 * close, and reports the end of the connection to {@link WebSocketClientProtocol#onClosed}. Runs in the
 * embedded channel of a {@link DirectWebSocketConnection}, driven by the calling thread.
 */
final class ClientFrames extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ClientFrames.class.getName());

    private final WebSocketClientProtocol protocol;
    private final URI uri;

    final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final WebSocketClientHandshaker handshaker;
    private final int maxMessageBytes;
    private ByteBuf fragments;
    private boolean fragmentsAreText;
    private String closeReason;

    ClientFrames(WebSocketClientProtocol protocol, URI uri, WebSocketClientHandshaker handshaker,
            int maxMessageBytes) {
        this.protocol = protocol;
        this.uri = uri;
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
                    protocol.onText(ByteBufUtil.getBytes(frame.content()));
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
                    protocol.onText(ByteBufUtil.getBytes(whole));
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
        protocol.onClosed(reason);
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

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
