package openenv.examples;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import openenv.api.EnvServer;
import openenv.api.spi.HttpRequest;
import openenv.api.spi.HttpResponse;
import openenv.api.spi.ProtocolHandler;
import openenv.api.spi.ServerConfig;
import openenv.api.spi.ServerTransport;
import openenv.api.spi.ServerTransportProvider;
import openenv.api.spi.WebSocketPeer;
import openenv.api.spi.WebSocketSession;

/**
 * Runs a real {@link EnvServer} whose "transport" only captures the protocol handler, so tests drive the
 * engine with HTTP requests and WebSocket messages as bytes, without sockets.
 */
final class EngineHarness implements AutoCloseable {

    final EnvServer server;
    final ProtocolHandler handler;

    private EngineHarness(EnvServer server, ProtocolHandler handler) {
        this.server = server;
        this.handler = handler;
    }

    static EngineHarness start(Consumer<EnvServer.Builder> settings) {
        ProtocolHandler[] captured = new ProtocolHandler[1];
        ServerTransportProvider capture = new ServerTransportProvider() {
            @Override
            public String name() {
                return "capture";
            }

            @Override
            public ServerTransport start(ServerConfig config, ProtocolHandler handler) {
                captured[0] = handler;
                return new ServerTransport() {
                    @Override
                    public URI uri() {
                        return URI.create("capture://engine");
                    }

                    @Override
                    public void shutdown(Duration grace) {
                        // nothing bound
                    }
                };
            }
        };
        EnvServer.Builder builder = EnvServer.builder().transport(capture);
        settings.accept(builder);
        EnvServer server = builder.build().start();
        return new EngineHarness(server, captured[0]);
    }

    /** Status and body text. */
    record Reply(int status, Map<String, String> headers, String body) {
    }

    Reply http(String method, String path, String body, Map<String, String> headers) {
        HttpResponse response;
        try {
            response = handler.handle(new HttpRequest(method, path, headers,
                    body.getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no HTTP reply: " + e, e);
        }
        return new Reply(response.status(), response.headers(), new String(response.body(), StandardCharsets.UTF_8));
    }

    Reply http(String method, String path, String body) {
        return http(method, path, body, Map.of());
    }

    Ws ws() {
        Ws ws = new Ws();
        ws.session = handler.openWebSocket(ws);
        return ws;
    }

    /** A WebSocket peer that records what the engine sends. */
    static final class Ws implements WebSocketPeer {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();
        WebSocketSession session;

        @Override
        public void sendText(byte[] utf8) {
            received.add(new String(utf8, StandardCharsets.UTF_8));
        }

        @Override
        public void close(int code, String reason) {
            closes.add(code);
        }

        void send(String text) {
            session.onText(text.getBytes(StandardCharsets.UTF_8));
        }

        String next() {
            try {
                String message = received.poll(10, TimeUnit.SECONDS);
                if (message == null) {
                    throw new AssertionError("no WebSocket message within 10 s");
                }
                return message;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        String exchange(String text) {
            send(text);
            return next();
        }

        Integer closeCode() {
            try {
                return closes.poll(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static Map<String, String> session(String id) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-openenv-session", id);
        return headers;
    }

    @Override
    public void close() {
        server.close();
    }
}
