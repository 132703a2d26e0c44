package io.reluquant.kernel;

import java.util.SplittableRandom;

/**
 * Seeded test data. Every value is representable in float32, so the float32 kernel and the float64
 * reference start from the SAME numbers and differ only by arithmetic, which the bounds cover.
 */
final class Fixtures {
    private Fixtures() {}

    static double f32(double v) {
        return (float) v;
    }

    static Dataset data(int n, int d, long seed) {
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

    /** Two-class data: targets in {-1, +1} (for the logistic loss). */
    static Dataset classes(int n, int d, long seed) {
        Dataset real = data(n, d, seed);
        double[] y = real.targets();
        for (int i = 0; i < n; i++) {
            y[i] = y[i] >= 0 ? 1 : -1;
        }
        return Dataset.of(real.inputs(), y, d);
    }

    /** Standard-like init rounded to float32, with b != 0 so the bias path is exercised. */
    static Parameters params(int m, int d, long seed) {
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

    static double unitRoundoff(Precision p) {
        return p == Precision.FLOAT32 ? 0x1p-24 : 0x1p-53;
    }
}
