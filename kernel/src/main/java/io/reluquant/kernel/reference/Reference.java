package io.reluquant.kernel.reference;

import io.reluquant.kernel.Loss;

/**
 * The naive reference: the spec of what every kernel computes, written as the plainest float64 loops
 * straight from the formulas of docs/THEORY.md section 1 (in the source repository, not in the jar). It stays naive on purpose (no fusion, no
 * blocking, no reordering); fast paths are proven equal to it within derived error bounds.
 *
 * <p>Shapes: width m, input dimension d, q or n samples. a is (m), w is (m, d) row-major (neuron j's
 * weights at w[j*d + k]), b is (m); x is (n, d) row-major, y is (n).
 *
 * <pre>
 *   f(x)     = sum_j a_j relu(z_j),  z_j = w_j . x + b_j
 *   L        = (1/n) sum_i loss(f(x_i), y_i),   r_i = d loss(f_i, y_i) / df_i
 *              square:   loss = (f - y)^2 / 2,      r_i = f(x_i) - y_i
 *              logistic: loss = log(1 + exp(-y f)), r_i = -y_i sigmoid(-y_i f(x_i))   (y in {-1, +1})
 *   dL/da_j  = (1/n) sum_i r_i relu(z_ij)
 *   dL/dw_jk = (1/n) a_j sum_i r_i [z_ij > 0] x_ik      (relu'(0) = 0)
 *   dL/db_j  = (1/n) a_j sum_i r_i [z_ij > 0]
 * </pre>
 *
 * <p>With k outputs (docs/THEORY.md section 10; the methods that take {@code outputs}): a is (m, k)
 * row-major (neuron j's output weights at a[j*k .. j*k+k)), f(x_i) and r_i are k-vectors stored
 * (q, k) row-major, y is (n, k) for the square loss or (n) class labels for the softmax cross-entropy:
 *
 * <pre>
 *   f(x)     = sum_j a_j relu(z_j)                               (a k-vector)
 *   square:  L = (1/(2n)) sum_i |f(x_i) - y_i|^2,                r_i = f(x_i) - y_i
 *   softmax cross-entropy: L = (1/n) sum_i [logsumexp(f(x_i)) - f_{c_i}(x_i)], r_i = softmax(f(x_i)) - e_{c_i}
 *   dL/da_j  = (1/n) sum_i relu(z_ij) r_i                       (a k-vector)
 *   dL/dw_jk = (1/n) sum_i (a_j . r_i) [z_ij > 0] x_ik
 *   dL/db_j  = (1/n) sum_i (a_j . r_i) [z_ij > 0]
 * </pre>
 *
 * For k = 1 the k-output methods compute the same quantities but round differently (a_j . r_i per
 * pair instead of a_j outside the sum); the methods without {@code outputs} are the k = 1 spec.
 */
public final class Reference {
    private Reference() {}

    /**
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param j the neuron
     * @param x inputs (n, d) row-major
     * @param i the sample
     * @return the pre-activation z = w_j . x_i + b_j of neuron j at sample i
     */
    public static double preActivation(double[] w, double[] b, int d, int j, double[] x, int i) {
        double z = b[j];
        for (int k = 0; k < d; k++) {
            z += w[j * d + k] * x[i * d + k];
        }
        return z;
    }

    /**
     * @param a output weights (m)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param x inputs (q, d) row-major
     * @return f(x_i) for every row of x (q)
     */
    public static double[] forward(double[] a, double[] w, double[] b, int d, double[] x) {
        int q = x.length / d;
        double[] out = new double[q];
        for (int i = 0; i < q; i++) {
            double f = 0;
            for (int j = 0; j < a.length; j++) {
                f += a[j] * Math.max(preActivation(w, b, d, j, x, i), 0);
            }
            out[i] = f;
        }
        return out;
    }

    /**
     * Residuals of the square loss.
     *
     * @param a output weights (m)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @return residuals r_i = f(x_i) - y_i (n)
     */
    public static double[] residuals(double[] a, double[] w, double[] b, int d, double[] x, double[] y) {
        return residuals(a, w, b, d, x, y, Loss.SQUARE);
    }

