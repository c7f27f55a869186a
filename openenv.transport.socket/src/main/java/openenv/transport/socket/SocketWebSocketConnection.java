package openenv.transport.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.internal.WebSocketClientProtocol;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.Codec;

/**
 * A WebSocket session ({@code <base>/ws}, RFC 6455) over one blocking socket, read and written by the thread that
 * makes the call: a step is one {@code write} and the {@code read}s of its reply, with no I/O thread to hand the
 * message to and no thread to wake for the answer. The protocol itself is {@link WebSocketClientProtocol}'s.
 *
 * <p>Between calls nobody reads, so a shared daemon thread ({@link Keeper}) looks at idle connections every few
 * seconds and answers the server's pings (the Netty server drops a peer silent for two ping intervals, a Python
 * server one that misses a pong); a message that arrives then is kept for the next call, as with any transport.
 *
 * <p>Timeouts: a plain socket is read in blocking mode and the same thread closes it when a call's deadline
 * passes, because a socket read with a timeout costs three system calls per read (try, poll, read) instead of
 * one. TLS sockets use the socket timeout.
 */
final class SocketWebSocketConnection extends WebSocketClientProtocol {

    private static final System.Logger LOG = System.getLogger(SocketWebSocketConnection.class.getName());
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    /** The handshake response is read into the frame buffer; larger headers are refused. */
    private static final int MAX_HANDSHAKE_BYTES = 64 * 1024;
    /** Buffers that grew for a large message are dropped afterwards rather than kept for an idle session. */
    private static final int RETAINED_BYTES = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int maxMessageBytes;
    /** Held while reading: by the calling thread during a call, by the {@link Keeper} when idle. */
    private final ReentrantLock readLock = new ReentrantLock();
    private final Object writeLock = new Object();
    private volatile boolean closed;
    private volatile String closeReason;
    /** Plain sockets only: when the current read must give up (System.nanoTime), 0 = none, -1 = gave up. */
    private final java.util.concurrent.atomic.AtomicLong deadline = new java.util.concurrent.atomic.AtomicLong();
    private final boolean tls;

    // Read side, guarded by readLock: received bytes are rbuf[rpos, rlim).
    private byte[] rbuf = new byte[2048];
    private int rpos;
    private int rlim;
    /** A fragmented message being reassembled, or null. */
    private byte[] fragments;
    private int fragmentsLength;
    private boolean fragmentsAreText;

    // Write side, guarded by writeLock.
    private byte[] wbuf = new byte[256];

    private SocketWebSocketConnection(URI wsUri, ClientConfig config, Codec codec) {
        super(wsUri, config, codec);
        this.maxMessageBytes = config.maxMessageBytes();
        this.socket = connect(wsUri, config);
        this.tls = socket instanceof SSLSocket;
        Keeper.register(this);
        try {
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            handshake(config);
        } catch (IOException e) {
            closeQuietly();
            if (e instanceof SocketTimeoutException) {
                throw new TransportTimeoutException("The WebSocket handshake with " + wsUri + " did not finish within "
                        + config.connectTimeout().toMillis() + " ms (connect timeout).", e);
            }
            throw new TransportException("The WebSocket handshake with " + wsUri + " failed: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    static SocketWebSocketConnection open(URI baseUri, ClientConfig config, Codec codec) {
        return new SocketWebSocketConnection(webSocketUri(baseUri), config, codec);
    }

    /** {@code <base>/ws}, keeping a path prefix; a URI whose path already ends with {@code /ws} is used as is. */
    static URI webSocketUri(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
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

    private static boolean secure(URI uri) {
        return "wss".equalsIgnoreCase(uri.getScheme());
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : secure(uri) ? 443 : 80;
    }

    private static Socket connect(URI uri, ClientConfig config) {
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host(uri), port(uri)), (int) millis);
            if (!secure(uri)) {
                return plain;
            }
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, host(uri), port(uri), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.setSoTimeout((int) millis);
            tls.startHandshake();
            return tls;
        } catch (SocketTimeoutException e) {
            closeQuietly(plain);
            throw new TransportTimeoutException("Could not connect to " + uri + " within " + millis
                    + " ms (connect timeout). Is the OpenEnv server running and reachable?", e);
        } catch (ConnectException e) {
            closeQuietly(plain);
            throw new TransportException("Could not connect to " + uri + ": " + e.getMessage()
                    + ". The server may not be running, or not on this host and port.", e);
        } catch (UnknownHostException e) {
            closeQuietly(plain);
            throw new TransportException("Could not connect to " + uri + ": unknown host " + uri.getHost() + ".", e);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new TransportException("Could not connect to " + uri + ": " + e, e);
        }
    }

