package io.reluquant.validation.measures;

import io.reluquant.kernel.Dataset;

/** The linear classifier beside a network, and the accuracy of sign(f) on labels +-1 (of argmax f on class labels for k outputs). */
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

    /**
     * @param f outputs (q, k) row-major
     * @param labels class labels (q)
     * @return the share of points whose largest output is their label (ties go to the lower class)
     */
    public static double classAccuracy(double[] f, int[] labels, int k) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (f[i * k + c] > f[i * k + best]) {
                    best = c;
                }
            }
            if (best == labels[i]) {
                right++;
            }
        }
        return (double) right / labels.length;
    }

    /**
     * The linear softmax classifier beside a k-output network: f(x) = W x + b, softmax cross-entropy on the
     * same training split plus a light ridge (1e-4 / 2 times the squared norm of W and b), full-batch gradient descent in float64 from
     * zero with step 1 / L, L = lambda_max(X~^T X~ / n) / 2 + 1e-4 (X~ the inputs with a column of ones;
     * the loss's Hessian is at most that, so every step decreases it), {@code steps} steps. Plain loops:
     * a baseline, not a kernel.
     *
     * @param x training inputs (n, d) row-major
     * @param labels training labels (n)
     * @param testX test inputs (q, d)
     * @param testLabels test labels (q)
     * @return test accuracy of argmax f
     */
    public static double softmaxTestAccuracy(double[] x, int[] labels, int d, int k, double[] testX, int[] testLabels, int steps) {
        int n = labels.length;
        int a = d + 1;
        final double ridge = 1e-4;
        // lambda_max of X~^T X~ / n by power iteration (50 rounds from the all-ones vector: an upper estimate
        // is not needed, the step only has to be below 2 / L; 1 / L leaves a factor 2)
        double[] v = new double[a];
        java.util.Arrays.fill(v, 1 / Math.sqrt(a));
        double lambda = 0;
        double[] xv = new double[n];
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < n; i++) {
                double s = v[d];
                for (int c = 0; c < d; c++) {
                    s += x[i * d + c] * v[c];
                }
                xv[i] = s;
            }
            double[] w = new double[a];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < d; c++) {
                    w[c] += x[i * d + c] * xv[i] / n;
                }
                w[d] += xv[i] / n;
            }
            double norm = 0;
            for (double e : w) {
                norm += e * e;
            }
            norm = Math.sqrt(norm);
            lambda = norm; // |A v| with |v| = 1
            for (int c = 0; c < a; c++) {
                v[c] = w[c] / norm;
            }
        }
        double lr = 1 / (lambda / 2 + ridge);
        double[] coef = new double[k * a]; // row c: class c's weights, then its bias
        double[] grad = new double[k * a];
        double[] p = new double[k];
        for (int step = 0; step < steps; step++) {
            java.util.Arrays.fill(grad, 0);
            for (int i = 0; i < n; i++) {
                logits(coef, x, i, d, k, p, 0);
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, p[c]);
                }
                double z = 0;
                for (int c = 0; c < k; c++) {
                    p[c] = Math.exp(p[c] - max);
                    z += p[c];
                }
                for (int c = 0; c < k; c++) {
                    double r = (p[c] / z - (labels[i] == c ? 1 : 0)) / n;
                    for (int e = 0; e < d; e++) {
                        grad[c * a + e] += r * x[i * d + e];
                    }
                    grad[c * a + d] += r;
                }
            }
            for (int j = 0; j < coef.length; j++) {
                coef[j] -= lr * (grad[j] + ridge * coef[j]);
            }
        }
        int q = testLabels.length;
        double[] f = new double[q * k];
        for (int i = 0; i < q; i++) {
            logits(coef, testX, i, d, k, f, i * k);
        }
        return classAccuracy(f, testLabels, k);
    }

    // out[at + c] = W_c . x_i + b_c, coef row c holding W_c then b_c
    private static void logits(double[] coef, double[] x, int i, int d, int k, double[] out, int at) {
        int a = d + 1;
        for (int c = 0; c < k; c++) {
            double s = coef[c * a + d];
            for (int e = 0; e < d; e++) {
                s += coef[c * a + e] * x[i * d + e];
            }
            out[at + c] = s;
        }
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
