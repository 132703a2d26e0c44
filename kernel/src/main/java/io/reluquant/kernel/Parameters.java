package io.reluquant.kernel;

/**
 * The parameters of a width-m network f(x) = sum_j a_j relu(w_j . x + b_j), immutable: output
 * weights a (m, k) row-major with neuron j's k output weights at {@code a[j*k .. j*k+k-1]} (k = 1, the
 * default: a (m)), input weights w row-major (m, d) with neuron j's at {@code w[j*d .. j*d+d-1]},
 * biases b (m).
 *
 * <p>Parameters keep the precision they were given: {@link #of(float[], float[], float[], int)}
 * stores float32 without widening it.
 */
public final class Parameters {
    private final int width;
    private final int inputDim;
    private final int outputs;
    // exactly one of the triples (a, w, b) and (af, wf, bf) is non-null
    private final double[] a;
    private final double[] w;
    private final double[] b;
    private final float[] af;
    private final float[] wf;
    private final float[] bf;

    private Parameters(double[] a, double[] w, double[] b, float[] af, float[] wf, float[] bf, int inputDim, int outputs) {
        this.width = b != null ? b.length : bf.length;
        this.inputDim = inputDim;
        this.outputs = outputs;
        this.a = a;
        this.w = w;
        this.b = b;
        this.af = af;
        this.wf = wf;
        this.bf = bf;
    }

    /**
     * Float64 parameters given as arrays (copied).
     *
     * @param a output weights (m)
     * @param w input weights, row-major (m, d)
     * @param b biases (m); all zero for a network without bias
     * @param inputDim d
     * @return the parameters
     * @throws NullPointerException if a, w or b is null
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
        return new Parameters(a.clone(), w.clone(), b.clone(), null, null, null, inputDim, 1);
    }

    /**
     * Float64 parameters of a network with k outputs (copied).
     *
     * @param a output weights (m, k) row-major
     * @param w input weights, row-major (m, d)
     * @param b biases (m); all zero for a network without bias
     * @param inputDim d
     * @param outputs k, positive
     * @return the parameters
     * @throws NullPointerException if a, w or b is null
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch or a non-finite value
     */
    public static Parameters of(double[] a, double[] w, double[] b, int inputDim, int outputs) {
        Checks.positive("inputDim", inputDim);
        Checks.positive("outputs", outputs);
        Checks.notNull("b", b);
        Checks.positive("width (b.length)", b.length);
        Checks.length("a", a, Checks.indexable("m*k", (long) b.length * outputs));
        Checks.length("w", w, Checks.indexable("m*d", (long) b.length * inputDim));
        Checks.finite("a", a);
        Checks.finite("w", w);
        Checks.finite("b", b);
        Memory.require("a copy of width " + b.length + " * inputDim " + inputDim + " * outputs " + outputs + " parameters",
                Memory.doubles(a.length, b.length, w.length));
        return new Parameters(a.clone(), w.clone(), b.clone(), null, null, null, inputDim, outputs);
    }

    /**
     * Float32 parameters of a network with k outputs (copied as float32).
     *
     * @param a output weights (m, k) row-major
     * @param w input weights, row-major (m, d)
     * @param b biases (m); all zero for a network without bias
     * @param inputDim d
     * @param outputs k, positive
     * @return the parameters
     * @throws NullPointerException if a, w or b is null
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch or a non-finite value
     */
    public static Parameters of(float[] a, float[] w, float[] b, int inputDim, int outputs) {
        Checks.positive("inputDim", inputDim);
        Checks.positive("outputs", outputs);
        Checks.notNull("b", b);
        Checks.positive("width (b.length)", b.length);
        Checks.length("a", a, Checks.indexable("m*k", (long) b.length * outputs));
        Checks.length("w", w, Checks.indexable("m*d", (long) b.length * inputDim));
        Checks.finite("a", a);
        Checks.finite("w", w);
        Checks.finite("b", b);
        return new Parameters(null, null, null, a.clone(), w.clone(), b.clone(), inputDim, outputs);
    }