    // ------------------------------------------------------------------ handshake

    private void handshake(ClientConfig config) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder request = new StringBuilder(256)
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getRawAuthority()).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            request.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        request.append("\r\n");
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        if (tls) {
            socket.setSoTimeout((int) millis);
        } else {
            deadline.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
        }
        try {
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            readHandshakeResponse(key);
        } catch (IOException e) {
            if (deadline.get() == -1) {
                throw new SocketTimeoutException("handshake timed out");
            }
            throw e;
        } finally {
            deadline.compareAndSet(deadline.get(), 0);
        }
    }

    private void readHandshakeResponse(String key) throws IOException {
        int end;
        while ((end = headerEnd()) < 0) {
            if (rlim >= MAX_HANDSHAKE_BYTES) {
                throw new TransportException("The server at " + uri + " answered the WebSocket upgrade with more than "
                        + MAX_HANDSHAKE_BYTES + " bytes of headers.");
            }
            if (readMore() < 0) {
                throw new TransportException("The server at " + uri + " closed the connection during the WebSocket "
                        + "handshake.");
            }
        }
        String head = new String(rbuf, 0, end, StandardCharsets.ISO_8859_1);
        rpos = end + 4; // frames the server sent right after the 101 stay in the buffer
        String[] lines = head.split("\r\n");
        String status = lines[0].length() > 9 ? lines[0].substring(9).trim() : lines[0];
        String accept = null;
        String upgrade = null;
        long contentLength = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "sec-websocket-accept" -> accept = value;
                case "upgrade" -> upgrade = value;
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        contentLength = -1;
                    }
                }
                default -> {
                    // not needed
                }
            }
        }
        if (!status.startsWith("101")) {
            String body = refusalBody(contentLength);
            String hint = status.startsWith("404")
                    ? " Does the server speak the OpenEnv WebSocket protocol (openenv-core 0.2+)? For an older server"
                    + " use an http:// URL."
                    : "";
            throw new TransportException("The server at " + uri + " refused the WebSocket upgrade: HTTP " + status
                    + (body.isBlank() ? "" : " " + abbreviate(body)) + "." + hint);
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket") || !expectedAccept(key).equals(accept)) {
            throw new TransportException("The server at " + uri + " answered the WebSocket upgrade with 101 but not "
                    + "as RFC 6455 requires (Upgrade: " + upgrade + ", Sec-WebSocket-Accept: " + accept + ").");
        }
    }

    /** Index of the blank line ending the response head in rbuf[0, rlim), or -1. */
    private int headerEnd() {
        for (int i = 3; i < rlim; i++) {
            if (rbuf[i] == '\n' && rbuf[i - 1] == '\r' && rbuf[i - 2] == '\n' && rbuf[i - 3] == '\r') {
                return i - 3;
            }
        }
        return -1;
    }

    /** What a refusing server said, as far as it fits and arrives in time. */
    private String refusalBody(long contentLength) {
        try {
            long wanted = Math.min(Math.max(contentLength, 0), 4096);
            while (rlim - rpos < wanted && readMore() > 0) {
                // read the rest of a short body
            }
        } catch (IOException e) {
            // the status line says enough
        }
        return new String(rbuf, rpos, rlim - rpos, StandardCharsets.UTF_8);
    }

    private static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    // ------------------------------------------------------------------ writing

    @Override
    protected void sendFrame(byte[] utf8) {
        if (closed) {
            throw new TransportException("The connection to " + uri + " is closed. Open a new client to continue.");
        }
        try {
            writeFrame(OP_TEXT, utf8, 0, utf8.length);
        } catch (IOException e) {
            connectionLost("connection lost: " + e.getMessage());
            throw new TransportException("Could not send to " + uri + ": " + e.getMessage(), e);
        }
    }

    /** One final frame, masked as a client must, in a single write. */
    private void writeFrame(int opcode, byte[] payload, int offset, int length) throws IOException {
        synchronized (writeLock) {
            int header = 2 + (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8) + 4;
            byte[] b = wbuf.length >= header + length ? wbuf : new byte[header + length];
            int p = 0;
            b[p++] = (byte) (0x80 | opcode);
            if (length < 126) {
                b[p++] = (byte) (0x80 | length);
            } else if (length <= 0xFFFF) {
                b[p++] = (byte) (0x80 | 126);
                b[p++] = (byte) (length >>> 8);
                b[p++] = (byte) length;
            } else {
                b[p++] = (byte) (0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    b[p++] = (byte) ((long) length >>> shift);
                }
            }
            int mask = ThreadLocalRandom.current().nextInt();
            b[p++] = (byte) (mask >>> 24);
            b[p++] = (byte) (mask >>> 16);
            b[p++] = (byte) (mask >>> 8);
            b[p++] = (byte) mask;
            for (int i = 0; i < length; i++) {
                b[p + i] = (byte) (payload[offset + i] ^ b[p - 4 + (i & 3)]);
            }
            out.write(b, 0, p + length);
            out.flush();
            if (b != wbuf && b.length <= RETAINED_BYTES) {
                wbuf = b;
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /** Reads on the calling thread until the reply is there, the connection ends, or the time is up. */
    @Override
    protected byte[] awaitReply(CompletableFuture<byte[]> reply, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        long end = System.nanoTime() + timeoutNanos;
        if (!readLock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
            throw new TimeoutException();
        }
        long armed = 0;
        try {
            if (!tls) {
                armed = end;
                deadline.set(armed);
            }
            while (!reply.isDone()) {
                deliverBufferedFrames();
                if (reply.isDone() || closed) {
                    break;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                try {
                    if (tls) {
                        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE,
                                TimeUnit.NANOSECONDS.toMillis(left + 999_999))));
                    }
                    if (readMore() < 0) {
                        connectionLost("the server closed the connection");
                    }
                } catch (SocketTimeoutException e) {
                    throw new TimeoutException();
                } catch (IOException e) {
                    if (deadline.get() == -1) {
                        throw new TimeoutException(); // the keeper closed the socket at the deadline
                    }
                    connectionLost("connection lost: " + e.getMessage());
                }
            }
        } finally {
            if (armed != 0 && !deadline.compareAndSet(armed, 0)) {
                // The keeper closed the socket at the deadline just as the reply came: the session is gone.
                connectionLost("no reply within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            shrinkIfLarge();
            readLock.unlock();
        }
        if (!reply.isDone()) {
            // closed underneath us without onClosed having completed it (cannot happen, but never hang)
            connectionLost("the connection was closed");
        }
        return reply.get();
    }

    /** Keeper: closes a plain socket whose read outlived its deadline, which ends the blocked read. */
    void enforceDeadline(long now) {
        long due = deadline.get();
        if (due > 0 && now - due > 0 && deadline.compareAndSet(due, -1)) {
            closeQuietly(socket);
        }
    }

    /** Reads what the socket has (blocking up to its timeout) into rbuf; -1 at end of stream. */
    private int readMore() throws IOException {
        if (rlim == rbuf.length) {
            if (rpos > 0) {
                System.arraycopy(rbuf, rpos, rbuf, 0, rlim - rpos);
                rlim -= rpos;
                rpos = 0;
            } else {
                rbuf = Arrays.copyOf(rbuf, rbuf.length * 2);
            }
        }
        int n = in.read(rbuf, rlim, rbuf.length - rlim);
        if (n > 0) {
            rlim += n;
        }
        return n;
    }

    /** Makes room for a frame of {@code size} bytes starting at rpos. */
    private void ensureFrameFits(long size) {
        if (rpos > 0) {
            System.arraycopy(rbuf, rpos, rbuf, 0, rlim - rpos);
            rlim -= rpos;
            rpos = 0;
        }
        if (size > rbuf.length) {
            rbuf = Arrays.copyOf(rbuf, (int) size);
        }
    }

    private void shrinkIfLarge() {
        if (rbuf.length > RETAINED_BYTES && rlim - rpos <= 2048) {
            byte[] small = new byte[2048];
            System.arraycopy(rbuf, rpos, small, 0, rlim - rpos);
            rlim -= rpos;
            rpos = 0;
            rbuf = small;
        }
    }

    /** Handles every complete frame in the buffer; a partial one waits for more bytes. */
    private void deliverBufferedFrames() {
        while (!closed) {
            int available = rlim - rpos;
            if (available < 2) {
                return;
            }
            int b0 = rbuf[rpos] & 0xFF;
            int b1 = rbuf[rpos + 1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (available < 4) {
                    return;
                }
                length = (rbuf[rpos + 2] & 0xFF) << 8 | rbuf[rpos + 3] & 0xFF;
                header = 4;
            } else if (length == 127) {
                if (available < 10) {
                    return;
                }
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = length << 8 | rbuf[rpos + i] & 0xFF;
                }
                header = 10;
            }
            if ((b0 & 0x70) != 0) {
                fail(1002, "the server set reserved bits without an extension");
                return;
            }
            if ((b1 & 0x80) != 0) {
                fail(1002, "the server sent a masked frame");
                return;
            }
            if (length < 0 || length > maxMessageBytes) {
                fail(1009, "a reply exceeded maxMessageBytes (" + maxMessageBytes + " bytes)");
                return;
            }
            if (available < header + length) {
                ensureFrameFits(header + length);
                return;
            }
            int start = rpos + header;
            int size = (int) length;
            rpos = start + size;
            frame(fin, opcode, start, size);
        }
    }

    private void frame(boolean fin, int opcode, int start, int size) {
        switch (opcode) {
            case OP_TEXT, OP_BINARY -> {
                if (fragments != null) {
                    fail(1002, "the server started a message inside a fragmented one");
                } else if (fin) {
                    message(opcode == OP_TEXT, Arrays.copyOfRange(rbuf, start, start + size));
                } else {
                    fragments = Arrays.copyOfRange(rbuf, start, start + Math.max(size, 256));
                    fragmentsLength = size;
                    fragmentsAreText = opcode == OP_TEXT;
                }
            }
            case OP_CONTINUATION -> {
                if (fragments == null) {
                    fail(1002, "the server sent a continuation frame without a message to continue");
                    return;
                }
                if ((long) fragmentsLength + size > maxMessageBytes) {
                    fragments = null;
                    fail(1009, "a reply exceeded maxMessageBytes (" + maxMessageBytes + " bytes)");
                    return;
                }
                if (fragmentsLength + size > fragments.length) {
                    fragments = Arrays.copyOf(fragments, Math.max(fragments.length * 2, fragmentsLength + size));
                }
                System.arraycopy(rbuf, start, fragments, fragmentsLength, size);
                fragmentsLength += size;
                if (fin) {
                    byte[] whole = Arrays.copyOf(fragments, fragmentsLength);
                    fragments = null;
                    message(fragmentsAreText, whole);
                }
            }
            case OP_PING -> {
                if (!fin || size > 125) {
                    fail(1002, "the server sent an invalid ping");
                    return;
                }
                try {
                    writeFrame(OP_PONG, rbuf, start, size);
                } catch (IOException e) {
                    connectionLost("connection lost: " + e.getMessage());
                }
            }
            case OP_PONG -> {
                // nothing asked for it; a pong only proves the server is alive
            }
            case OP_CLOSE -> {
                int code = size >= 2 ? (rbuf[start] & 0xFF) << 8 | rbuf[start + 1] & 0xFF : 1005;
                String text = size > 2 ? new String(rbuf, start + 2, size - 2, StandardCharsets.UTF_8) : "";
                closeReason = "closed by the server with code " + code + (text.isEmpty() ? "" : ": " + text);
                sendClose(code == 1005 ? -1 : code);
                connectionLost(closeReason);
            }
            default -> fail(1002, "the server sent a frame with unknown opcode " + opcode);
        }
    }

    private void message(boolean text, byte[] bytes) {
        if (!text) {
            fail(1003, "the server sent a binary message; OpenEnv uses JSON text messages");
            return;
        }
        onText(bytes);
    }

    /** A protocol violation by the server: tell it why, close, and fail the call waiting. */
    private void fail(int code, String why) {
        closeReason = why;
        sendClose(code);
        connectionLost(why);
    }

    private void sendClose(int code) {
        if (closed) {
            return;
        }
        try {
            byte[] payload = code < 0 ? new byte[0] : new byte[] {(byte) (code >>> 8), (byte) code};
            writeFrame(OP_CLOSE, payload, 0, payload.length);
        } catch (IOException e) {
            // going away anyway
        }
    }

    /** The connection is over: close the socket and let the protocol fail a waiting call. */
    private void connectionLost(String reason) {
        closeQuietly();
        onClosed(closeReason != null ? closeReason : reason);
    }

    // ------------------------------------------------------------------ idle connections

    /**
     * Between calls: handles whatever the server sent (pings above all) without blocking. Skipped when a call
     * is reading.
     */
    void serviceIdle() {
        if (closed || !readLock.tryLock()) {
            return;
        }
        try {
            deliverBufferedFrames();
            if (closed) {
                return;
            }
            // A plain socket says what is waiting (and a blocking read of it returns at once); TLS only knows
            // after decrypting, so it gets a 1 ms read.
            if (!tls && in.available() == 0) {
                return;
            }
            if (tls) {
                socket.setSoTimeout(1);
            }
            int n = readMore();
            if (n < 0) {
                connectionLost("the server closed the connection");
                return;
            }
            deliverBufferedFrames();
        } catch (SocketTimeoutException e) {
            // nothing arrived
        } catch (IOException e) {
            connectionLost("connection lost: " + e.getMessage());
        } finally {
            readLock.unlock();
        }
    }

    @Override
    protected void closeTransport() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (!closed) {
            closed = true;
            Keeper.unregister(this);
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Closing a socket failed: " + e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** One daemon thread for all idle connections of this JVM, started with the first one. */
    static final class Keeper {
        /** Often enough for a 20 s ping timeout (Python websockets) and a 60 s silence limit (Netty server). */
        static final long PERIOD_MILLIS = 5_000;
        /** How often deadlines of blocked reads are checked: the precision of a request timeout. */
        static final long DEADLINE_MILLIS = 20;
        private static final Set<SocketWebSocketConnection> OPEN = ConcurrentHashMap.newKeySet();
        private static volatile ScheduledExecutorService timer;

        private Keeper() {
        }

        static void register(SocketWebSocketConnection connection) {
            OPEN.add(connection);
            if (timer == null) {
                synchronized (Keeper.class) {
                    if (timer == null) {
                        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(r -> {
                            Thread thread = new Thread(r, "openenv-socket-keepalive");
                            thread.setDaemon(true);
                            return thread;
                        });
                        started.scheduleWithFixedDelay(Keeper::sweep, PERIOD_MILLIS, PERIOD_MILLIS,
                                TimeUnit.MILLISECONDS);
                        started.scheduleWithFixedDelay(Keeper::enforceDeadlines, DEADLINE_MILLIS, DEADLINE_MILLIS,
                                TimeUnit.MILLISECONDS);
                        timer = started;
                    }
                }
            }
        }

        static void unregister(SocketWebSocketConnection connection) {
            OPEN.remove(connection);
        }

        static void enforceDeadlines() {
            long now = System.nanoTime();
            for (SocketWebSocketConnection connection : OPEN) {
                connection.enforceDeadline(now);
            }
        }

        /** One pass over the idle connections. */
        static void sweep() {
            for (SocketWebSocketConnection connection : OPEN) {
                try {
                    connection.serviceIdle();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Servicing an idle WebSocket connection failed", e);
                }
            }
        }
    }
}
