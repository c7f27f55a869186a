package openenv.conformance;

/** The blocking-socket WebSocket client against the Netty server. */
class SocketWebSocketContractTest extends ClientTransportContract {

    @Override
    String clientTransport() {
        return "socket";
    }

    @Override
    String scheme() {
        return "ws";
    }
}
