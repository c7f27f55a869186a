package openenv.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.internal.WebSocketClientProtocol;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.Codec;

/**
 * A {@code ws://} or {@code wss://} session whose socket I/O is done by the thread that calls {@code step}: it
 * writes the request and reads the reply itself, with no hand-off to an event loop and back. Netty still does the
 * protocol: its TLS handler (for {@code wss://}), HTTP and WebSocket codecs and {@link ClientFrames} run in an
 * {@link EmbeddedChannel} driven by whichever thread holds {@link #io}.
 *
 * <p>On a 2-core machine each hand-off between threads costs a wake-up; a step through a client event loop has
 * two more than a step over this connection. See the README's Performance section for the figures.
 *
 * <p>Between calls nobody reads the socket, so one daemon thread for all such connections ({@link Keeper})
 * reads what arrived while idle (pings are answered, a close from the server is answered and reported) every
 * two seconds, and closes a connection whose reply is overdue (request timeout). With TLS it reads the raw
 * records without blocking and lets the TLS handler decide what they hold.
 */
final class DirectWebSocketConnection extends WebSocketClientProtocol {

    private static final int READ_CHUNK = 16 * 1024;

    private final SocketChannel socket;
    private EmbeddedChannel channel; // set once, in the constructor
    private final ClientFrames frames;
    /** Held by the thread driving {@link #channel} and the socket: a caller, or the keeper while idle. */
    private final ReentrantLock io = new ReentrantLock();
    /** {@code System.nanoTime()} by which the reply being waited for is due; 0 when no reply is awaited. */
    private volatile long replyDeadline;
    private volatile boolean timedOut;
    private volatile boolean closed;
    private long lastIdleCheck = System.nanoTime();

