package openenv.api.spi;

/** The transport's side of one WebSocket connection, as the engine sees it. Thread-safe. */
public interface WebSocketPeer {

    /** Sends one text frame (UTF-8 JSON). Frames are sent in the order of the calls. */
    void sendText(byte[] utf8);

    /** Sends a close frame with the given code and reason, then closes the connection. Idempotent. */
    void close(int code, String reason);
}
