package io.reluquant.kernel;

/**
 * Training data: n inputs x_i in R^d and targets y_i, immutable. Inputs are row-major, x_i at
 * {@code x[i*d .. i*d+d-1]}.
 */
public final class Dataset {
    private final int samples;
    private final int inputDim;
    private final double[] x;
    private final double[] y;

    private Dataset(double[] x, double[] y, int inputDim) {
        this.samples = y.length;
        this.inputDim = inputDim;
        this.x = x;
        this.y = y;
    }

    /**
     * @param x inputs, row-major (n, d); copied
     * @param y targets (n); copied
     * @param inputDim d
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
        return new Dataset(x.clone(), y.clone(), inputDim);
    }

    /** @param rows inputs, one array of length d per sample; @param y targets; both copied */
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

    /** @return coordinate k of input i */
    public double x(int i, int k) {
        return x[i * inputDim + k];
    }

    /** @return target i */
    public double y(int i) {
        return y[i];
    }

    /** @return a copy of the inputs, row-major (n, d) */
    public double[] inputs() {
        return x.clone();
    }

    /** @return a copy of the targets */
    public double[] targets() {
        return y.clone();
    }

    /** The samples at the given indices, in that order (repeats allowed). */
    public Dataset subset(int[] indices) {
        Checks.notNull("indices", indices);
        Checks.positive("indices.length", indices.length);
        int size = Checks.indexable("indices.length*d", (long) indices.length * inputDim);
        Memory.require(indices.length + " samples * inputDim " + inputDim, Memory.doubles(size, indices.length));
        double[] xs = new double[size];
        double[] ys = new double[indices.length];
        for (int q = 0; q < indices.length; q++) {
            int i = indices[q];
            if (i < 0 || i >= samples) {
                throw new IllegalArgumentException("indices[" + q + "] = " + i + " is outside [0, " + samples + ")");
            }
            System.arraycopy(x, i * inputDim, xs, q * inputDim, inputDim);
            ys[q] = y[i];
        }
        return new Dataset(xs, ys, inputDim);
    }

    // shared, not copied: for the engines in this module, which never write them
    double[] rawInputs() {
        return x;
    }

    double[] rawTargets() {
        return y;
    }
}
