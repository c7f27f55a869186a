package openenv.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import openenv.api.spi.WebSocketPeer;
import openenv.api.spi.WebSocketSession;

/**
 * The WebSocket side of one upgraded connection: reassembles text messages (fragmented or not, up to
 * {@code maxBodyBytes}) and hands each to the engine's {@link WebSocketSession} on the event loop, in order;
 * answers pings, pings the peer every {@code pingInterval} and drops it when nothing arrives for two intervals.
 * It is also the engine's {@link WebSocketPeer}: sends and closes from any thread are queued onto the event loop,
 * so they leave in call order.
 */
final class WebSocketServerHandler extends ChannelInboundHandlerAdapter implements WebSocketPeer {

    private static final System.Logger LOG = System.getLogger(WebSocketServerHandler.class.getName());
    private static final byte[] PING = "openenv".getBytes(StandardCharsets.US_ASCII);

    private final NettyServer server;
    private final int maxMessageBytes;
    private final long pingMillis;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private ChannelHandlerContext ctx;
    private Channel channel;
    private WebSocketSession session;
    /** The message being reassembled from fragments, or null. */
    private ByteBuf fragments;
    private boolean fragmentsAreText;
    /** Event-loop confined: a close frame went out, nothing more is sent or delivered. */
    private boolean closeSent;
    private boolean ended;
    private ScheduledFuture<?> pinger;

    WebSocketServerHandler(NettyServer server) {
        this.server = server;
        this.maxMessageBytes = server.config().maxBodyBytes();
        this.pingMillis = server.config().pingInterval().toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.channel = context.channel();
        channel.attr(NettyServer.WEBSOCKET).set(this);
    }

    Channel channel() {
        return channel;
    }

    /** Opens the engine's session and starts pinging; called before the 101 is written. On the event loop. */
    void start() {
        if (ended) {
            return;
        }
        if (pingMillis > 0) {
            ctx.pipeline().addFirst("openenv-idle", new IdleStateHandler(2 * pingMillis, 0, 0, TimeUnit.MILLISECONDS));
            pinger = ctx.executor().scheduleAtFixedRate(this::ping, pingMillis, pingMillis, TimeUnit.MILLISECONDS);
        }
        session = server.handler().openWebSocket(this);
    }

    private void ping() {
        if (!closeSent && channel.isActive()) {
            channel.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(PING)));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        try {
            if (msg instanceof WebSocketFrame frame) {
                onFrame(frame);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onFrame(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            if (fragments != null) {
                closeNow(1002, "a new message started before the previous fragmented message ended");
                return;
            }
            boolean text = frame instanceof TextWebSocketFrame;
            if (frame.isFinalFragment()) {
                if (text) {
                    deliver(bytes(frame.content()));
                } else {
                    rejectBinary();
                }
                return;
            }
            fragmentsAreText = text;
            fragments = ctx.alloc().heapBuffer(Math.min(maxMessageBytes, Math.max(256,
                    2 * frame.content().readableBytes())));
            append(frame);
        } else if (frame instanceof ContinuationWebSocketFrame) {
            if (fragments == null) {
                closeNow(1002, "continuation frame without a message to continue");
                return;
            }
            if (!append(frame)) {
                return;
            }
            if (frame.isFinalFragment()) {
                ByteBuf whole = fragments;
                fragments = null;
                try {
                    if (fragmentsAreText) {
                        deliver(bytes(whole));
                    } else {
                        rejectBinary();
                    }
                } finally {
                    whole.release();
                }
            }
        } else if (frame instanceof PingWebSocketFrame) {
            if (!closeSent) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            if (closeRequested.compareAndSet(false, true) && !closeSent) {
                closeSent = true;
                int code = close.statusCode();
                CloseWebSocketFrame reply = code > 0 ? new CloseWebSocketFrame(code, "") : new CloseWebSocketFrame();
                ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }
        // pongs only prove the peer is alive; the idle handler has already seen the bytes
    }

    /** Adds a fragment to the message being reassembled; false (and the connection closing) when too large. */
    private boolean append(WebSocketFrame frame) {
        if ((long) fragments.readableBytes() + frame.content().readableBytes() > maxMessageBytes) {
            fragments.release();
            fragments = null;
            closeNow(1009, "Message too big: limit is " + maxMessageBytes + " bytes");
            return false;
        }
        fragments.writeBytes(frame.content());
        return true;
    }

    private void rejectBinary() {
        closeNow(1003, "Binary messages are not supported; send JSON as text frames");
    }

    private static byte[] bytes(ByteBuf buffer) {
        byte[] out = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), out);
        return out;
    }

    private void deliver(byte[] message) {
        if (closeSent || ended) {
            return;
        }
        if (session == null) {
            return; // cannot happen: the session opens before the first frame is read
        }
        try {
            session.onText(message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "The protocol handler failed on a WebSocket message", e);
            closeNow(1011, "internal error");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket peer " + channel.remoteAddress()
                    + " sent nothing (not even a pong) for " + 2 * pingMillis + " ms; closing the connection");
            closeNow(1001, "no pong received");
            return;
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        end();
        context.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        end();
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
        if (session != null) {
            try {
                session.onClose();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "The protocol handler failed to close a WebSocket session", e);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof IOException || cause instanceof CorruptedFrameException) {
            // the frame decoder has already sent its close frame for protocol violations
            LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket connection failed: " + cause);
            context.close();
        } else {
            LOG.log(System.Logger.Level.WARNING, "Closing a WebSocket connection after an unexpected error", cause);
            closeNow(1011, "internal error");
        }
    }

    /** On the event loop: sends a close frame (once) and closes the channel. */
    private void closeNow(int code, String reason) {
        closeRequested.set(true);
        if (closeSent) {
            return;
        }
        closeSent = true;
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, truncate(reason)))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** A close frame's reason is at most 123 bytes of UTF-8. */
    private static String truncate(String reason) {
        String text = reason == null ? "" : reason;
        while (text.getBytes(StandardCharsets.UTF_8).length > 123) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    // ------------------------------------------------------------ WebSocketPeer

    @Override
    public void sendText(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        run(() -> write(utf8));
    }

    private void write(byte[] utf8) {
        if (!closeSent && channel.isActive()) {
            // No promise per message: a failed write reaches exceptionCaught, which closes the connection.
            channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
        }
    }

    @Override
    public void close(int code, String reason) {
        if (closeRequested.compareAndSet(false, true)) {
            run(() -> closeNow(code, reason));
        }
    }

    /** Runs on the event loop after every task queued before it, so frames leave in call order. */
    private void run(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // the server's threads are stopped: the connection is already gone
        }
    }
}
