package openenv.api.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import openenv.api.Action;
import openenv.api.Environment;
import openenv.api.Observation;
import openenv.api.State;

/**
 * One session: one environment instance, its serial executor, and idle bookkeeping. The environment is only
 * touched by tasks on {@link #executor}, so it is never called from two threads at once.
 */
final class Session {

    enum Kind { DEFAULT, HTTP, WEBSOCKET }

    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    final String id;
    final Kind kind;
    final SerialExecutor executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastActiveNanos = System.nanoTime();
    /** Set by the creation task; read only by later tasks on the same serial executor. */
    Environment<Action, Observation, State> environment;
    /** How the server side tells the peer it is gone (WebSocket close); may be null. */
    volatile Runnable onReaped;

    Session(String id, Kind kind, Executor pool) {
        this.id = id;
        this.kind = kind;
        this.executor = new SerialExecutor(pool);
    }

    /** Runs {@code work} on this session's executor, tracking activity so busy sessions are never reaped. */
    void submit(Runnable work) {
        inFlight.incrementAndGet();
        touch();
        executor.execute(() -> {
            try {
                work.run();
            } finally {
                touch();
                inFlight.decrementAndGet();
            }
        });
    }

    void touch() {
        lastActiveNanos = System.nanoTime();
    }

    boolean idleLongerThan(long nanos, long now) {
        return inFlight.get() == 0 && now - lastActiveNanos > nanos;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Marks the session closed and closes its environment after the calls already queued. Idempotent. */
    boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        executor.execute(() -> {
            Environment<?, ?, ?> env = environment;
            environment = null;
            if (env != null) {
                try {
                    env.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "Environment of session " + id + " failed to close", e);
                }
            }
        });
        return true;
    }
}
