// Proves: random shapes, magnitudes, exact zeros and thread counts: loss, gradient and step within the one-step bound, and the same bits for another thread count.
package io.reluquant.kernel;

import io.reluquant.testkit.OneStepBound;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.reluquant.kernel.reference.Reference;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Property-based equivalence: many random configurations (n, d, m including 1, primes and lane
 * counts +- 1, both sides of the 1024-neuron chunk, bias on/off, float32/float64, random thread
 * counts, parameters and data of tiny and huge magnitude, exact zeros of parameters and of
 * pre-activations on the ReLU boundary), each checked three ways:
 * <ol>
 * <li>loss and gradient against the float64 reference within the rigorous bound of
 *     {@link OneStepBound};</li>
 * <li>one GD step against one reference step within the same bound;</li>
 * <li>a second trainer with another thread count gives the same bits.</li>
 * </ol>
 * The run's seed is printed; {@code -Dreluquant.equivalence.seed=S} replays it and
 * {@code -Dreluquant.equivalence.count=N} sets how many configurations run (default 1000 in the
 * default run, 250 in each provider run, about 1 s per 150 on two cores). A failure
 * names the configuration's own seed, which replays that one configuration with count 1.
 */
@Tag("per-provider")
class RandomizedEquivalenceTest {
    /** the losses of one-output networks (the draws as before the softmax cross-entropy, which takes k outputs) */
    static final Loss[] ONE_OUTPUT_LOSSES = {Loss.SQUARE, Loss.LOGISTIC};

    // 1, primes, and the lane counts +- 1 of every vector shape (4, 8, 16 lanes), the 64-neuron granule +- 1
    private static final int[] SPECIAL_WIDTHS = {1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16, 17, 31, 32, 33, 37,
        63, 64, 65, 127, 128, 129, 1023, 1024, 1025};
    private static final double[] SCALES = {0x1p-12, 0x1p-6, 1, 0x1p6, 0x1p12};

