package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.reluquant.kernel.reference.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused kernels (provider's choice and scalar; float32 and float64; 1 and 3 threads) against the
 * naive reference. Every tolerance is the rigorous bound of {@link OneStepBound} (derivation there),
 * evaluated per component; the largest |difference| and its ratio to the bound are printed.
 */
@Tag("equivalence")
class KernelEquivalenceTest {
    // 1, primes, lane counts +-1 (16 float lanes at 512 bits, 8 at 256 or for double), the padding granule
    // (64) + 1, large and ragged against the 1024-neuron chunks
    static final int[] WIDTHS = {1, 2, 7, 9, 15, 16, 17, 31, 65, 1000, 4099};
    static final int[] DIMS = {1, 2, 3, 8, 16};
    static final int[] SAMPLES = {1, 2, 7, 64, 300};

    static Stream<Arguments> allShapes() {
        List<Arguments> out = new ArrayList<>();
        for (int m : WIDTHS) {
            for (int d : DIMS) {
                for (int n : SAMPLES) {
                    out.add(Arguments.of(m, d, n));
                }
            }
        }
        return out.stream();
    }

    /** Gradient and loss at step 0, every shape. */
    @ParameterizedTest(name = "m={0} d={1} n={2}")
    @MethodSource("allShapes")
    void gradientAtStepZeroMatchesReference(int m, int d, int n) {
        Dataset data = Fixtures.data(n, d, 1000L * m + 10L * d + n);
        Parameters p = Fixtures.params(m, d, 7L * m + d + 31L * n);
        double[] ra = new double[m];
        double[] rw = new double[m * d];
        double[] rb = new double[m];
        Reference.gradient(p.outputWeights(), p.inputWeights(), p.biases(), d, data.inputs(), data.targets(), ra, rw, rb);
        StringBuilder line = new StringBuilder("gradient m=" + m + " d=" + d + " n=" + n + ":");
        for (Precision precision : Precision.values()) {
            OneStepBound bound = new OneStepBound(p, data, Fixtures.unitRoundoff(precision));
            double[][] tol = bound.gradientBounds();
            double lossTol = bound.lossBound();
            for (Kernels.Variant v : Kernels.variants()) {
                if (v.precision() != precision) {
                    continue;
                }
                double[] ga = new double[m];
                double[] gw = new double[m * d];
                double[] gb = new double[m];
                double loss;
                try (Trainer t = v.build(data, p, true)) {
                    loss = t.gradient(ga, gw, gb);
                }
                double worst = Math.max(OneStepBound.worstRatio(ga, ra, tol[0]),
                        Math.max(OneStepBound.worstRatio(gw, rw, tol[1]), OneStepBound.worstRatio(gb, rb, tol[2])));
                double lossDiff = Math.abs(loss - bound.referenceLoss());
                double maxDiff = Math.max(OneStepBound.maxAbsDiff(ga, ra),
                        Math.max(OneStepBound.maxAbsDiff(gw, rw), OneStepBound.maxAbsDiff(gb, rb)));
                line.append(String.format(" [%s max|dg|=%.2e (%.3f of bound) |dL|=%.1e]", v, maxDiff, worst, lossDiff));
                if (!(worst <= 1) || !(lossDiff <= lossTol)) {
                    fail(v + " m=" + m + " d=" + d + " n=" + n + ": gradient differs from the reference by "
                            + worst + " x its error bound (max |diff| " + maxDiff + "), loss by " + lossDiff
                            + " (bound " + lossTol + ")");
                }
            }
        }
        System.out.println(line);
    }

    static Stream<Arguments> trajectoryShapes() {
        // every width, every d and every n appears; sizes keep 1000 checked steps affordable
        return Stream.of(
                Arguments.of(1, 1, 300), Arguments.of(2, 16, 7), Arguments.of(15, 3, 64),
                Arguments.of(16, 8, 64), Arguments.of(17, 2, 300), Arguments.of(31, 16, 2),
                Arguments.of(1000, 1, 64), Arguments.of(1000, 2, 7), Arguments.of(1000, 8, 1),
                Arguments.of(4099, 1, 7), Arguments.of(4099, 3, 2), Arguments.of(4099, 16, 1));
    }

    /**
     * 1000 steps of each kernel; at the checked steps, one step of the reference from the kernel's own
     * state (shadowing: the comparison is never blurred by amplification of earlier rounding) must
     * land within the one-step bound, and the kernel's loss within the loss bound.
     */
    @ParameterizedTest(name = "m={0} d={1} n={2}")
    @MethodSource("trajectoryShapes")
    void trajectoryOf1000StepsStaysWithinOneStepBounds(int m, int d, int n) {
        Dataset data = Fixtures.data(n, d, 77L * m + d + n);
        Parameters init = Fixtures.params(m, d, 5L * m + 3L * d + n);
        // the tangent kernel's top eigenvalue grows like m (a_j's gradient is O(1) per neuron): scale lr
        // so that GD is stable and the loss decreases at every width
        double lr = Math.min(0.2, 10.0 / m);
        int steps = 1000;
        for (Kernels.Variant v : Kernels.variants()) {
            double u = Fixtures.unitRoundoff(v.precision());
            double worst = 0;
            double maxDiff = 0;
            int checked = 0;
            double firstLoss = Double.NaN;
            double lastLoss = Double.NaN;
            try (Trainer t = v.build(data, init, true)) {
                double[] a = new double[m];
                double[] w = new double[m * d];
                double[] b = new double[m];
                for (int s = 0; s < steps; s++) {
                    boolean check = s < 10 || s % 97 == 0 || s == steps - 1;
                    if (!check) {
                        lastLoss = t.step(lr);
                        continue;
                    }
                    t.copyParameters(a, w, b);
                    OneStepBound bound = new OneStepBound(a, w, b, data.inputs(), data.targets(), d, u);
                    double loss = t.loss();
                    if (s == 0) {
                        firstLoss = loss;
                    }
                    double lossDiff = Math.abs(loss - bound.referenceLoss());
                    assertTrue(lossDiff <= bound.lossBound(), () -> v + " loss differs from the reference by " + lossDiff);
                    double[][] tol = bound.stepBounds(lr, true);
                    double[] ra = a.clone();
                    double[] rw = w.clone();
                    double[] rb = b.clone();
                    Reference.step(ra, rw, rb, d, data.inputs(), data.targets(), lr, true);
                    lastLoss = t.step(lr);
                    t.copyParameters(a, w, b);
                    double r = Math.max(OneStepBound.worstRatio(a, ra, tol[0]),
                            Math.max(OneStepBound.worstRatio(w, rw, tol[1]), OneStepBound.worstRatio(b, rb, tol[2])));
                    maxDiff = Math.max(maxDiff, Math.max(OneStepBound.maxAbsDiff(a, ra),
                            Math.max(OneStepBound.maxAbsDiff(w, rw), OneStepBound.maxAbsDiff(b, rb))));
                    worst = Math.max(worst, Double.isNaN(r) ? Double.POSITIVE_INFINITY : r);
                    checked++;
                    if (!(r <= 1)) {
                        fail(v + " m=" + m + " d=" + d + " n=" + n + " step " + s + ": parameters differ from one "
                                + "reference step by " + r + " x the bound (max |diff| " + maxDiff + ")");
                    }
                }
            }
            System.out.printf("trajectory m=%d d=%d n=%d %s: %d steps, %d checked, max|dp|=%.2e (%.3f of bound), "
                    + "loss %.4g -> %.4g%n", m, d, n, v, steps, checked, maxDiff, worst, firstLoss, lastLoss);
            assertTrue(lastLoss < firstLoss, "loss should decrease over the trajectory");
        }
    }
}
