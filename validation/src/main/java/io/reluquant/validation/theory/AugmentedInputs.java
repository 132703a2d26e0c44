package io.reluquant.validation.theory;

import io.reluquant.kernel.Dataset;
import java.util.BitSet;

/**
 * The training inputs seen from a neuron: rows x~_i = (x_i, 1) with bias, x~_i = x_i without, so that
 * the pre-activation of neuron v is v . x~_i (docs/THEORY.md section 1). Neuron space has dimension
 * k = d + 1 (bias) or k = d. Holds the sector geometry every oracle and measure shares: the
 * activation set sigma(u), the drive D_sigma and the potential G(u).
 */
public final class AugmentedInputs {
    private final int samples;
    private final int dim;
    private final boolean bias;
    private final double[] rows;

    private AugmentedInputs(int samples, int dim, boolean bias, double[] rows) {
        this.samples = samples;
        this.dim = dim;
        this.bias = bias;
        this.rows = rows;
    }

    /** @param data the training set; @param bias whether neurons carry a bias (adds the constant 1 coordinate) */
    public static AugmentedInputs of(Dataset data, boolean bias) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        int n = data.samples();
        int d = data.inputDim();
        int k = bias ? d + 1 : d;
        double[] rows = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                rows[i * k + c] = data.x(i, c);
            }
            if (bias) {
                rows[i * k + d] = 1;
            }
        }
        return new AugmentedInputs(n, k, bias, rows);
    }

    /**
     * The same rows from bare inputs, for oracles whose targets are not one number per sample (k outputs).
     *
     * @param x inputs (n, d) row-major
     * @param d the input dimension
     * @param bias whether neurons carry a bias
     */
    public static AugmentedInputs of(double[] x, int d, boolean bias) {
        if (x == null || d < 1 || x.length == 0 || x.length % d != 0) {
            throw new IllegalArgumentException("x must hold n * d values with n >= 1, d = " + d + ", got "
                    + (x == null ? "null" : String.valueOf(x.length)));
        }
        int n = x.length / d;
        int k = bias ? d + 1 : d;
        double[] rows = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                if (!Double.isFinite(x[i * d + c])) {
                    throw new IllegalArgumentException("x[" + i + "][" + c + "] = " + x[i * d + c] + " is not finite");
                }
                rows[i * k + c] = x[i * d + c];
            }
            if (bias) {
                rows[i * k + d] = 1;
            }
        }
        return new AugmentedInputs(n, k, bias, rows);
    }

    /** @return n */
    public int samples() {
        return samples;
    }

    /** @return k, the dimension of neuron space */
    public int dim() {
        return dim;
    }

    /** @return whether the last coordinate is the bias */
    public boolean bias() {
        return bias;
    }

    /** @return coordinate c of x~_i */
    public double x(int i, int c) {
        return rows[i * dim + c];
    }

    /** @return v . x~_i for a vector v of length k */
    public double dot(double[] v, int i) {
        double s = 0;
        for (int c = 0; c < dim; c++) {
            s += v[c] * rows[i * dim + c];
        }
        return s;
    }

    /** @return sigma(u) = { i : u . x~_i > 0 }, the activation set (sector) of direction u */
    public BitSet activation(double[] u) {
        checkVector("u", u);
        BitSet sigma = new BitSet(samples);
        for (int i = 0; i < samples; i++) {
            if (dot(u, i) > 0) {
                sigma.set(i);
            }
        }
        return sigma;
    }

    /**
     * D_sigma = sum_{i in sigma} c_i x~_i. With c = y this is the drive at initialization; with
     * c = -r (residuals of the current network) it is THEORY's D(v) in later phases.
     */
    public double[] drive(BitSet sigma, double[] c) {
        checkWeights(c);
        double[] d = new double[dim];
        for (int i = sigma.nextSetBit(0); i >= 0 && i < samples; i = sigma.nextSetBit(i + 1)) {
            for (int k = 0; k < dim; k++) {
                d[k] += c[i] * rows[i * dim + k];
            }
        }
        return d;
    }

    /** @return G(u) = sum_i c_i relu(u . x~_i) */
    public double potential(double[] u, double[] c) {
        checkVector("u", u);
        checkWeights(c);
        double g = 0;
        for (int i = 0; i < samples; i++) {
            double z = dot(u, i);
            if (z > 0) {
                g += c[i] * z;
            }
        }
        return g;
    }

    void checkVector(String name, double[] v) {
        if (v == null || v.length != dim) {
            throw new IllegalArgumentException(name + " must have length k = " + dim + ", got "
                    + (v == null ? "null" : String.valueOf(v.length)));
        }
    }

    void checkWeights(double[] c) {
        if (c == null || c.length != samples) {
            throw new IllegalArgumentException("sample weights must have length n = " + samples + ", got "
                    + (c == null ? "null" : String.valueOf(c.length)));
        }
        for (int i = 0; i < c.length; i++) {
            if (!Double.isFinite(c[i])) {
                throw new IllegalArgumentException("sample weight c[" + i + "] = " + c[i] + " is not finite");
            }
        }
    }

    /** @return the angle in radians between two nonzero vectors, computed stably by atan2(|u x v|, u . v) */
    public static double angle(double[] u, double[] v) {
        double dot = 0;
        double uu = 0;
        double vv = 0;
        for (int c = 0; c < u.length; c++) {
            dot += u[c] * v[c];
            uu += u[c] * u[c];
            vv += v[c] * v[c];
        }
        // |u x v|^2 = |u|^2 |v|^2 - (u.v)^2 loses precision near 0; use the norm of u|v| - v|u| instead
        double nu = Math.sqrt(uu);
        double nv = Math.sqrt(vv);
        double diff = 0;
        double sum = 0;
        for (int c = 0; c < u.length; c++) {
            double a = u[c] / nu;
            double b = v[c] / nv;
            diff += (a - b) * (a - b);
            sum += (a + b) * (a + b);
        }
        return 2 * Math.atan2(Math.sqrt(diff), Math.sqrt(sum));
    }
}