    record Config(long seed, Loss loss, int m, int d, int n, boolean bias, Precision precision, Kernel kernel,
                  Path path, int threads, int otherThreads, double scaleA, double scaleW, double scaleX,
                  boolean boundary, double lr) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "seed=%d %s m=%d d=%d n=%d bias=%b %s %s %s threads %d/%d "
                    + "scales a=%g w=%g x=%g boundary=%b lr=%g", seed, loss, m, d, n, bias, precision, kernel, path,
                    threads, otherThreads, scaleA, scaleW, scaleX, boundary, lr);
        }
    }

    static Config config(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int m;
        double pick = rnd.nextDouble();
        if (pick < 0.4) {
            m = SPECIAL_WIDTHS[rnd.nextInt(SPECIAL_WIDTHS.length)];
        } else if (pick < 0.93) {
            m = 1 + rnd.nextInt(200);
        } else {
            m = 1025 + rnd.nextInt(2100); // two or three chunks: the team splits the work
        }
        int d = rnd.nextDouble() < 0.5 ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(17);
        int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 48);
        boolean vectorRun = "vector-preferred".equals(System.getProperty("reluquant.test.expect"));
        boolean scalarPick = rnd.nextInt(4) == 0; // drawn in every run, so a seed gives the same shapes in each
        Kernel kernel = vectorRun && scalarPick ? Kernel.SCALAR : Kernel.AUTO;
        int threads = 1 + rnd.nextInt(5);
        int other = 1 + rnd.nextInt(5);
        if (other == threads) {
            other = threads == 1 ? 2 + rnd.nextInt(4) : 1;
        }
        return new Config(seed, ONE_OUTPUT_LOSSES[rnd.nextInt(ONE_OUTPUT_LOSSES.length)], m, d, n, rnd.nextBoolean(),
                rnd.nextBoolean() ? Precision.FLOAT32 : Precision.FLOAT64, kernel,
                Kernels.PATHS[rnd.nextInt(Kernels.PATHS.length)], threads, other,
                SCALES[rnd.nextInt(SCALES.length)], SCALES[rnd.nextInt(SCALES.length)],
                SCALES[rnd.nextInt(SCALES.length)], rnd.nextInt(3) == 0, Math.scalb(1.0, -rnd.nextInt(12)));
    }

    /** Data and parameters of a configuration; every value is a float32, zeros and boundary cases included. */
    static Object[] instance(Config c, SplittableRandom rnd) {
        int m = c.m, d = c.d, n = c.n;
        double[] x = new double[n * d];
        double[] y = new double[n];
        double[] a = new double[m];
        double[] w = new double[m * d];
        double[] b = new double[m];
        for (int i = 0; i < x.length; i++) {
            x[i] = value(rnd, c.scaleX, c.boundary);
        }
        for (int i = 0; i < n; i++) {
            y[i] = (float) rnd.nextDouble(-1, 1);
            if (c.loss == Loss.LOGISTIC) {
                y[i] = y[i] >= 0 ? 1 : -1;
            }
        }
        for (int j = 0; j < m; j++) {
            boolean deadRow = rnd.nextInt(16) == 0; // exact zero input weights
            a[j] = rnd.nextInt(16) == 0 ? 0 : value(rnd, c.scaleA / Math.sqrt(m), c.boundary);
            for (int k = 0; k < d; k++) {
                w[j * d + k] = deadRow ? 0 : value(rnd, c.scaleW, c.boundary);
            }
            if (c.bias) {
                if (c.boundary && rnd.nextInt(3) == 0) {
                    // z_ij = 0 exactly for one sample: on a dyadic grid w.x is exact, so b = -w.x is too
                    int i = rnd.nextInt(n);
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += w[j * d + k] * x[i * d + k];
                    }
                    b[j] = (float) -s == -s ? -s : 0;
                } else {
                    b[j] = value(rnd, c.scaleW * c.scaleX, c.boundary);
                }
            }
        }
        return new Object[] {Dataset.of(x, y, d), Parameters.of(a, w, b, d)};
    }

    /** Magnitude {@code scale}; on the boundary grid a multiple of scale/8 (few bits, exact products). */
    private static double value(SplittableRandom rnd, double scale, boolean grid) {
        if (grid) {
            return (float) (scale * (rnd.nextInt(17) - 8) / 8.0);
        }
        return (float) (scale * rnd.nextDouble(-1, 1));
    }

    private static Trainer build(Config c, Dataset data, Parameters p, int threads) {
        return Trainer.builder(data, p).kernel(c.kernel).path(c.path).precision(c.precision).threads(threads)
                .bias(c.bias).loss(c.loss).build();
    }

    @Test
    void randomConfigurationsMatchTheReferenceWithinTheBoundAndAcrossThreadCounts() {
        long seed = Long.getLong("reluquant.equivalence.seed", new SplittableRandom().nextLong());
        // the default run covers 1000; each provider run (forced vector widths, scalar) adds 250 more
        boolean defaultRun = "vector-preferred".equals(System.getProperty("reluquant.test.expect", "vector-preferred"));
        int count = Integer.getInteger("reluquant.equivalence.count", defaultRun ? 1000 : 250);
        SplittableRandom seeds = new SplittableRandom(seed);
        long t0 = System.nanoTime();
        double worstGrad = 0, worstStep = 0, worstLoss = 0;
        int multiChunk = 0, boundaryZeros = 0;
        Config worst = null;
        for (int q = 0; q < count; q++) {
            long cseed = count == 1 ? seed : seeds.nextLong();
            Config c = config(cseed);
            Object[] inst = instance(c, new SplittableRandom(cseed ^ 0x9E3779B97F4A7C15L));
            Dataset data = (Dataset) inst[0];
            Parameters p = (Parameters) inst[1];
            multiChunk += c.m > 1024 ? 1 : 0;
            try {
                double[] r = check(c, data, p);
                if (worst == null || Math.max(r[0], r[1]) > Math.max(worstGrad, worstStep)) {
                    worst = c;
                }
                worstGrad = Math.max(worstGrad, r[0]);
                worstStep = Math.max(worstStep, r[1]);
                worstLoss = Math.max(worstLoss, r[2]);
                boundaryZeros += (int) r[3];
            } catch (AssertionError | RuntimeException e) {
                fail("configuration " + c + " (replay: -Dreluquant.equivalence.seed=" + cseed
                        + " -Dreluquant.equivalence.count=1): " + e.getMessage(), e);
            }
        }
        System.out.printf("randomized equivalence: %d configurations (%d over one chunk, %d exact ReLU-boundary "
                + "pre-activations), seed %d (-Dreluquant.equivalence.seed=%d replays), provider run %s: worst "
                + "ratio to bound gradient %.3f, step %.3f, loss %.3f (worst: %s), %.1f s%n", count, multiChunk, boundaryZeros,
                seed, seed, System.getProperty("reluquant.test.expect"), worstGrad, worstStep, worstLoss, worst,
                (System.nanoTime() - t0) / 1e9);
        assertTrue(count >= 1);
    }

    /** @return {worst gradient ratio, worst step ratio, loss ratio, exact zero pre-activations} */
    private static double[] check(Config c, Dataset data, Parameters p) {
        int m = c.m, d = c.d;
        double u = OneStepBound.unitRoundoff(c.precision);
        OneStepBound bound = new OneStepBound(p, data, u, c.loss, c.path == Path.MASKBIT);
        int zeros = 0;
        for (double z : bound.preActivations()) {
            zeros += z == 0 ? 1 : 0;
        }
        double[] ra = new double[m], rw = new double[m * d], rb = new double[m];
        Reference.gradient(p.outputWeights(), p.inputWeights(), p.biases(), d, data.inputs(), data.targets(), c.loss,
                ra, rw, rb);
        // the generated lr, made smaller until the reference's step stays far inside the float32 range
        // (outputs and parameters below 2^40): a step beyond it is the kernel's NonFiniteStepException, not a result
        double lr = c.lr;
        double[] sa, sw, sb;
        while (true) {
            sa = p.outputWeights();
            sw = p.inputWeights();
            sb = p.biases();
            Reference.step(sa, sw, sb, d, data.inputs(), data.targets(), c.loss, lr, lr, c.bias);
            double big = Math.max(maxAbs(Reference.forward(sa, sw, sb, d, data.inputs())),
                    Math.max(maxAbs(sa), Math.max(maxAbs(sw), maxAbs(sb))));
            if (big < 0x1p40 || lr < 0x1p-60) {
                break;
            }
            lr /= 16;
        }

        long[][] bits = new long[2][];
        double[] ratios = new double[4];
        int[] threadCounts = {c.threads, c.otherThreads};
        for (int run = 0; run < 2; run++) {
            double[] ga = new double[m], gw = new double[m * d], gb = new double[m];
            double loss;
            double stepLoss;
            Parameters after;
            try (Trainer t = build(c, data, p, threadCounts[run])) {
                loss = t.gradient(ga, gw, gb);
                stepLoss = t.step(lr);
                after = t.parameters();
            }
            if (run == 0) {
                double[][] tol = bound.gradientBounds();
                double g = Math.max(OneStepBound.worstRatio(ga, ra, tol[0]),
                        Math.max(OneStepBound.worstRatio(gw, rw, tol[1]), OneStepBound.worstRatio(gb, rb, tol[2])));
                assertTrue(g <= 1, "gradient differs from the reference by " + g + " x its bound");
                double lossRatio = Math.abs(loss - bound.referenceLoss()) / bound.lossBound();
                assertTrue(Math.abs(loss - bound.referenceLoss()) <= bound.lossBound(),
                        "loss " + loss + " differs from the reference " + bound.referenceLoss() + " beyond " + bound.lossBound());
                double[][] stol = bound.stepBounds(lr, c.bias);
                double s = Math.max(OneStepBound.worstRatio(after.outputWeights(), sa, stol[0]),
                        Math.max(OneStepBound.worstRatio(after.inputWeights(), sw, stol[1]),
                                OneStepBound.worstRatio(after.biases(), sb, stol[2])));
                assertTrue(s <= 1, "one step differs from the reference step by " + s + " x its bound");
                assertTrue(Double.isFinite(stepLoss), "loss after the step is " + stepLoss);
                ratios[0] = g;
                ratios[1] = s;
                ratios[2] = Double.isNaN(lossRatio) ? 0 : lossRatio;
            }
            bits[run] = bitsOf(ga, gw, gb, after.outputWeights(), after.inputWeights(), after.biases(),
                    new double[] {loss, stepLoss});
        }
        if (!Arrays.equals(bits[0], bits[1])) {
            fail("threads " + c.threads + " and " + c.otherThreads + " give different bits");
        }
        ratios[3] = zeros;
        return ratios;
    }

    private static double maxAbs(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static long[] bitsOf(double[]... arrays) {
        int total = 0;
        for (double[] arr : arrays) {
            total += arr.length;
        }
        long[] out = new long[total];
        int k = 0;
        for (double[] arr : arrays) {
            for (double v : arr) {
                out[k++] = Double.doubleToRawLongBits(v);
            }
        }
        return out;
    }
}
