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

    /**
     * @param n samples
     * @param d input dimension
     * @param k targets per sample
     * @param seed seed of the draws
     * @return x in [-1, 1)^(n x d) and y in [-1, 1)^(n x k), all float32 numbers, float64 storage
     */
    public static Dataset data(int n, int d, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n * d];
        double[] y = new double[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = f32(rnd.nextDouble(-1, 1));
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = f32(rnd.nextDouble(-1, 1));
        }
        return Dataset.of(x, y, d, k);
    }

    /**
     * @param n samples
     * @param d input dimension
     * @param k classes
     * @param seed seed of the draws
     * @return x in [-1, 1)^(n x d) (float32 numbers) with uniform labels in [0, k)
     */
    public static Dataset labelled(int n, int d, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = f32(rnd.nextDouble(-1, 1));
        }
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(k);
        }
        return Dataset.ofClasses(x, labels, d, k);
    }

    /**
     * @param m width
     * @param d input dimension
     * @param k outputs
     * @param seed seed of the draws
     * @return parameters as {@link #params(int, int, long)} with a of shape (m, k), float32 numbers
     */
    public static Parameters params(int m, int d, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = new double[m * k];
        double[] w = new double[m * d];
        double[] b = new double[m];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < k; c++) {
                a[j * k + c] = f32(rnd.nextDouble(-1, 1) / Math.sqrt(m));
            }
            b[j] = f32(rnd.nextDouble(-0.5, 0.5));
            for (int q = 0; q < d; q++) {
                w[j * d + q] = f32(rnd.nextDouble(-1, 1) * Math.sqrt(2.0 / d));
            }
        }
        return Parameters.of(a, w, b, d, k);
    }
}
