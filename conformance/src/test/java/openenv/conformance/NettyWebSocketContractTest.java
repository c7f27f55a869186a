package openenv.conformance;

/** The Netty WebSocket client against the Netty server. */
class NettyWebSocketContractTest extends ClientTransportContract {

    @Override
    String clientTransport() {
        return "netty";
    }

    @Override
    String scheme() {
        return "ws";
    }
}
