package openenv.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void tasksSubmittedFromManyThreadsRunOneAtATimeInSubmissionOrderPerSubmitter() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            int tasks = 2000;
            CountDownLatch finished = new CountDownLatch(tasks);
            for (int i = 0; i < tasks; i++) {
                int n = i;
                serial.execute(() -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    order.add(n);
                    running.decrementAndGet();
                    finished.countDown();
                });
            }
            assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(maxRunning.get()).isEqualTo(1);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                expected.add(i);
            }
            assertThat(order).containsExactlyElementsOf(expected);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void afterThePoolIsShutDownTasksRunOnTheCallerInsteadOfThrowing() {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.shutdown();
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new ArrayList<>();

        serial.execute(() -> ran.add(Thread.currentThread().getName()));
        serial.execute(() -> ran.add("second"));

        assertThat(ran).containsExactly(Thread.currentThread().getName(), "second");
    }

    @Test
    void aThrowingTaskDoesNotStopTheOnesAfterIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            CountDownLatch after = new CountDownLatch(1);
            serial.execute(() -> {
                throw new IllegalStateException("boom (expected by the test)");
            });
            serial.execute(after::countDown);
            assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
