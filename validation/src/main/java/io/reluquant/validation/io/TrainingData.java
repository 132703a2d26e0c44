package io.reluquant.validation.io;

import io.reluquant.kernel.Dataset;
import io.reluquant.validation.npy.DType;
import io.reluquant.validation.npy.NdArray;
import io.reluquant.validation.npy.Npy;
import io.reluquant.validation.npy.NpyFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Loads a training set from NumPy files: X.npy of shape (n, d) or (n,), Y.npy of shape (n,). */
public final class TrainingData {
    private TrainingData() {}

    /**
     * Reads X and Y.
     *
     * @throws NpyFormatException if a file is not a readable .npy, not numeric, of the wrong shape,
     *         the sample counts differ, or a value is not finite
     */
    public static Dataset load(Path xFile, Path yFile) throws IOException {
        NdArray x = Npy.readNpy(xFile);
        int[] xs = x.shape();
        if (!x.isNumeric() || xs.length < 1 || xs.length > 2 || xs[0] < 1 || (xs.length == 2 && xs[1] < 1)) {
            throw new NpyFormatException(xFile + ": X must be a numeric array of shape (n, d) or (n,) with n, d >= 1, got "
                    + x.dtype() + " " + Arrays.toString(xs));
        }
        int n = xs[0];
        int d = xs.length == 2 ? xs[1] : 1;
        NdArray y = Npy.readNpy(yFile);
        int[] ys = y.shape();
        // (n, 1) is accepted too: it is what y[:, None] or a column from a table gives
        if (!y.isNumeric() || !(ys.length == 1 && ys[0] == n || ys.length == 2 && ys[0] == n && ys[1] == 1)) {
            throw new NpyFormatException(yFile + ": Y must be a numeric array of shape (" + n + ",) to match X, got "
                    + y.dtype() + " " + Arrays.toString(ys));
        }
        try {
            if (x.dtype() == DType.FLOAT32 && y.dtype() == DType.FLOAT32) {
                // kept in float32 (half the memory; the same values, so the same training and data hash)
                float[] xf = x.toFloats();
                x = null; // the reader's float64 copy can go before the dataset copies xf
                return Dataset.of(xf, y.toFloats(), d);
            }
            return Dataset.of(x.toDoubles(), y.toDoubles(), d);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(xFile + " / " + yFile + ": " + e.getMessage());
        }
    }
}