    /**
     * Residuals of any loss.
     *
     * @param a output weights (m)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param loss the loss
     * @return residuals r_i = d loss(f_i, y_i) / df_i (n)
     */
    public static double[] residuals(double[] a, double[] w, double[] b, int d, double[] x, double[] y, Loss loss) {
        double[] f = forward(a, w, b, d, x);
        double[] r = new double[f.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = loss.residual(f[i], y[i]);
        }
        return r;
    }

    /**
     * The square loss.
     *
     * @param a output weights (m)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @return L = (1/(2n)) sum_i r_i^2
     */
    public static double loss(double[] a, double[] w, double[] b, int d, double[] x, double[] y) {
        return loss(a, w, b, d, x, y, Loss.SQUARE);
    }

    /**
     * Any loss.
     *
     * @param a output weights (m)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param loss the loss
     * @return L = (1/n) sum_i loss(f(x_i), y_i)
     */
    public static double loss(double[] a, double[] w, double[] b, int d, double[] x, double[] y, Loss loss) {
        double[] f = forward(a, w, b, d, x);
        double sum = 0;
        for (int i = 0; i < f.length; i++) {
            sum += loss.value(f[i], y[i]);
        }
        return sum / f.length;
    }

    /**
     * The full-batch gradient of the square loss at (a, w, b).
     *
     * @param a output weights (m)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param ga receives dL/da (m)
     * @param gw receives dL/dw (m, d) row-major
     * @param gb receives dL/db (m)
     */
    public static void gradient(double[] a, double[] w, double[] b, int d, double[] x, double[] y,
                                double[] ga, double[] gw, double[] gb) {
        gradient(a, w, b, d, x, y, Loss.SQUARE, ga, gw, gb);
    }

    /**
     * The full-batch gradient of any loss at (a, w, b).
     *
     * @param a output weights (m)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param loss the loss
     * @param ga receives dL/da (m)
     * @param gw receives dL/dw (m, d) row-major
     * @param gb receives dL/db (m)
     */
    public static void gradient(double[] a, double[] w, double[] b, int d, double[] x, double[] y, Loss loss,
                                double[] ga, double[] gw, double[] gb) {
        int n = y.length;
        double[] r = residuals(a, w, b, d, x, y, loss);
        for (int j = 0; j < a.length; j++) {
            double sumA = 0;
            double sumB = 0;
            double[] sumW = new double[d];
            for (int i = 0; i < n; i++) {
                double z = preActivation(w, b, d, j, x, i);
                sumA += r[i] * Math.max(z, 0);
                if (z > 0) {
                    sumB += r[i];
                    for (int k = 0; k < d; k++) {
                        sumW[k] += r[i] * x[i * d + k];
                    }
                }
            }
            ga[j] = sumA / n;
            gb[j] = a[j] * sumB / n;
            for (int k = 0; k < d; k++) {
                gw[j * d + k] = a[j] * sumW[k] / n;
            }
        }
    }

    /**
     * One full-batch GD step of the square loss in place: every parameter moves by -lr times its
     * gradient at the current point (all gradients are taken before any parameter moves). Without bias
     * b is left as it is.
     *
     * @param a output weights (m), updated
     * @param w input weights (m, d) row-major, updated
     * @param b biases (m), updated unless bias is false
     * @param d input dimension
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param lr learning rate
     * @param bias whether b moves
     */
    public static void step(double[] a, double[] w, double[] b, int d, double[] x, double[] y,
                            double lr, boolean bias) {
        step(a, w, b, d, x, y, Loss.SQUARE, lr, lr, bias);
    }

