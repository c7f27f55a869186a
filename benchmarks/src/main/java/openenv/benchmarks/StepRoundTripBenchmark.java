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
 * record), per transport pair. Each JMH thread owns one session, so {@code -t K} measures K concurrent sessions.
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

    /** Server transport × client transport (and URL scheme). */
    @Param({"local", "netty-ws", "netty-http", "httpclient-http"})
    public String pair;

    EnvServer server;

    @Setup(Level.Trial)
    public void startServer() {
        EnvServer.Builder builder = EnvServer.builder().environment(EchoEnvironment::new).port(0).maxSessions(4096)
                .sessionIdleTimeout(Duration.ZERO);
        builder.transport(pair.equals("local") ? "local" : "netty");
        server = builder.build().start();
    }

    String url() {
        String base = server.uri().toString();
        return pair.endsWith("-ws") ? base.replaceFirst("^http", "ws") : base;
    }

    String clientTransport() {
        return pair.substring(0, pair.indexOf('-') < 0 ? pair.length() : pair.indexOf('-'));
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
            client = EnvClient.builder().url(bench.url()).transport(bench.clientTransport()).build(ECHO);
            client.reset();
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
