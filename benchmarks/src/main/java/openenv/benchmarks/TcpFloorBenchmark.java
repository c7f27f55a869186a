package openenv.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The physical floor: a loopback TCP ping-pong with blocking sockets and no protocol at all, with the sizes of
 * an echo step over WebSocket (request ≈ 50 bytes, reply ≈ 130 bytes) and over HTTP (≈ 150 / 230 bytes with
 * headers). Every transport result is reported as a ratio to this, measured in the same run.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class TcpFloorBenchmark {

    /** "request/reply" sizes in bytes. */
    @Param({"50/130", "150/230"})
    public String sizes;

    private ServerSocket listener;
    private Thread serverThread;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private byte[] request;
    private byte[] reply;

    @Setup(Level.Trial)
    public void start() throws IOException {
        int requestSize = Integer.parseInt(sizes.substring(0, sizes.indexOf('/')));
        int replySize = Integer.parseInt(sizes.substring(sizes.indexOf('/') + 1));
        request = new byte[requestSize];
        reply = new byte[replySize];
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverThread = new Thread(() -> {
            try (Socket peer = listener.accept()) {
                peer.setTcpNoDelay(true);
                InputStream pin = peer.getInputStream();
                OutputStream pout = peer.getOutputStream();
                byte[] buffer = new byte[requestSize];
                byte[] answer = new byte[replySize];
                while (readFully(pin, buffer)) {
                    pout.write(answer);
                    pout.flush();
                }
            } catch (IOException e) {
                // closed at tear-down
            }
        }, "tcp-floor-server");
        serverThread.setDaemon(true);
        serverThread.start();
        socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    @Benchmark
    public byte[] pingPong() throws IOException {
        out.write(request);
        out.flush();
        if (!readFully(in, reply)) {
            throw new IOException("server closed");
        }
        return reply;
    }

    private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
        int read = 0;
        while (read < buffer.length) {
            int n = in.read(buffer, read, buffer.length - read);
            if (n < 0) {
                return false;
            }
            read += n;
        }
        return true;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        socket.close();
        listener.close();
    }
}
