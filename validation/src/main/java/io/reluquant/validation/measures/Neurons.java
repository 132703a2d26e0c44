package io.reluquant.validation.measures;

import io.reluquant.kernel.Parameters;
import io.reluquant.validation.theory.AugmentedInputs;

/**
 * A trained network seen neuron by neuron (docs/THEORY.md section 4): neuron vector v_j = (w_j, b_j) (or
 * w_j without bias), output weight a_j, mass_j = |a_j| |v_j|, direction u_j = v_j / |v_j|, sign s_j.
 * Everything is held in float64, whatever precision trained the network.
 */
public final class Neurons {
    private final int width;
    private final int dim;
    private final int inputDim;
    private final double[] a;
    private final double[] v;
    private final double[] norms;

    private Neurons(int width, int dim, int inputDim, double[] a, double[] v) {
        this.width = width;
        this.dim = dim;
        this.inputDim = inputDim;
        this.a = a;
        this.v = v;
        this.norms = new double[width];
        for (int j = 0; j < width; j++) {
            double s = 0;
            for (int c = 0; c < dim; c++) {
                s += v[j * dim + c] * v[j * dim + c];
            }
            norms[j] = Math.sqrt(s);
        }
    }

    /**
     * @param p the parameters
     * @param bias whether the network has biases (the neuron vector then has k = d + 1 coordinates)
     * @throws IllegalArgumentException if bias is off but some b_j is nonzero
     */
    public static Neurons of(Parameters p, boolean bias) {
        if (p == null) {
            throw new IllegalArgumentException("parameters must not be null");
        }
        if (p.outputs() != 1) {
            throw new IllegalArgumentException("Neurons holds one-output networks; this one has k = " + p.outputs()
                    + " outputs (see VectorQuantization)");
        }
        int m = p.width();
        int d = p.inputDim();
        int k = bias ? d + 1 : d;
        double[] a = p.outputWeights();
        double[] w = p.inputWeights();
        double[] b = p.biases();
        double[] v = new double[m * k];
        for (int j = 0; j < m; j++) {
            System.arraycopy(w, j * d, v, j * k, d);
            if (bias) {
                v[j * k + d] = b[j];
            } else if (b[j] != 0) {
                throw new IllegalArgumentException("bias is off but b[" + j + "] = " + b[j]);
            }
        }
        return new Neurons(m, k, d, a, v);
    }

    /** @return m */
    public int width() {
        return width;
    }

    /** @return k, the dimension of neuron space */
    public int dim() {
        return dim;
    }

    /** @return d */
    public int inputDim() {
        return inputDim;
    }

    /** @return whether the neuron vector carries a bias coordinate */
    public boolean bias() {
        return dim == inputDim + 1;
    }

    /** @return a_j */
    public double outputWeight(int j) {
        return a[j];
    }

    /** @return coordinate c of v_j */
    public double coordinate(int j, int c) {
        return v[j * dim + c];
    }

    /** @return |a_j| |v_j|, the scale of neuron j's contribution */
    public double mass(int j) {
        return Math.abs(a[j]) * norms[j];
    }

    /** @return sum of all masses */
    public double totalMass() {
        double s = 0;
        for (int j = 0; j < width; j++) {
            s += mass(j);
        }
        return s;
    }

    /** @return sign(a_j): +1, -1, or 0 for a zero output weight */
    public int sign(int j) {
        return (int) Math.signum(a[j]);
    }

    /** @return u_j = v_j / |v_j|, or null for a zero neuron vector */
    public double[] direction(int j) {
        if (norms[j] == 0) {
            return null;
        }
        double[] u = new double[dim];
        for (int c = 0; c < dim; c++) {
            u[c] = v[j * dim + c] / norms[j];
        }
        return u;
    }

    /** @return f(x_i) for every training point, in float64 */
    public double[] outputs(AugmentedInputs xt) {
        if (xt.dim() != dim) {
            throw new IllegalArgumentException("inputs have neuron-space dimension " + xt.dim() + ", network has " + dim);
        }
        double[] f = new double[xt.samples()];
        for (int i = 0; i < f.length; i++) {
            double s = 0;
            for (int j = 0; j < width; j++) {
                double z = 0;
                for (int c = 0; c < dim; c++) {
                    z += v[j * dim + c] * xt.x(i, c);
                }
                if (z > 0) {
                    s += a[j] * z;
                }
            }
            f[i] = s;
        }
        return f;
    }

    /** @return f at q points (q, d) row-major, inputs without the constant coordinate */
    public double[] evaluate(double[] x) {
        if (x.length % inputDim != 0) {
            throw new IllegalArgumentException("x has length " + x.length + ", not a multiple of d = " + inputDim);
        }
        int q = x.length / inputDim;
        double[] f = new double[q];
        for (int i = 0; i < q; i++) {
            double s = 0;
            for (int j = 0; j < width; j++) {
                double z = bias() ? v[j * dim + inputDim] : 0;
                for (int c = 0; c < inputDim; c++) {
                    z += v[j * dim + c] * x[i * inputDim + c];
                }
                if (z > 0) {
                    s += a[j] * z;
                }
            }
            f[i] = s;
        }
        return f;
    }
}
