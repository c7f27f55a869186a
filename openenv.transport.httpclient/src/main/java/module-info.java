/**
 * HTTP client transport for OpenEnv servers, built on the classic (blocking) API of Apache HttpClient 5 with a
 * keep-alive connection pool. Put it on the module path (or in the jlink image) and {@code EnvClient} picks it
 * up for {@code http://} and {@code https://} URLs.
 *
 * <p>Its priority is -10, below the default 0 of other client transports (e.g. {@code openenv.transport.netty}):
 * when both are present the other one serves {@code http://} URLs unless this one is named with
 * {@code EnvClient.builder().transport("httpclient")} or {@code -Dopenenv.client=httpclient}.
 *
 * <p>HttpClient 5 ships automatic modules; to link this module with jlink, patch them with a module descriptor
 * (see the ModiTect execution in this module's {@code pom.xml} and its README).
 *
 * @provides openenv.api.spi.ClientTransportProvider as "httpclient" (schemes {@code http}, {@code https})
 */
module openenv.transport.httpclient {
    requires openenv.api;
    // Automatic module names taken from the jars' manifests (jar --describe-module).
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;
    // HttpClient's socket setup (DefaultHttpClientConnectionOperator) links jdk.net.ExtendedSocketOptions;
    // an automatic module cannot say so, and with java -m or in a jlink image nothing else resolves jdk.net.
    requires jdk.net;
    // HttpClient 5 logs through SLF4J; slf4j-api 2.x is an explicit module that an automatic module cannot
    // require, so nothing would resolve it and HttpClient fails with NoClassDefFoundError: org/slf4j/LoggerFactory.
    requires org.slf4j;

    provides openenv.api.spi.ClientTransportProvider
            with openenv.transport.httpclient.HttpClientTransportProvider;
}
