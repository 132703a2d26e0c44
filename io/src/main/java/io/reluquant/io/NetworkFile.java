package io.reluquant.io;

import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.io.npy.NpyFormatException;
import io.reluquant.kernel.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Network files: an .npz with the arrays {@code a} (m), or (m, k) for k outputs, {@code w} (m, d) and {@code b} (m) of a two-layer ReLU network,
 * as {@code reluquant train} writes them (inside its checkpoint) and as any NumPy tool can.
 */
public final class NetworkFile {
    private NetworkFile() {}

    /** @return the network of {@code file}; {@code b} may be absent (zero) */
    public static Parameters read(Path file) throws IOException {
        return of(Npy.readNpz(file), file.toString(), false);
    }

    /**
     * A network with what its file says about its biases.
     *
     * @param parameters a, w, b ({@code b} zero where the file has none)
     * @param bias whether the network has biases: the scalar {@code bias} where the file has one (a
     *        {@code reluquant train} checkpoint records it), else true
     */
    public record Network(Parameters parameters, boolean bias) {}

    /**
     * @return the network of {@code file} with its bias flag
     * @throws NpyFormatException if the file is not a network file or its {@code bias} is not a scalar
     */
    public static Network readNetwork(Path file) throws IOException {
        Map<String, NdArray> arrays = Npy.readNpz(file);
        String src = file.toString();
        Parameters p = of(arrays, src, false);
        NdArray flag = arrays.get("bias");
        if (flag == null) {
            return new Network(p, true);
        }
        if (!flag.isNumeric() || flag.ndim() != 0) {
            throw new NpyFormatException(src + ": 'bias' must be a boolean (or numeric) scalar, got " + flag);
        }
        return new Network(p, flag.toDoubles()[0] != 0);
    }

    /**
     * The network of an .npz holding {@code a} (m) or (m, k), {@code w} (m, d) or (m) for d = 1, and {@code b}
     * (m; optional unless {@code requireBias}: absent means zero).
     */
    public static Parameters of(Map<String, NdArray> arrays, String src, boolean requireBias) throws NpyFormatException {
        double[] a = floating(arrays, "a", src);
        NdArray wArray = arrays.get("w");
        if (wArray == null) {
            throw new NpyFormatException(src + ": no array 'w'");
        }
        int[] as = arrays.get("a").shape();
        int k = as.length == 2 ? as[1] : 1;
        int m = as.length == 2 ? as[0] : a.length;
        int[] ws = wArray.shape();
        if (ws.length == 1 && ws[0] == m) {
            ws = new int[] {m, 1};
        }
        if (ws.length != 2 || ws[0] != m || ws[1] < 1 || !wArray.isNumeric()) {
            throw new NpyFormatException(src + ": 'w' has shape " + Arrays.toString(wArray.shape()) + ", expected (" + m + ", d) to match 'a' of length " + m);
        }
        double[] b = arrays.containsKey("b") || requireBias ? floating(arrays, "b", src) : new double[m];
        if (b.length != m || arrays.containsKey("b") && arrays.get("b").ndim() != 1) {
            throw new NpyFormatException(src + ": 'b' has shape " + Arrays.toString(arrays.get("b").shape()) + ", expected (" + m + ",)");
        }
        if (as.length < 1 || as.length > 2 || m == 0 || k == 0) {
            throw new NpyFormatException(src + ": 'a' has shape " + Arrays.toString(as) + ", expected (m,) or (m, k) with m, k >= 1");
        }
        try {
            return k == 1 ? Parameters.of(a, wArray.toDoubles(), b, ws[1]) : Parameters.of(a, wArray.toDoubles(), b, ws[1], k);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(src + ": " + e.getMessage());
        }
    }

    static NdArray get(Map<String, NdArray> arrays, String name, String src) throws NpyFormatException {
        NdArray array = arrays.get(name);
        if (array == null) {
            throw new NpyFormatException(src + ": no array '" + name + "'");
        }
        return array;
    }

    static double[] floating(Map<String, NdArray> arrays, String name, String src) throws NpyFormatException {
        NdArray array = get(arrays, name, src);
        if (!array.dtype().isFloating() || array.ndim() > 2) {
            throw new NpyFormatException(src + ": '" + name + "' must be a float32/float64 array, got " + array);
        }
        return array.toDoubles();
    }
}
