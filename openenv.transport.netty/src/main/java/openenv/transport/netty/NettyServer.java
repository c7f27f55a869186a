package openenv.transport.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import openenv.api.TransportException;
import openenv.api.spi.ProtocolHandler;
import openenv.api.spi.ServerConfig;
import openenv.api.spi.ServerTransport;

/**
 * A running Netty server: one acceptor thread, {@code ioThreads} I/O threads, a pipeline of
 * {@link HttpServerCodec} and {@link HttpServerHandler} per connection, switched to {@link WebSocketServerHandler}
 * after a WebSocket upgrade.
 */
final class NettyServer implements ServerTransport {

    private static final System.Logger LOG = System.getLogger(NettyServer.class.getName());

    /** Set on channels that were upgraded to WebSocket, so shutdown can send them a close frame. */
    static final AttributeKey<WebSocketServerHandler> WEBSOCKET = AttributeKey.valueOf("openenv.websocket");

    /** How long shutdown waits for connections and threads to close after the grace period. */
    private static final long CLOSE_WAIT_MILLIS = 3_000;

    private final ServerConfig config;
    private final ProtocolHandler handler;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    /** HTTP requests read completely whose response has not been written yet. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object lifecycle = new Object();
    private volatile boolean shuttingDown;
    private boolean stopped;
    private Channel serverChannel;
    private URI uri;

    private NettyServer(ServerConfig config, ProtocolHandler handler) {
        this.config = config;
        this.handler = handler;
        int threads = config.ioThreads() > 0 ? config.ioThreads() : defaultIoThreads();
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("openenv-netty-accept"),
                NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("openenv-netty-io"),
                NioIoHandler.newFactory());
    }

    /** Netty's own default is two threads per core; our handlers never block, so a few threads suffice. */
    private static int defaultIoThreads() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
    }

    static NettyServer start(ServerConfig config, ProtocolHandler handler) {
        NettyServer server = new NettyServer(config, handler);
        try {
            server.bind();
        } catch (RuntimeException | Error e) {
            server.stopThreads();
            throw e;
        }
        return server;
    }

    private void bind() {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accepted(channel);
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new TransportException("Could not bind the OpenEnv server to " + hostForUri(config.host()) + ":"
                    + config.port() + " (" + describe(cause) + "). Is another server using it? Use --port 0 for any "
                    + "free port.", cause);
        }
        serverChannel = bound.channel();
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        uri = URI.create("http://" + hostForUri(config.host()) + ":" + port);
        LOG.log(System.Logger.Level.DEBUG, () -> "Netty server bound to " + serverChannel.localAddress());
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private void accepted(SocketChannel channel) {
        connections.add(channel);
        channel.closeFuture().addListener(f -> connections.remove(channel));
        if (shuttingDown) {
            channel.close();
            return;
        }
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(16384)
                .setMaxChunkSize(65536);
        channel.pipeline()
                .addLast("http-codec", new HttpServerCodec(decoder))
                .addLast("openenv-http", new HttpServerHandler(this));
    }

    ServerConfig config() {
        return config;
    }

    ProtocolHandler handler() {
        return handler;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestFinished() {
        inFlight.decrementAndGet();
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public void shutdown(Duration grace) {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
            shuttingDown = true;
            long graceNanos = grace == null || grace.isNegative() ? 0 : grace.toNanos();
            long deadline = System.nanoTime() + graceNanos;
            serverChannel.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
            awaitInFlight(deadline);
            List<Future<?>> closing = new ArrayList<>();
            for (Channel channel : connections) {
                WebSocketServerHandler websocket = channel.attr(WEBSOCKET).get();
                if (websocket != null) {
                    websocket.close(1001, "server shutting down");
                } else {
                    channel.close();
                }
                closing.add(channel.closeFuture());
            }
            long closeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
            for (Future<?> future : closing) {
                long left = closeDeadline - System.nanoTime();
                if (left <= 0 || !future.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
            stopThreads();
            LOG.log(System.Logger.Level.DEBUG, () -> "Netty server on " + uri + " stopped");
        }
    }

    private void awaitInFlight(long deadline) {
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inFlight.get() > 0) {
            LOG.log(System.Logger.Level.WARNING, "Closing connections with " + inFlight.get()
                    + " HTTP request(s) still unanswered after the shutdown grace period");
        }
    }

    private void stopThreads() {
        Future<?> a = acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Future<?> b = io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        a.awaitUninterruptibly(CLOSE_WAIT_MILLIS);
        b.awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    }
}