    /**
     * One full-batch GD step in place: a moves by -lrOutput times its gradient, w and b by -lrHidden
     * times theirs, all gradients taken at the current point. Without bias b is left as it is.
     *
     * @param a output weights (m), updated
     * @param w input weights (m, d) row-major, updated
     * @param b biases (m), updated unless bias is false
     * @param d input dimension
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param loss the loss
     * @param lrOutput learning rate of a
     * @param lrHidden learning rate of w and b
     * @param bias whether b moves
     */
    public static void step(double[] a, double[] w, double[] b, int d, double[] x, double[] y, Loss loss,
                            double lrOutput, double lrHidden, boolean bias) {
        double[] ga = new double[a.length];
        double[] gw = new double[w.length];
        double[] gb = new double[b.length];
        gradient(a, w, b, d, x, y, loss, ga, gw, gb);
        for (int j = 0; j < a.length; j++) {
            a[j] -= lrOutput * ga[j];
            if (bias) {
                b[j] -= lrHidden * gb[j];
            }
        }
        for (int jk = 0; jk < w.length; jk++) {
            w[jk] -= lrHidden * gw[jk];
        }
    }

    // ------------------------------------------------------------------ k outputs

    /**
     * @param a output weights (m, k) row-major
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param outputs k
     * @param x inputs (q, d) row-major
     * @return f(x_i) for every row of x, (q, k) row-major
     */
    public static double[] forward(double[] a, double[] w, double[] b, int d, int outputs, double[] x) {
        int q = x.length / d;
        int m = b.length;
        double[] out = new double[q * outputs];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < m; j++) {
                double h = Math.max(preActivation(w, b, d, j, x, i), 0);
                for (int c = 0; c < outputs; c++) {
                    out[i * outputs + c] += a[j * outputs + c] * h;
                }
            }
        }
        return out;
    }

    /**
     * Residuals with k outputs.
     *
     * @param a output weights (m, k) row-major
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param outputs k
     * @param x inputs (n, d) row-major
     * @param y targets: (n, k) for SQUARE, (n) class labels for SOFTMAX_CROSS_ENTROPY
     * @param loss the loss
     * @return residuals r_i = n dL/df(x_i), (n, k) row-major
     */
    public static double[] residuals(double[] a, double[] w, double[] b, int d, int outputs, double[] x, double[] y,
                                     Loss loss) {
        double[] f = forward(a, w, b, d, outputs, x);
        int n = x.length / d;
        int t = loss.targetsPerSample(outputs);
        double[] r = new double[n * outputs];
        for (int i = 0; i < n; i++) {
            loss.residual(f, i * outputs, outputs, y, i * t, r, i * outputs);
        }
        return r;
    }

    /**
     * The loss with k outputs.
     *
     * @param a output weights (m, k) row-major
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param outputs k
     * @param x inputs (n, d) row-major
     * @param y targets: (n, k) for SQUARE, (n) class labels for SOFTMAX_CROSS_ENTROPY
     * @param loss the loss
     * @return L = (1/n) sum_i loss(f(x_i), y_i)
     */
    public static double loss(double[] a, double[] w, double[] b, int d, int outputs, double[] x, double[] y, Loss loss) {
        double[] f = forward(a, w, b, d, outputs, x);
        int n = x.length / d;
        int t = loss.targetsPerSample(outputs);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += loss.value(f, i * outputs, outputs, y, i * t);
        }
        return sum / n;
    }

    /**
     * The full-batch gradient with k outputs.
     *
     * @param a output weights (m, k) row-major
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param d input dimension
     * @param outputs k
     * @param x inputs (n, d) row-major
     * @param y targets: (n, k) for SQUARE, (n) class labels for SOFTMAX_CROSS_ENTROPY
     * @param loss the loss
     * @param ga receives dL/da, (m, k) row-major
     * @param gw receives dL/dw (m, d) row-major
     * @param gb receives dL/db (m)
     */
    public static void gradient(double[] a, double[] w, double[] b, int d, int outputs, double[] x, double[] y, Loss loss,
                                double[] ga, double[] gw, double[] gb) {
        int n = x.length / d;
        int m = b.length;
        double[] r = residuals(a, w, b, d, outputs, x, y, loss);
        for (int j = 0; j < m; j++) {
            double[] sumA = new double[outputs];
            double sumB = 0;
            double[] sumW = new double[d];
            for (int i = 0; i < n; i++) {
                double z = preActivation(w, b, d, j, x, i);
                for (int c = 0; c < outputs; c++) {
                    sumA[c] += Math.max(z, 0) * r[i * outputs + c];
                }
                if (z > 0) {
                    double s = 0; // a_j . r_i
                    for (int c = 0; c < outputs; c++) {
                        s += a[j * outputs + c] * r[i * outputs + c];
                    }
                    sumB += s;
                    for (int k = 0; k < d; k++) {
                        sumW[k] += s * x[i * d + k];
                    }
                }
            }
            for (int c = 0; c < outputs; c++) {
                ga[j * outputs + c] = sumA[c] / n;
            }
            gb[j] = sumB / n;
            for (int k = 0; k < d; k++) {
                gw[j * d + k] = sumW[k] / n;
            }
        }
    }

    /**
     * One full-batch GD step with k outputs in place (as {@link #step(double[], double[], double[], int,
     * double[], double[], Loss, double, double, boolean)}).
     *
     * @param a output weights (m, k) row-major, updated
     * @param w input weights (m, d) row-major, updated
     * @param b biases (m), updated unless bias is false
     * @param d input dimension
     * @param outputs k
     * @param x inputs (n, d) row-major
     * @param y targets: (n, k) for SQUARE, (n) class labels for SOFTMAX_CROSS_ENTROPY
     * @param loss the loss
     * @param lrOutput learning rate of a
     * @param lrHidden learning rate of w and b
     * @param bias whether b moves
     */
    public static void step(double[] a, double[] w, double[] b, int d, int outputs, double[] x, double[] y, Loss loss,
                            double lrOutput, double lrHidden, boolean bias) {
        double[] ga = new double[a.length];
        double[] gw = new double[w.length];
        double[] gb = new double[b.length];
        gradient(a, w, b, d, outputs, x, y, loss, ga, gw, gb);
        for (int jc = 0; jc < a.length; jc++) {
            a[jc] -= lrOutput * ga[jc];
        }
        for (int j = 0; j < b.length; j++) {
            if (bias) {
                b[j] -= lrHidden * gb[j];
            }
        }
        for (int jk = 0; jk < w.length; jk++) {
            w[jk] -= lrHidden * gw[jk];
        }
    }

    // ------------------------------------------------------------------ optimizers

    /**
     * One momentum step with decoupled weight decay on a parameter array, straight from the formula
     * (io.reluquant.kernel.Optimizer#momentum): v = mu v + g, p = (1 - lr decay) p + (-lr) v.
     *
     * @param p parameters, updated
     * @param v velocity, updated
     * @param g the gradient dL/dp
     * @param lr learning rate
     * @param mu momentum
     * @param weightDecay decoupled decay per unit of lr
     */
    public static void momentumStep(double[] p, double[] v, double[] g, double lr, double mu, double weightDecay) {
        double scale = 1 - lr * weightDecay;
        for (int i = 0; i < p.length; i++) {
            v[i] = mu * v[i] + g[i];
            p[i] = scale * p[i] + (-lr) * v[i];
        }
    }

    /**
     * One AdamW step on a parameter array, straight from the formula (io.reluquant.kernel.Optimizer#adamW):
     * m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) (g g),
     * p = (1 - lr decay) p + (-lr) ((m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)).
     *
     * @param p parameters, updated
     * @param m first moment, updated
     * @param v second moment, updated
     * @param g the gradient dL/dp
     * @param lr learning rate
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to the root of the second moment
     * @param weightDecay decoupled decay per unit of lr
     * @param t this step's number, from 1
     */
    public static void adamWStep(double[] p, double[] m, double[] v, double[] g, double lr, double beta1, double beta2,
                                 double eps, double weightDecay, long t) {
        double scale = 1 - lr * weightDecay;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < p.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * (g[i] * g[i]);
            p[i] = scale * p[i] + (-lr) * ((m[i] / c1) / (Math.sqrt(v[i] / c2) + eps));
        }
    }
}
