// Proves: relu'(0) = 0 on every path and provider, with one output and with k outputs: at pre-activations exactly 0 the kernel's gradient and step equal the reference's bit for bit.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.reluquant.kernel.reference.Reference;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact kinks, compared exactly. The one-step bound of the other equivalence tests admits either side
 * of a kink where |z| is below its error bound, so at z = 0 exactly it cannot tell relu'(0) = 0 from
 * relu'(0) = 1 (a kernel whose activation test is z >= 0 passes it). Here the data and parameters are
 * small integers: x, w, b in {-1, 0, 1}, a in {-2, -1, 1, 2}, y in {-3, ..., 3}, so many (sample,
 * neuron) pairs have z = w . x + b = 0 exactly, and the kernel's gradient, batch gradient and one GD
 * step must EQUAL the reference's, bit for bit.
 *
 * <p>Why "equal" is the right test and not a tolerance: every number either computation forms is an
 * integer times a power of two (the only non-integers are 1/n, 1/|B| and the learning rate, chosen
 * as powers of two, and multiplying by a power of two is exact), and the magnitude of every product
 * and of every partial sum, in any order and grouping and with or without FMA, is at most the same
 * expression with every term replaced by its absolute value. {@link #exactnessBound} evaluates those
 * absolute expressions for every quantity a kernel forms (pre-activations, outputs, residuals, the
 * loss's sum of squares, the gradient sums of both paths, which get ga either as sum_i s_i z_i or as
 * w . gw + b gb, and the updated parameters scaled to integers); the test asserts that they stay below
 * 2^24, float32's integer range. Then no float32 or float64 operation rounds, every summation order
 * gives the same number, and the only way to differ from the reference is to compute a different
 * function: e.g. to count z = 0 as active. Each shape also asserts that it has exact kinks whose
 * sample has a nonzero residual and input, so a kernel with relu'(0) = 1 must change gw or gb.
 *
 * <p>Mutants this test fails and the rest of the suite passes (each applied alone to the F32 template,
 * the F64 twin regenerated, then reverted): compare(GT) -> compare(GE) in every activation test of
 * VectorNeuronKernelF32; in VectorMaskBitKernelF32's activation bits the mask-intrinsic branch
 * (JDK 19+) made GE, and the shift branch (JDK 17) fed z.neg() instead of 0 - z (+0 then counts as
 * active); z > 0 -> z >= 0 in ScalarNeuronKernelF32 and in ScalarMaskBitKernelF32's bits. Each fails
 * all 14 shapes.
 *
 * <p>With k outputs ({@link #kOutputsAtExactKinksEqualTheReference}) the same holds for the square
 * loss with integer targets y_i in {-3, ..., 3}^k and output weights a_j in {-2, ..., 2}^k: the
 * per-pair k-dot a_j . r_i, the k output sums and relu(z) (stored or recomputed) are integers too,
 * and {@link #exactnessBoundOutputs} bounds them. (The softmax cross-entropy calls exp: no exactness
 * there; VectorOutputsEquivalenceTest bounds it.) A kink matters when z_ij = 0, a_j . r_i != 0 and the
 * sample has an input or a bias. Mutant checked: 0 - z -> z.neg() in VectorOutputsKernelF32's
 * activation bits (the JDK 17 branch) fails all 6 k-output shapes.
 */
@Tag("per-provider")
class ExactKinkTest {
    /** float32 represents every integer of magnitude below 2^24 exactly */
    static final double F32_INTEGERS = 1 << 24;
    /** learning rates: powers of two, so lr * g is exact */
    static final double LR_OUTPUT = 1.0 / 16;
    static final double LR_HIDDEN = 1.0 / 8;

    static Stream<Arguments> shapes() {
        // (m, d, n), n a power of two (1/n exact); widths across lane counts, the padding granule and the
        // mask-bit panel of 64; d = 1, 2 (fused path by default), 3 and up (mask-bit path by default), and
        // Kernels.variants() forces both paths at every shape; sizes keep every sum below 2^24
        return Stream.of(
                Arguments.of(1, 1, 8), Arguments.of(7, 1, 64), Arguments.of(65, 1, 16), Arguments.of(300, 1, 8),
                Arguments.of(17, 2, 64), Arguments.of(130, 2, 8), Arguments.of(9, 3, 32), Arguments.of(65, 3, 16),
                Arguments.of(17, 4, 64), Arguments.of(33, 5, 8), Arguments.of(65, 8, 16), Arguments.of(17, 17, 8),
                Arguments.of(16, 33, 4), Arguments.of(7, 64, 8));
    }

    @ParameterizedTest(name = "m={0} d={1} n={2}")
    @MethodSource("shapes")
    void gradientAndStepAtExactKinksEqualTheReference(int m, int d, int n) {
        for (boolean bias : new boolean[] {true, false}) {
            SplittableRandom rnd = new SplittableRandom(1_000_003L * m + 1009L * d + n + (bias ? 1 : 0));
            double[] x = grid(rnd, n * d, -1, 1);
            double[] y = grid(rnd, n, -3, 3);
            double[] a = grid(rnd, m, -2, 2);
            for (int j = 0; j < m; j++) {
                a[j] = a[j] == 0 ? 1 : a[j]; // a_j = 0 would hide the neuron's gw and gb
            }
            double[] w = grid(rnd, m * d, -1, 1);
            double[] b = bias ? grid(rnd, m, -1, 1) : new double[m];
            Dataset data = Dataset.of(x, y, d);
            Parameters p = Parameters.of(a, w, b, d);
            // a batch of n/2 samples (a power of two; repeats allowed), n = 1 keeps the one sample
            int[] batch = new int[Math.max(1, n / 2)];
            for (int q = 0; q < batch.length; q++) {
                batch[q] = rnd.nextInt(n);
            }
            int kinks = kinksThatMatter(a, w, b, d, x, y);
            assertTrue(kinks > 0, "m=" + m + " d=" + d + " n=" + n + " bias=" + bias + ": no exact kink with r != 0");
            double bound = exactnessBound(a, w, b, d, x, y, batch);
            assertTrue(bound < F32_INTEGERS, "m=" + m + " d=" + d + " n=" + n + ": sums reach " + bound
                    + ", past float32's exact integers; the comparison would not be exact");

            double[] ra = new double[m];
            double[] rw = new double[m * d];
            double[] rb = new double[m];
            Reference.gradient(a, w, b, d, x, y, ra, rw, rb);
            double refLoss = Reference.loss(a, w, b, d, x, y);
            double[] batchX = new double[batch.length * d];
            double[] batchY = new double[batch.length];
            for (int q = 0; q < batch.length; q++) {
                System.arraycopy(x, batch[q] * d, batchX, q * d, d);
                batchY[q] = y[batch[q]];
            }
            double[] ba = new double[m];
            double[] bw = new double[m * d];
            double[] bb = new double[m];
            Reference.gradient(a, w, b, d, batchX, batchY, ba, bw, bb);
            double[] sa = a.clone();
            double[] sw = w.clone();
            double[] sb = b.clone();
            Reference.step(sa, sw, sb, d, x, y, Loss.SQUARE, LR_OUTPUT, LR_HIDDEN, bias);

            for (Kernels.Variant v : Kernels.variants()) {
                String where = v + " m=" + m + " d=" + d + " n=" + n + " bias=" + bias + " (" + kinks + " kinks with r != 0)";
                try (Trainer t = v.build(data, p, bias)) {
                    double[] ga = new double[m];
                    double[] gw = new double[m * d];
                    double[] gb = new double[m];
                    double loss = t.gradient(ga, gw, gb);
                    same(where + " loss", new double[] {refLoss}, new double[] {loss});
                    same(where + " gradient dL/da", ra, ga);
                    same(where + " gradient dL/dw", rw, gw);
                    same(where + " gradient dL/db", rb, gb);
                    t.gradient(batch, ga, gw, gb);
                    same(where + " batch gradient dL/da", ba, ga);
                    same(where + " batch gradient dL/dw", bw, gw);
                    same(where + " batch gradient dL/db", bb, gb);
                    t.step(LR_OUTPUT, LR_HIDDEN);
                    double[] ka = new double[m];
                    double[] kw = new double[m * d];
                    double[] kb = new double[m];
                    t.copyParameters(ka, kw, kb);
                    same(where + " step a", sa, ka);
                    same(where + " step w", sw, kw);
                    same(where + " step b", sb, kb);
                }
            }
            System.out.printf("exact kinks m=%d d=%d n=%d bias=%b: %d kinks with r != 0, sums below %.0f (2^24 = %.0f), "
                    + "%d variants equal to the reference%n", m, d, n, bias, kinks, bound, F32_INTEGERS, Kernels.variants().size());
        }
    }

    /** Uniform integers in [lo, hi]. */
    private static double[] grid(SplittableRandom rnd, int count, int lo, int hi) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = rnd.nextInt(lo, hi + 1);
        }
        return v;
    }

    /** (sample, neuron) pairs with z = 0 exactly, a residual r != 0 and some x_ik != 0 or a bias. */
    private static int kinksThatMatter(double[] a, double[] w, double[] b, int d, double[] x, double[] y) {
        double[] r = Reference.residuals(a, w, b, d, x, y);
        int count = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < a.length; j++) {
                if (Reference.preActivation(w, b, d, j, x, i) == 0 && r[i] != 0) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * The largest magnitude, in units of the smallest power of two involved, that any product or partial
     * sum of the gradient, loss or step computation can take in any order: each quantity with every term
     * replaced by its absolute value (class comment). The residual is scaled by n or |B| back to an
     * integer; the updated parameters by n / lr.
     */
    static double exactnessBound(double[] a, double[] w, double[] b, int d, double[] x, double[] y, int[] batch) {
        int m = a.length;
        int n = y.length;
        double[][] zAbs = new double[n][m]; // sum_k |w_jk x_ik| + |b_j|
        double[] rAbs = new double[n]; // sum_j |a_j| zAbs_ij + |y_i|
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int j = 0; j < m; j++) {
                double z = Math.abs(b[j]);
                for (int k = 0; k < d; k++) {
                    z += Math.abs(w[j * d + k] * x[i * d + k]);
                }
                zAbs[i][j] = z;
                f += Math.abs(a[j]) * z;
            }
            rAbs[i] = f + Math.abs(y[i]);
            worst = Math.max(worst, rAbs[i]);
        }
        double squares = 0;
        for (int i = 0; i < n; i++) {
            squares += rAbs[i] * rAbs[i];
        }
        worst = Math.max(worst, squares);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int[] samples : new int[][] {all, batch}) {
            for (int j = 0; j < m; j++) {
                // ga: sum_i |r_i| zAbs_ij bounds both sum_i s_i z_ij and w_j . gw_j + b_j gb_j
                double ga = 0;
                double gb = 0;
                for (int i : samples) {
                    ga += rAbs[i] * zAbs[i][j];
                    gb += rAbs[i];
                }
                double aj = Math.abs(a[j]);
                worst = Math.max(worst, Math.max(ga, aj * gb));
                // the step in units of lr/n: |p| n / lr + |g| n (lr and 1/n are powers of two)
                double units = samples.length / Math.min(LR_OUTPUT, LR_HIDDEN);
                worst = Math.max(worst, aj * units + ga);
                worst = Math.max(worst, Math.abs(b[j]) * units + aj * gb);
                for (int k = 0; k < d; k++) {
                    double gw = 0;
                    for (int i : samples) {
                        gw += rAbs[i] * Math.abs(x[i * d + k]);
                    }
                    worst = Math.max(worst, aj * gw);
                    worst = Math.max(worst, Math.abs(w[j * d + k]) * units + aj * gw);
                }
            }
        }
        return worst;
    }

    private static void same(String what, double[] expected, double[] actual) {
        for (int q = 0; q < expected.length; q++) {
            if (Double.doubleToLongBits(expected[q] + 0.0) != Double.doubleToLongBits(actual[q] + 0.0)) {
                fail(what + "[" + q + "] = " + actual[q] + " but the reference computes exactly " + expected[q]
                        + " (every operation here is exact, see the class comment)");
            }
        }
    }

    static Stream<Arguments> outputShapes() {
        // (m, d, n, k): d = 1, 2 (the fused k-output sweep, or the mask-bit engine when asked for) and 3 and
        // up, widths off the panel of 64
        return Stream.of(Arguments.of(7, 1, 16, 2), Arguments.of(65, 2, 8, 3), Arguments.of(17, 3, 32, 10),
                Arguments.of(33, 5, 8, 2), Arguments.of(16, 33, 4, 3), Arguments.of(130, 1, 8, 17),
                Arguments.of(37, 2, 8, 10));
    }

    @ParameterizedTest(name = "m={0} d={1} n={2} k={3}")
    @MethodSource("outputShapes")
    void kOutputsAtExactKinksEqualTheReference(int m, int d, int n, int k) {
        for (String relu : new String[] {"store", "recompute"}) {
            for (boolean bias : new boolean[] {true, false}) {
                SplittableRandom rnd = new SplittableRandom(1_000_003L * m + 1009L * d + 31L * k + n + (bias ? 1 : 0));
                double[] x = grid(rnd, n * d, -1, 1);
                double[] y = grid(rnd, n * k, -3, 3);
                double[] a = grid(rnd, m * k, -2, 2);
                double[] w = grid(rnd, m * d, -1, 1);
                double[] b = bias ? grid(rnd, m, -1, 1) : new double[m];
                Dataset data = Dataset.of(x, y, d, k);
                Parameters p = Parameters.of(a, w, b, d, k);
                int[] batch = new int[Math.max(1, n / 2)];
                for (int q = 0; q < batch.length; q++) {
                    batch[q] = rnd.nextInt(n);
                }
                int kinks = kinksThatMatterOutputs(a, w, b, d, k, x, y);
                String shape = "m=" + m + " d=" + d + " n=" + n + " k=" + k + " bias=" + bias;
                assertTrue(kinks > 0, shape + ": no exact kink with a_j . r_i != 0");
                double bound = exactnessBoundOutputs(a, w, b, d, k, x, y, batch);
                assertTrue(bound < F32_INTEGERS, shape + ": sums reach " + bound
                        + ", past float32's exact integers; the comparison would not be exact");
                double[] ra = new double[m * k];
                double[] rw = new double[m * d];
                double[] rb = new double[m];
                Reference.gradient(a, w, b, d, k, x, y, Loss.SQUARE, ra, rw, rb);
                double refLoss = Reference.loss(a, w, b, d, k, x, y, Loss.SQUARE);
                double[] batchX = new double[batch.length * d];
                double[] batchY = new double[batch.length * k];
                for (int q = 0; q < batch.length; q++) {
                    System.arraycopy(x, batch[q] * d, batchX, q * d, d);
                    System.arraycopy(y, batch[q] * k, batchY, q * k, k);
                }
                double[] ba = new double[m * k];
                double[] bw = new double[m * d];
                double[] bb = new double[m];
                Reference.gradient(a, w, b, d, k, batchX, batchY, Loss.SQUARE, ba, bw, bb);
                double[] sa = a.clone();
                double[] sw = w.clone();
                double[] sb = b.clone();
                Reference.step(sa, sw, sb, d, k, x, y, Loss.SQUARE, LR_OUTPUT, LR_HIDDEN, bias);
                String before = System.getProperty("reluquant.outputs.relu");
                System.setProperty("reluquant.outputs.relu", relu);
                try {
                    for (Kernels.Variant v : Kernels.variants()) {
                        String where = v + " " + shape + " relu(z) " + relu + " (" + kinks + " kinks that matter)";
                        try (Trainer t = v.build(data, p, bias)) {
                            assertEquals(v.path() == Path.FUSED && d <= 2 ? Path.FUSED : Path.MASKBIT, t.kernelInfo().path(),
                                    where + ": the k-output engine of the path asked for");
                            double[] ga = new double[m * k];
                            double[] gw = new double[m * d];
                            double[] gb = new double[m];
                            double loss = t.gradient(ga, gw, gb);
                            same(where + " loss", new double[] {refLoss}, new double[] {loss});
                            same(where + " gradient dL/da", ra, ga);
                            same(where + " gradient dL/dw", rw, gw);
                            same(where + " gradient dL/db", rb, gb);
                            t.gradient(batch, ga, gw, gb);
                            same(where + " batch gradient dL/da", ba, ga);
                            same(where + " batch gradient dL/dw", bw, gw);
                            same(where + " batch gradient dL/db", bb, gb);
                            t.step(LR_OUTPUT, LR_HIDDEN);
                            double[] ka = new double[m * k];
                            double[] kw = new double[m * d];
                            double[] kb = new double[m];
                            t.copyParameters(ka, kw, kb);
                            same(where + " step a", sa, ka);
                            same(where + " step w", sw, kw);
                            same(where + " step b", sb, kb);
                        }
                    }
                } finally {
                    if (before == null) {
                        System.clearProperty("reluquant.outputs.relu");
                    } else {
                        System.setProperty("reluquant.outputs.relu", before);
                    }
                }
                System.out.printf("exact kinks %s relu(z) %s: %d kinks that matter, sums below %.0f (2^24 = %.0f), "
                        + "%d variants equal to the reference%n", shape, relu, kinks, bound, F32_INTEGERS, Kernels.variants().size());
            }
        }
    }

    /** (sample, neuron) pairs with z = 0 exactly, a_j . r_i != 0 and some x_ik != 0 or a bias. */
    private static int kinksThatMatterOutputs(double[] a, double[] w, double[] b, int d, int k, double[] x, double[] y) {
        double[] r = Reference.residuals(a, w, b, d, k, x, y, Loss.SQUARE);
        int n = x.length / d;
        int m = b.length;
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    s += a[j * k + c] * r[i * k + c];
                }
                if (Reference.preActivation(w, b, d, j, x, i) == 0 && s != 0) {
                    count++;
                }
            }
        }
        return count;
    }

    /** {@link #exactnessBound} for k outputs: every quantity with its terms replaced by their absolute values. */
    static double exactnessBoundOutputs(double[] a, double[] w, double[] b, int d, int k, double[] x, double[] y, int[] batch) {
        int m = b.length;
        int n = x.length / d;
        double[][] zAbs = new double[n][m];
        double[] rAbs = new double[n * k];
        double worst = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double z = Math.abs(b[j]);
                for (int q = 0; q < d; q++) {
                    z += Math.abs(w[j * d + q] * x[i * d + q]);
                }
                zAbs[i][j] = z;
            }
            for (int c = 0; c < k; c++) {
                double f = 0;
                for (int j = 0; j < m; j++) {
                    f += Math.abs(a[j * k + c]) * zAbs[i][j];
                }
                rAbs[i * k + c] = f + Math.abs(y[i * k + c]);
                worst = Math.max(worst, rAbs[i * k + c]);
                squares += rAbs[i * k + c] * rAbs[i * k + c];
            }
        }
        worst = Math.max(worst, squares);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double units = n / Math.min(LR_OUTPUT, LR_HIDDEN);
        for (int[] samples : new int[][] {all, batch}) {
            for (int j = 0; j < m; j++) {
                double gb = 0;
                double[] gw = new double[d];
                for (int i : samples) {
                    double s = 0; // |a_j| . |r_i|: the k-dot in any order
                    for (int c = 0; c < k; c++) {
                        s += Math.abs(a[j * k + c]) * rAbs[i * k + c];
                    }
                    worst = Math.max(worst, s);
                    gb += s;
                    for (int q = 0; q < d; q++) {
                        gw[q] += s * Math.abs(x[i * d + q]);
                    }
                }
                worst = Math.max(worst, Math.max(gb, Math.abs(b[j]) * units + gb));
                for (int q = 0; q < d; q++) {
                    worst = Math.max(worst, Math.abs(w[j * d + q]) * units + gw[q]);
                }
                for (int c = 0; c < k; c++) {
                    double ga = 0;
                    for (int i : samples) {
                        ga += rAbs[i * k + c] * zAbs[i][j];
                    }
                    worst = Math.max(worst, Math.abs(a[j * k + c]) * units + ga);
                }
            }
        }
        return worst;
    }
}
