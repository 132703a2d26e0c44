// Proves: a failing worker or caller, an interrupt, use after close or two threads at once surface as an exception within seconds and leave the last complete step's parameters bit for bit.
package io.reluquant.kernel.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into the trainer: a worker or the calling thread throwing (exceptions and Errors)
 * in the middle of a step, an interrupted caller, use after close, two threads on one trainer. Each
 * must surface as an exception on the calling thread within seconds (never a hang) and leave the
 * parameters exactly (bitwise) those of the last complete step; the trainer stays usable after a
 * failed step and continues bitwise like a run that never failed.
 */
class FaultInjectionTest {
    private static final int WIDTH = 5000; // five chunks of 1024 neurons: every thread gets tasks
    private static final int D = 3;
    private static final double LR = 0.05;

    @AfterEach
    void clearHook() {
        Team.faultHook = null;
    }

    private static Dataset data() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] x = new double[40 * D];
        double[] y = new double[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextDouble(-1, 1);
        }
        return Dataset.of(x, y, D);
    }

    private static Trainer trainer(Precision precision, int threads) {
        return Trainer.builder(data(), Initializers.he(WIDTH, D, 3)).precision(precision).threads(threads)
                .kernel(Kernel.AUTO).build();
    }

    private static long[] bits(Parameters p) {
        double[][] parts = {p.outputWeights(), p.inputWeights(), p.biases()};
        long[] out = new long[WIDTH * (D + 2)];
        int k = 0;
        for (double[] part : parts) {
            for (double v : part) {
                out[k++] = Double.doubleToRawLongBits(v);
            }
        }
        return out;
    }

    /** Parameters after {@code steps} clean steps. */
    private static long[] clean(Precision precision, int steps) {
        try (Trainer t = trainer(precision, 1)) {
            if (steps > 0) {
                t.steps(LR, steps, steps, null);
            }
            return bits(t.parameters());
        }
    }

    @Test
    void aThrowingWorkerOrCallerFailsTheStepAndKeepsTheLastCompleteStep() {
        int faults = 0;
        for (Precision precision : Precision.values()) {
            long[] after3 = clean(precision, 3);
            long[] after6 = clean(precision, 6);
            for (int threads : new int[] {2, 3, 4}) {
                for (boolean onWorker : new boolean[] {true, false}) {
                    for (boolean error : new boolean[] {false, true}) {
                        Throwable injected = error ? new StackOverflowError("injected into a sweep")
                                : new IllegalStateException("injected into a sweep");
                        try (Trainer t = trainer(precision, threads)) {
                            t.steps(LR, 3, 3, null);
                            AtomicBoolean fired = new AtomicBoolean();
                            Team.faultHook = (task, worker) -> {
                                boolean mine = onWorker ? worker != 0 : worker == 0;
                                if (mine) {
                                    if (fired.compareAndSet(false, true)) {
                                        sneakyThrow(injected);
                                    }
                                } else {
                                    // the other side holds its first task until the fault fired (at most 2 s),
                                    // so the faulting side surely gets a task whatever the scheduling
                                    for (int wait = 0; !fired.get() && wait < 2000; wait++) {
                                        sleep(1);
                                    }
                                }
                            };
                            Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(20),
                                    () -> assertThrows(Throwable.class, () -> t.step(LR)));
                            Team.faultHook = null;
                            assertTrue(fired.get(), "the fault fired");
                            assertSame(injected, thrown, "the step rethrows the injected " + injected);
                            assertEquals(3, t.stepsTaken(), "a failed step is not counted");
                            assertArrayEquals(after3, bits(t.parameters()), precision + " threads " + threads
                                    + ": parameters are those of the last complete step");
                            t.steps(LR, 3, 3, null);
                            assertArrayEquals(after6, bits(t.parameters()), "the trainer continues as if nothing failed");
                            faults++;
                        }
                    }
                }
            }
        }
        System.out.println("fault injection: " + faults + " faults (worker and caller, exception and Error) "
                + "failed their step and left the last complete step");
        assertEquals(24, faults);
    }

    @Test
    void anInterruptedCallerStopsAtAStepBoundary() {
        for (Precision precision : Precision.values()) {
            long[] expected = clean(precision, 7);
            // the whole call runs on the timeout's own thread, which is the one interrupted
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try (Trainer t = trainer(precision, 3)) {
                    t.steps(LR, 1_000_000, 1, (step, loss) -> {
                        if (step == 7) {
                            Thread.currentThread().interrupt();
                        }
                        return true;
                    });
                    assertTrue(Thread.interrupted(), "the interrupt stays set for the caller to see");
                    assertEquals(7, t.stepsTaken());
                    assertArrayEquals(expected, bits(t.parameters()));
                }
            });
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsRejected() {
        Trainer t = trainer(Precision.FLOAT32, 2);
        t.step(LR);
        t.close();
        t.close();
        double[] m = new double[WIDTH];
        double[] w = new double[WIDTH * D];
        Runnable[] uses = {t::loss, () -> t.step(LR), () -> t.steps(LR, 2, 1, null), () -> t.step(LR, new int[] {0}),
            () -> t.gradient(m, w, m), () -> t.gradient(new int[] {0}, m, w, m), t::parameters,
            () -> t.copyParameters(m, w, m), () -> t.forward(new double[D], new double[1])};
        for (Runnable use : uses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        System.out.println("use after close: " + uses.length + " calls rejected");
    }

    @Test
    void aSecondThreadIsRejectedWhileACallRunsAndChangesNothing() throws Exception {
        for (Precision precision : Precision.values()) {
            try (Trainer t = trainer(precision, 2)) {
                CountDownLatch inside = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Team.faultHook = (task, worker) -> {
                    if (task == 0) {
                        inside.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
                AtomicReference<Throwable> firstFailure = new AtomicReference<>();
                Thread first = new Thread(() -> {
                    try {
                        t.step(LR);
                    } catch (Throwable e) {
                        firstFailure.set(e);
                    }
                }, "first-caller");
                first.start();
                assertTrue(inside.await(20, java.util.concurrent.TimeUnit.SECONDS));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.step(LR));
                assertTrue(e.getMessage().contains("first-caller"), e.getMessage());
                assertThrows(IllegalStateException.class, t::close, "close while another thread steps is rejected");
                assertThrows(IllegalStateException.class, t::parameters);
                release.countDown();
                first.join(20_000);
                Team.faultHook = null;
                assertEquals(null, firstFailure.get());
                assertEquals(1, t.stepsTaken());
                assertArrayEquals(clean(precision, 1), bits(t.parameters()), "the rejected calls changed nothing");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
