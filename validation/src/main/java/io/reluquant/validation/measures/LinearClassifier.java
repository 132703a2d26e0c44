package io.reluquant.validation.measures;

import io.reluquant.kernel.Dataset;

/** The linear classifier beside a network, and the accuracy of sign(f) on labels +-1. */
public final class LinearClassifier {
    private LinearClassifier() {}

    /** @return the share of points with sign(f) = y (f = 0 counts as wrong) */
    public static double accuracy(double[] f, double[] y) {
        int right = 0;
        for (int i = 0; i < f.length; i++) {
            if (f[i] * y[i] > 0) {
                right++;
            }
        }
        return (double) right / f.length;
    }

    /**
     * The linear classifier beside the network: ridge least squares on the same training split,
     * f(x) = w . x + b fit to y = +-1 with a light ridge (alpha = 1e-3 times the mean diagonal of the
     * Gram matrix) so that n &lt; d stays well posed, solved in the dual (n x n) or primal (k x k)
     * form, whichever is smaller.
     *
     * @return test accuracy of sign(f)
     */
    public static double testAccuracy(Dataset train, Dataset test) {
        int n = train.samples();
        int d = train.inputDim();
        int k = d + 1;
        double[] x = augmented(train);
        double[] y = train.targets();
        double[] coef = new double[k];
        if (n <= k) {
            double[] gram = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += x[i * k + c] * x[j * k + c];
                    }
                    gram[i * n + j] = s;
                    gram[j * n + i] = s;
                }
            }
            double[] alpha = solveRidge(gram, n, y.clone());
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    coef[c] += alpha[i] * x[i * k + c];
                }
            }
        } else {
            double[] gram = new double[k * k];
            double[] rhs = new double[k];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double xc = x[i * k + c];
                    rhs[c] += xc * y[i];
                    for (int e = c; e < k; e++) {
                        gram[c * k + e] += xc * x[i * k + e];
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                for (int e = 0; e < c; e++) {
                    gram[c * k + e] = gram[e * k + c];
                }
            }
            coef = solveRidge(gram, k, rhs);
        }
        double[] xs = augmented(test);
        double[] f = new double[test.samples()];
        for (int i = 0; i < f.length; i++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += coef[c] * xs[i * k + c];
            }
            f[i] = s;
        }
        return accuracy(f, test.targets());
    }

    private static double[] augmented(Dataset data) {
        int n = data.samples();
        int d = data.inputDim();
        double[] x = new double[n * (d + 1)];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                x[i * (d + 1) + c] = data.x(i, c);
            }
            x[i * (d + 1) + d] = 1;
        }
        return x;
    }

    // (G + alpha I) z = rhs by Cholesky, alpha = 1e-3 * mean diagonal; G is overwritten
    static double[] solveRidge(double[] gram, int g, double[] rhs) {
        double trace = 0;
        for (int i = 0; i < g; i++) {
            trace += gram[i * g + i];
        }
        double alpha = 1e-3 * trace / g;
        for (int i = 0; i < g; i++) {
            gram[i * g + i] += alpha;
        }
        for (int j = 0; j < g; j++) {
            double s = gram[j * g + j];
            for (int k = 0; k < j; k++) {
                s -= gram[j * g + k] * gram[j * g + k];
            }
            double l = Math.sqrt(s);
            gram[j * g + j] = l;
            for (int i = j + 1; i < g; i++) {
                double t = gram[i * g + j];
                for (int k = 0; k < j; k++) {
                    t -= gram[i * g + k] * gram[j * g + k];
                }
                gram[i * g + j] = t / l;
            }
        }
        double[] z = rhs;
        for (int i = 0; i < g; i++) {
            double s = z[i];
            for (int k = 0; k < i; k++) {
                s -= gram[i * g + k] * z[k];
            }
            z[i] = s / gram[i * g + i];
        }
        for (int i = g - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < g; k++) {
                s -= gram[k * g + i] * z[k];
            }
            z[i] = s / gram[i * g + i];
        }
        return z;
    }
}
