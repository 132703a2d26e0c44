// Proves: float32 storage stays float32, trains to the same bits as the same values in float64, and a host thread factory makes the workers.
package io.reluquant.kernel;

import io.reluquant.testkit.Fixtures;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/**
 * The float32 factories keep float32 storage (no float64 copy is made at construction), a float32
 * dataset trains to the same bits as the same values handed in as float64, null arguments throw
 * NullPointerException naming the argument, and a host thread factory makes the team's workers.
 */
class FloatStorageTest {
    private static float[] floats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    @Test
    void floatDatasetKeepsFloatStorage() {
        float[] x = {1.5f, -2f, 0.25f, 3f, 0.1f, -0.7f};
        float[] y = {0.5f, -1f, 0.3f};
        Dataset data = Dataset.of(x, y, 2);
        assertEquals(Precision.FLOAT32, data.storage());
        assertEquals(3, data.samples());
        assertEquals(2, data.inputDim());
        // stored as handed in (a defensive float32 copy), no float64 array behind it
        assertArrayEquals(x, data.rawInputsFloat());
        assertArrayEquals(y, data.rawTargetsFloat());
        assertNotSame(x, data.rawInputsFloat());
        x[0] = 99f; // the caller's later writes do not reach the dataset
        assertEquals(1.5, data.x(0, 0));
        assertEquals(0.1f, data.x(2, 0)); // float32 value, widened exactly
        assertEquals(-1.0, data.y(1));
        assertArrayEquals(new double[] {1.5, -2, 0.25, 3, 0.1f, -0.7f}, data.inputs());
        Dataset sub = data.subset(new int[] {2, 0});
        assertEquals(Precision.FLOAT32, sub.storage());
        assertArrayEquals(new float[] {0.1f, -0.7f, 1.5f, -2f}, sub.rawInputsFloat());
        assertArrayEquals(new float[] {0.3f, 0.5f}, sub.rawTargetsFloat());

        Dataset d64 = Dataset.of(new double[] {1, 2}, new double[] {3}, 2);
        assertEquals(Precision.FLOAT64, d64.storage());
        assertNull(d64.rawInputsFloat());
        assertSame(d64.rawInputs(), d64.rawInputs()); // float64 storage is shared with the engines, not copied
    }

    @Test
    void floatParametersKeepFloatStorage() {
        float[] a = {0.5f, -0.25f};
        float[] w = {1f, 2f, 3f, 4f};
        float[] b = {0.1f, 0f};
        Parameters p = Parameters.of(a, w, b, 2);
        assertEquals(Precision.FLOAT32, p.storage());
        assertArrayEquals(a, p.rawAFloat());
        assertArrayEquals(w, p.rawWFloat());
        assertArrayEquals(b, p.rawBFloat());
        assertEquals(3.0, p.w(1, 0));
        assertEquals(0.1f, p.b(0));
        assertArrayEquals(new double[] {0.5, -0.25}, p.outputWeights());
        assertNull(Parameters.of(new double[] {1}, new double[] {1}, new double[] {0}, 1).rawAFloat());
    }

    @Test
    void floatInputIsCheckedLikeDoubleInput() {
        Throwable e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[] {1f, Float.NaN}, new float[] {0f, 1f}, 1));
        assertTrue(e.getMessage().contains("x[1] is not finite: NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[3], new float[2], 1));
        assertTrue(e.getMessage().contains("x has length 3, expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Parameters.of(new float[2], new float[2], new float[1], 1));
        assertTrue(e.getMessage().contains("b has length 1, expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Parameters.of(new float[] {Float.POSITIVE_INFINITY}, new float[1], new float[1], 1));
        assertTrue(e.getMessage().contains("a[0] is not finite: Infinity"), e.getMessage());
    }

    @Test
    void nullArgumentsThrowNullPointerExceptionNamingThem() {
        assertNpe("x must not be null", () -> Dataset.of((float[]) null, new float[1], 1));
        assertNpe("y must not be null", () -> Dataset.of(new double[1], null, 1));
        assertNpe("w must not be null", () -> Parameters.of(new float[1], null, new float[1], 1));
        assertNpe("indices must not be null", () -> Fixtures.data(3, 1, 1).subset(null));
        assertNpe("init must not be null", () -> Trainer.builder(Fixtures.data(3, 1, 1), null));
        assertNpe("precision must not be null",
                () -> Trainer.builder(Fixtures.data(3, 1, 1), Fixtures.params(4, 1, 1)).precision(null));
        assertNpe("threadFactory must not be null",
                () -> Trainer.builder(Fixtures.data(3, 1, 1), Fixtures.params(4, 1, 1)).threadFactory(null));
    }

    private static void assertNpe(String message, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(message, e.getMessage());
    }

    /** The same float32 values as float or as double arrays give bitwise the same training run. */
    @Test
    void floatAndDoubleInputTrainTheSame() {
        Dataset d64 = Fixtures.data(37, 3, 5); // fixtures are float32-representable
        Parameters p64 = Fixtures.params(130, 3, 6);
        Dataset d32 = Dataset.of(floats(d64.inputs()), floats(d64.targets()), 3);
        Parameters p32 = Parameters.of(floats(p64.outputWeights()), floats(p64.inputWeights()), floats(p64.biases()), 3);
        for (Precision precision : Precision.values()) {
            double[] l64;
            double[] l32;
            try (Trainer t = Trainer.builder(d64, p64).precision(precision).threads(2).build()) {
                t.steps(1e-2, 5, 5, null);
                l64 = new double[] {t.loss(), t.parameters().a(7), t.parameters().w(129, 2)};
            }
            try (Trainer t = Trainer.builder(d32, p32).precision(precision).threads(2).build()) {
                t.steps(1e-2, 5, 5, null);
                l32 = new double[] {t.loss(), t.parameters().a(7), t.parameters().w(129, 2)};
            }
            assertArrayEquals(l64, l32, precision.toString());
        }
    }

    @Test
    void threadFactoryMakesTheWorkers() throws Exception {
        List<Thread> made = new ArrayList<>();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "host-pool-" + made.size());
            t.setDaemon(false); // the host's choice; close() must still stop it
            made.add(t);
            return t;
        };
        double want;
        try (Trainer t = Trainer.builder(Fixtures.data(64, 2, 1), Fixtures.params(300, 2, 2)).threads(1).build()) {
            want = t.steps(1e-2, 3, 3, null);
        }
        try (Trainer t = Trainer.builder(Fixtures.data(64, 2, 1), Fixtures.params(300, 2, 2))
                .threads(3).threadFactory(factory).build()) {
            assertEquals(2, made.size(), "threads-1 workers, the caller is the third");
            assertEquals(want, t.steps(1e-2, 3, 3, null)); // same bits for any thread count
        }
        for (Thread t : made) {
            t.join(10_000);
            assertTrue(!t.isAlive(), t.getName() + " still running after close()");
        }
        Throwable e = assertThrows(IllegalStateException.class,
                () -> Trainer.builder(Fixtures.data(4, 1, 1), Fixtures.params(8, 1, 1)).threads(2).threadFactory(r -> null).build());
        assertTrue(e.getMessage().contains("threadFactory returned null for worker 1 of 1"), e.getMessage());
    }
}
