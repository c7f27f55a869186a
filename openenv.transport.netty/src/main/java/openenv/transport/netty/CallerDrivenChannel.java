package openenv.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import openenv.api.TransportException;

/**
 * A client connection whose socket I/O is done by the thread that makes the call: it writes the request and reads
 * the reply itself, with no hand-off to an event loop and back. Netty still does the protocol: its TLS handler
 * (for {@code wss://} and {@code https://}), its codecs and our handlers run in an {@link EmbeddedChannel}
 * driven by whichever thread holds {@link #io}. A blocking {@link SocketChannel} moves the bytes.
 *
 * <p>On a 2-core machine each hand-off between threads costs a wake-up; a step through a client event loop has
 * two more than a step over this connection (see the README's Performance section).
 *
 * <p>Between calls nobody reads the socket. One daemon thread for all such connections ({@link Keeper}) closes a
 * connection whose reply is overdue (request timeout) and, for connections that ask for it (WebSocket), reads
 * what arrived while idle every two seconds without blocking: pings are answered, a close is noted. With TLS it
 * reads the raw records and lets the TLS handler decide what they hold.
 */
final class CallerDrivenChannel {

    private static final int READ_CHUNK = 16 * 1024;

    private final URI uri;
    private final SocketChannel socket;
    private final EmbeddedChannel channel;
    private final boolean readWhenIdle;
    /** Held by the thread driving {@link #channel} and the socket: a caller, or the keeper while idle. */
    private final ReentrantLock io = new ReentrantLock();
    /** {@code System.nanoTime()} by which the awaited reply is due; 0 when no reply is awaited. */
    private volatile long deadline;
    private volatile boolean timedOut;
    private volatile boolean closed;
    private long lastIdleCheck = System.nanoTime();
    private long lastUse = System.nanoTime();
    private long bytesRead;

