package io.reluquant.validation.measures;

import io.reluquant.kernel.Parameters;
import java.util.Random;

/** The stable rank of a network's first layer: about how many directions it uses. */
public final class StableRank {
    private StableRank() {}

    /**
     * Stable rank ||W||_F^2 / ||W||_2^2 of the first-layer matrix W (m, d), biases left out: about the
     * number of directions the first layer uses (1 for rank one, min(m, d) for an isotropic matrix).
     * ||W||_2^2 is the top eigenvalue of the smaller Gram matrix, by power iteration to 1e-12 relative.
     */
    public static double of(Parameters p) {
        int m = p.width();
        int d = p.inputDim();
        double[] w = p.inputWeights();
        boolean rows = m <= d;
        int g = rows ? m : d;
        double[] gram = new double[g * g];
        if (rows) {
            for (int i = 0; i < m; i++) {
                for (int j = i; j < m; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += w[i * d + k] * w[j * d + k];
                    }
                    gram[i * g + j] = s;
                    gram[j * g + i] = s;
                }
            }
        } else {
            for (int j = 0; j < m; j++) {
                int o = j * d;
                for (int k = 0; k < d; k++) {
                    double wk = w[o + k];
                    if (wk == 0) {
                        continue;
                    }
                    for (int l = k; l < d; l++) {
                        gram[k * g + l] += wk * w[o + l];
                    }
                }
            }
            for (int k = 0; k < d; k++) {
                for (int l = 0; l < k; l++) {
                    gram[k * g + l] = gram[l * g + k];
                }
            }
        }
        double frob = 0;
        for (int k = 0; k < g; k++) {
            frob += gram[k * g + k];
        }
        if (frob == 0) {
            return Double.NaN;
        }
        double top = topEigenvalue(gram, g);
        return frob / top;
    }

    // power iteration on a symmetric positive semidefinite matrix; the Rayleigh quotient converges
    // quadratically in the vector's error, so a few hundred iterations suffice even for a flat spectrum
    static double topEigenvalue(double[] a, int g) {
        double[] v = new double[g];
        Random rnd = new Random(12345);
        for (int k = 0; k < g; k++) {
            v[k] = rnd.nextDouble() + 0.5;
        }
        double lambda = 0;
        double[] next = new double[g];
        for (int it = 0; it < 2000; it++) {
            double norm = 0;
            for (double e : v) {
                norm += e * e;
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < g; k++) {
                v[k] /= norm;
            }
            double rq = 0;
            for (int k = 0; k < g; k++) {
                double s = 0;
                for (int l = 0; l < g; l++) {
                    s += a[k * g + l] * v[l];
                }
                next[k] = s;
                rq += s * v[k];
            }
            double[] t = v;
            v = next;
            next = t;
            if (Math.abs(rq - lambda) <= 1e-12 * rq) {
                return rq;
            }
            lambda = rq;
        }
        return lambda;
    }
}
