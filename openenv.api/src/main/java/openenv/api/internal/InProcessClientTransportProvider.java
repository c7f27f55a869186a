package openenv.api.internal;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import openenv.api.TransportException;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.ClientConnection;
import openenv.api.spi.ClientTransportProvider;
import openenv.api.spi.Codec;
import openenv.api.spi.ProtocolHandler;
import openenv.api.spi.WebSocketPeer;
import openenv.api.spi.WebSocketSession;

/**
 * Client for {@code local://} URIs: speaks the WebSocket session protocol straight into an in-process server's
 * protocol engine (JSON encoded and decoded as over a socket, but no I/O).
 */
public final class InProcessClientTransportProvider implements ClientTransportProvider {

    @Override
    public String name() {
        return InProcessServerTransportProvider.NAME;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("local");
    }

    @Override
    public ClientConnection connect(URI baseUri, ClientConfig config, Codec codec) {
        ProtocolHandler handler = InProcessRegistry.find(baseUri).orElseThrow(() -> new TransportException(
                "No in-process server at " + baseUri + " in this JVM. local:// URIs only reach servers started "
                        + "with EnvServer.builder().transport(\"local\") in the same JVM."));
        return new LocalConnection(baseUri, config, codec, handler);
    }

    private static final class LocalConnection extends WebSocketClientProtocol {

        private final WebSocketSession session;
        private final AtomicBoolean closed = new AtomicBoolean();

        LocalConnection(URI uri, ClientConfig config, Codec codec, ProtocolHandler handler) {
            super(uri, config, codec);
            this.session = handler.openWebSocket(new WebSocketPeer() {
                @Override
                public void sendText(byte[] utf8) {
                    onText(utf8);
                }

                @Override
                public void close(int code, String reason) {
                    onClosed("close code " + code + (reason.isEmpty() ? "" : ": " + reason));
                    closeTransport();
                }
            });
        }

        @Override
        protected void sendFrame(byte[] utf8) {
            if (closed.get()) {
                throw new TransportException("The in-process connection to " + uri + " is closed.");
            }
            session.onText(utf8);
        }

        @Override
        protected void closeTransport() {
            // session is null while openWebSocket is still running and refusing us (e.g. capacity reached)
            if (session != null && closed.compareAndSet(false, true)) {
                session.onClose();
            }
        }
    }
}
