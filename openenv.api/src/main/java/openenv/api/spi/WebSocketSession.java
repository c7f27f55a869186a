package openenv.api.spi;

/** The engine's side of one WebSocket connection. */
public interface WebSocketSession {

    /** One complete text message (UTF-8). Called from one thread at a time, in arrival order. */
    void onText(byte[] utf8);

    /** The connection is gone (closed by either side or dropped). Frees the session. Idempotent. */
    void onClose();
}
