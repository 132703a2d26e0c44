package io.reluquant.validation.match;

import io.reluquant.kernel.Dataset;
import java.util.Random;

/** Seeded training sets for trajectory comparisons when the user brings no files. */
public final class SyntheticData {
    private SyntheticData() {}

    /** docs/THEORY.md section 5: x = (-1, -0.5, 0, 0.5, 1), y = (0.8, -0.9, -0.8, -0.9, 0.8). */
    public static Dataset theory1d() {
        return Dataset.of(new double[] {-1, -0.5, 0, 0.5, 1}, new double[] {0.8, -0.9, -0.8, -0.9, 0.8}, 1);
    }

    /**
     * n points uniform in [-1, 1]^d with targets y = |x_1| - 0.5 sum_{k>1} x_k / sqrt(d) + 0.1 noise:
     * a kinked target that a ReLU network needs several neurons for.
     */
    public static Dataset random(int n, int d, long seed) {
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
