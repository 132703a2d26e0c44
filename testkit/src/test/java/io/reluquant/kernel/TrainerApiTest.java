// Proves: the embedding API under every provider: forward on new inputs, batch gradients and steps, callbacks, bias off, zero neurons stay zero.
package io.reluquant.kernel;

import io.reluquant.testkit.Fixtures;
import io.reluquant.testkit.OneStepBound;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.reference.Reference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The embedding API: forward on new inputs, batch gradients and steps, callbacks, bias off, zero neurons. */
@Tag("per-provider")
class TrainerApiTest {
    /** f on more inputs than training samples (the engine works through them in batches of n). */
    @Test
    void forwardOnNewInputsMatchesReference() {
        int m = 777;
        int d = 3;
        Dataset train = Fixtures.data(5, d, 1);
        Parameters p = Fixtures.params(m, d, 2);
        Dataset queries = Fixtures.data(23, d, 3);
        // forward bound of OneStepBound: df_i (kernel) + df_i (reference)
        OneStepBound b32 = new OneStepBound(p, queries, OneStepBound.unitRoundoff(Precision.FLOAT32));
        double[] want = Reference.forward(p.outputWeights(), p.inputWeights(), p.biases(), d, queries.inputs());
        for (Kernels.Variant v : Kernels.variants()) {
            OneStepBound bound = v.precision() == Precision.FLOAT32 ? b32
                    : new OneStepBound(p, queries, OneStepBound.unitRoundoff(Precision.FLOAT64));
            double[] got = new double[queries.samples()];
            try (Trainer t = v.build(train, p, true)) {
                t.forward(queries.inputs(), got);
            }
            for (int i = 0; i < got.length; i++) {
                double tol = bound.df(i, bound.unitRoundoff()) + bound.df(i, OneStepBound.U64);
                assertTrue(Math.abs(got[i] - want[i]) <= tol, v + " f(x_" + i + ") = " + got[i] + " vs " + want[i]);
            }
            System.out.printf("forward %s: max|df| = %.2e over %d inputs%n", v, OneStepBound.maxAbsDiff(got, want), got.length);
        }
    }

    /** Gradient and step on a batch (repeats allowed) equal those of the reference on that subset. */
    @Test
    void batchGradientAndStepMatchReferenceOnTheSubset() {
        int m = 1500;
        int d = 2;
        Dataset data = Fixtures.data(40, d, 11);
        Parameters p = Fixtures.params(m, d, 12);
        int[] batch = {7, 3, 3, 39, 0, 21, 8};
        Dataset sub = data.subset(batch);
        double lr = 0.01;
        for (Kernels.Variant v : Kernels.variants()) {
            // the mask-bit path sums S_a by the identity w . S_w + b S_b: its own bound
            boolean identitySums = v.path() == Path.MASKBIT;
            OneStepBound bound = new OneStepBound(p, sub, OneStepBound.unitRoundoff(v.precision()), Loss.SQUARE, identitySums);
            double[][] gtol = bound.gradientBounds();
            double[][] stol = bound.stepBounds(lr, true);
            double[] ra = new double[m];
            double[] rw = new double[m * d];
            double[] rb = new double[m];
            Reference.gradient(p.outputWeights(), p.inputWeights(), p.biases(), d, sub.inputs(), sub.targets(), ra, rw, rb);
            try (Trainer t = v.build(data, p, true)) {
                double[] ga = new double[m];
                double[] gw = new double[m * d];
                double[] gb = new double[m];
                double batchLoss = t.gradient(batch, ga, gw, gb);
                assertTrue(Math.abs(batchLoss - bound.referenceLoss()) <= bound.lossBound(), v + " batch loss");
                assertTrue(OneStepBound.worstRatio(ga, ra, gtol[0]) <= 1, v + " batch ga");
                assertTrue(OneStepBound.worstRatio(gw, rw, gtol[1]) <= 1, v + " batch gw");
                assertTrue(OneStepBound.worstRatio(gb, rb, gtol[2]) <= 1, v + " batch gb");
                System.out.printf("batch gradient %s: worst ratio to bound ga %.3f, gw %.3f, gb %.3f%n", v,
                        OneStepBound.worstRatio(ga, ra, gtol[0]), OneStepBound.worstRatio(gw, rw, gtol[1]),
                        OneStepBound.worstRatio(gb, rb, gtol[2]));

                double stepLoss = t.step(lr, batch);
                assertEquals(batchLoss, stepLoss, 0, v + ": step returns the batch loss before the step");
                double[] a = p.outputWeights();
                double[] w = p.inputWeights();
                double[] b = p.biases();
                Reference.step(a, w, b, d, sub.inputs(), sub.targets(), lr, true);
                Parameters after = t.parameters();
                assertTrue(OneStepBound.worstRatio(after.outputWeights(), a, stol[0]) <= 1, v + " batch step a");
                assertTrue(OneStepBound.worstRatio(after.inputWeights(), w, stol[1]) <= 1, v + " batch step w");
                assertTrue(OneStepBound.worstRatio(after.biases(), b, stol[2]) <= 1, v + " batch step b");
                // the full-batch loss afterwards is that of the new parameters (residuals were refreshed)
                OneStepBound full = new OneStepBound(after, data, OneStepBound.unitRoundoff(v.precision()), Loss.SQUARE, identitySums);
                assertTrue(Math.abs(t.loss() - full.referenceLoss()) <= full.lossBound(), v + " full loss after batch step");
            }
        }
    }

