package openenv.api.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: one session's calls stay ordered while
 * different sessions run in parallel. A task that throws does not stop the ones after it.
 */
final class SerialExecutor implements Executor {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor pool;
    /** Small: most sessions never have more than one call queued. */
    private final Queue<Runnable> tasks = new ArrayDeque<>(2);
    /** Made once; a method reference per call was garbage on every step. */
    private final Runnable drainer = this::drain;
    private boolean running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            pool.execute(drainer);
        } catch (RejectedExecutionException e) {
            // The engine's pool is shut down: the server is gone. What still arrives is a client closing its
            // session late (the engine already closed every environment it knew of), so it runs here instead.
            drain();
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "Session task failed", e);
            }
        }
    }
}
