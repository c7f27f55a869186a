package openenv.transport.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import openenv.api.TransportException;
import openenv.api.spi.ClientConfig;
import openenv.api.spi.ClientConnection;
import openenv.transport.socket.FakeWebSocketServer.Frame;
import org.junit.jupiter.api.Test;

/** The frames on the wire, against a scripted server: what a real server rarely does on demand. */
class SocketWebSocketConnectionTest {

    private static final String REPLY = "{\"type\":\"observation\",\"data\":{\"observation\":{\"echoed_message\":"
            + "\"hi\",\"message_length\":2},\"reward\":0.2,\"done\":false}}";

    private static ClientConnection connect(FakeWebSocketServer server) {
        return new SocketClientTransportProvider().connect(URI.create(server.url()), ClientConfig.defaults(),
                FakeWebSocketServer.codec());
    }

    @Test
    void aStepIsOneMaskedTextFrameAndTheReplyIsItsEnvelope() throws Exception {
        try (FakeWebSocketServer server = new FakeWebSocketServer("101 Switching Protocols", peer -> {
            Frame step = peer.read();
            assertThat(step.opcode()).isEqualTo(0x1);
            assertThat(step.fin()).isTrue();
            assertThat(step.masked()).isTrue();
            assertThat(step.text()).isEqualTo("{\"type\":\"step\",\"data\":{\"message\":\"hi\"}}");
            peer.text(REPLY);
            peer.read(); // the close message
        }); ClientConnection connection = connect(server)) {
            Map<String, Object> envelope = connection.step(Map.of("message", "hi"));

            assertThat(envelope).containsEntry("reward", 0.2).containsEntry("done", false);
            connection.close();
            server.awaitScript();
        }
    }

    @Test
    void aFragmentedReplyWithAPingBetweenItsFragmentsIsReassembledAndThePingAnswered() throws Exception {
        byte[] reply = REPLY.getBytes(StandardCharsets.UTF_8);
        try (FakeWebSocketServer server = new FakeWebSocketServer("101 Switching Protocols", peer -> {
            peer.read();
            peer.frame(false, 0x1, java.util.Arrays.copyOfRange(reply, 0, 10));
            peer.frame(true, 0x9, "are you there".getBytes(StandardCharsets.UTF_8));
            peer.frame(false, 0x0, java.util.Arrays.copyOfRange(reply, 10, 40));
            peer.frame(true, 0x0, java.util.Arrays.copyOfRange(reply, 40, reply.length));
            Frame pong = peer.read();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.text()).isEqualTo("are you there");
        }); ClientConnection connection = connect(server)) {
            assertThat(connection.step(Map.of("message", "hi"))).containsEntry("reward", 0.2);
            server.awaitScript();
        }
    }

    @Test
    void anIdleConnectionAnswersPingsBetweenCalls() throws Exception {
        AtomicBoolean ponged = new AtomicBoolean();
        try (FakeWebSocketServer server = new FakeWebSocketServer("101 Switching Protocols", peer -> {
            peer.frame(true, 0x9, "idle?".getBytes(StandardCharsets.UTF_8));
            Frame pong = peer.read();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.text()).isEqualTo("idle?");
            ponged.set(true);
            Frame step = peer.read();
            assertThat(step.text()).contains("\"step\"");
            peer.text(REPLY);
        }); ClientConnection connection = connect(server)) {
            for (int i = 0; i < 500 && !ponged.get(); i++) {
                SocketWebSocketConnection.Keeper.sweep(); // what the keep-alive thread does every few seconds
                Thread.sleep(10);
            }
            assertThat(ponged).isTrue();
            assertThat(connection.step(Map.of("message", "hi"))).containsEntry("done", false);
            server.awaitScript();
        }
    }

    @Test
    void aBinaryReplyClosesWith1003AndIsATransportError() throws Exception {
        try (FakeWebSocketServer server = new FakeWebSocketServer("101 Switching Protocols", peer -> {
            peer.read();
            peer.frame(true, 0x2, new byte[] {1, 2, 3});
            Frame close = peer.read();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat((close.payload()[0] & 0xFF) << 8 | close.payload()[1] & 0xFF).isEqualTo(1003);
        }); ClientConnection connection = connect(server)) {
            assertThatThrownBy(() -> connection.step(Map.of("message", "hi")))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("binary");
            server.awaitScript();
            assertThatThrownBy(() -> connection.step(Map.of("message", "again")))
                    .isInstanceOf(TransportException.class);
        }
    }

    @Test
    void aServerCloseFailsTheCallWithItsCodeAndReason() throws Exception {
        try (FakeWebSocketServer server = new FakeWebSocketServer("101 Switching Protocols", peer -> {
            peer.read();
            byte[] reason = "server shutting down".getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[reason.length + 2];
            payload[0] = (byte) (1001 >>> 8);
            payload[1] = (byte) (1001 & 0xFF);
            System.arraycopy(reason, 0, payload, 2, reason.length);
            peer.frame(true, 0x8, payload);
            Frame echo = peer.read();
            assertThat(echo.opcode()).isEqualTo(0x8);
        }); ClientConnection connection = connect(server)) {
            assertThatThrownBy(() -> connection.step(Map.of("message", "hi")))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("1001")
                    .hasMessageContaining("server shutting down");
            server.awaitScript();
        }
    }

    @Test
    void aMaskedServerFrameIsAProtocolError() throws Exception {
        try (FakeWebSocketServer server = new FakeWebSocketServer("101 Switching Protocols", peer -> {
            peer.read();
            peer.raw(new byte[] {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'a' ^ 1, 'b' ^ 2});
        }); ClientConnection connection = connect(server)) {
            assertThatThrownBy(() -> connection.step(Map.of("message", "hi")))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("masked");
        }
    }

    @Test
    void aRefusedUpgradeSaysWhatTheServerAnsweredAndHowToReachAnOlderServer() throws Exception {
        try (FakeWebSocketServer server = new FakeWebSocketServer("404 Not Found", peer -> { })) {
            assertThatThrownBy(() -> connect(server))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("HTTP 404 Not Found")
                    .hasMessageContaining("Not Found\"}")
                    .hasMessageContaining("http:// URL");
        }
    }

    @Test
    void aReplyLargerThanMaxMessageBytesClosesWith1009() throws Exception {
        try (FakeWebSocketServer server = new FakeWebSocketServer("101 Switching Protocols", peer -> {
            peer.read();
            peer.frame(true, 0x1, new byte[300]);
            Frame close = peer.read();
            assertThat((close.payload()[0] & 0xFF) << 8 | close.payload()[1] & 0xFF).isEqualTo(1009);
        }); ClientConnection connection = new SocketClientTransportProvider().connect(URI.create(server.url()),
                new ClientConfig(ClientConfig.defaults().connectTimeout(), ClientConfig.defaults().requestTimeout(),
                        200, Map.of()), FakeWebSocketServer.codec())) {
            assertThatThrownBy(() -> connection.step(Map.of("message", "hi")))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("maxMessageBytes");
            server.awaitScript();
        }
    }
}
