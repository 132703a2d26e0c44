package io.reluquant.io.data;

import io.reluquant.kernel.Dataset;
import java.util.Random;

/** The synthetic data sets of the experiments and of the trajectory comparisons, all deterministic. */
public final class DataSets {
    private DataSets() {}

    /** docs/THEORY.md section 5: x = (-1, -0.5, 0, 0.5, 1), y = (0.8, -0.9, -0.8, -0.9, 0.8). */
    public static Dataset fivePoint() {
        return Dataset.of(new double[] {-1, -0.5, 0, 0.5, 1}, new double[] {0.8, -0.9, -0.8, -0.9, 0.8}, 1);
    }

    /**
     * A random 1-D set: n sorted points uniform in [-1, 1], targets y = sin(3x) + 0.3 * N(0, 1)
     * (a wiggly target, so that several attractors of both signs exist).
     */
    public static Dataset random1d(int n, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * rnd.nextDouble() - 1;
        }
        java.util.Arrays.sort(x);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(3 * x[i]) + 0.3 * rnd.nextGaussian();
        }
        return Dataset.of(x, y, 1);
    }

    /**
     * A 2-D set: n points uniform in [-1, 1]^2 with targets from a teacher of two ReLU neurons of
     * opposite signs, y = relu(x1 + 0.5 x2 - 0.2) - relu(-x1 + x2 - 0.3) + 0.05 * N(0, 1).
     */
    public static Dataset twoD(int n, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double x1 = 2 * rnd.nextDouble() - 1;
            double x2 = 2 * rnd.nextDouble() - 1;
            x[2 * i] = x1;
            x[2 * i + 1] = x2;
            y[i] = Math.max(0, x1 + 0.5 * x2 - 0.2) - Math.max(0, -x1 + x2 - 0.3) + 0.05 * rnd.nextGaussian();
        }
        return Dataset.of(x, y, 2);
    }

    /** docs/THEORY.md section 6: X = identity (n = d = 4), y = (1, 1, -1, -1); train without bias. */
    public static Dataset orthogonal() {
        double[] x = new double[16];
        for (int i = 0; i < 4; i++) {
            x[i * 4 + i] = 1;
        }
        return Dataset.of(x, new double[] {1, 1, -1, -1}, 4);
    }

    /**
     * n points uniform in [-1, 1]^d with targets y = |x_1| - 0.5 sum_{k>1} x_k / sqrt(d) + 0.1 noise:
     * a kinked target that a ReLU network needs several neurons for (trajectory comparisons when the user brings no files).
     */
    public static Dataset kinked(int n, int d, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int k = 0; k < d; k++) {
                x[i * d + k] = 2 * random.nextDouble() - 1;
                t += k == 0 ? Math.abs(x[i * d]) : -0.5 * x[i * d + k] / Math.sqrt(d);
            }
            y[i] = t + 0.1 * random.nextGaussian();
        }
        return Dataset.of(x, y, d);
    }
}
