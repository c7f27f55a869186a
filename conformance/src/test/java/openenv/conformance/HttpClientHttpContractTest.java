package openenv.conformance;

/** The Apache HttpClient 5 against the Netty server. */
class HttpClientHttpContractTest extends ClientTransportContract {

    @Override
    String clientTransport() {
        return "httpclient";
    }

    @Override
    String scheme() {
        return "http";
    }
}
