/**
 * A WebSocket client transport on blocking JDK sockets: each client's calling thread writes its message and reads
 * the reply itself, so a step costs no thread hand-off, and nothing beyond {@code java.base} is needed (a jlink
 * image of api + json + this module has no third-party code). Put it on the module path and name it:
 * {@code EnvClient.builder().transport("socket")}.
 *
 * @provides openenv.api.spi.ClientTransportProvider as "socket" (schemes {@code ws}, {@code wss})
 */
module openenv.transport.socket {
    requires openenv.api;

    provides openenv.api.spi.ClientTransportProvider
            with openenv.transport.socket.SocketClientTransportProvider;
}
