package io.reluquant.kernel;

/**
 * Training data: n inputs x_i in R^d and targets y_i, immutable. Inputs are row-major, x_i at
 * {@code x[i*d .. i*d+d-1]}.
 *
 * <p>A dataset keeps the precision it was given: {@link #of(double[], double[], int)} stores float64,
 * {@link #of(float[], float[], int)} stores float32 without widening it, so float32 data costs
 * 4 bytes per value here, as it does in a FLOAT32 trainer.
 */
public final class Dataset {
    private final int samples;
    private final int inputDim;
    // exactly one of the pairs (x, y) and (xf, yf) is non-null: the storage the caller handed in
    private final double[] x;
    private final double[] y;
    private final float[] xf;
    private final float[] yf;

    private Dataset(double[] x, double[] y, float[] xf, float[] yf, int inputDim) {
        this.samples = y != null ? y.length : yf.length;
        this.inputDim = inputDim;
        this.x = x;
        this.y = y;
        this.xf = xf;
        this.yf = yf;
    }

    /**
     * A float64 dataset.
     *
     * @param x inputs, row-major (n, d); copied
     * @param y targets (n); copied
     * @param inputDim d
     * @return the dataset
     * @throws NullPointerException if x or y is null
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch or a non-finite value
     */
    public static Dataset of(double[] x, double[] y, int inputDim) {
        Checks.positive("inputDim", inputDim);
        Checks.notNull("y", y);
        Checks.positive("n (y.length)", y.length);
        Checks.length("x", x, Checks.indexable("n*d", (long) y.length * inputDim));
        Checks.finite("x", x);
        Checks.finite("y", y);
        Memory.require("a copy of n " + y.length + " * inputDim " + inputDim + " samples", Memory.doubles(x.length, y.length));
        return new Dataset(x.clone(), y.clone(), null, null, inputDim);
    }

    /**
     * A float32 dataset, stored as float32 (never widened to float64 here).
     *
     * @param x inputs, row-major (n, d); copied
     * @param y targets (n); copied
     * @param inputDim d
     * @return the dataset
     * @throws NullPointerException if x or y is null
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch or a non-finite value
     */
    public static Dataset of(float[] x, float[] y, int inputDim) {
        Checks.positive("inputDim", inputDim);
        Checks.notNull("y", y);
        Checks.positive("n (y.length)", y.length);
        Checks.length("x", x, Checks.indexable("n*d", (long) y.length * inputDim));
        Checks.finite("x", x);
        Checks.finite("y", y);
        return new Dataset(null, null, x.clone(), y.clone(), inputDim);
    }

    /**
     * A float64 dataset from one array per sample.
     *
     * @param rows inputs, one array of length d per sample; copied
     * @param y targets (n); copied
     * @return the dataset
     * @throws NullPointerException if rows, a row or y is null
     * @throws IllegalArgumentException on rows of different lengths, a length mismatch or a non-finite value
     */
    public static Dataset of(double[][] rows, double[] y) {
        Checks.notNull("rows", rows);
        Checks.positive("rows.length", rows.length);
        Checks.notNull("rows[0]", rows[0]);
        int d = rows[0].length;
        int size = Checks.indexable("n*d", (long) rows.length * d);
        Memory.require("n " + rows.length + " * inputDim " + d + " samples", Memory.doubles(size));
        double[] flat = new double[size];
        for (int i = 0; i < rows.length; i++) {
            Checks.length("rows[" + i + "]", rows[i], d);
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        Checks.length("y", y, rows.length);
        return of(flat, y, d);
    }

    /** @return n, the number of samples */
    public int samples() {
        return samples;
    }

    /** @return d, the input dimension */
    public int inputDim() {
        return inputDim;
    }

    /** @return FLOAT32 when built from float arrays, FLOAT64 when built from double arrays */
    public Precision storage() {
        return x != null ? Precision.FLOAT64 : Precision.FLOAT32;
    }

    /**
     * @param i sample index in [0, n)
     * @param k coordinate in [0, d)
     * @return coordinate k of input i
     */
    public double x(int i, int k) {
        return x != null ? x[i * inputDim + k] : xf[i * inputDim + k];
    }

    /**
     * @param i sample index in [0, n)
     * @return target i
     */
    public double y(int i) {
        return y != null ? y[i] : yf[i];
    }

    /** @return a copy of the inputs, row-major (n, d), widened to float64 if stored as float32 */
    public double[] inputs() {
        return x != null ? x.clone() : widen(xf);
    }

    /** @return a copy of the targets, widened to float64 if stored as float32 */
    public double[] targets() {
        return y != null ? y.clone() : widen(yf);
    }

    /**
     * The samples at the given indices, in that order (repeats allowed), in this dataset's storage.
     *
     * @param indices sample indices in [0, n)
     * @return a new dataset of indices.length samples
     * @throws NullPointerException if indices is null
     * @throws IllegalArgumentException if indices is empty or an index is out of range
     */
    public Dataset subset(int[] indices) {
        Checks.notNull("indices", indices);
        Checks.positive("indices.length", indices.length);
        for (int q = 0; q < indices.length; q++) {
            int i = indices[q];
            if (i < 0 || i >= samples) {
                throw new IllegalArgumentException("indices[" + q + "] = " + i + " is outside [0, " + samples + ")");
            }
        }
        int len = Checks.indexable("indices.length*d", (long) indices.length * inputDim);
        Memory.require(indices.length + " samples * inputDim " + inputDim,
                (x != null ? 8L : 4L) * (len + (long) indices.length));
        if (x != null) {
            double[] xs = new double[len];
            double[] ys = new double[indices.length];
            for (int q = 0; q < indices.length; q++) {
                System.arraycopy(x, indices[q] * inputDim, xs, q * inputDim, inputDim);
                ys[q] = y[indices[q]];
            }
            return new Dataset(xs, ys, null, null, inputDim);
        }
        float[] xs = new float[len];
        float[] ys = new float[indices.length];
        for (int q = 0; q < indices.length; q++) {
            System.arraycopy(xf, indices[q] * inputDim, xs, q * inputDim, inputDim);
            ys[q] = yf[indices[q]];
        }
        return new Dataset(null, null, xs, ys, inputDim);
    }

    private static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    // Shared, not copied: for the engines in this module, which never write them.

    /** @return the float64 inputs, or a widened copy when stored as float32 (engines that read float64) */
    double[] rawInputs() {
        return x != null ? x : widen(xf);
    }

    /** @return the float64 targets, or a widened copy when stored as float32 */
    double[] rawTargets() {
        return y != null ? y : widen(yf);
    }

    /** @return the float32 inputs as handed in, or null when stored as float64 */
    float[] rawInputsFloat() {
        return xf;
    }

    /** @return the float32 targets as handed in, or null when stored as float64 */
    float[] rawTargetsFloat() {
        return yf;
    }
}
