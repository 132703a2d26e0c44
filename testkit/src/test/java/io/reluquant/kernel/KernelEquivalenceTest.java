// Proves: every path, provider, precision and thread count matches the float64 reference within the derived one-step bound: gradient, loss, steps and 1000-step trajectories.
package io.reluquant.kernel;

import io.reluquant.testkit.Fixtures;
import io.reluquant.testkit.OneStepBound;
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
 * Both paths (fused sweep, mask-bit passes), as the provider's kernel and scalar, float32 and float64,
 * 1 and 3 threads, against the naive reference. Every tolerance is the rigorous bound of
 * {@link OneStepBound} (derivation there) for the arithmetic of the path, evaluated per component; the
 * largest |difference| and its ratio to the bound are printed.
 */
@Tag("per-provider")
class KernelEquivalenceTest {
    // 1, primes, lane counts +-1 (16 float lanes at 512 bits, 8 at 256 or for double), the padding granule
    // and mask-bit panel (64) + 1, large and ragged against the 1024-neuron chunks
    static final int[] WIDTHS = {1, 2, 7, 9, 15, 16, 17, 31, 65, 1000, 4099};
    static final int[] DIMS = {1, 2, 3, 8, 16};
    // the mask-bit path pads d to a multiple of 4 and the samples to a multiple of 6 (tiles of 96)
    static final int[] SAMPLES = {1, 2, 7, 64, 300};
    static final int[] LARGE_DIMS = {4, 5, 17, 32, 33, 64, 100, 784, 1000};
    static final int[] LARGE_DIM_WIDTHS = {1, 17, 65, 130};
    static final int[] LARGE_DIM_SAMPLES = {1, 7, 97};

