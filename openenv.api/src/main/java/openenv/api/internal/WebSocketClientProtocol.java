package openenv.api.internal;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import openenv.api.EnvironmentException;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.ClientConnection;
import openenv.api.spi.Codec;
import openenv.api.spi.MalformedJsonException;

/**
 * The client side of the WebSocket session protocol (PROTOCOL.md §2) over any transport that can send a text
 * frame and deliver the ones it receives. One call at a time; a reply that does not come within the request
 * timeout closes the connection, so a late reply can never be taken for the answer to the next call.
 */
public abstract class WebSocketClientProtocol implements ClientConnection {

    private final Object lock = new Object();
    private final Queue<byte[]> unsolicited = new ArrayDeque<>();
    protected final Codec codec;
    protected final ClientConfig config;
    protected final URI uri;
    private CompletableFuture<byte[]> pending;
    private volatile String closedBecause;

    protected WebSocketClientProtocol(URI uri, ClientConfig config, Codec codec) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.config = Objects.requireNonNull(config, "config");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Sends one text frame; throws {@link TransportException} when it cannot. */
    protected abstract void sendFrame(byte[] utf8);

    /** Closes the underlying connection without sending anything more. Idempotent. */
    protected abstract void closeTransport();

    /**
     * Waits up to {@code timeoutNanos} for the reply, which {@link #onText} completes. By default a transport
     * thread delivers it; a transport that reads on the calling thread (no hand-off) overrides this and reads
     * until {@code reply} is done.
     *
     * @throws TimeoutException   when no reply came in time
     * @throws ExecutionException when the connection closed first ({@link #onClosed})
     */
    protected byte[] awaitReply(CompletableFuture<byte[]> reply, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        return reply.get(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Transport callback: one complete text message arrived. */
    public final void onText(byte[] utf8) {
        synchronized (lock) {
            if (pending != null && !pending.isDone()) {
                pending.complete(utf8);
            } else {
                unsolicited.add(utf8);
            }
        }
    }

    /** Transport callback: the connection is closed (by the server, the network, or us). */
    public final void onClosed(String reason) {
        CompletableFuture<byte[]> waiting;
        synchronized (lock) {
            if (closedBecause == null) {
                closedBecause = reason;
            }
            waiting = pending;
        }
        if (waiting != null) {
            waiting.completeExceptionally(new TransportException("The connection to " + uri + " was closed ("
                    + reason + ") before a reply arrived. Open a new client to continue."));
        }
    }

    @Override
    public String protocol() {
        return "websocket";
    }

    @Override
    public Map<String, Object> reset(Map<String, Object> request) {
        return call("reset", request, "observation");
    }

    @Override
    public Map<String, Object> step(Map<String, Object> action) {
        return call("step", action, "observation");
    }

    @Override
    public Map<String, Object> state() {
        return call("state", null, "state");
    }

    private Map<String, Object> call(String type, Object data, String expected) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        synchronized (lock) {
            byte[] early = unsolicited.poll();
            if (early != null) {
                reply.complete(early);
            } else if (closedBecause != null) {
                throw new TransportException("The connection to " + uri + " is closed (" + closedBecause
                        + "). Open a new client to continue.");
            } else {
                pending = reply;
            }
        }
        if (!reply.isDone()) {
            Map<String, Object> message = new LinkedHashMap<>(4);
            message.put("type", type);
            if (data != null) {
                message.put("data", data);
            }
            try {
                sendFrame(codec.write(message));
            } catch (TransportException e) {
                closeTransport();
                throw e;
            }
        }
        byte[] bytes;
        try {
            bytes = awaitReply(reply, config.requestTimeout().toNanos());
        } catch (TimeoutException e) {
            onClosed("no reply within " + config.requestTimeout().toMillis() + " ms");
            closeTransport();
            throw new TransportTimeoutException("No reply to '" + type + "' from " + uri + " within "
                    + config.requestTimeout().toMillis() + " ms (request timeout); the connection was closed so a "
                    + "late reply cannot be mistaken for the next one. Raise requestTimeout or check the server.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransportException transport) {
                closeTransport();
                throw new TransportException(transport.getMessage(), transport);
            }
            throw new TransportException("Failed waiting for the reply from " + uri + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeTransport();
            throw new TransportException("Interrupted while waiting for the reply from " + uri, e);
        } finally {
            synchronized (lock) {
                pending = null;
            }
        }
        return unwrap(bytes, expected);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> unwrap(byte[] bytes, String expected) {
        Object tree;
        try {
            tree = codec.parse(bytes);
        } catch (MalformedJsonException e) {
            closeTransport();
            throw new TransportException("The server at " + uri + " sent a message that is not JSON: "
                    + e.getMessage(), e);
        }
        if (!(tree instanceof Map<?, ?> message)) {
            closeTransport();
            throw new TransportException("The server at " + uri + " sent a non-object message: " + tree);
        }
        Object type = message.get("type");
        Object data = message.get("data");
        if ("error".equals(type) && data instanceof Map<?, ?> error) {
            String code = String.valueOf(error.get("code"));
            throw new EnvironmentException(code, String.valueOf(error.get("message")),
                    WireErrors.problems(error.get("errors")));
        }
        if (!expected.equals(type) || !(data instanceof Map)) {
            closeTransport();
            throw new TransportException("Expected a '" + expected + "' message from " + uri + " but got: "
                    + new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
        return (Map<String, Object>) data;
    }

    @Override
    public void close() {
        boolean open;
        synchronized (lock) {
            open = closedBecause == null;
        }
        if (open) {
            try {
                sendFrame("{\"type\":\"close\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (TransportException ignored) {
                // already gone: nothing to tell the server
            }
            onClosed("closed by client");
        }
        closeTransport();
    }
}