    private CallerDrivenChannel(URI uri, SocketChannel socket, boolean readWhenIdle, ChannelHandler... handlers) {
        this.uri = uri;
        this.socket = socket;
        this.readWhenIdle = readWhenIdle;
        this.channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (ClientSupport.secure(uri)) {
                    // TLS is a stage like the others: it encrypts what the codecs write and decrypts what the
                    // socket reads; what the handlers write waits in it until its handshake is done
                    ch.pipeline().addLast("tls", ClientSupport.tlsHandler(ch.alloc(), uri.getHost(),
                            ClientSupport.port(uri)));
                }
                ch.pipeline().addLast(handlers);
            }
        });
    }

    /**
     * Connects to {@code uri}'s host and port within {@code connectTimeout} and sets up the pipeline: TLS when
     * the scheme asks for it, then {@code handlers} (their {@code channelActive} runs now; what they write is
     * sent by the first {@link #flush}). The caller holds {@link #io} from here until it calls {@link #unlock}.
     */
    static CallerDrivenChannel open(URI uri, Duration connectTimeout, boolean readWhenIdle,
                                    ChannelHandler... handlers) {
        SocketChannel socket = connect(uri, connectTimeout);
        CallerDrivenChannel pipe;
        try {
            pipe = new CallerDrivenChannel(uri, socket, readWhenIdle, handlers);
        } catch (RuntimeException | Error e) {
            closeQuietly(socket);
            throw e;
        }
        pipe.io.lock();
        Keeper.INSTANCE.add(pipe);
        return pipe;
    }

    /** A blocking socket connected within the timeout, with Nagle off (one small message per step). */
    private static SocketChannel connect(URI uri, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
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
        } catch (IOException e) {
            closeQuietly(socket);
            throw ClientSupport.connectFailure(uri, e, millis);
        }
    }

    // ------------------------------------------------------------------ the lock

    /**
     * Calls are one at a time, so the lock is free or held for microseconds by the keeper; the exception is a
     * close from another thread while a call waits for its reply, which gives up here after 200 ms.
     */
    void lock() {
        boolean locked;
        try {
            locked = io.tryLock(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("Interrupted while waiting to use the connection to " + uri, e);
        }
        if (!locked) {
            throw new TransportException("Another thread is waiting for a reply on the connection to " + uri
                    + "; a client makes one call at a time.");
        }
    }

    void unlock() {
        lastUse = System.nanoTime();
        if (closed && channel.isOpen()) {
            shutChannel(); // close() came from another thread while this one held the lock
        }
        io.unlock();
    }

    // ------------------------------------------------------------------ I/O, holding the lock

    EmbeddedChannel channel() {
        return channel;
    }

    /** Writes {@code message} through the pipeline and sends what comes out. */
    void write(Object message) throws IOException {
        channel.writeOutbound(message);
        flush();
    }

    /** Sends whatever the pipeline has written (requests, pongs, TLS records). */
    void flush() throws IOException {
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

    /**
     * Reads and feeds the pipeline until {@code done}, or until {@code timeoutNanos} pass (the keeper then closes
     * the socket and this throws with {@link #timedOut()} true).
     *
     * @throws ClosedByInterruptException when this thread was interrupted (the connection is then closed)
     * @throws IOException                when the connection ended first
     */
    void readUntil(BooleanSupplier done, long timeoutNanos) throws IOException {
        deadline = System.nanoTime() + timeoutNanos;
        try {
            while (!done.getAsBoolean()) {
                readOnce();
            }
        } finally {
            deadline = 0;
        }
    }

    /** Bytes read since this connection was opened (a reply that has started cannot be retried). */
    long bytesRead() {
        return bytesRead;
    }

    private void readOnce() throws IOException {
        if (readAndFeed() < 0) {
            // Netty reports a channel closed under the read as -1 too: by close() from another thread, by the
            // keeper (timeout) or by an interrupt of this thread
            if (Thread.currentThread().isInterrupted()) {
                throw new ClosedByInterruptException();
            }
            throw new IOException(closed || timedOut ? "closed" : "the server closed the connection");
        }
    }

    /**
     * One read into a fresh buffer (blocking or not, as the socket is set), fed to the pipeline.
     *
     * @return the bytes read: 0 when a non-blocking read found nothing, -1 at the end of the stream
     */
    private int readAndFeed() throws IOException {
        ByteBuf buffer = channel.alloc().ioBuffer(READ_CHUNK);
        int n;
        try {
            n = buffer.writeBytes(socket, READ_CHUNK);
        } catch (IOException | RuntimeException e) {
            buffer.release();
            throw e;
        }
        if (n <= 0) {
            buffer.release();
            return n;
        }
        bytesRead += n;
        feed(buffer);
        return n;
    }

    /** Hands bytes read from the socket to the pipeline and sends whatever it answers. */
    private void feed(ByteBuf bytes) throws IOException {
        channel.writeInbound(bytes);
        flush();
        if (!channel.isOpen()) {
            closeQuietly(socket); // a handler closed it (a close from the server, a protocol error, no keep-alive)
        }
    }

    /**
     * Whether the server closed this connection while it was idle for longer than {@code idleNanos}: a read that
     * does not block, done only after such a pause (a keep-alive connection in steady use is not checked).
     */
    boolean closedWhileIdle(long idleNanos) {
        if (closed || !socket.isOpen() || !channel.isOpen()) {
            return true;
        }
        if (System.nanoTime() - lastUse < idleNanos) {
            return false;
        }
        try {
            return !readAvailable();
        } catch (IOException e) {
            return true;
        }
    }

    /** Reads without blocking and feeds what came; false when the connection turned out to be closed. */
    private boolean readAvailable() throws IOException {
        socket.configureBlocking(false);
        try {
            int n;
            do {
                n = readAndFeed();
            } while (n > 0);
            return n == 0 && channel.isOpen();
        } finally {
            if (socket.isOpen()) {
                socket.configureBlocking(true);
            }
        }
    }

    boolean timedOut() {
        return timedOut;
    }

    boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes the connection, from any thread: the socket at once (which also ends a read another thread is
     * blocked in), the pipeline now if the lock is free, else when its holder unlocks. Idempotent.
     */
    void close() {
        closed = true;
        Keeper.INSTANCE.remove(this);
        closeQuietly(socket);
        if (io.tryLock()) {
            try {
                shutChannel();
            } finally {
                io.unlock();
            }
        }
    }

    private void shutChannel() {
        if (channel.isOpen()) {
            channel.close(); // handlers see channelInactive
        }
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
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
     * Keeper's turn: past its deadline, close the socket (the waiting caller then reports the timeout); for a
     * WebSocket idle for two seconds, read what arrived without blocking (pings, a close).
     */
    private void tick(long now) {
        long due = deadline;
        if (due != 0 && now - due > 0) {
            timedOut = true;
            closeQuietly(socket);
            return;
        }
        if (!readWhenIdle || now - lastIdleCheck < Keeper.idleReadNanos || !io.tryLock()) {
            return;
        }
        try {
            lastIdleCheck = now;
            if (!closed && deadline == 0 && !readAvailable()) {
                closeQuietly(socket);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
        } finally {
            if (!socket.isOpen() || !channel.isOpen()) {
                closeQuietly(socket);
                shutChannel(); // handlers see channelInactive: the next call reports why
            }
            io.unlock();
        }
    }

    /** For tests: how often the keeper reads idle WebSocket connections (default 2 s). */
    static void idleReadInterval(Duration interval) {
        Keeper.idleReadNanos = interval.toNanos();
    }

    /** One daemon thread for all caller-driven connections of this JVM: reply deadlines and idle reads. */
    private static final class Keeper {
        static final Keeper INSTANCE = new Keeper();
        private static final long TICK_MILLIS = 100;
        /**
         * How often an idle WebSocket is read. Our server pings every 30 s and drops a peer silent for 60 s;
         * uvicorn (Python OpenEnv servers) documents a 20 s ping interval and a 20 s pong timeout. Every 2 s
         * answers in time for both while costing an idle client little.
         */
        static volatile long idleReadNanos = TimeUnit.SECONDS.toNanos(2);

        private final Set<CallerDrivenChannel> connections = ConcurrentHashMap.newKeySet();

        private Keeper() {
            ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "openenv-client-keeper");
                t.setDaemon(true);
                return t;
            });
            thread.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }

        void add(CallerDrivenChannel connection) {
            connections.add(connection);
        }

        void remove(CallerDrivenChannel connection) {
            connections.remove(connection);
        }

        private void tick() {
            long now = System.nanoTime();
            for (CallerDrivenChannel connection : connections) {
                try {
                    connection.tick(now);
                } catch (RuntimeException | Error e) {
                    System.getLogger(CallerDrivenChannel.class.getName()).log(System.Logger.Level.WARNING,
                            "Client keeper failed on " + connection.uri, e);
                }
            }
        }
    }
}
