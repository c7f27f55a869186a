/**
 * Reference environments and the {@code openenv} command-line launcher.
 *
 * <ul>
 *   <li>{@link openenv.examples.EchoEnvironment} and {@link openenv.examples.GridWorldEnvironment}: exactly as
 *       PROTOCOL.md §3; their wire JSON is the conformance reference.</li>
 *   <li>{@link openenv.examples.ConnectFourEnvironment}: nested observations and environment-specific state.</li>
 *   <li>{@link openenv.examples.Launcher}: {@code serve}, {@code bench}, {@code demo}.</li>
 * </ul>
 *
 * Needs a codec and a transport at run time (e.g. {@code openenv.json}, {@code openenv.transport.netty}); it
 * finds them with ServiceLoader through {@code openenv.api}.
 */
module openenv.examples {
    requires transitive openenv.api; // its types appear in our public signatures
    requires jdk.unsupported;        // sun.misc.Signal: serve exits 0 on SIGTERM (GracefulStop); Netty needs it too

    // Records are read and built by the codec (openenv.json) through their public accessors and constructors.
    exports openenv.examples;

    uses openenv.api.spi.CodecProvider;
    uses openenv.api.spi.ClientTransportProvider;
}