    @Test
    void stepsCallsTheListenerEveryKStepsAndStopsWhenAsked() {
        try (Trainer t = Trainer.builder(Fixtures.data(9, 1, 1), Fixtures.params(40, 1, 2)).build()) {
            List<Long> seen = new ArrayList<>();
            double last = t.steps(1e-3, 10, 3, (step, loss) -> {
                seen.add(step);
                assertTrue(Double.isFinite(loss));
                return true;
            });
            assertEquals(List.of(3L, 6L, 9L), seen);
            assertEquals(10, t.stepsTaken());
            assertEquals(t.loss(), last, 0);
            seen.clear();
            t.steps(1e-3, 100, 2, (step, loss) -> {
                seen.add(step);
                return step < 14;
            });
            assertEquals(List.of(12L, 14L), seen);
            assertEquals(14, t.stepsTaken());
        }
    }

    /** Without bias b stays exactly zero; zero neurons (a = w = b = 0) stay exactly zero. */
    @Test
    void biasOffAndZeroNeuronsStayExactlyZero() {
        int m = 101;
        int d = 4;
        Parameters init = Initializers.balanced(m, d, 1e-2, 3, false);
        double[] a = init.outputWeights();
        double[] w = init.inputWeights();
        for (int j = 0; j < m; j += 10) { // every 10th neuron is a zero neuron, like the padding
            a[j] = 0;
            java.util.Arrays.fill(w, j * d, j * d + d, 0);
        }
        Parameters withZeros = Parameters.of(a, w, new double[m], d);
        Dataset data = Fixtures.data(8, d, 4);
        for (Kernels.Variant v : Kernels.variants()) {
            try (Trainer t = v.build(data, withZeros, false)) {
                t.steps(0.5, 200, 200, null);
                Parameters p = t.parameters();
                assertArrayEquals(new double[m], p.biases(), v + ": b must stay exactly 0 without bias");
                for (int j = 0; j < m; j += 10) {
                    assertEquals(0.0, p.a(j), 0, v + ": zero neuron a");
                    for (int k = 0; k < d; k++) {
                        assertEquals(0.0, p.w(j, k), 0, v + ": zero neuron w");
                    }
                }
                assertTrue(t.loss() < Reference.loss(a, w, new double[m], d, data.inputs(), data.targets()));
            }
        }
    }

    /** Kernel.FUSED, the old name, is Kernel.AUTO: the provider's path for d (it ran the mask-bit path from d = 3 too). */
    @Test
    @SuppressWarnings("deprecation")
    void deprecatedFusedIsAuto() {
        for (int d : new int[] {1, 2, 3, 8}) {
            Dataset data = Fixtures.data(7, d, d);
            Parameters p = Fixtures.params(9, d, d);
            try (Trainer auto = Trainer.builder(data, p).kernel(Kernel.AUTO).build();
                 Trainer fused = Trainer.builder(data, p).kernel(Kernel.FUSED).build();
                 Trainer plain = Trainer.builder(data, p).build()) {
                assertEquals(auto.kernelInfo(), fused.kernelInfo(), "d = " + d);
                assertEquals(auto.kernelInfo(), plain.kernelInfo(), "d = " + d + ": AUTO is the default");
                assertEquals(d >= 3 ? Path.MASKBIT : Path.FUSED, auto.kernelInfo().path(), "d = " + d);
            }
        }
    }

    @Test
    void referenceKernelBehindTheSameInterface() {
        Dataset data = Fixtures.data(6, 2, 1);
        Parameters p = Fixtures.params(9, 2, 2);
        try (Trainer t = Trainer.builder(data, p).kernel(Kernel.REFERENCE).precision(Precision.FLOAT64).build()) {
            assertEquals("reference/float64", t.kernel());
            double[] a = p.outputWeights();
            double[] w = p.inputWeights();
            double[] b = p.biases();
            for (int s = 0; s < 5; s++) {
                Reference.step(a, w, b, 2, data.inputs(), data.targets(), 0.1, true);
            }
            double loss = t.steps(0.1, 5, 1, null);
            assertArrayEquals(a, t.parameters().outputWeights(), 0);
            assertEquals(Reference.loss(a, w, b, 2, data.inputs(), data.targets()), loss, 0);
        }
    }
}