    /**
     * Float32 parameters given as arrays (copied as float32, never widened here).
     *
     * @param a output weights (m)
     * @param w input weights, row-major (m, d)
     * @param b biases (m); all zero for a network without bias
     * @param inputDim d
     * @return the parameters
     * @throws NullPointerException if a, w or b is null
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch or a non-finite value
     */
    public static Parameters of(float[] a, float[] w, float[] b, int inputDim) {
        Checks.positive("inputDim", inputDim);
        Checks.notNull("a", a);
        Checks.positive("width (a.length)", a.length);
        Checks.length("w", w, Checks.indexable("m*d", (long) a.length * inputDim));
        Checks.length("b", b, a.length);
        Checks.finite("a", a);
        Checks.finite("w", w);
        Checks.finite("b", b);
        return new Parameters(null, null, null, a.clone(), w.clone(), b.clone(), inputDim, 1);
    }

    /** Wraps float64 arrays this module produced and will not touch again (no copy, no re-check). */
    static Parameters adopt(double[] a, double[] w, double[] b, int inputDim) {
        return new Parameters(a, w, b, null, null, null, inputDim, 1);
    }

    /** Wraps float64 arrays of a k-output network this module produced (no copy, no re-check). */
    static Parameters adopt(double[] a, double[] w, double[] b, int inputDim, int outputs) {
        return new Parameters(a, w, b, null, null, null, inputDim, outputs);
    }

    /** Wraps float32 arrays of a k-output network this module produced (no copy, no re-check). */
    static Parameters adopt(float[] a, float[] w, float[] b, int inputDim, int outputs) {
        return new Parameters(null, null, null, a, w, b, inputDim, outputs);
    }

    /** @return m, the number of neurons */
    public int width() {
        return width;
    }

    /** @return d, the input dimension */
    public int inputDim() {
        return inputDim;
    }

    /** @return k, the number of outputs (1 unless built with outputs) */
    public int outputs() {
        return outputs;
    }

    /** @return FLOAT32 when built from float arrays, FLOAT64 otherwise */
    public Precision storage() {
        return a != null ? Precision.FLOAT64 : Precision.FLOAT32;
    }

    /**
     * @param j neuron index in [0, m)
     * @return output weight of neuron j
     * @throws IllegalStateException if the network has k &gt; 1 outputs (use {@link #a(int, int)})
     */
    public double a(int j) {
        if (outputs != 1) {
            throw new IllegalStateException("a(j) is for one output, this network has outputs = " + outputs + ": use a(j, c)");
        }
        return a != null ? a[j] : af[j];
    }

    /**
     * @param j neuron index in [0, m)
     * @param c output index in [0, k)
     * @return output weight c of neuron j
     */
    public double a(int j, int c) {
        return a != null ? a[j * outputs + c] : af[j * outputs + c];
    }

    /**
     * @param j neuron index in [0, m)
     * @param k coordinate in [0, d)
     * @return input weight k of neuron j
     */
    public double w(int j, int k) {
        return w != null ? w[j * inputDim + k] : wf[j * inputDim + k];
    }

    /**
     * @param j neuron index in [0, m)
     * @return bias of neuron j
     */
    public double b(int j) {
        return b != null ? b[j] : bf[j];
    }

    /** @return a copy of the output weights (m, k) row-major ((m) for k = 1), widened to float64 if stored as float32 */
    public double[] outputWeights() {
        return a != null ? a.clone() : widen(af);
    }

    /** @return a copy of the input weights, row-major (m, d), widened to float64 if stored as float32 */
    public double[] inputWeights() {
        return w != null ? w.clone() : widen(wf);
    }

    /** @return a copy of the biases (m), widened to float64 if stored as float32 */
    public double[] biases() {
        return b != null ? b.clone() : widen(bf);
    }

    private static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    // Shared, not copied: for the engines in this module, which never write them. The float64
    // accessors widen float32 storage into a fresh array (for engines that read float64).

    double[] rawA() {
        return a != null ? a : widen(af);
    }

    double[] rawW() {
        return w != null ? w : widen(wf);
    }

    double[] rawB() {
        return b != null ? b : widen(bf);
    }

    /** @return the float32 output weights as handed in, or null when stored as float64 */
    float[] rawAFloat() {
        return af;
    }

    /** @return the float32 input weights as handed in, or null when stored as float64 */
    float[] rawWFloat() {
        return wf;
    }

    /** @return the float32 biases as handed in, or null when stored as float64 */
    float[] rawBFloat() {
        return bf;
    }
}
