// Proves: the worker team alone: failures reach the caller, close ends the threads, reuse is sound.
package io.reluquant.kernel.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker team on its own: failures reach the caller, close ends the threads, reuse is sound. */
@Timeout(60)
class TeamTest {
    /** Records the threads it makes, so the test can see them end. */
    private static final class Recording implements ThreadFactory {
        final List<Thread> made = new ArrayList<>();

        @Override
        public synchronized Thread newThread(Runnable r) {
            Thread t = new Thread(r, "team-test-" + made.size());
            t.setDaemon(true);
            made.add(t);
            return t;
        }
    }

    @Test
    void aTaskThrowingOnAWorkerSurfacesInTheCallerWithItsCause() {
        try (Team team = new Team(3, null)) {
            IllegalStateException cause = new IllegalStateException("root cause");
            IllegalArgumentException thrown = new IllegalArgumentException("task failed", cause);
            Thread caller = Thread.currentThread();
            // the caller's own tasks are slow, so the workers take tasks; every task a worker takes throws
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> team.run(200, (task, worker) -> {
                if (Thread.currentThread() != caller) {
                    throw thrown;
                }
                sleep(1);
            }));
            assertSame(thrown, e, "the worker's exception itself reaches the caller");
            assertSame(cause, e.getCause());
            // an Error on a worker too
            AssertionError error = new AssertionError("worker error");
            assertSame(error, assertThrows(AssertionError.class, () -> team.run(200, (task, worker) -> {
                if (Thread.currentThread() != caller) {
                    throw error;
                }
                sleep(1);
            })));
            // the team still works after failures: every task once
            assertEveryTaskOnce(team, 1000);
        }
    }

    @Test
    void aTaskThrowingOnTheCallerSurfacesAfterTheWorkersStop() {
        try (Team team = new Team(2, null)) {
            RuntimeException thrown = new RuntimeException("caller task failed", new ArithmeticException("cause"));
            Thread caller = Thread.currentThread();
            // the worker's tasks are slow, so it cannot run its own range and steal all of the caller's
            // before the caller takes its first task
            RuntimeException e = assertThrows(RuntimeException.class, () -> team.run(50, (task, worker) -> {
                if (Thread.currentThread() == caller) {
                    throw thrown;
                }
                sleep(1);
            }));
            assertSame(thrown, e);
            assertTrue(e.getCause() instanceof ArithmeticException);
            assertEveryTaskOnce(team, 100);
        }
    }

    /**
     * Each member runs its own contiguous range first (the sticky schedule); a member that is done
     * takes what is left of a slow member's range, so one slow core does not hold the call.
     */
    @Test
    void aSlowMembersTasksAreTakenByTheOthers() {
        try (Team team = new Team(2, null)) {
            Thread caller = Thread.currentThread();
            AtomicIntegerArray ranOnWorker = new AtomicIntegerArray(40);
            team.run(40, (task, worker) -> {
                if (Thread.currentThread() == caller) {
                    sleep(5); // the caller owns tasks 0..19 and is slow
                } else {
                    ranOnWorker.set(task, 1);
                }
            });
            int stolen = 0;
            for (int t = 0; t < 20; t++) {
                stolen += ranOnWorker.get(t);
            }
            assertTrue(stolen > 0, "the worker took none of the slow caller's tasks");
        }
    }

    @Test
    void closeEndsTheWorkersAndLaterUseThrowsAClearException() throws InterruptedException {
        Recording factory = new Recording();
        Team team = new Team(4, factory);
        assertEveryTaskOnce(team, 64);
        assertEquals(3, factory.made.size(), "threads - 1 workers");
        team.close();
        for (Thread t : factory.made) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " still alive after close");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(8, (task, worker) -> { }));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        team.close(); // idempotent
    }

    @Test
    void reuseAcrossManyCallsRunsEveryTaskExactlyOnce() {
        for (int threads : new int[] {1, 2, 3}) {
            try (Team team = new Team(threads, null)) {
                for (int call = 0; call < 2000; call++) {
                    assertEveryTaskOnce(team, 1 + call % 37);
                }
            }
        }
    }

    private static void assertEveryTaskOnce(Team team, int count) {
        AtomicIntegerArray ran = new AtomicIntegerArray(count);
        team.run(count, (task, worker) -> ran.incrementAndGet(task));
        for (int t = 0; t < count; t++) {
            assertEquals(1, ran.get(t), "task " + t + " of " + count);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
