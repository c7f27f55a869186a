package openenv.transport.netty;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;
import openenv.api.internal.WebSocketClientProtocol;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.Codec;

/**
 * A {@code ws://} or {@code wss://} session on a {@link CallerDrivenChannel}: the thread that calls {@code step}
 * sends the message and reads the reply itself. Netty's HTTP and WebSocket codecs and {@link ClientFrames} do the
 * protocol; the keeper answers pings while the client is idle.
 */
final class DirectWebSocketConnection extends WebSocketClientProtocol {

    private final CallerDrivenChannel pipe;

    private DirectWebSocketConnection(URI wsUri, ClientConfig config, Codec codec) {
        super(wsUri, config, codec);
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            headers.set(header.getKey(), header.getValue());
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(wsUri,
                WebSocketVersion.V13, null, false, headers, config.maxMessageBytes());
        ClientFrames frames = new ClientFrames(this, wsUri, handshaker, config.maxMessageBytes());
        long started = System.nanoTime();
        // channelActive of ClientFrames writes the upgrade request; one connect timeout covers TCP, TLS, upgrade
        this.pipe = CallerDrivenChannel.open(wsUri, config.connectTimeout(), true,
                new HttpClientCodec(), new HttpObjectAggregator(64 * 1024), frames);
        try {
            pipe.flush();
            pipe.readUntil(frames.handshake::isDone,
                    Math.max(1, config.connectTimeout().toNanos() - (System.nanoTime() - started)));
            frames.handshake.get();
        } catch (IOException e) {
            pipe.close();
            throw pipe.timedOut()
                    ? new TransportTimeoutException("The WebSocket handshake with " + wsUri + " did not finish within "
                            + config.connectTimeout().toMillis() + " ms (connect timeout).", e)
                    : new TransportException("The WebSocket handshake with " + wsUri + " failed: " + e, e);
        } catch (ExecutionException e) {
            pipe.close();
            Throwable cause = e.getCause();
            if (cause instanceof TransportException transport) {
                throw transport;
            }
            throw new TransportException("The WebSocket handshake with " + wsUri + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pipe.close();
            throw new TransportException("Interrupted during the WebSocket handshake with " + wsUri, e);
        } catch (RuntimeException | Error e) {
            pipe.close();
            throw e;
        } finally {
            pipe.unlock();
        }
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

    @Override
    protected void sendFrame(byte[] utf8) {
        pipe.lock();
        try {
            if (pipe.isClosed() || !pipe.channel().isActive()) {
                throw new TransportException("The connection to " + uri + " is closed. Open a new client to continue.");
            }
            pipe.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)));
        } catch (IOException e) {
            onClosed("connection lost: " + e.getMessage());
            pipe.close();
            throw new TransportException("Could not send to " + uri + " (" + e.getMessage()
                    + "). Open a new client to continue.", e);
        } finally {
            pipe.unlock();
        }
    }

    @Override
    protected byte[] awaitReply(CompletableFuture<byte[]> reply, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        pipe.lock();
        try {
            pipe.readUntil(reply::isDone, timeoutNanos);
        } catch (ClosedByInterruptException e) {
            onClosed("interrupted");
            pipe.close();
            throw new InterruptedException("interrupted while reading the reply");
        } catch (IOException e) {
            if (pipe.timedOut()) {
                throw new TimeoutException();
            }
            onClosed(pipe.isClosed() ? "closed by client" : "connection lost: " + e.getMessage());
            pipe.close();
        } finally {
            pipe.unlock();
        }
        return reply.get();
    }

    @Override
    protected void closeTransport() {
        pipe.close();
    }
}
