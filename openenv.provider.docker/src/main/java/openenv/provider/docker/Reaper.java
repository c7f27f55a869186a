package openenv.provider.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The crash reaper: a separate JVM process, one per JVM that uses this provider, started with the owner's
 * {@code java}. It blocks reading its standard input, a pipe whose only writer is the owner JVM. When the owner
 * ends, however it ends (normal exit, {@code kill -9}, a JVM crash), the kernel closes the pipe, the read returns
 * end-of-file, and the reaper removes every container labelled with the owner's session id, looks once more a
 * little later (for a create that was in flight), and exits.
 *
 * <p>It uses {@code java.base} only and speaks just enough HTTP/1.0 to the engine's Unix socket (or plain TCP
 * {@code DOCKER_HOST}) to list and remove containers, so it starts fast and needs nothing but this class.
 *
 * <p>Usage: {@code java -cp <this jar> openenv.provider.docker.Reaper <docker-host-uri> <session-id> [<log-file>]}.
 * Its standard error goes to the log file, which it deletes on the way out when it had nothing to do.
 */
final class Reaper {

    /** Pauses before the second and third sweep; a create in flight when the owner died lands within these. */
    private static final long[] SWEEP_DELAYS_MS = {0, 2000, 5000};
    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-f]{12,64})\"");
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private Reaper() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream err = System.err;
        if (args.length < 2 || args.length > 3 || !SESSION_ID.matcher(args[1]).matches()) {
            err.println("usage: Reaper <docker-host-uri> <session-id> [<log-file>]");
            System.exit(2);
        }
        Engine engine = new Engine(URI.create(args[0]));
        String session = args[1];
        err.println(Instant.now() + " reaper for session " + session + " on " + args[0] + " waiting for its owner");
        InputStream in = System.in;
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // The owner never writes; anything read is ignored. End-of-file means the owner is gone.
            }
        } catch (IOException e) {
            err.println(Instant.now() + " owner pipe failed (" + e + "); treating the owner as gone");
        }
        int removed = 0;
        boolean failed = false;
        for (long delay : SWEEP_DELAYS_MS) {
            Thread.sleep(delay);
            try {
                removed += removeSession(engine, session, err);
            } catch (IOException | RuntimeException e) {
                failed = true;
                err.println(Instant.now() + " sweep failed: " + e);
            }
        }
        err.println(Instant.now() + " reaper for session " + session + " done; removed " + removed + " container(s)");
        if (removed == 0 && !failed && args.length == 3) {
            Files.deleteIfExists(Path.of(args[2])); // a quiet end leaves nothing in the temp directory
        }
    }

    /** Removes every container of {@code session}; returns how many it removed. */
    static int removeSession(Engine engine, String session, PrintStream log) throws IOException {
        String filters = "{\"label\":[\"" + Labels.SESSION + "=" + session + "\"]}";
        Engine.Response list = engine.call("GET", "/containers/json?all=1&filters="
                + URLEncoder.encode(filters, StandardCharsets.UTF_8));
        if (list.status() != 200) {
            throw new IOException("listing containers answered " + list.status() + ": " + list.body());
        }
        int removed = 0;
        for (String id : ids(list.body())) {
            Engine.Response rm = engine.call("DELETE", "/containers/" + id + "?force=1&v=1");
            if (rm.status() == 204) {
                removed++;
                log.println(Instant.now() + " removed container " + id);
            } else if (rm.status() != 404) {
                log.println(Instant.now() + " could not remove " + id + ": " + rm.status() + " " + rm.body());
            }
        }
        return removed;
    }

    static List<String> ids(String json) {
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(json);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** One request per connection, HTTP/1.0, so the body ends where the stream ends (no chunking). */
    static final class Engine {
        private final URI host;

        Engine(URI host) {
            String scheme = String.valueOf(host.getScheme());
            if (!scheme.equals("unix") && !scheme.equals("tcp") && !scheme.equals("http")) {
                throw new IllegalArgumentException("the reaper speaks to unix:// and plain tcp:// engines, not "
                        + host);
            }
            this.host = host;
        }

        static boolean supports(URI host) {
            String scheme = String.valueOf(host.getScheme());
            return scheme.equals("unix") || scheme.equals("tcp") || scheme.equals("http");
        }

        record Response(int status, String body) {
        }

        Response call(String method, String path) throws IOException {
            String request = method + " " + path + " HTTP/1.0\r\nHost: docker\r\nContent-Length: 0\r\n\r\n";
            if (host.getScheme().equals("unix")) {
                try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    channel.connect(UnixDomainSocketAddress.of(host.getPath()));
                    return exchange(request, Channels.newOutputStream(channel), Channels.newInputStream(channel));
                }
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host.getHost(), host.getPort()), 5000);
                socket.setSoTimeout(30_000);
                return exchange(request, socket.getOutputStream(), socket.getInputStream());
            }
        }

        private static Response exchange(String request, OutputStream out, InputStream in) throws IOException {
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            String[] statusLine = text.substring(0, Math.max(0, text.indexOf("\r\n"))).split(" ", 3);
            if (headerEnd < 0 || statusLine.length < 2) {
                throw new IOException("not an HTTP response from the engine: " + text);
            }
            return new Response(Integer.parseInt(statusLine[1]), text.substring(headerEnd + 4));
        }
    }
}
