package openenv.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import openenv.api.EnvClient;
import openenv.api.EnvServer;
import openenv.api.EnvTypes;
import openenv.api.StepResult;
import openenv.examples.EchoAction;
import openenv.examples.EchoEnvironment;
import openenv.examples.EchoObservation;
import openenv.examples.EchoState;
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
 * One echo step, end to end through the typed client (record → JSON → transport → engine → environment → JSON →
 * record), per transport pair, client and server in this JVM. Each JMH thread owns one session, so {@code -t K}
 * measures K concurrent sessions; run with {@code -bm thrpt -t 64} for throughput and {@code -prof gc} for bytes
 * allocated per step by client and server together.
 *
 * <p>{@code pair} is {@code <client transport>-<protocol>} against the Netty server, or {@code local} (the
 * in-process transport). A {@code +io} suffix starts the server with {@code runOnIoThread(true)}: environment
 * calls run on the server's I/O thread instead of the worker pool (an explicit opt-in for microsecond steps).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class StepRoundTripBenchmark {

    static final EnvTypes<EchoAction, EchoObservation, EchoState> ECHO =
            EnvTypes.of(EchoAction.class, EchoObservation.class, EchoState.class);
    static final EchoAction ACTION = new EchoAction("hello");
    /** Keeps the servers' INFO lines (one per trial) out of the JMH output; held so the setting is not collected. */
    static final java.util.logging.Logger QUIET = quiet();

    static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("openenv");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** Client transport and protocol against the Netty server, or {@code local}; {@code +io}: see the class doc. */
    @Param({"local", "netty-ws", "netty-http", "httpclient-http", "local+io", "netty-ws+io",
        "netty-http+io", "httpclient-http+io"})
    public String pair;

    EnvServer server;

    @Setup(Level.Trial)
    public void startServer() {
        quiet();
        server = startEcho(pair);
    }

    /** An echo server for {@code pair}, on any free port, that never reaps idle sessions. */
    static EnvServer startEcho(String pair) {
        String base = pair.endsWith("+io") ? pair.substring(0, pair.length() - 3) : pair;
        return EnvServer.builder()
                .environment(EchoEnvironment::new)
                .port(0)
                .maxSessions(4096)
                .sessionIdleTimeout(Duration.ZERO)
                .runOnIoThread(pair.endsWith("+io"))
                .transport(base.equals("local") ? "local" : "netty")
                .build()
                .start();
    }

    /** A typed echo client of {@code server} for {@code pair}, reset once. */
    static EnvClient<EchoAction, EchoObservation, EchoState> connect(EnvServer server, String pair) {
        String base = pair.endsWith("+io") ? pair.substring(0, pair.length() - 3) : pair;
        String url = server.uri().toString();
        String transport = base;
        if (base.endsWith("-ws")) {
            url = url.replaceFirst("^http", "ws");
            transport = base.substring(0, base.length() - 3);
        } else if (base.endsWith("-http")) {
            transport = base.substring(0, base.length() - 5);
        }
        EnvClient<EchoAction, EchoObservation, EchoState> client = EnvClient.builder().url(url).transport(transport)
                .build(ECHO);
        client.reset();
        return client;
    }

    @TearDown(Level.Trial)
    public void stopServer() {
        server.close();
    }

    /** One session per benchmark thread. */
    @State(Scope.Thread)
    public static class Session {
        EnvClient<EchoAction, EchoObservation, EchoState> client;

        @Setup(Level.Trial)
        public void open(StepRoundTripBenchmark bench) {
            client = connect(bench.server, bench.pair);
        }

        @TearDown(Level.Trial)
        public void close() {
            client.close();
        }
    }

    @Benchmark
    public StepResult<EchoObservation> step(Session session) {
        return session.client.step(ACTION);
    }
}
