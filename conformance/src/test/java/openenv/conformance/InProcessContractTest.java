package openenv.conformance;

/** The in-process transport: same engine and JSON, no sockets. */
class InProcessContractTest extends ClientTransportContract {

    @Override
    String clientTransport() {
        return "local";
    }

    @Override
    String scheme() {
        return "local";
    }

    @Override
    String serverTransport() {
        return "local";
    }
}
