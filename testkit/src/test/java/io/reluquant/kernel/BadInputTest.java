// Proves: every bad input gets an exception naming the argument and its value, and nothing is mutated.
package io.reluquant.kernel;

import io.reluquant.testkit.Fixtures;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad input gets an exception naming the argument and the value, and nothing is mutated. */
class BadInputTest {
    private static void rejects(Class<? extends Throwable> type, String mustMention, Executable call) {
        Throwable e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(mustMention),
                () -> "message '" + e.getMessage() + "' should mention '" + mustMention + "'");
    }

    @Test
    void datasetShapesAndValues() {
        rejects(IllegalArgumentException.class, "inputDim", () -> Dataset.of(new double[2], new double[2], 0));
        rejects(IllegalArgumentException.class, "n (y.length)", () -> Dataset.of(new double[0], new double[0], 1));
        rejects(IllegalArgumentException.class, "x has length 3", () -> Dataset.of(new double[3], new double[2], 1));
        rejects(IllegalArgumentException.class, "x[1] is not finite: NaN",
                () -> Dataset.of(new double[] {0, Double.NaN}, new double[2], 1));
        rejects(IllegalArgumentException.class, "y[0] is not finite: Infinity",
                () -> Dataset.of(new double[2], new double[] {Double.POSITIVE_INFINITY, 0}, 1));
        rejects(IllegalArgumentException.class, "rows[1] has length 1",
                () -> Dataset.of(new double[][] {{1, 2}, {3}}, new double[2]));
        rejects(IllegalArgumentException.class, "overflows int",
                () -> Dataset.of(new double[1], new double[1 << 20], 1 << 12));
    }

    @Test
    void parameterShapesAndValues() {
        rejects(IllegalArgumentException.class, "width (a.length)", () -> Parameters.of(new double[0], new double[0], new double[0], 1));
        rejects(IllegalArgumentException.class, "w has length 3", () -> Parameters.of(new double[2], new double[3], new double[2], 2));
        rejects(IllegalArgumentException.class, "b has length 1", () -> Parameters.of(new double[2], new double[2], new double[1], 1));
        rejects(IllegalArgumentException.class, "a[1] is not finite: -Infinity",
                () -> Parameters.of(new double[] {0, Double.NEGATIVE_INFINITY}, new double[2], new double[2], 1));
        rejects(IllegalArgumentException.class, "w[0] is not finite: NaN",
                () -> Parameters.of(new double[1], new double[] {Double.NaN}, new double[1], 1));
        rejects(IllegalArgumentException.class, "width must be positive, got -3", () -> Initializers.he(-3, 1, 0));
        rejects(IllegalArgumentException.class, "scale must be finite and positive, got 0.0",
                () -> Initializers.balanced(10, 1, 0, 0, true));
        rejects(IllegalArgumentException.class, "overflows int", () -> Initializers.he(1 << 30, 8, 0));
    }

    @Test
    void builderOptions() {
        Dataset data = Fixtures.data(4, 2, 1);
        rejects(IllegalArgumentException.class, "init has inputDim 3 but data has inputDim 2",
                () -> Trainer.builder(data, Fixtures.params(5, 3, 1)));
        rejects(IllegalArgumentException.class, "threads must be positive, got 0",
                () -> Trainer.builder(data, Fixtures.params(5, 2, 1)).threads(0));
        rejects(NullPointerException.class, "data must not be null", () -> Trainer.builder(null, Fixtures.params(5, 2, 1)));
        rejects(IllegalArgumentException.class, "b[0] = ", // fixtures have nonzero biases
                () -> Trainer.builder(data, Fixtures.params(5, 2, 1)).bias(false).build());
        rejects(IllegalArgumentException.class, "REFERENCE computes in FLOAT64",
                () -> Trainer.builder(data, Fixtures.params(5, 2, 1)).kernel(Kernel.REFERENCE).precision(Precision.FLOAT32).build());
    }

    @Test
    void trainerCallsRejectBadArgumentsWithoutChangingAnything() {
        Dataset data = Fixtures.data(6, 2, 1);
        int m = 70;
        try (Trainer t = Trainer.builder(data, Fixtures.params(m, 2, 2)).threads(2).build()) {
            Parameters before = t.parameters();
            double loss = t.loss();
            rejects(IllegalArgumentException.class, "lr must be finite and positive, got NaN", () -> t.step(Double.NaN));
            rejects(IllegalArgumentException.class, "lr must be finite and positive, got -0.1", () -> t.step(-0.1));
            rejects(IllegalArgumentException.class, "lr must be finite and positive, got Infinity",
                    () -> t.steps(Double.POSITIVE_INFINITY, 3, 1, null));
            rejects(IllegalArgumentException.class, "count must be positive, got 0", () -> t.steps(0.1, 0, 1, null));
            rejects(IllegalArgumentException.class, "every must be positive, got -1", () -> t.steps(0.1, 2, -1, null));
            rejects(IllegalArgumentException.class, "indices[1] = 6 is outside [0, 6)", () -> t.step(0.1, new int[] {0, 6}));
            rejects(IllegalArgumentException.class, "indices[0] = -1", () -> t.step(0.1, new int[] {-1}));
            rejects(IllegalArgumentException.class, "indices.length must be positive", () -> t.step(0.1, new int[0]));
            rejects(IllegalArgumentException.class, "ga has length 69", () -> t.gradient(new double[m - 1], new double[2 * m], new double[m]));
            rejects(IllegalArgumentException.class, "gw has length 70", () -> t.gradient(new double[m], new double[m], new double[m]));
            rejects(IllegalArgumentException.class, "x has length 5",
                    () -> t.forward(new double[5], new double[3]));
            rejects(IllegalArgumentException.class, "x[2] is not finite: NaN",
                    () -> t.forward(new double[] {0, 0, Double.NaN, 0}, new double[2]));
            rejects(IllegalArgumentException.class, "a has length 3", () -> t.copyParameters(new double[3], new double[2 * m], new double[m]));
            assertEquals(0, t.stepsTaken());
            assertEquals(loss, t.loss());
            assertSame(before, t.parameters());
        }
    }

    @Test
    void useAfterClose() {
        Trainer t = Trainer.builder(Fixtures.data(3, 1, 1), Fixtures.params(4, 1, 1)).threads(2).build();
        t.close();
        t.close(); // idempotent
        rejects(IllegalStateException.class, "trainer is closed", () -> t.step(0.1));
        rejects(IllegalStateException.class, "trainer is closed", t::loss);
        rejects(IllegalStateException.class, "trainer is closed", t::parameters);
    }

    /** A step that would overflow is rejected and the last finite state is kept, on every kernel. */
    @Test
    void nonFiniteStepKeepsTheLastFiniteState() {
        Dataset data = Dataset.of(new double[] {1e30, -3e30, 2e30}, new double[] {1, -1, 1}, 1);
        Parameters init = Parameters.of(new double[] {0.5, -0.25, 1e-3}, new double[] {1, -1, 0.5}, new double[3], 1);
        for (Kernel kernel : Kernel.values()) {
            for (Precision precision : Precision.values()) {
                if (kernel == Kernel.REFERENCE && precision == Precision.FLOAT32) {
                    continue;
                }
                try (Trainer t = Trainer.builder(data, init).kernel(kernel).precision(precision).threads(2).build()) {
                    Parameters before = t.parameters();
                    double loss = t.loss();
                    rejects(NonFiniteStepException.class, "non-finite", () -> {
                        for (int s = 0; s < 10; s++) {
                            t.step(1.0);
                        }
                    });
                    long taken = t.stepsTaken();
                    Parameters kept = t.parameters();
                    assertTrue(Double.isFinite(t.loss()), kernel + "/" + precision + ": loss of the kept state");
                    for (int j = 0; j < 3; j++) {
                        assertTrue(Double.isFinite(kept.a(j)) && Double.isFinite(kept.w(j, 0)) && Double.isFinite(kept.b(j)));
                    }
                    // the failed step changed nothing: trying again fails the same way and keeps the same state
                    rejects(NonFiniteStepException.class, "non-finite", () -> t.step(1.0));
                    assertEquals(taken, t.stepsTaken());
                    assertSame(kept, t.parameters());
                    if (taken == 0) {
                        assertSame(before, kept);
                        assertEquals(loss, t.loss());
                    }
                }
            }
        }
    }

    static void assertSame(Parameters want, Parameters got) {
        assertArrayEquals(want.outputWeights(), got.outputWeights());
        assertArrayEquals(want.inputWeights(), got.inputWeights());
        assertArrayEquals(want.biases(), got.biases());
    }
}
