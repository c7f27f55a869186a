package openenv.transport.netty;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import openenv.api.Environment;
import openenv.api.ResetOptions;
import openenv.api.StepResult;

/**
 * The reference echo environment (PROTOCOL.md §3) plus test hooks: the message {@code "block"} waits until
 * {@link Hooks#gate} opens (at most 30 s), and every instance counts its creation and close.
 */
public final class EchoEnvironment implements Environment<EchoAction, EchoObservation, EchoState> {

    /** Shared by the environments of one server in a test. */
    static final class Hooks {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger blocked = new AtomicInteger();
        final CountDownLatch gate = new CountDownLatch(1);

        EchoEnvironment create() {
            created.incrementAndGet();
            return new EchoEnvironment(this);
        }

        void open() {
            gate.countDown();
        }
    }

    private final Hooks hooks;
    private String episodeId = UUID.randomUUID().toString();
    private int stepCount;

    EchoEnvironment(Hooks hooks) {
        this.hooks = hooks;
    }

    @Override
    public StepResult<EchoObservation> reset(ResetOptions options) {
        episodeId = options.episodeId().orElseGet(() -> UUID.randomUUID().toString());
        stepCount = 0;
        return StepResult.of(new EchoObservation("Echo environment ready!", 0), 0.0);
    }

    @Override
    public StepResult<EchoObservation> step(EchoAction action) {
        String message = action.message();
        if (message.equals("block")) {
            hooks.blocked.incrementAndGet();
            try {
                hooks.gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stepCount++;
        int length = message.codePointCount(0, message.length());
        return StepResult.of(new EchoObservation(message, length), length * 0.1);
    }

    @Override
    public EchoState state() {
        return new EchoState(episodeId, stepCount);
    }

    @Override
    public void close() {
        hooks.closed.incrementAndGet();
    }
}
