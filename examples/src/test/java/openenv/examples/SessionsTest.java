package openenv.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import openenv.api.Environment;
import openenv.api.ResetOptions;
import openenv.api.StepResult;
import org.junit.jupiter.api.Test;

class SessionsTest {

    /** Echo that fails on "boom", sleeps on "slow", and records whether two calls ever overlapped. */
    static final class Probe implements Environment<EchoAction, EchoObservation, EchoState> {
        static final AtomicInteger closed = new AtomicInteger();
        private final EchoEnvironment echo = new EchoEnvironment();
        private final AtomicInteger inside = new AtomicInteger();
        volatile boolean overlapped;

        @Override
        public StepResult<EchoObservation> reset(ResetOptions options) {
            return echo.reset(options);
        }

        @Override
        public StepResult<EchoObservation> step(EchoAction action) {
            if (inside.incrementAndGet() > 1) {
                overlapped = true;
            }
            try {
                if (action.message().equals("boom")) {
                    throw new IllegalStateException("the environment blew up");
                }
                if (action.message().equals("slow")) {
                    Thread.sleep(2_000);
                }
                return echo.step(action);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public EchoState state() {
            return new EchoState(echo.state().episodeId(), echo.state().stepCount() + (overlapped ? 1_000_000 : 0));
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void webSocketSessionsBeyondCapacityGetCapacityReachedThenClose1000() {
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new).maxSessions(2))) {
            EngineHarness.Ws first = engine.ws();
            EngineHarness.Ws second = engine.ws();
            EngineHarness.Ws third = engine.ws();
            assertThat(third.next()).startsWith("{\"type\":\"error\",\"data\":{\"message\":\"Server at capacity")
                    .contains("\"code\":\"CAPACITY_REACHED\",\"active_sessions\":2,\"max_sessions\":2}");
            assertThat(third.closeCode()).isEqualTo(1000);
            assertThat(first.exchange("{\"type\":\"reset\"}")).startsWith("{\"type\":\"observation\"");
            assertThat(second.exchange("{\"type\":\"reset\"}")).startsWith("{\"type\":\"observation\"");
        }
    }

