package openenv.api.spi;

import java.util.concurrent.CompletionStage;

/**
 * The transport-neutral OpenEnv protocol, as a server transport sees it: HTTP requests in, responses out, and
 * WebSocket sessions. Implemented by the protocol engine; transports only move bytes.
 *
 * <p>Methods return quickly and never block: environment work runs on the engine's own threads and completes
 * the returned stage there.
 */
public interface ProtocolHandler {

    /** Handles any HTTP request (all routes, including extensions and unknown paths). Never completes exceptionally. */
    CompletionStage<HttpResponse> handle(HttpRequest request);

    /** Whether a WebSocket upgrade of this path is served (e.g. {@code /ws}). */
    boolean acceptsWebSocket(String path);

    /**
     * Opens the session of one WebSocket connection after the upgrade. If no slot is free, or the environment
     * factory fails, the engine sends the error through {@code peer} and closes it; the returned session then
     * ignores further input.
     */
    WebSocketSession openWebSocket(WebSocketPeer peer);
}
