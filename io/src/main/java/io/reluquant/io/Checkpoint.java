package io.reluquant.io;

import io.reluquant.io.npy.DType;
import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.io.npy.NpyFormatException;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of a training run as {@code reluquant train} writes it to OUT.npz: the parameters
 * {@code a} (m), or (m, k) for a network of k outputs, {@code w} (m, d), {@code b} (m); the loss curve {@code loss} (float64) at the logged
 * steps {@code loss_step} (int64, step 0 included); {@code step}, the steps done; and everything a
 * resume needs to continue bitwise identically (learning rate, precision, engine, bias, target
 * length, logging and checkpoint periods, a hash of the training data) plus how the run was
 * initialized. {@code reluquant_format} marks the file as ours, so a foreign .npz is rejected.
 *
 * @param parameters the network after {@code step} steps
 * @param step steps done
 * @param stepsTarget the run's total length
 * @param lr learning rate of the output weights a (the learning rate of the whole network unless
 *        lrHidden differs)
 * @param bias whether the network has biases
 * @param precision "f32" or "f64"
 * @param engine "simd" or "reference"
 * @param kernel the kernel that ran (informative, e.g. "vector-512/float32")
 * @param init "balanced", "he", "pytorch-default" or "params" (from --init-params); checkpoints written before the rename say "standard" for "he"
 * @param initScale lambda of the balanced init (NaN otherwise)
 * @param seed seed of the init (-1 for --init-params)
 * @param logEvery the loss is logged at every multiple of this (and at step 0 and the last step)
 * @param checkpointEvery checkpoint period (0: none)
 * @param dataHash hash of the training set ({@link #hashData})
 * @param loss the loss at the logged steps
 * @param lossStep the logged steps
 * @param lrHidden learning rate of the hidden neurons (w, b)
 * @param lossFunction "square", "logistic" or "softmax"
 */
public record Checkpoint(Parameters parameters, long step, long stepsTarget, double lr, boolean bias,
                         String precision, String engine, String kernel, String init, double initScale, long seed,
                         long logEvery, long checkpointEvery, long dataHash, double[] loss, long[] lossStep,
                         double lrHidden, String lossFunction) {
    /** Version of this layout, stored as {@code reluquant_format}. */
    public static final long FORMAT = 2;

    /** The arrays of the .npz, in a fixed order (so equal states give byte-identical files). */
    public Map<String, NdArray> toArrays() {
        int m = parameters.width();
        int d = parameters.inputDim();
        Map<String, NdArray> out = new LinkedHashMap<>();
        int k = parameters.outputs();
        // the accessors copy already; one output keeps the shape (m,) of every file written before k outputs
        out.put("a", k == 1 ? NdArray.wrapDoubles(parameters.outputWeights(), m) : NdArray.wrapDoubles(parameters.outputWeights(), m, k));
        out.put("w", NdArray.wrapDoubles(parameters.inputWeights(), m, d));
        out.put("b", NdArray.wrapDoubles(parameters.biases(), m));
        out.put("loss", NdArray.ofDoubles(loss, loss.length));
        out.put("loss_step", NdArray.ofLongs(lossStep, lossStep.length));
        out.put("step", NdArray.scalar(step));
        out.put("steps_target", NdArray.scalar(stepsTarget));
        out.put("lr", NdArray.scalar(lr));
        out.put("lr_hidden", NdArray.scalar(lrHidden));
        out.put("loss_function", NdArray.scalar(lossFunction));
        out.put("bias", NdArray.scalar(bias));
        out.put("precision", NdArray.scalar(precision));
        out.put("engine", NdArray.scalar(engine));
        out.put("kernel", NdArray.scalar(kernel));
        out.put("init", NdArray.scalar(init));
        out.put("init_scale", NdArray.scalar(initScale));
        out.put("seed", NdArray.scalar(seed));
        out.put("log_every", NdArray.scalar(logEvery));
        out.put("checkpoint_every", NdArray.scalar(checkpointEvery));
        out.put("data_hash", NdArray.scalar(dataHash));
        out.put("reluquant_format", NdArray.scalar(FORMAT));
        return out;
    }

    /** Writes the checkpoint atomically (see {@link Npy#writeNpz}). */
    public void write(Path file) throws IOException {
        Npy.writeNpz(file, toArrays());
    }

    /**
     * Reads and fully validates a checkpoint written by {@link #write}.
     *
     * @throws NpyFormatException if the file is not a valid .npz, not one of ours, or inconsistent
     */
    public static Checkpoint read(Path file) throws IOException {
        Map<String, NdArray> arrays = Npy.readNpz(file);
        String src = file.toString();
        if (!arrays.containsKey("reluquant_format")) {
            throw new NpyFormatException(src + ": not a reluquant training checkpoint (no 'reluquant_format' array)");
        }
        long format = longScalar(arrays, "reluquant_format", src);
        if (format != FORMAT && format != 1) {
            throw new NpyFormatException(src + ": checkpoint format " + format + " is not supported (expected 1 or " + FORMAT + ")");
        }
        Parameters p = NetworkFile.of(arrays, src, true);
        long step = longScalar(arrays, "step", src);
        long target = longScalar(arrays, "steps_target", src);
        double[] loss = NetworkFile.floating(arrays, "loss", src);
        long[] lossStep = integral(arrays, "loss_step", src);
        if (loss.length != lossStep.length || loss.length == 0) {
            throw new NpyFormatException(src + ": 'loss' has " + loss.length + " entries but 'loss_step' has " + lossStep.length);
        }
        for (int i = 0; i < lossStep.length; i++) {
            if (lossStep[i] < 0 || lossStep[i] > step || (i > 0 && lossStep[i] <= lossStep[i - 1])) {
                throw new NpyFormatException(src + ": 'loss_step' is not increasing within [0, step = " + step + "]");
            }
        }
        if (step < 0 || target < step) {
            throw new NpyFormatException(src + ": step " + step + " / steps_target " + target + " are inconsistent");
        }
        double lr = doubleScalar(arrays, "lr", src);
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new NpyFormatException(src + ": lr = " + lr + " is not finite and positive");
        }
        // format 1 (before per-layer rates and losses) had one rate and the square loss
        double lrHidden = format == 1 ? lr : doubleScalar(arrays, "lr_hidden", src);
        if (!(lrHidden > 0) || !Double.isFinite(lrHidden)) {
            throw new NpyFormatException(src + ": lr_hidden = " + lrHidden + " is not finite and positive");
        }
        String lossFunction = format == 1 ? "square" : string(arrays, "loss_function", src);
        if (!lossFunction.equals("square") && !lossFunction.equals("logistic") && !lossFunction.equals("softmax")) {
            throw new NpyFormatException(src + ": unknown loss_function '" + Npy.printable(lossFunction) + "'");
        }
        long logEvery = longScalar(arrays, "log_every", src);
        long checkpointEvery = longScalar(arrays, "checkpoint_every", src);
        if (logEvery <= 0 || checkpointEvery < 0) {
            throw new NpyFormatException(src + ": log_every " + logEvery + " / checkpoint_every " + checkpointEvery + " are invalid");
        }
        String precision = string(arrays, "precision", src);
        String engine = string(arrays, "engine", src);
        if (!precision.equals("f32") && !precision.equals("f64") || !engine.equals("simd") && !engine.equals("reference")) {
            throw new NpyFormatException(src + ": unknown precision '" + Npy.printable(precision) + "' or engine '"
                    + Npy.printable(engine) + "'");
        }
        NdArray bias = NetworkFile.get(arrays, "bias", src);
        if (bias.dtype() != DType.BOOL || bias.ndim() != 0) {
            throw new NpyFormatException(src + ": 'bias' must be a boolean scalar, got " + bias);
        }
        return new Checkpoint(p, step, target, lr, bias.toLongs()[0] != 0, precision, engine,
                string(arrays, "kernel", src), string(arrays, "init", src), doubleScalar(arrays, "init_scale", src),
                longScalar(arrays, "seed", src), logEvery, checkpointEvery, longScalar(arrays, "data_hash", src), loss, lossStep,
                lrHidden, lossFunction);
    }

    /**
     * A hash of the training set (shape and every value's bits) that a resume checks, so a run is
     * never continued on other data by mistake: SHA-256 of d and n (int64), the inputs row by row
     * and the targets (float64 bits, big-endian; k per sample row by row, one-hot for class labels,
     * then k and whether they are labels, as int64, when k > 1 or labels), its first 8 bytes. Streamed through a 64 KiB
     * buffer, so it needs no copy of the data and works at any size.
     */
    public static long hashData(Dataset data) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
            int n = data.samples();
            int d = data.inputDim();
            buf.putLong(d).putLong(n);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    if (!buf.hasRemaining()) {
                        md.update(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putDouble(data.x(i, k));
                }
            }
            int k = data.outputs();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    if (!buf.hasRemaining()) {
                        md.update(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putDouble(data.y(i, c));
                }
            }
            md.update(buf.array(), 0, buf.position());
            if (k > 1 || data.hasLabels()) {
                // one numeric target per sample hashes as before k outputs existed (old checkpoints resume)
                md.update(java.nio.ByteBuffer.allocate(16).putLong(k).putLong(data.hasLabels() ? 1 : 0).array());
            }
            return java.nio.ByteBuffer.wrap(md.digest()).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** {@link #hashData(Dataset)} of {@code Dataset.of(x, y, inputDim)}, without building it. */
    public static long hashData(double[] x, double[] y, int inputDim) {
        return hashData(Dataset.of(x, y, inputDim));
    }

    private static long[] integral(Map<String, NdArray> arrays, String name, String src) throws NpyFormatException {
        NdArray array = NetworkFile.get(arrays, name, src);
        if (!array.dtype().isIntegral() || array.ndim() != 1) {
            throw new NpyFormatException(src + ": '" + name + "' must be a 1-D integer array, got " + array);
        }
        return array.toLongs();
    }

    private static long longScalar(Map<String, NdArray> arrays, String name, String src) throws NpyFormatException {
        NdArray array = NetworkFile.get(arrays, name, src);
        if (!array.dtype().isIntegral() || array.ndim() != 0) {
            throw new NpyFormatException(src + ": '" + name + "' must be an integer scalar, got " + array);
        }
        return array.toLongs()[0];
    }

    private static double doubleScalar(Map<String, NdArray> arrays, String name, String src) throws NpyFormatException {
        NdArray array = NetworkFile.get(arrays, name, src);
        if (array.dtype() != DType.FLOAT64 || array.ndim() != 0) {
            throw new NpyFormatException(src + ": '" + name + "' must be a float64 scalar, got " + array);
        }
        return array.toDoubles()[0];
    }

    private static String string(Map<String, NdArray> arrays, String name, String src) throws NpyFormatException {
        NdArray array = NetworkFile.get(arrays, name, src);
        if (array.dtype() != DType.UNICODE || array.ndim() != 0) {
            throw new NpyFormatException(src + ": '" + name + "' must be a string scalar, got " + array);
        }
        return array.toStrings()[0];
    }
}
