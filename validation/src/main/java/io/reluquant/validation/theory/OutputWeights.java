package io.reluquant.validation.theory;

import io.reluquant.io.data.VectorDataSets;

/**
 * The k-vector sample weights c_i = -r_i of the vector-output oracle (docs/THEORY.md section 10), an
 * n x k matrix: g(u) = sum_i c_i relu(u . x~_i). At a small initialization f is close to 0, so the
 * residual is r_i = -y_i under the square loss (c_i = y_i) and r_i = (1/k) 1 - e_{c_i} under softmax
 * cross-entropy with class labels (c_i = e_{c_i} - (1/k) 1); in later phases c_i = -r_i with the
 * residuals of that moment.
 */
public final class OutputWeights {
    private final int samples;
    private final int outputs;
    private final double[] c;

    private OutputWeights(int samples, int outputs, double[] c) {
        this.samples = samples;
        this.outputs = outputs;
        this.c = c;
    }

    /**
     * Square loss at initialization: c_i = y_i.
     *
     * @param y targets (n, k) row-major
     */
    public static OutputWeights square(double[] y, int n, int k) {
        return of(y, n, k, 1, "y");
    }

    /**
     * Any moment: c_i = -r_i.
     *
     * @param residuals r (n, k) row-major, r_i = n dL/df(x_i)
     */
    public static OutputWeights residuals(double[] residuals, int n, int k) {
        return of(residuals, n, k, -1, "residuals");
    }

    /**
     * Softmax cross-entropy at initialization (f = 0, softmax = (1/k) 1): c_i = e_{label_i} - (1/k) 1.
     *
     * @param labels class labels in [0, k)
     * @param k the number of classes, at least 2
     */
    public static OutputWeights softmax(int[] labels, int k) {
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("labels must hold at least one sample, got " + (labels == null ? "null" : "0"));
        }
        if (k < 2) {
            throw new IllegalArgumentException("softmax needs k >= 2 classes, got k = " + k);
        }
        double[] c = new double[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label[" + i + "] = " + labels[i] + " is not a class in [0, " + k + ")");
            }
            for (int o = 0; o < k; o++) {
                c[i * k + o] = (o == labels[i] ? 1.0 : 0.0) - 1.0 / k;
            }
        }
        return new OutputWeights(labels.length, k, c);
    }

    /**
     * The oracle's weights of a synthetic k-output set at a small initialization.
     *
     * @param set a square-loss or softmax set
     * @return y_i (square) or e_{c_i} - (1/k) 1 (softmax)
     */
    public static OutputWeights of(VectorDataSets.VectorSet set) {
        return set.softmax() ? softmax(set.labels(), set.k()) : square(set.targets(), set.samples(), set.k());
    }

    private static OutputWeights of(double[] values, int n, int k, double sign, String name) {
        if (n < 1 || k < 1) {
            throw new IllegalArgumentException("n and k must be >= 1, got n = " + n + ", k = " + k);
        }
        if (values == null || values.length != (long) n * k) {
            throw new IllegalArgumentException(name + " must hold n * k = " + n + " * " + k + " values, got "
                    + (values == null ? "null" : String.valueOf(values.length)));
        }
        double[] c = new double[values.length];
        for (int i = 0; i < c.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + (i / k) + "][" + (i % k) + "] = " + values[i] + " is not finite");
            }
            c[i] = sign * values[i];
        }
        return new OutputWeights(n, k, c);
    }

    /** @return n */
    public int samples() {
        return samples;
    }

    /** @return k, the number of outputs */
    public int outputs() {
        return outputs;
    }

    /** @return c_i[o] */
    public double c(int i, int o) {
        return c[i * outputs + o];
    }

    /** @return |c_i| */
    double rowNorm(int i) {
        double s = 0;
        for (int o = 0; o < outputs; o++) {
            s += c[i * outputs + o] * c[i * outputs + o];
        }
        return Math.sqrt(s);
    }

    /** @return the weights of output o alone (length n), the scalar oracle's c for that output */
    public double[] column(int o) {
        if (o < 0 || o >= outputs) {
            throw new IllegalArgumentException("output must be in [0, " + outputs + "), got " + o);
        }
        double[] col = new double[samples];
        for (int i = 0; i < samples; i++) {
            col[i] = c[i * outputs + o];
        }
        return col;
    }
}
