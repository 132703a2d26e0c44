package io.reluquant.kernel;

/**
 * The parameters of a width-m network f(x) = sum_j a_j relu(w_j . x + b_j), immutable: output
 * weights a (m), input weights w row-major (m, d) with neuron j's at {@code w[j*d .. j*d+d-1]},
 * biases b (m).
 */
public final class Parameters {
    private final int width;
    private final int inputDim;
    private final double[] a;
    private final double[] w;
    private final double[] b;

    private Parameters(double[] a, double[] w, double[] b, int inputDim) {
        this.width = a.length;
        this.inputDim = inputDim;
        this.a = a;
        this.w = w;
        this.b = b;
    }

    /**
     * Parameters given as arrays (copied).
     *
     * @param a output weights (m)
     * @param w input weights, row-major (m, d)
     * @param b biases (m); all zero for a network without bias
     * @param inputDim d
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch or a non-finite value
     */
    public static Parameters of(double[] a, double[] w, double[] b, int inputDim) {
        Checks.positive("inputDim", inputDim);
        Checks.notNull("a", a);
        Checks.positive("width (a.length)", a.length);
        Checks.length("w", w, Checks.indexable("m*d", (long) a.length * inputDim));
        Checks.length("b", b, a.length);
        Checks.finite("a", a);
        Checks.finite("w", w);
        Checks.finite("b", b);
        Memory.require("a copy of width " + a.length + " * inputDim " + inputDim + " parameters",
                Memory.doubles(a.length, b.length, w.length));
        return new Parameters(a.clone(), w.clone(), b.clone(), inputDim);
    }

    /** Wraps arrays this module produced and will not touch again (no copy, no re-check). */
    static Parameters adopt(double[] a, double[] w, double[] b, int inputDim) {
        return new Parameters(a, w, b, inputDim);
    }

    /** @return m, the number of neurons */
    public int width() {
        return width;
    }

    /** @return d, the input dimension */
    public int inputDim() {
        return inputDim;
    }

    /** @return output weight of neuron j */
    public double a(int j) {
        return a[j];
    }

    /** @return input weight k of neuron j */
    public double w(int j, int k) {
        return w[j * inputDim + k];
    }

    /** @return bias of neuron j */
    public double b(int j) {
        return b[j];
    }

    /** @return a copy of the output weights (m) */
    public double[] outputWeights() {
        return a.clone();
    }

    /** @return a copy of the input weights, row-major (m, d) */
    public double[] inputWeights() {
        return w.clone();
    }

    /** @return a copy of the biases (m) */
    public double[] biases() {
        return b.clone();
    }

    double[] rawA() {
        return a;
    }

    double[] rawW() {
        return w;
    }

    double[] rawB() {
        return b;
    }
}
