package openenv.provider.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import openenv.api.ConfigurationException;
import openenv.api.ContainerException;
import openenv.api.spi.ContainerProvider;
import openenv.api.spi.ContainerSpec;
import openenv.api.spi.RunningContainer;

/**
 * A warm pool: {@code size} containers of one image, started ahead and healthy, handed out by {@link #take()}.
 * A container is never reused: taking one starts its replacement at once, and closing it removes it. At most
 * {@code maxParallelStarts} containers start at the same time, so filling a large pool does not flood the
 * engine.
 *
 * <pre>{@code
 * try (DockerPool pool = DockerPool.builder(ContainerSpec.of("openenv/echo:latest")).size(4).build()) {
 *     for (int episode = 0; episode < 100; episode++) {
 *         try (RunningContainer echo = pool.take();
 *              GenericEnvClient env = EnvClient.builder().url(echo.baseUri()).buildGeneric()) {
 *             env.reset();
 *         }
 *     }
 * }
 * }</pre>
 *
 * Thread-safe. Closing the pool removes the idle containers and stops starting new ones; containers already
 * taken stay with their holders (and are still removed at JVM shutdown or by the reaper).
 */
public final class DockerPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DockerPool.class.getName());

    private final ContainerSpec spec;
    private final int size;
    private final ContainerProvider provider;
    private final ExecutorService starter;
    private final LinkedBlockingDeque<RunningContainer> idle = new LinkedBlockingDeque<>();
    private final AtomicInteger starting = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile RuntimeException lastFailure;

    private DockerPool(Builder b) {
        this.spec = b.spec;
        this.size = b.size;
        this.provider = b.provider == null ? new DockerContainerProvider() : b.provider;
        int threads = b.maxParallelStarts;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "openenv-docker-pool-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.starter = Executors.newFixedThreadPool(threads, factory);
        for (int i = 0; i < size; i++) {
            startOne();
        }
    }

    /** A pool of {@code size} containers of {@code spec} with default settings; starts filling at once. */
    public static DockerPool create(ContainerSpec spec, int size) {
        return builder(spec).size(size).build();
    }

    /** A builder for a pool of {@code spec}. */
    public static Builder builder(ContainerSpec spec) {
        return new Builder(spec);
    }

    /**
     * Takes a ready container, waiting up to the spec's startup timeout for one; the caller must close it.
     *
     * @throws ContainerException when none became ready in time, or starting keeps failing (with the cause)
     */
    public RunningContainer take() {
        return take(spec.startupTimeout());
    }

    /** Like {@link #take()}, waiting at most {@code timeout}. */
    public RunningContainer take(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (closed.get()) {
                throw new ContainerException("This DockerPool of " + spec.image() + " is closed");
            }
            RunningContainer c;
            try {
                // Wake up now and then to notice that starting has given up.
                c = idle.poll(Math.min(200, Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))),
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException("Interrupted while waiting for a container of " + spec.image(), e);
            }
            if (c != null) {
                startOne(); // the replacement, while the caller uses this one
                if (c instanceof DockerRunningContainer && !((DockerRunningContainer) c).seemsRunning()) {
                    LOG.log(System.Logger.Level.WARNING, "Idle pooled container {0} stopped on its own; discarding it",
                            c.id());
                    closeQuietly(c);
                    continue;
                }
                return c;
            }
            RuntimeException failure = lastFailure;
            // Give up when starting has stopped, or every slot's last start failed; the pool keeps retrying.
            if (failure != null && idle.isEmpty() && (starting.get() == 0 || consecutiveFailures.get() >= size)) {
                throw new ContainerException("DockerPool could not start containers of " + spec.image() + ": "
                        + failure.getMessage(), failure);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new ContainerException("No container of " + spec.image() + " became ready within " + timeout
                        + " (pool size " + size + ", " + starting.get() + " starting)");
            }
        }
    }

    /** The number of containers that are ready now. */
    public int idle() {
        return idle.size();
    }

    /** The number of containers being started now. */
    public int starting() {
        return starting.get();
    }

    /** The target number of ready containers. */
    public int size() {
        return size;
    }

    /** Waits until the pool holds {@code size} ready containers, or {@code timeout} passes; returns whether it does. */
    public boolean awaitFull(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (idle.size() < size) {
            if (System.nanoTime() - deadline >= 0 || closed.get()
                    || (lastFailure != null && starting.get() == 0)) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Removes the idle containers, waits for starts in flight and removes what they start; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        starter.shutdown();
        List<RuntimeException> failures = new ArrayList<>();
        drainAndClose(failures);
        try {
            if (!starter.awaitTermination(spec.startupTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS)) {
                starter.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            starter.shutdownNow();
        }
        drainAndClose(failures);
        if (!failures.isEmpty()) {
            ContainerException e = new ContainerException("Closing the DockerPool of " + spec.image()
                    + " could not remove every container", failures.get(0));
            failures.subList(1, failures.size()).forEach(e::addSuppressed);
            throw e;
        }
    }

    private void drainAndClose(List<RuntimeException> failures) {
        for (RunningContainer c; (c = idle.poll()) != null; ) {
            try {
                c.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
    }

    private void startOne() {
        if (closed.get()) {
            return;
        }
        starting.incrementAndGet();
        try {
            starter.execute(this::startNow);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            starting.decrementAndGet(); // closing
        }
    }

    private void startNow() {
        try {
            int failures = consecutiveFailures.get();
            if (failures > 0) {
                Thread.sleep(Math.min(10_000, 250L << Math.min(failures, 6))); // back off after failures
            }
            if (closed.get()) {
                return;
            }
            RunningContainer c = provider.start(spec);
            consecutiveFailures.set(0);
            lastFailure = null;
            idle.addLast(c);
            if (closed.get()) {
                drainAndClose(new ArrayList<>());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            lastFailure = e;
            int failures = consecutiveFailures.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "DockerPool: starting " + spec.image() + " failed (" + failures
                    + " in a row): " + e.getMessage());
            if (failures < 3 * size + 3) {
                startOne(); // retry, after a back-off, until failures pile up; take() then reports lastFailure
            }
        } finally {
            starting.decrementAndGet();
        }
    }

    private static void closeQuietly(RunningContainer c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not remove " + c.id() + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "DockerPool[" + spec.image() + ", size " + size + ", idle " + idle.size() + ", starting "
                + starting.get() + "]";
    }

    /** Builds a {@link DockerPool}. Not thread-safe; the built pool starts filling at once. */
    public static final class Builder {
        private final ContainerSpec spec;
        private int size = 2;
        private int maxParallelStarts = 2;
        private ContainerProvider provider;

        private Builder(ContainerSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
        }

        /** Ready containers to keep; default 2. */
        public Builder size(int size) {
            if (size < 1) {
                throw new ConfigurationException("DockerPool size must be at least 1, was " + size);
            }
            this.size = size;
            return this;
        }

        /** Containers starting at the same time, at most; default 2 (the engine serialises much of it anyway). */
        public Builder maxParallelStarts(int max) {
            if (max < 1) {
                throw new ConfigurationException("maxParallelStarts must be at least 1, was " + max);
            }
            this.maxParallelStarts = max;
            return this;
        }

        /** Another container provider to pool (e.g. one from {@code Containers.provider}); default "docker". */
        public Builder provider(ContainerProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        public DockerPool build() {
            return new DockerPool(this);
        }
    }
}
