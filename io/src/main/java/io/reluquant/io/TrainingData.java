package io.reluquant.io;

import io.reluquant.io.npy.DType;
import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.io.npy.NpyFormatException;
import io.reluquant.kernel.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads a training set from NumPy files: X.npy of shape (n, d) or (n,); Y.npy of shape (n,) or (n, 1)
 * (one target per sample), (n, k) with k >= 2 (k targets per sample, the square loss), or integer class
 * labels of shape (n,) in [0, k) for the softmax cross-entropy ({@link #loadClasses}).
 */
public final class TrainingData {
    private TrainingData() {}

    /**
     * Reads X and integer class labels Y (shape (n,), any integer dtype, or floats that are whole
     * numbers), for the softmax cross-entropy: k = the largest label + 1, at least 2.
     *
     * @throws NpyFormatException as {@link #load}, and if a label is negative, not a whole number, or
     *         all labels are 0 (one class: nothing to tell apart)
     */
    public static Dataset loadClasses(Path xFile, Path yFile) throws IOException {
        NdArray x = readInputs(xFile);
        int n = x.shape()[0];
        int d = x.ndim() == 2 ? x.shape()[1] : 1;
        NdArray y = Npy.readNpy(yFile);
        int[] ys = y.shape();
        if (!y.isNumeric() || !(ys.length == 1 && ys[0] == n || ys.length == 2 && ys[0] == n && ys[1] == 1)) {
            throw new NpyFormatException(yFile + ": class labels Y must be an integer array of shape (" + n + ",) to match X, got "
                    + y.dtype() + " " + Arrays.toString(ys));
        }
        int[] labels = new int[n];
        int classes = 0;
        double[] values = y.dtype().isIntegral() ? null : y.toDoubles();
        long[] integers = y.dtype().isIntegral() ? y.toLongs() : null;
        for (int i = 0; i < n; i++) {
            double v = integers != null ? integers[i] : values[i];
            if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE - 1) {
                throw new NpyFormatException(yFile + ": class labels must be whole numbers >= 0, but Y[" + i + "] = "
                        + (integers != null ? Long.toString(integers[i]) : Double.toString(v)));
            }
            labels[i] = (int) v;
            classes = Math.max(classes, labels[i] + 1);
        }
        if (classes < 2) {
            throw new NpyFormatException(yFile + ": every class label is 0: the softmax cross-entropy needs at least 2 classes");
        }
        try {
            if (x.dtype() == DType.FLOAT32) {
                return Dataset.ofClasses(x.toFloats(), labels, d, classes);
            }
            return Dataset.ofClasses(x.toDoubles(), labels, d, classes);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(xFile + " / " + yFile + ": " + e.getMessage());
        }
    }

    private static NdArray readInputs(Path xFile) throws IOException {
        NdArray x = Npy.readNpy(xFile);
        int[] xs = x.shape();
        if (!x.isNumeric() || xs.length < 1 || xs.length > 2 || xs[0] < 1 || (xs.length == 2 && xs[1] < 1)) {
            throw new NpyFormatException(xFile + ": X must be a numeric array of shape (n, d) or (n,) with n, d >= 1, got "
                    + x.dtype() + " " + Arrays.toString(xs));
        }
        return x;
    }

    /**
     * Reads X and Y.
     *
     * @throws NpyFormatException if a file is not a readable .npy, not numeric, of the wrong shape,
     *         the sample counts differ, or a value is not finite
     */
    public static Dataset load(Path xFile, Path yFile) throws IOException {
        NdArray x = readInputs(xFile);
        int[] xs = x.shape();
        int n = xs[0];
        int d = xs.length == 2 ? xs[1] : 1;
        NdArray y = Npy.readNpy(yFile);
        int[] ys = y.shape();
        // (n, 1) is one target per sample too: it is what y[:, None] or a column from a table gives
        if (!y.isNumeric() || !(ys.length == 1 && ys[0] == n || ys.length == 2 && ys[0] == n && ys[1] >= 1)) {
            throw new NpyFormatException(yFile + ": Y must be a numeric array of shape (" + n + ",) or (" + n
                    + ", k) to match X, got " + y.dtype() + " " + Arrays.toString(ys));
        }
        int k = ys.length == 2 ? ys[1] : 1;
        try {
            if (x.dtype() == DType.FLOAT32 && y.dtype() == DType.FLOAT32) {
                // kept in float32 (half the memory; the same values, so the same training and data hash)
                float[] xf = x.toFloats();
                x = null; // the reader's float64 copy can go before the dataset copies xf
                return k == 1 ? Dataset.of(xf, y.toFloats(), d) : Dataset.of(xf, y.toFloats(), d, k);
            }
            return k == 1 ? Dataset.of(x.toDoubles(), y.toDoubles(), d) : Dataset.of(x.toDoubles(), y.toDoubles(), d, k);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(xFile + " / " + yFile + ": " + e.getMessage());
        }
    }
}
