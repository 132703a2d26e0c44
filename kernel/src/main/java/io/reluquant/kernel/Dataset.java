package io.reluquant.kernel;

/**
 * Training data: n inputs x_i in R^d and targets y_i in R^k (k = 1 unless given), immutable. Inputs
 * are row-major, x_i at {@code x[i*d .. i*d+d-1]}; targets row-major (n, k), y_i at
 * {@code y[i*k .. i*k+k-1]}. A class dataset ({@link #ofClasses(double[], int[], int, int)}) holds a
 * label c_i in [0, k) per sample, for {@link Loss#SOFTMAX_CROSS_ENTROPY}; its targets are the one-hot
 * vectors e_{c_i} (what the square loss fits).
 *
 * <p>A dataset keeps the precision it was given: {@link #of(double[], double[], int)} stores float64,
 * {@link #of(float[], float[], int)} stores float32 without widening it, so float32 data costs
 * 4 bytes per value here, as it does in a FLOAT32 trainer.
 */
public final class Dataset {
    private final int samples;
    private final int inputDim;
    private final int outputs;
    /** class labels (n), or null when the targets were given as numbers */
    private final int[] labels;
    // exactly one of the pairs (x, y) and (xf, yf) is non-null: the storage the caller handed in
    private final double[] x;
    private final double[] y;
    private final float[] xf;
    private final float[] yf;

    private Dataset(double[] x, double[] y, float[] xf, float[] yf, int inputDim) {
        this(x, y, xf, yf, inputDim, 1, null);
    }

    private Dataset(double[] x, double[] y, float[] xf, float[] yf, int inputDim, int outputs, int[] labels) {
        this.samples = (y != null ? y.length : yf.length) / outputs;
        this.inputDim = inputDim;
        this.outputs = outputs;
        this.labels = labels;
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
     * A float64 dataset with k targets per sample.
     *
     * @param x inputs, row-major (n, d); copied
     * @param y targets, row-major (n, k); copied
     * @param inputDim d
     * @param outputs k
     * @return the dataset
     * @throws NullPointerException if x or y is null
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch or a non-finite value
     */
    public static Dataset of(double[] x, double[] y, int inputDim, int outputs) {
        Checks.positive("inputDim", inputDim);
        Checks.positive("outputs", outputs);
        Checks.notNull("x", x);
        Checks.notNull("y", y);
        int n = samples(x.length, y.length, inputDim, outputs);
        Checks.finite("x", x);
        Checks.finite("y", y);
        Memory.require("a copy of n " + n + " * (inputDim " + inputDim + " + outputs " + outputs + ") values",
                Memory.doubles(x.length, y.length));
        return new Dataset(x.clone(), y.clone(), null, null, inputDim, outputs, null);
    }

    /**
     * A float32 dataset with k targets per sample, stored as float32.
     *
     * @param x inputs, row-major (n, d); copied
     * @param y targets, row-major (n, k); copied
     * @param inputDim d
     * @param outputs k
     * @return the dataset
     * @throws NullPointerException if x or y is null
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch or a non-finite value
     */
    public static Dataset of(float[] x, float[] y, int inputDim, int outputs) {
        Checks.positive("inputDim", inputDim);
        Checks.positive("outputs", outputs);
        Checks.notNull("x", x);
        Checks.notNull("y", y);
        samples(x.length, y.length, inputDim, outputs);
        Checks.finite("x", x);
        Checks.finite("y", y);
        return new Dataset(null, null, x.clone(), y.clone(), inputDim, outputs, null);
    }

    /**
     * A float64 class dataset: one label in [0, k) per sample (for {@link Loss#SOFTMAX_CROSS_ENTROPY});
     * its targets are the one-hot vectors, so the square loss trains on it too.
     *
     * @param x inputs, row-major (n, d); copied
     * @param labels class labels (n), each in [0, classes); copied
     * @param inputDim d
     * @param classes k, the number of classes and of outputs
     * @return the dataset
     * @throws NullPointerException if x or labels is null
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch, a label outside [0, k)
     *         or a non-finite input
     */
    public static Dataset ofClasses(double[] x, int[] labels, int inputDim, int classes) {
        int n = checkClasses(x == null ? null : x.length, labels, inputDim, classes);
        Checks.finite("x", x);
        Memory.require("a copy of n " + n + " * (inputDim " + inputDim + " + classes " + classes + ") values",
                Memory.doubles(x.length, (long) n * classes) + 4L * n);
        double[] y = new double[n * classes];
        for (int i = 0; i < n; i++) {
            y[i * classes + labels[i]] = 1;
        }
        return new Dataset(x.clone(), y, null, null, inputDim, classes, labels.clone());
    }

    /**
     * A float32 class dataset, stored as float32 (see {@link #ofClasses(double[], int[], int, int)}).
     *
     * @param x inputs, row-major (n, d); copied
     * @param labels class labels (n), each in [0, classes); copied
     * @param inputDim d
     * @param classes k
     * @return the dataset
     * @throws NullPointerException if x or labels is null
     * @throws IllegalArgumentException on non-positive sizes, a length mismatch, a label outside [0, k)
     *         or a non-finite input
     */
    public static Dataset ofClasses(float[] x, int[] labels, int inputDim, int classes) {
        int n = checkClasses(x == null ? null : x.length, labels, inputDim, classes);
        Checks.finite("x", x);
        float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) {
            y[i * classes + labels[i]] = 1;
        }
        return new Dataset(null, null, x.clone(), y, inputDim, classes, labels.clone());
    }