    static Stream<Arguments> allShapes() {
        List<Arguments> out = new ArrayList<>();
        for (int m : WIDTHS) {
            for (int d : DIMS) {
                for (int n : SAMPLES) {
                    out.add(Arguments.of(m, d, n));
                }
            }
        }
        for (int d : LARGE_DIMS) {
            for (int m : LARGE_DIM_WIDTHS) {
                for (int n : LARGE_DIM_SAMPLES) {
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
        for (Kernels.Variant v : Kernels.variants()) {
            double[] ga = new double[m];
            double[] gw = new double[m * d];
            double[] gb = new double[m];
            double loss;
            OneStepBound bound;
            try (Trainer t = v.build(data, p, true)) {
                loss = t.gradient(ga, gw, gb);
                bound = OneStepBound.forTrainer(t, p.outputWeights(), p.inputWeights(), p.biases(), data,
                        OneStepBound.unitRoundoff(v.precision()));
            }
            double[][] tol = bound.gradientBounds();
            double worst = Math.max(OneStepBound.worstRatio(ga, ra, tol[0]),
                    Math.max(OneStepBound.worstRatio(gw, rw, tol[1]), OneStepBound.worstRatio(gb, rb, tol[2])));
            double lossDiff = Math.abs(loss - bound.referenceLoss());
            double maxDiff = Math.max(OneStepBound.maxAbsDiff(ga, ra),
                    Math.max(OneStepBound.maxAbsDiff(gw, rw), OneStepBound.maxAbsDiff(gb, rb)));
            line.append(String.format(" [%s max|dg|=%.2e (%.3f of bound) |dL|=%.1e]", v, maxDiff, worst, lossDiff));
            if (!(worst <= 1) || !(lossDiff <= bound.lossBound())) {
                fail(v + " m=" + m + " d=" + d + " n=" + n + ": gradient differs from the reference by "
                        + worst + " x its error bound (max |diff| " + maxDiff + "), loss by " + lossDiff
                        + " (bound " + bound.lossBound() + ")");
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
                Arguments.of(4099, 1, 7), Arguments.of(4099, 3, 2), Arguments.of(4099, 16, 1),
                Arguments.of(65, 4, 97), Arguments.of(17, 5, 13), Arguments.of(130, 17, 7),
                Arguments.of(9, 32, 31), Arguments.of(65, 33, 5), Arguments.of(7, 64, 97),
                Arguments.of(65, 100, 3), Arguments.of(17, 784, 7), Arguments.of(2, 1000, 5));
    }

    @ParameterizedTest(name = "m={0} d={1} n={2}")
    @MethodSource("trajectoryShapes")
    void trajectoryOf1000StepsStaysWithinOneStepBounds(int m, int d, int n) {
        Dataset data = Fixtures.data(n, d, 77L * m + d + n);
        // the tangent kernel's top eigenvalue grows like m (a_j's gradient is O(1) per neuron): scale lr
        // so that GD is stable and the loss decreases at every width
        double lr = Math.min(0.2, 10.0 / m);
        trajectory("trajectory", data, Fixtures.params(m, d, 5L * m + 3L * d + n), Loss.SQUARE, lr, lr, 1000);
    }

    static Stream<Arguments> logisticShapes() {
        return Stream.of(Arguments.of(1, 1, 7), Arguments.of(17, 2, 64), Arguments.of(65, 3, 31),
                Arguments.of(1000, 16, 13), Arguments.of(130, 100, 97), Arguments.of(9, 784, 7));
    }

    /** The logistic loss: residual -y sigmoid(-y f), loss computed without overflow. */
    @ParameterizedTest(name = "m={0} d={1} n={2}")
    @MethodSource("logisticShapes")
    void logisticTrajectoryStaysWithinOneStepBounds(int m, int d, int n) {
        Dataset data = Fixtures.classes(n, d, 31L * m + d + n);
        double lr = Math.min(0.5, 20.0 / m);
        trajectory("logistic", data, Fixtures.params(m, d, 3L * m + d + 11L * n), Loss.LOGISTIC, lr, lr, 300);
    }

    static Stream<Arguments> layerRateShapes() {
        return Stream.of(Arguments.of(17, 1, 64), Arguments.of(65, 2, 7), Arguments.of(1000, 8, 31),
                Arguments.of(130, 64, 13));
    }

    /** A learning rate per layer (lrOutput = eta/m, lrHidden = eta: the NTK scaling). */
    @ParameterizedTest(name = "m={0} d={1} n={2}")
    @MethodSource("layerRateShapes")
    void layerLearningRatesStayWithinOneStepBounds(int m, int d, int n) {
        Dataset data = Fixtures.data(n, d, 13L * m + d + n);
        double eta = 0.5;
        trajectory("layer rates", data, Fixtures.params(m, d, 17L * m + d + n), Loss.SQUARE, eta / m, eta, 300);
    }

    /**
     * Runs every variant for the given steps; at the checked steps, one step of the reference from the
     * kernel's own state (shadowing: the comparison is never blurred by amplification of earlier
     * rounding) must land within the one-step bound, and the kernel's loss within the loss bound.
     */
    private static void trajectory(String what, Dataset data, Parameters init, Loss loss, double lrOutput,
                                   double lrHidden, int steps) {
        int m = init.width();
        int d = init.inputDim();
        int n = data.samples();
        for (Kernels.Variant v : Kernels.variants()) {
            double u = OneStepBound.unitRoundoff(v.precision());
            double worst = 0;
            double maxDiff = 0;
            int checked = 0;
            double firstLoss = Double.NaN;
            double lastLoss = Double.NaN;
            try (Trainer t = v.build(data, init, true, loss)) {
                double[] a = new double[m];
                double[] w = new double[m * d];
                double[] b = new double[m];
                for (int s = 0; s < steps; s++) {
                    boolean check = s < 10 || s % 97 == 0 || s == steps - 1;
                    if (!check) {
                        lastLoss = t.step(lrOutput, lrHidden);
                        continue;
                    }
                    t.copyParameters(a, w, b);
                    OneStepBound bound = OneStepBound.forTrainer(t, a, w, b, data, u);
                    double value = t.loss();
                    if (s == 0) {
                        firstLoss = value;
                    }
                    double lossDiff = Math.abs(value - bound.referenceLoss());
                    assertTrue(lossDiff <= bound.lossBound(), () -> v + " loss differs from the reference by " + lossDiff);
                    double[][] tol = bound.stepBounds(lrOutput, lrHidden, true);
                    double[] ra = a.clone();
                    double[] rw = w.clone();
                    double[] rb = b.clone();
                    Reference.step(ra, rw, rb, d, data.inputs(), data.targets(), loss, lrOutput, lrHidden, true);
                    lastLoss = t.step(lrOutput, lrHidden);
                    t.copyParameters(a, w, b);
                    double r = Math.max(OneStepBound.worstRatio(a, ra, tol[0]),
                            Math.max(OneStepBound.worstRatio(w, rw, tol[1]), OneStepBound.worstRatio(b, rb, tol[2])));
                    maxDiff = Math.max(maxDiff, Math.max(OneStepBound.maxAbsDiff(a, ra),
                            Math.max(OneStepBound.maxAbsDiff(w, rw), OneStepBound.maxAbsDiff(b, rb))));
                    worst = Math.max(worst, Double.isNaN(r) ? Double.POSITIVE_INFINITY : r);
                    checked++;
                    if (!(r <= 1)) {
                        fail(v + " " + what + " m=" + m + " d=" + d + " n=" + n + " step " + s + ": parameters differ "
                                + "from one reference step by " + r + " x the bound (max |diff| " + maxDiff + ")");
                    }
                }
            }
            System.out.printf("%s m=%d d=%d n=%d %s: %d steps, %d checked, max|dp|=%.2e (%.3f of bound), "
                    + "loss %.4g -> %.4g%n", what, m, d, n, v, steps, checked, maxDiff, worst, firstLoss, lastLoss);
            assertTrue(lastLoss < firstLoss, "loss should decrease over the trajectory");
        }
    }
}
