package openenv.conformance;

/** The Netty HTTP client against the Netty server. */
class NettyHttpContractTest extends ClientTransportContract {

    @Override
    String clientTransport() {
        return "netty";
    }

    @Override
    String scheme() {
        return "http";
    }
}
