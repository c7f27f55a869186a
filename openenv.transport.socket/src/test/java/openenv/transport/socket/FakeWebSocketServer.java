package openenv.transport.socket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import openenv.api.internal.ProviderKind;
import openenv.api.internal.Providers;
import openenv.api.spi.Codec;
import openenv.api.spi.CodecProvider;

/**
 * A one-connection WebSocket server on a plain socket, so the tests can send exactly the frames they want
 * (fragments, pings, binary, masked, close) and see exactly what the client sends.
 */
final class FakeWebSocketServer implements AutoCloseable {

    /** What the server does with its one connection after the handshake. */
    interface Script {
        void run(Peer peer) throws Exception;
    }

    /** One frame as received from the client (unmasked). */
    record Frame(boolean fin, int opcode, boolean masked, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket listener;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    FakeWebSocketServer(String status, Script script) throws IOException {
        listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket socket = listener.accept()) {
                socket.setTcpNoDelay(true);
                Peer peer = new Peer(socket);
                String key = peer.readHandshake();
                if (status.startsWith("101")) {
                    peer.raw(("HTTP/1.1 " + status + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    byte[] body = "{\"detail\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
                    peer.raw(("HTTP/1.1 " + status + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    peer.raw(body);
                }
                script.run(peer);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "fake-ws-server");
        thread.setDaemon(true);
        thread.start();
    }

    String url() {
        return "ws://127.0.0.1:" + listener.getLocalPort();
    }

    /** Waits for the script to finish and rethrows what it threw. */
    void awaitScript() throws Exception {
        done.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    static String accept(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(digest);
    }

    static Codec codec() {
        return Providers.pick(ProviderKind.CODEC, Providers.load(CodecProvider.class), Optional.of("jackson"), "")
                .create();
    }

    /** The server's side of the connection. */
    static final class Peer {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads the upgrade request; returns its Sec-WebSocket-Key. */
        String readHandshake() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("client left during the handshake");
                }
                head.write(b);
            }
            for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
            throw new IOException("no Sec-WebSocket-Key in " + head);
        }

        void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** An unmasked server frame. */
        void frame(boolean fin, int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else {
                frame.write(126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length & 0xFF);
            }
            frame.write(payload);
            raw(frame.toByteArray());
        }

        void text(String json) throws IOException {
            frame(true, 0x1, json.getBytes(StandardCharsets.UTF_8));
        }

        Frame read() throws IOException {
            int b0 = readByte();
            int b1 = readByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = readByte() << 8 | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = length << 8 | readByte();
                }
            }
            boolean masked = (b1 & 0x80) != 0;
            byte[] mask = masked ? in.readNBytes(4) : new byte[4];
            byte[] payload = in.readNBytes((int) length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            return new Frame((b0 & 0x80) != 0, b0 & 0x0F, masked, payload);
        }

        private int readByte() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed the connection");
            }
            return b;
        }
    }
}
