/**
 * The OpenEnv API: typed {@link openenv.api.Action}, {@link openenv.api.Observation}, {@link openenv.api.State},
 * the {@link openenv.api.Environment} interface, the server and client entry points
 * ({@link openenv.api.EnvServer}, {@link openenv.api.EnvClient}, {@link openenv.api.GenericEnvClient}), the
 * service provider interfaces in {@code openenv.api.spi}, the transport-neutral protocol engine, and an
 * in-process transport ({@code local:} URIs).
 *
 * <p>Depends on {@code java.base} only. It declares {@code uses} for every SPI because it is the module that calls
 * {@link java.util.ServiceLoader}; put a codec ({@code openenv.json}) and a transport
 * ({@code openenv.transport.netty}, …) beside it on the module path.
 *
 * @uses openenv.api.spi.ServerTransportProvider
 * @uses openenv.api.spi.ClientTransportProvider
 * @uses openenv.api.spi.CodecProvider
 * @uses openenv.api.spi.ContainerProvider
 * @uses openenv.api.spi.ServerExtension
 * @provides openenv.api.spi.ClientTransportProvider as "local" (in-process, scheme {@code local})
 */
@SuppressWarnings("module") // qualified exports name our modules, absent when api is compiled alone
module openenv.api {
    exports openenv.api;
    exports openenv.api.spi;
    // Engine helpers shared with our own modules only; not a public API.
    exports openenv.api.internal to openenv.json, openenv.transport.netty, openenv.transport.httpclient;

    uses openenv.api.spi.ServerTransportProvider;
    uses openenv.api.spi.ClientTransportProvider;
    uses openenv.api.spi.CodecProvider;
    uses openenv.api.spi.ContainerProvider;
    uses openenv.api.spi.ServerExtension;

    provides openenv.api.spi.ClientTransportProvider
            with openenv.api.internal.InProcessClientTransportProvider;
}
