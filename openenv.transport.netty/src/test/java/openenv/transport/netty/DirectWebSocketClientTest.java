package openenv.transport.netty;

import static openenv.transport.netty.NettyServerTransportTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import openenv.api.EnvClient;
import openenv.api.EnvServer;
import openenv.api.GenericEnvClient;
import openenv.api.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code ws://} client does its socket I/O on the calling thread ({@link DirectWebSocketConnection}); these
 * are the behaviours that design has to get right beyond the shared client tests in {@link NettyClientTest}:
 * staying alive while idle, being driven by different threads, and being stopped from another thread.
 */
class DirectWebSocketClientTest {

    private final EchoEnvironment.Hooks hooks = new EchoEnvironment.Hooks();
    private EnvServer server;

    @AfterEach
    void stop() {
        CallerDrivenChannel.idleReadInterval(Duration.ofSeconds(2));
        hooks.open();
        if (server != null) {
            server.close();
        }
    }

    private URI wsUrl() {
        return URI.create(server.uri().toString().replaceFirst("^http", "ws"));
    }

    private GenericEnvClient client() {
        return EnvClient.builder().url(wsUrl()).transport("netty").codec("jackson").buildGeneric();
    }

    @Test
    void anIdleClientAnswersTheServersPingsAndKeepsItsSession() throws Exception {
        // The server pings every 500 ms and drops a peer it has heard nothing from for 1 s; the keeper reads
        // idle connections every 200 ms here (2 s by default, against servers pinging every 20-30 s).
        CallerDrivenChannel.idleReadInterval(Duration.ofMillis(200));
        server = Servers.echo(hooks, b -> b.pingInterval(Duration.ofMillis(500)));
        try (GenericEnvClient env = client()) {
            env.reset();
            env.step(Map.of("message", "one"));

            Thread.sleep(2_500); // idle: nobody calls, only the keeper reads

            Map<String, Object> state = env.state();
            assertThat(state.get("step_count")).isEqualTo(1L);
            assertThat(env.step(Map.of("message", "two")).observation()).containsEntry("echoed_message", "two");
            assertThat(server.activeSessions()).isEqualTo(1);
        }
    }

    @Test
    void oneClientCanBeUsedByOneThreadAfterAnother() throws Exception {
        server = Servers.echo(hooks);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (GenericEnvClient env = client()) {
            env.reset();
            List<String> echoed = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                String message = "m" + i;
                echoed.add((String) threads.submit(() -> env.step(Map.of("message", message)).observation()
                        .get("echoed_message")).get(10, TimeUnit.SECONDS));
            }
            assertThat(echoed).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8");
            assertThat(env.state().get("step_count")).isEqualTo(9L);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void closingTheClientFromAnotherThreadEndsAStepThatIsWaiting() throws Exception {
        server = Servers.echo(hooks);
        GenericEnvClient env = client();
        env.reset();
        CompletableFuture<Object> step = new CompletableFuture<>();
        new Thread(() -> {
            try {
                step.complete(env.step(Map.of("message", "block")));
            } catch (RuntimeException e) {
                step.completeExceptionally(e);
            }
        }, "test-step").start();
        await(() -> hooks.blocked.get() == 1, "step running on the server");

        env.close();

        assertThatThrownBy(() -> step.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TransportException.class);
        assertThatThrownBy(() -> env.step(Map.of("message", "after close")))
                .isInstanceOf(TransportException.class).hasMessageContaining("closed");
    }

    @Test
    void interruptingAWaitingStepThrowsAndKeepsTheInterruptFlag() throws Exception {
        server = Servers.echo(hooks);
        try (GenericEnvClient env = client()) {
            env.reset();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagKept = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    env.step(Map.of("message", "block"));
                } catch (RuntimeException e) {
                    thrown.set(e);
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            await(() -> hooks.blocked.get() == 1, "step running on the server");

            caller.interrupt();
            caller.join(10_000);

            assertThat(caller.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(TransportException.class).hasMessageContaining("Interrupted");
            assertThat(flagKept).isTrue();
        }
    }

    @Test
    void virtualThreadsEachDriveTheirOwnSessionOverWebSocketAndHttp() throws Exception {
        ExecutorService virtualThreads;
        try {
            virtualThreads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                    .invoke(null);
        } catch (NoSuchMethodException e) {
            org.junit.jupiter.api.Assumptions.abort("virtual threads need JDK 21+; running on "
                    + Runtime.version());
            return;
        }
        server = Servers.echo(hooks, b -> b.maxSessions(400));
        try {
            List<java.util.concurrent.Future<Long>> sessions = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String scheme = i % 2 == 0 ? "ws" : "http";
                int n = i;
                sessions.add(virtualThreads.submit(() -> {
                    URI url = URI.create(server.uri().toString().replaceFirst("^http", scheme));
                    try (GenericEnvClient env = EnvClient.builder().url(url).transport("netty").codec("jackson")
                            .buildGeneric()) {
                        env.reset();
                        for (int step = 0; step < 20; step++) {
                            assertThat(env.step(Map.of("message", "v" + n)).observation())
                                    .containsEntry("echoed_message", "v" + n);
                        }
                        return (Long) env.state().get("step_count");
                    }
                }));
            }
            for (java.util.concurrent.Future<Long> session : sessions) {
                assertThat(session.get(60, TimeUnit.SECONDS)).isEqualTo(20L);
            }
        } finally {
            virtualThreads.shutdownNow();
        }
        await(() -> server.activeSessions() == 0, "every session closed");
    }

    @Test
    void aServerThatGoesAwayWhileTheClientIsIdleIsReportedWithItsCloseCode() throws Exception {
        server = Servers.echo(hooks);
        CallerDrivenChannel.idleReadInterval(Duration.ofMillis(200));
        try (GenericEnvClient env = client()) {
            env.reset();

            server.close();
            Thread.sleep(1_000); // the keeper reads the server's close while the client is idle

            assertThatThrownBy(() -> env.step(Map.of("message", "anyone?")))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("1001");
        }
    }
}
