package io.reluquant.kernel;

// Proves: a trainer's one-thread guard covers whole calls, a failing thread factory leaves no worker behind and throws IllegalStateException, and an init scale that overflows is refused.

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallGuardTest {
    private static Dataset data() {
        return Dataset.of(new double[] {0.1, -0.4, 0.7, 0.2, -0.9, 0.5}, new double[] {0.3, -0.1, 0.2}, 2);
    }

    /**
     * Thread B calls while thread A is between two steps of one steps(...) call (A waits inside its
     * listener, so the overlap is certain, not a matter of timing): every call of B is rejected, A's call
     * runs to its end, and A's result is bitwise that of a trainer nobody disturbed.
     */
    @Test
    void anOverlappingCallIsRejectedForTheWholeOfStepsAndChangesNothing() throws Exception {
        Parameters init = Initializers.balanced(100, 2, 0.1, 3, true);
        double[] alone;
        try (Trainer t = Trainer.builder(data(), init).threads(2).build()) {
            t.steps(0.05, 40, 1, null);
            alone = t.parameters().outputWeights();
        }
        try (Trainer t = Trainer.builder(data(), init).threads(2).build()) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch tried = new CountDownLatch(1);
            List<Throwable> rejected = new ArrayList<>();
            Thread b = new Thread(() -> {
                try {
                    inside.await();
                    double[] ga = new double[100];
                    double[] gw = new double[200];
                    double[] gb = new double[100];
                    List<Runnable> calls = List.of(() -> t.step(0.05), () -> t.step(0.05, new int[] {0, 1}),
                            () -> t.steps(0.05, 3, 1, null), () -> t.gradient(ga, gw, gb),
                            () -> t.gradient(new int[] {2}, ga, gw, gb), t::loss, t::parameters,
                            () -> t.forward(new double[] {0, 0}, new double[1]), t::close);
                    for (Runnable call : calls) {
                        try {
                            call.run();
                            rejected.add(null);
                        } catch (Throwable e) {
                            rejected.add(e);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    tried.countDown();
                }
            });
            b.start();
            t.steps(0.05, 40, 1, (step, loss) -> {
                if (step == 20) {
                    inside.countDown();
                    try {
                        assertTrue(tried.await(30, TimeUnit.SECONDS), "thread B finished its calls");
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                return true;
            });
            b.join();
            assertEquals(9, rejected.size());
            for (Throwable e : rejected) {
                assertInstanceOf(IllegalStateException.class, e, "every overlapping call is rejected");
                assertTrue(e.getMessage().contains("one thread at a time"), e.getMessage());
            }
            assertEquals(40, t.stepsTaken());
            assertArrayEquals(alone, t.parameters().outputWeights(), 0, "A's run is bitwise that of an undisturbed one");
        }
    }

    /** The same thread may nest calls (a listener reading the loss), and the guard is free again after a call. */
    @Test
    void theCallingThreadMayNestCallsAndTheGuardIsReleasedAfterwards() throws Exception {
        try (Trainer t = Trainer.builder(data(), Initializers.balanced(64, 2, 0.1, 1, true)).threads(1).build()) {
            double[] seen = new double[1];
            t.steps(0.05, 5, 5, (step, loss) -> {
                seen[0] = t.loss();
                return true;
            });
            assertEquals(t.loss(), seen[0]);
            Thread other = new Thread(() -> t.step(0.05));
            other.start();
            other.join();
            assertEquals(6, t.stepsTaken(), "another thread's call after the first one ended is accepted");
        }
    }

    /** A factory that refuses its third worker: the build throws IllegalStateException and the two started workers end. */
    @Test
    void aFailingThreadFactoryStopsTheWorkersItStartedAndThrowsIllegalState() throws Exception {
        List<Thread> made = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.builder(data(), Initializers.balanced(64, 2, 0.1, 1, true)).threads(5).threadFactory(r -> {
                    if (made.size() == 2) {
                        throw new RejectedExecutionException("pool full");
                    }
                    Thread t = new Thread(r, "host-worker-" + made.size());
                    t.setDaemon(false); // a leaked one would keep the JVM alive
                    made.add(t);
                    return t;
                }).build());
        assertTrue(e.getMessage().contains("worker 3 of 4") && e.getMessage().contains("pool full"), e.getMessage());
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertEquals(2, made.size());
        for (Thread t : made) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " ended");
        }
    }

    /** lambda = 1e200: |v_j|^2 overflows float64, so a_j would be infinite; refused, naming the scale. */
    @Test
    void aBalancedScaleThatOverflowsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Initializers.balanced(16, 1, 1e200, 1, true));
        assertTrue(e.getMessage().contains("scale 1.0E200") && e.getMessage().contains("overflows"), e.getMessage());
        Parameters big = Initializers.balanced(16, 1, 1e150, 1, true); // large but representable: accepted, all finite
        for (int j = 0; j < 16; j++) {
            assertTrue(Double.isFinite(big.a(j)), "a_" + j);
        }
    }
}
