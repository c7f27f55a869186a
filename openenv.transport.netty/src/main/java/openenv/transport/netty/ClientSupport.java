package openenv.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import openenv.api.TransportException;
import openenv.api.TransportTimeoutException;

/** What the client connections share: one small pool of daemon I/O threads, TLS, connecting and its errors. */
final class ClientSupport {

    private ClientSupport() {
    }

    /** Created on first use; daemon threads, so it never keeps a JVM alive and is never shut down. */
    private static final class Group {
        static final EventLoopGroup INSTANCE = new MultiThreadIoEventLoopGroup(
                Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())),
                new DefaultThreadFactory("openenv-netty-client", true), NioIoHandler.newFactory());
    }

    /** A TLS handler for a client connection to {@code host:port} (JDK provider, default trust, host check). */
    static io.netty.handler.ssl.SslHandler tlsHandler(io.netty.buffer.ByteBufAllocator alloc, String host, int port) {
        return Tls.CONTEXT.newHandler(alloc, unbracketed(host), port);
    }

    /** The JDK's TLS with its default trust store and host name verification. */
    private static final class Tls {
        static final SslContext CONTEXT = create();

        private static SslContext create() {
            try {
                return SslContextBuilder.forClient()
                        .sslProvider(SslProvider.JDK)
                        .endpointIdentificationAlgorithm("HTTPS")
                        .build();
            } catch (SSLException e) {
                throw new TransportException("Cannot set up TLS with the JDK's provider: " + e.getMessage(), e);
            }
        }
    }

    static boolean secure(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("wss") || scheme.equals("https");
    }

    static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : secure(uri) ? 443 : 80;
    }

    /** The base path of a URI without a trailing slash ({@code ""} for none). */
    static String basePath(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    /**
     * Connects to {@code uri}'s host and port within {@code timeout}; {@code pipeline} adds the handlers after
     * TLS (when the scheme asks for it).
     */
    static Channel connect(URI uri, URI shownAs, Duration timeout, Consumer<ChannelPipeline> pipeline) {
        String host = uri.getHost();
        int port = port(uri);
        boolean tls = secure(uri);
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Bootstrap bootstrap = new Bootstrap()
                .group(Group.INSTANCE)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) millis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (tls) {
                            channel.pipeline().addLast("tls", Tls.CONTEXT.newHandler(channel.alloc(),
                                    unbracketed(host), port));
                        }
                        pipeline.accept(channel.pipeline());
                    }
                });
        ChannelFuture connected = bootstrap.connect(unbracketed(host), port);
        try {
            if (!connected.await(millis + 1_000, TimeUnit.MILLISECONDS)) {
                connected.cancel(false);
                connected.channel().close();
                throw new TransportTimeoutException("Could not connect to " + shownAs + " within " + millis
                        + " ms (connect timeout). Is the OpenEnv server running and reachable?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connected.channel().close();
            throw new TransportException("Interrupted while connecting to " + shownAs, e);
        }
        if (!connected.isSuccess()) {
            throw connectFailure(shownAs, connected.cause(), millis);
        }
        return connected.channel();
    }

    static TransportException connectFailure(URI shownAs, Throwable cause, long millis) {
        if (cause instanceof ConnectTimeoutException) {
            return new TransportTimeoutException("Could not connect to " + shownAs + " within " + millis
                    + " ms (connect timeout). Is the OpenEnv server running and reachable?", cause);
        }
        if (cause instanceof ConnectException) {
            return new TransportException("Could not connect to " + shownAs + ": " + cause.getMessage()
                    + ". The server may not be running, or not on this host and port.", cause);
        }
        if (cause instanceof UnknownHostException) {
            return new TransportException("Could not connect to " + shownAs + ": unknown host "
                    + shownAs.getHost() + ".", cause);
        }
        return new TransportException("Could not connect to " + shownAs + ": " + cause, cause);
    }

    /** A failure as a short phrase: Netty's decoder wrappers removed, TLS failures named as such. */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof DecoderException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return cause instanceof SSLException ? "TLS handshake failed: " + message : message;
    }

    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