    @Test
    void httpSessionsBeyondCapacityGet503WithRetryAfter() {
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new).maxSessions(1))) {
            assertThat(engine.http("POST", "/sessions", "").status()).isEqualTo(201);
            EngineHarness.Reply full = engine.http("POST", "/sessions", "");
            assertThat(full.status()).isEqualTo(503);
            assertThat(full.headers()).containsKey("Retry-After");
            assertThat(full.body()).contains("\"code\":\"CAPACITY_REACHED\"");
        }
    }

    @Test
    void closingASessionFreesItsSlotAndClosesItsEnvironment() {
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new).maxSessions(1))) {
            int before = Probe.closed.get();
            EngineHarness.Ws ws = engine.ws();
            ws.exchange("{\"type\":\"reset\"}");
            ws.session.onClose();
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.server.activeSessions() == 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> Probe.closed.get() == before + 1);
            assertThat(engine.ws().exchange("{\"type\":\"reset\"}")).startsWith("{\"type\":\"observation\"");
        }
    }

    @Test
    void idleSessionsAreReapedByDefaultPolicyAndTheirPeerIsClosed() {
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new)
                .sessionIdleTimeout(Duration.ofMillis(300)))) {
            EngineHarness.Ws ws = engine.ws();
            ws.exchange("{\"type\":\"reset\"}");
            String id = created(engine.http("POST", "/sessions", ""));
            assertThat(engine.server.activeSessions()).isEqualTo(2);
            assertThat(ws.closeCode()).isEqualTo(1000);
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.server.activeSessions() == 0);
            assertThat(engine.http("GET", "/state", "", EngineHarness.session(id)).status()).isEqualTo(404);
        }
    }

    @Test
    void oneSessionsStepsStayOrderedUnderConcurrentCallers() throws Exception {
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new))) {
            String id = created(engine.http("POST", "/sessions", ""));
            engine.http("POST", "/reset", "{}", EngineHarness.session(id));
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<EngineHarness.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    replies.add(callers.submit(() -> engine.http("POST", "/step",
                            "{\"action\":{\"message\":\"m\"}}", EngineHarness.session(id))));
                }
                for (Future<EngineHarness.Reply> reply : replies) {
                    assertThat(reply.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
                }
            } finally {
                callers.shutdownNow();
            }
            // 400 steps counted exactly, and the probe adds a million if two calls ever overlapped
            assertThat(engine.http("GET", "/state", "", EngineHarness.session(id)).body()).endsWith("\"step_count\":400}");
        }
    }

    @Test
    void aThrowingEnvironmentGetsExecutionErrorAndTheEngineKeepsServing() {
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new))) {
            EngineHarness.Ws broken = engine.ws();
            EngineHarness.Ws other = engine.ws();
            broken.exchange("{\"type\":\"reset\"}");
            other.exchange("{\"type\":\"reset\"}");
            assertThat(broken.exchange("{\"type\":\"step\",\"data\":{\"message\":\"boom\"}}")).isEqualTo(
                    "{\"type\":\"error\",\"data\":{\"message\":\"the environment blew up\",\"code\":\"EXECUTION_ERROR\"}}");
            assertThat(broken.exchange("{\"type\":\"step\",\"data\":{\"message\":\"ok\"}}")).startsWith("{\"type\":\"observation\"");
            assertThat(other.exchange("{\"type\":\"step\",\"data\":{\"message\":\"ok\"}}")).startsWith("{\"type\":\"observation\"");
            engine.http("POST", "/reset", "{}");
            EngineHarness.Reply http = engine.http("POST", "/step", "{\"action\":{\"message\":\"boom\"}}");
            assertThat(http.status()).isEqualTo(500);
            assertThat(http.body()).isEqualTo("{\"detail\":\"the environment blew up\",\"code\":\"EXECUTION_ERROR\"}");
            assertThat(engine.http("POST", "/step", "{\"action\":{\"message\":\"ok\"}}").status()).isEqualTo(200);
        }
    }

    @Test
    void aSlowSessionDoesNotBlockAnother() throws Exception {
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new))) {
            EngineHarness.Ws slow = engine.ws();
            EngineHarness.Ws fast = engine.ws();
            slow.exchange("{\"type\":\"reset\"}");
            fast.exchange("{\"type\":\"reset\"}");
            slow.send("{\"type\":\"step\",\"data\":{\"message\":\"slow\"}}");
            // the fast session answers while the slow one is still inside its 2 s step
            assertThat(fast.exchange("{\"type\":\"step\",\"data\":{\"message\":\"quick\"}}")).contains("quick");
            assertThat(slow.received).isEmpty();
            assertThat(slow.next()).contains("\"echoed_message\":\"slow\"");
        }
    }

    @Test
    void aStepPastTheStepTimeoutIsAnExecutionErrorAndClosesTheSession() {
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new)
                .stepTimeout(Duration.ofMillis(200)))) {
            EngineHarness.Ws ws = engine.ws();
            ws.exchange("{\"type\":\"reset\"}");
            assertThat(ws.exchange("{\"type\":\"step\",\"data\":{\"message\":\"slow\"}}"))
                    .contains("\"code\":\"EXECUTION_ERROR\"").contains("step timeout");
            assertThat(ws.closeCode()).isEqualTo(1011);
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.server.activeSessions() == 0);
        }
    }

    @Test
    void httpSessionsAreIsolatedFromEachOtherAndFromTheDefaultSession() {
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new))) {
            String a = created(engine.http("POST", "/sessions", ""));
            String b = created(engine.http("POST", "/sessions", ""));
            engine.http("POST", "/reset", "{}", EngineHarness.session(a));
            engine.http("POST", "/reset", "{}", EngineHarness.session(b));
            engine.http("POST", "/step", "{\"action\":{\"message\":\"x\"}}", EngineHarness.session(a));
            engine.http("POST", "/step", "{\"action\":{\"message\":\"x\"}}", EngineHarness.session(a));
            assertThat(engine.http("GET", "/state", "", EngineHarness.session(a)).body()).endsWith("\"step_count\":2}");
            assertThat(engine.http("GET", "/state", "", EngineHarness.session(b)).body()).endsWith("\"step_count\":0}");
            assertThat(engine.http("GET", "/state", "").body()).endsWith("\"step_count\":0}");
            assertThat(engine.http("DELETE", "/sessions/" + a, "").status()).isEqualTo(200);
            assertThat(engine.http("GET", "/state", "", EngineHarness.session(a)).status()).isEqualTo(404);
        }
    }

    @Test
    void shutdownClosesEverySessionsEnvironment() {
        int before = Probe.closed.get();
        EngineHarness engine = EngineHarness.start(b -> b.environment(Probe::new));
        engine.ws().exchange("{\"type\":\"reset\"}");
        engine.ws().exchange("{\"type\":\"reset\"}");
        engine.close();
        // two WebSocket sessions plus the default HTTP session
        await().atMost(Duration.ofSeconds(5)).until(() -> Probe.closed.get() - before == 3);
    }

    @Test
    void aFailingFactoryIsReportedAsFactoryErrorAndTheSlotIsFreed() {
        AtomicInteger made = new AtomicInteger();
        try (EngineHarness engine = EngineHarness.start(b -> b.environment(() -> {
            if (made.incrementAndGet() > 1) {
                throw new IllegalStateException("no GPU left");
            }
            return new Probe();
        }))) {
            EngineHarness.Ws ws = engine.ws();
            assertThat(ws.next()).isEqualTo("{\"type\":\"error\",\"data\":{\"message\":"
                    + "\"Environment factory failed: no GPU left\",\"code\":\"FACTORY_ERROR\"}}");
            assertThat(ws.closeCode()).isEqualTo(1011);
            EngineHarness.Reply http = engine.http("POST", "/sessions", "");
            assertThat(http.status()).isEqualTo(500);
            assertThat(http.body()).contains("\"code\":\"FACTORY_ERROR\"");
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.server.activeSessions() == 0);
            assertThat(engine.http("GET", "/health", "").status()).isEqualTo(200);
        }
    }

    private static String created(EngineHarness.Reply reply) {
        assertThat(reply.status()).isEqualTo(201);
        Matcher m = Pattern.compile("\"session_id\":\"([^\"]+)\"").matcher(reply.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
