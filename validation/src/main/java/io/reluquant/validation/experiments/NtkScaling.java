package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;

/**
 * Learning rates of the NTK scaling for the standard contrast (docs/THEORY.md section 3): lr_a = eta/m
 * for the output weights and lr_v = eta for (w, b). Under L = (1/(2n)) sum r^2 the loss Hessian is
 * J^T J / n plus a residual term; with the per-block rates P = diag(eta/m, eta) GD is stable while
 * eta lambda_max(P^(1/2) H P^(1/2)) &lt; 2. The Gauss-Newton part has the same nonzero eigenvalues as
 * the n x n tangent kernel
 *
 *     K_ik = (1/n) [ (1/m) sum_j relu(z_ij) relu(z_kj) + sum_j a_j^2 [z_ij &gt; 0][z_kj &gt; 0] x~_i . x~_k ],
 *
 * which this class builds exactly and whose largest eigenvalue it finds by power iteration. The
 * residual term couples a_j with v_j only ((1/n) sum_i r_i [z_ij &gt; 0] x~_i per neuron, scaled by
 * eta / sqrt(m) after preconditioning), so it vanishes with the width and is not included.
 */
public final class NtkScaling {
    /** eta = this / lambda_max: half the stability limit 2 / lambda_max, a margin for the kernel's drift during training. */
    public static final double ETA_FRACTION_OF_LIMIT = 0.5;
    private static final int POWER_ITERATIONS = 500;

    private NtkScaling() {}

    /**
     * @param eta the hidden-block rate (the output block gets eta / m)
     * @param lambdaMax the largest eigenvalue of the tangent kernel K at the initialization
     * @param width m
     */
    public record Rates(double eta, double lambdaMax, int width) {
        /** @return eta / m, the output block's rate */
        public double output() {
            return eta / width;
        }

        /** @return eta, the hidden block's rate */
        public double hidden() {
            return eta;
        }
    }

    /** @return eta = {@link #ETA_FRACTION_OF_LIMIT} * 2 / lambda_max(K) at {@code init} */
    public static Rates rates(Dataset data, Parameters init) {
        double lambda = largestEigenvalue(tangentKernel(data, init));
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("the tangent kernel at this initialization is zero (every neuron dead?), lambda_max = " + lambda);
        }
        return new Rates(ETA_FRACTION_OF_LIMIT * 2 / lambda, lambda, init.width());
    }

    /** @return K (n x n) of the class comment, with the biases on */
    public static double[][] tangentKernel(Dataset data, Parameters p) {
        int n = data.samples();
        int d = data.inputDim();
        int m = p.width();
        double[][] k = new double[n][n];
        double[] z = new double[n];
        double[] xx = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < n; l++) {
                double s = 1;
                for (int c = 0; c < d; c++) {
                    s += data.x(i, c) * data.x(l, c);
                }
                xx[i * n + l] = s;
            }
        }
        for (int j = 0; j < m; j++) {
            double a2 = p.a(j) * p.a(j);
            for (int i = 0; i < n; i++) {
                double s = p.b(j);
                for (int c = 0; c < d; c++) {
                    s += p.w(j, c) * data.x(i, c);
                }
                z[i] = s;
            }
            for (int i = 0; i < n; i++) {
                if (z[i] <= 0) {
                    continue;
                }
                for (int l = 0; l < n; l++) {
                    if (z[l] > 0) {
                        k[i][l] += z[i] * z[l] / m + a2 * xx[i * n + l];
                    }
                }
            }
        }
        for (double[] row : k) {
            for (int l = 0; l < n; l++) {
                row[l] /= n;
            }
        }
        return k;
    }

    /** @return the largest eigenvalue of a symmetric positive semi-definite matrix, by power iteration */
    public static double largestEigenvalue(double[][] k) {
        int n = k.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 1 + 0.01 * i; // not orthogonal to the top eigenvector of a nonnegative matrix
        }
        double lambda = 0;
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            double[] u = new double[n];
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < n; l++) {
                    u[i] += k[i][l] * v[l];
                }
            }
            double norm = 0;
            for (double e : u) {
                norm += e * e;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return 0;
            }
            double previous = lambda;
            lambda = norm;
            for (int i = 0; i < n; i++) {
                v[i] = u[i] / norm;
            }
            if (it > 10 && Math.abs(lambda - previous) <= 1e-12 * lambda) {
                break;
            }
        }
        return lambda;
    }
}
