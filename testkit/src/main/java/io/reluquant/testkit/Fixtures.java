package io.reluquant.testkit;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;

import java.util.SplittableRandom;

/**
 * Seeded test data shared by the kernel's tests and other modules' tests. Every value is representable in float32, so the float32 kernel and the float64
 * reference start from the SAME numbers and differ only by arithmetic, which the bounds cover.
 */
public final class Fixtures {
    private Fixtures() {}

    /**
     * @param v a number
     * @return v rounded to the nearest float32
     */
    public static double f32(double v) {
        return (float) v;
    }

    /**
     * @param n samples
     * @param d input dimension
     * @param seed the seed
     * @return inputs and targets uniform in [-1, 1], rounded to float32
     */
    public static Dataset data(int n, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = f32(rnd.nextDouble(-1, 1));
        }
        for (int i = 0; i < n; i++) {
            y[i] = f32(rnd.nextDouble(-1, 1));
        }
        return Dataset.of(x, y, d);
    }

    /**
     * Two-class data: targets in {-1, +1} (for the logistic loss).
     *
     * @param n samples
     * @param d input dimension
     * @param seed the seed
     * @return the inputs of {@link #data} with the targets' signs
     */
    public static Dataset classes(int n, int d, long seed) {
        Dataset real = data(n, d, seed);
        double[] y = real.targets();
        for (int i = 0; i < n; i++) {
            y[i] = y[i] >= 0 ? 1 : -1;
        }
        return Dataset.of(real.inputs(), y, d);
    }

    /**
     * Standard-like init rounded to float32, with b != 0 so the bias path is exercised.
     *
     * @param m width
     * @param d input dimension
     * @param seed the seed
     * @return the parameters
     */
    public static Parameters params(int m, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = new double[m];
        double[] w = new double[m * d];
        double[] b = new double[m];
        for (int j = 0; j < m; j++) {
            a[j] = f32(rnd.nextDouble(-1, 1) / Math.sqrt(m));
            b[j] = f32(rnd.nextDouble(-0.5, 0.5));
            for (int k = 0; k < d; k++) {
                w[j * d + k] = f32(rnd.nextDouble(-1, 1) * Math.sqrt(2.0 / d));
            }
        }
        return Parameters.of(a, w, b, d);
    }
}