    private DirectWebSocketConnection(URI wsUri, ClientConfig config, Codec codec) {
        super(wsUri, config, codec);
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        this.socket = connect(wsUri, config);
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            headers.set(header.getKey(), header.getValue());
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(wsUri,
                WebSocketVersion.V13, null, false, headers, config.maxMessageBytes());
        this.frames = new ClientFrames(this, wsUri, handshaker, config.maxMessageBytes());
        io.lock();
        try {
            // channelActive of ClientFrames writes the upgrade request
            this.channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (ClientSupport.secure(wsUri)) {
                        // TLS is a stage like the others: it encrypts what the codecs write and decrypts what the
                        // socket reads; the upgrade request waits in it until its handshake is done
                        ch.pipeline().addLast("tls",
                                ClientSupport.tlsHandler(ch.alloc(), wsUri.getHost(), ClientSupport.port(wsUri)));
                    }
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024), frames);
                }
            });
            flushOutbound();
            replyDeadline = deadline;
            Keeper.INSTANCE.add(this);
            while (!frames.handshake.isDone()) {
                readOnce();
            }
            frames.handshake.get();
        } catch (IOException e) {
            abandon();
            throw timedOut
                    ? new TransportTimeoutException("The WebSocket handshake with " + wsUri + " did not finish within "
                            + config.connectTimeout().toMillis() + " ms (connect timeout).", e)
                    : new TransportException("The WebSocket handshake with " + wsUri + " failed: " + e, e);
        } catch (ExecutionException e) {
            abandon();
            Throwable cause = e.getCause();
            if (cause instanceof TransportException transport) {
                throw transport;
            }
            throw new TransportException("The WebSocket handshake with " + wsUri + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new TransportException("Interrupted during the WebSocket handshake with " + wsUri, e);
        } catch (RuntimeException e) {
            abandon();
            throw e;
        } finally {
            replyDeadline = 0;
            io.unlock();
        }
    }

    /** The handshake failed: nothing of this connection stays (the keeper forgets it, the socket is closed). */
    private void abandon() {
        closed = true;
        Keeper.INSTANCE.remove(this);
        closeSocket();
        if (channel != null) {
            channel.close();
            releaseOutbound();
        }
    }

    /** For tests: how often the keeper reads idle connections (default 2 s). */
    static void idleReadInterval(java.time.Duration interval) {
        Keeper.idleReadNanos = interval.toNanos();
    }

    static DirectWebSocketConnection open(URI baseUri, ClientConfig config, Codec codec) {
        return new DirectWebSocketConnection(webSocketUri(baseUri), config, codec);
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

    /** A blocking socket connected within the connect timeout, with Nagle off (one small message per step). */
    private static SocketChannel connect(URI uri, ClientConfig config) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        SocketChannel socket = null;
        try {
            InetSocketAddress address = new InetSocketAddress(ClientSupport.unbracketed(uri.getHost()),
                    ClientSupport.port(uri));
            if (address.isUnresolved()) {
                throw new UnknownHostException(uri.getHost());
            }
            socket = SocketChannel.open();
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            socket.socket().connect(address, millis);
            return socket;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new TransportTimeoutException("Could not connect to " + uri + " within " + millis
                    + " ms (connect timeout). Is the OpenEnv server running and reachable?", e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw ClientSupport.connectFailure(uri, e, millis);
        }
    }

    // ------------------------------------------------------------------ WebSocketClientProtocol

    @Override
    protected void sendFrame(byte[] utf8) {
        lockForSend();
        try {
            if (closed || !channel.isActive()) {
                throw new TransportException("The connection to " + uri + " is closed. Open a new client to continue.");
            }
            channel.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)));
            flushOutbound();
        } catch (IOException e) {
            protocolClosed("connection lost: " + e.getMessage());
            throw new TransportException("Could not send to " + uri + " (" + e.getMessage()
                    + "). Open a new client to continue.", e);
        } finally {
            closeChannelIfClosed();
            io.unlock();
        }
    }

    /**
     * Calls are one at a time, so the lock is free or held for microseconds by the keeper; the exception is
     * close() from another thread while a call waits for its reply: then the close message is not sent (the
     * socket is closed, which the server notices just as well).
     */
    private void lockForSend() {
        boolean locked;
        try {
            locked = io.tryLock(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("Interrupted while sending to " + uri, e);
        }
        if (!locked) {
            throw new TransportException("Another thread is waiting for a reply on the connection to " + uri
                    + "; a client makes one call at a time.");
        }
    }

    @Override
    protected byte[] awaitReply(CompletableFuture<byte[]> reply, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        io.lock();
        try {
            replyDeadline = System.nanoTime() + timeoutNanos;
            while (!reply.isDone()) {
                readOnce();
            }
        } catch (ClosedByInterruptException e) {
            protocolClosed("interrupted");
            throw new InterruptedException("interrupted while reading the reply");
        } catch (IOException e) {
            if (timedOut) {
                throw new TimeoutException();
            }
            protocolClosed(closed ? "closed by client" : "connection lost: " + e.getMessage());
        } finally {
            replyDeadline = 0;
            closeChannelIfClosed();
            io.unlock();
        }
        return reply.get();
    }

    @Override
    protected void closeTransport() {
        if (closed) {
            return;
        }
        closed = true;
        Keeper.INSTANCE.remove(this);
        closeSocket(); // also wakes a thread blocked reading it
        if (io.tryLock()) {
            try {
                channel.close();
                releaseOutbound();
            } finally {
                io.unlock();
            }
        }
    }

    // ------------------------------------------------------------------ socket and channel, holding io

    /** One blocking read, fed to the channel; the channel's answers (pongs, close) are written back. */
    private void readOnce() throws IOException {
        ByteBuf buffer = channel.alloc().ioBuffer(READ_CHUNK);
        int n;
        try {
            n = buffer.writeBytes(socket, READ_CHUNK);
        } catch (IOException | RuntimeException e) {
            buffer.release();
            throw e;
        }
        if (n < 0) {
            // Netty reports a channel closed under the read as -1 too: by close() from another thread, by the
            // keeper (timeout) or by an interrupt of this thread
            buffer.release();
            if (Thread.currentThread().isInterrupted()) {
                throw new ClosedByInterruptException();
            }
            throw new IOException(closed || timedOut ? "closed" : "the server closed the connection");
        }
        feed(buffer);
    }

    /** Hands bytes read from the socket to Netty's decoders and writes whatever they answer. */
    private void feed(ByteBuf bytes) throws IOException {
        channel.writeInbound(bytes);
        flushOutbound();
        if (!channel.isOpen()) {
            closeSocket(); // ClientFrames closed it (a close from the server, a protocol error)
        }
    }

    private void flushOutbound() throws IOException {
        Object message;
        while ((message = channel.readOutbound()) != null) {
            try {
                if (message instanceof ByteBuf out) {
                    while (out.isReadable()) {
                        out.readBytes(socket, out.readableBytes());
                    }
                }
                // else: a frame written from in front of the encoder (Netty's decoder answering a frame it
                // refused); a socket channel drops those too, and the connection is being closed anyway
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
    }

    /** After {@link #closeTransport} ran while this thread held {@link #io}: the channel is closed here. */
    private void closeChannelIfClosed() {
        if (closed && channel.isOpen()) {
            channel.close();
            releaseOutbound();
        }
    }

    private void releaseOutbound() {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
    }

    private void protocolClosed(String reason) {
        onClosed(reason);
        closeSocket();
    }

    private void closeSocket() {
        closeQuietly(socket);
    }

    private static void closeQuietly(SocketChannel socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    /**
     * Keeper's turn: past its reply deadline, close the socket (the waiting caller then reports the timeout);
     * idle for a second, read what arrived without blocking (pings, a close).
     */
    private void tick(long now) {
        long deadline = replyDeadline;
        if (deadline != 0 && now - deadline > 0) {
            timedOut = true;
            closeSocket();
            return;
        }
        if (now - lastIdleCheck < Keeper.idleReadNanos || !io.tryLock()) {
            return;
        }
        try {
            lastIdleCheck = now;
            if (closed || replyDeadline != 0) {
                return;
            }
            socket.configureBlocking(false);
            try {
                while (true) {
                    ByteBuf buffer = channel.alloc().ioBuffer(READ_CHUNK);
                    int n = buffer.writeBytes(socket, READ_CHUNK);
                    if (n <= 0) {
                        buffer.release();
                        if (n < 0) {
                            protocolClosed("connection lost");
                        }
                        break;
                    }
                    feed(buffer);
                }
            } finally {
                if (socket.isOpen()) {
                    socket.configureBlocking(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            protocolClosed("connection lost: " + e.getMessage());
        } finally {
            io.unlock();
        }
    }

    /** One daemon thread for all direct connections of this JVM: idle reads and reply deadlines. */
    private static final class Keeper {
        static final Keeper INSTANCE = new Keeper();
        private static final long TICK_MILLIS = 100;
        /**
         * How often an idle connection is read. Servers ping every 20 s (uvicorn) or 30 s (ours) and wait as long
         * again for the pong, so every 2 s answers in time while costing an idle client little.
         */
        static volatile long idleReadNanos = TimeUnit.SECONDS.toNanos(2);

        private final Set<DirectWebSocketConnection> connections = ConcurrentHashMap.newKeySet();
        private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openenv-ws-keeper");
            t.setDaemon(true);
            return t;
        });

        private Keeper() {
            thread.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }

        void add(DirectWebSocketConnection connection) {
            connections.add(connection);
        }

        void remove(DirectWebSocketConnection connection) {
            connections.remove(connection);
        }

        private void tick() {
            long now = System.nanoTime();
            for (DirectWebSocketConnection connection : connections) {
                try {
                    connection.tick(now);
                } catch (RuntimeException | Error e) {
                    System.getLogger(DirectWebSocketConnection.class.getName()).log(System.Logger.Level.WARNING,
                            "WebSocket keeper failed on " + connection.uri, e);
                }
            }
        }
    }
}