    /** @return n, after checking that x has n*d values and y n*k */
    private static int samples(int xLength, int yLength, int inputDim, int outputs) {
        if (yLength == 0 || yLength % outputs != 0) {
            throw new IllegalArgumentException("y has length " + yLength + ", expected a positive multiple of outputs "
                    + outputs + " (n*k)");
        }
        int n = yLength / outputs;
        long expected = Checks.indexable("n*d", (long) n * inputDim);
        if (xLength != expected) {
            throw new IllegalArgumentException("x has length " + xLength + ", expected " + expected + " (n " + n
                    + " from y.length " + yLength + " / outputs " + outputs + ", times inputDim " + inputDim + ")");
        }
        return n;
    }

    private static int checkClasses(Integer xLength, int[] labels, int inputDim, int classes) {
        Checks.positive("inputDim", inputDim);
        Checks.positive("classes", classes);
        Checks.notNull("x", xLength);
        Checks.notNull("labels", labels);
        Checks.positive("n (labels.length)", labels.length);
        Checks.indexable("n*classes", (long) labels.length * classes);
        long expected = Checks.indexable("n*d", (long) labels.length * inputDim);
        if (xLength != expected) {
            throw new IllegalArgumentException("x has length " + xLength + ", expected " + expected);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is outside [0, classes " + classes + ")");
            }
        }
        return labels.length;
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

    /** @return k, the targets per sample (the number of classes of a class dataset) */
    public int outputs() {
        return outputs;
    }

    /** @return whether this is a class dataset (labels, for {@link Loss#SOFTMAX_CROSS_ENTROPY}) */
    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * @return a copy of the class labels (n)
     * @throws IllegalStateException if this is not a class dataset
     */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("this dataset has numeric targets, not class labels (build it with ofClasses)");
        }
        return labels.clone();
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
     * @throws IllegalStateException if the dataset has k &gt; 1 targets per sample (use {@link #y(int, int)})
     */
    public double y(int i) {
        if (outputs != 1) {
            throw new IllegalStateException("y(i) is for one target per sample, this dataset has outputs = " + outputs
                    + ": use y(i, c)");
        }
        return y != null ? y[i] : yf[i];
    }

    /**
     * @param i sample index in [0, n)
     * @param c target index in [0, k)
     * @return target c of sample i
     */
    public double y(int i, int c) {
        return y != null ? y[i * outputs + c] : yf[i * outputs + c];
    }

    /** @return a copy of the inputs, row-major (n, d), widened to float64 if stored as float32 */
    public double[] inputs() {
        return x != null ? x.clone() : widen(xf);
    }

    /** @return a copy of the targets (n, k) row-major (one-hot for a class dataset), widened to float64 if stored as float32 */
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
        int k = outputs;
        int ylen = Checks.indexable("indices.length*k", (long) indices.length * k);
        Memory.require(indices.length + " samples * inputDim " + inputDim,
                (x != null ? 8L : 4L) * (len + (long) ylen));
        int[] ls = null;
        if (labels != null) {
            ls = new int[indices.length];
            for (int q = 0; q < indices.length; q++) {
                ls[q] = labels[indices[q]];
            }
        }
        if (x != null) {
            double[] xs = new double[len];
            double[] ys = new double[ylen];
            for (int q = 0; q < indices.length; q++) {
                System.arraycopy(x, indices[q] * inputDim, xs, q * inputDim, inputDim);
                System.arraycopy(y, indices[q] * k, ys, q * k, k);
            }
            return new Dataset(xs, ys, null, null, inputDim, k, ls);
        }
        float[] xs = new float[len];
        float[] ys = new float[ylen];
        for (int q = 0; q < indices.length; q++) {
            System.arraycopy(xf, indices[q] * inputDim, xs, q * inputDim, inputDim);
            System.arraycopy(yf, indices[q] * k, ys, q * k, k);
        }
        return new Dataset(null, null, xs, ys, inputDim, k, ls);
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

    /** @return the class labels as doubles (n), shared encoding of the engines' targets for the softmax loss */
    double[] rawLabels() {
        double[] out = new double[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = labels[i];
        }
        return out;
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
