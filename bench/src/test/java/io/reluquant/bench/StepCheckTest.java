// Proves: the bench's per-benchmark cross-check accepts the kernel within the one-step bound (the k-output bound for k = 10 softmax rows), that bound is far below the update it checks, the k-class workload's labels are its data's, and a disagreement fails loudly.
package io.reluquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.reference.Reference;
import io.reluquant.testkit.OneStepBound;
import org.junit.jupiter.api.Test;

class StepCheckTest {
    @Test
    void kernelAgreesWithTheReferenceWithinTheBound() {
        for (Precision p : Precision.values()) {
            String line = StepCheck.verify(Workload.of(13, 2, 300, 7), p, 2, Kernel.AUTO);
            System.out.println(line);
            assertTrue(line.contains("vector-"), line);
        }
    }

    /** The k = 10 softmax cross-check runs the k-output engine against the k-output reference, in bound. */
    @Test
    void kClassStepAgreesWithTheReferenceWithinTheOutputsBound() {
        for (Precision p : Precision.values()) {
            String line = StepCheck.verify(Workload.classes(13, 2, 300, 10, 7), p, 2, Kernel.AUTO);
            System.out.println(line);
            assertTrue(line.contains("vector-") && line.contains("k=10 softmax"), line);
        }
    }

    /** Labels are the seeded function of x_1, every class occurs, a is (m, k); fewer than 2 classes is refused. */
    @Test
    void classWorkloadDrawsLabelsFromItsData() {
        Workload w = Workload.classes(2000, 3, 64, 10, 5);
        assertEquals(10, w.outputs);
        assertEquals(64 * 10, w.a.length);
        int[] seen = new int[10];
        for (int i = 0; i < w.samples; i++) {
            assertEquals(Workload.classOf(w.x[i * 3], 10), w.labels[i]);
            assertEquals(w.labels[i], w.y[i]);
            seen[w.labels[i]]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(seen[c] > 2000 / 40, "class " + c + " occurs " + seen[c] + " times");
        }
        Workload cut = w.firstNeurons(8).firstSamples(5);
        assertEquals(80, cut.a.length);
        assertEquals(5, cut.labels.length);
        assertEquals(10, cut.dataset().outputs());
        assertEquals(10, cut.parameters().outputs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.classes(8, 1, 8, 1, 1));
        assertTrue(e.getMessage().contains("k (classes) must be at least 2, got 1"), e.getMessage());
    }

    /**
     * The bound must be a real check: for float32 it must be far below the size of the update it
     * checks (a tolerance of the update's own size would accept any step at all).
     */
    @Test
    void boundIsFarBelowTheUpdateItChecks() {
        Workload s = Workload.of(64, 1, 256, 11);
        double[][] bounds = new OneStepBound(s.a, s.w, s.b, s.x, s.y, 1, OneStepBound.unitRoundoff(Precision.FLOAT32),
                Loss.SQUARE, false).stepBounds(StepCheck.CHECK_LR, true);
        double[] a = s.a.clone();
        double[] w = s.w.clone();
        double[] b = s.b.clone();
        Reference.step(a, w, b, 1, s.x, s.y, StepCheck.CHECK_LR, true);
        double[] ratios = new double[s.width];
        int counted = 0;
        for (int j = 0; j < s.width; j++) {
            double move = Math.abs(a[j] - s.a[j]);
            if (move > 0) {
                ratios[counted++] = bounds[0][j] / move;
            }
        }
        double[] moved = java.util.Arrays.copyOf(ratios, counted);
        java.util.Arrays.sort(moved);
        double median = moved[counted / 2];
        System.out.printf("float32 bound on a' over |a' - a|: median %.3g, max %.3g over %d neurons%n", median,
                moved[counted - 1], counted);
        assertTrue(counted > s.width / 2, "most neurons move");
        // the typical neuron's tolerance is a tiny fraction of its step; the largest ratios belong to
        // neurons whose sum_i r_i relu(z_i) nearly cancels, so their step is itself near rounding level
        assertTrue(median < 1e-3, "median bound / update = " + median);
    }

    @Test
    void disagreementFailsLoudly() {
        StepCheck.Worst worst = new StepCheck.Worst();
        worst.add("a[0]", 1.0, 1.0 + 1e-9, 1e-10);
        assertTrue(worst.ratio > 1 && worst.where.equals("a[0]"));
        StepCheck.Worst nan = new StepCheck.Worst();
        nan.add("w[3]", Double.NaN, 1.0, 1.0);
        nan.add("w[4]", 1.0, 1.0, 1.0);
        assertTrue(Double.isNaN(nan.ratio) && !(nan.ratio <= 1), "NaN must fail the check");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.of(0, 1, 8, 1));
        assertTrue(e.getMessage().contains("n must be positive, got 0"), e.getMessage());
    }
}
