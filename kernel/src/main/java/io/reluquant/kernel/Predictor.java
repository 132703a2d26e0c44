package io.reluquant.kernel;

import io.reluquant.kernel.engine.Forward;
import io.reluquant.kernel.engine.Values;
import io.reluquant.kernel.reference.Reference;
import io.reluquant.kernel.vectorization.KernelProvider;

/**
 * Serves a trained network: f(x) = sum_j a_j relu(w_j . x + b_j) for any inputs, from
 * {@link Parameters} alone (no {@link Dataset}, no worker threads, nothing to close).
 *
 * <pre>{@code
 * Predictor p = Predictor.of(NetworkFiles.read(Path.of("net.npz")));   // or trainer.predictor()
 * double y = p.predict(new float[] {0.3f, -1.2f});                     // one input of dimension d
 * p.predict(queries, out);                                             // q inputs (q, d) row-major, q = out.length
 * }</pre>
 *
 * <p><b>Thread safety.</b> A predictor's parameters are copied into the kernel's layout when it is
 * made and only read afterwards, and every call works in its calling thread's own scratch (a few kB
 * per thread, made at that thread's first call and reused by its later ones, held in a
 * {@link ThreadLocal} and freed with the predictor). Any number of threads may call it at once; each
 * call runs on its calling thread.
 *
 * <p><b>Allocation.</b> After a thread's first call (and the JIT's warm-up) a single query and a batch
 * allocate nothing, for float64 and float32 inputs and outputs; {@code predict(float[], float[])}
 * keeps a per-thread float64 buffer as long as the longest batch seen. The reference kernel
 * ({@link Kernel#REFERENCE}, naive by design) allocates per call.
 *
 * <p><b>Which numbers.</b> It runs the same kernel as a trainer of the same parameters (the Vector
 * API kernel of the same path, vector width and precision, or the scalar twin where the Vector API
 * is unavailable), so {@link Trainer#predictor()} gives the same bits as that trainer's
 * {@link Trainer#forward}. A predictor made by {@link #of(Parameters, Precision)} gives the same bits
 * as {@link Trainer#forward} of a trainer of that precision whose data set has at most 16384 samples
 * (larger sets cut the fused path's neurons into fewer chunks, which changes the rounding, not the
 * value beyond it). Inputs are rounded to the kernel's precision first, as the trainer rounds them.
 */
public final class Predictor {
    private final Forward forward;
    private final double[] referenceA;
    private final double[] referenceW;
    private final double[] referenceB;
    private final int width;
    private final int inputDim;
    private final int outputs;
    private final Precision precision;

    /** a calling thread's outputs of one query and the float64 outputs of its float32 batches */
    private static final class Scratch {
        final double[] one;
        double[] wide = new double[0];

        Scratch(int outputs) {
            one = new double[outputs];
        }
    }

    private final ThreadLocal<Scratch> perThread;

    private Predictor(Forward forward, Parameters p, Precision precision, boolean reference) {
        this.forward = forward;
        this.width = p.width();
        this.inputDim = p.inputDim();
        this.outputs = p.outputs();
        this.precision = precision;
        this.referenceA = reference ? p.outputWeights() : null;
        this.referenceW = reference ? p.inputWeights() : null;
        this.referenceB = reference ? p.biases() : null;
        int k = outputs;
        this.perThread = ThreadLocal.withInitial(() -> new Scratch(k));
    }

    /**
     * A float32 predictor on the provider's kernel.
     *
     * @param parameters the network
     * @return the predictor
     * @throws NullPointerException if parameters is null
     */
    public static Predictor of(Parameters parameters) {
        return of(parameters, Precision.FLOAT32);
    }

    /**
     * A predictor on the provider's kernel in the given precision.
     *
     * @param parameters the network
     * @param precision the kernel's floating-point format
     * @return the predictor
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the padded width overflows int indexing or the heap cannot hold it
     */
    public static Predictor of(Parameters parameters, Precision precision) {
        Checks.notNull("parameters", parameters);
        Checks.notNull("precision", precision);
        return make(parameters, precision, Kernel.AUTO, null, 1);
    }

    /** The predictor of a trainer: its kernel, path, precision and chunks (layoutSamples = its n). */
    static Predictor make(Parameters p, Precision precision, Kernel kernel, Path path, int layoutSamples) {
        int m = p.width();
        int d = p.inputDim();
        long padded = (m + 63L) / 64 * 64;
        Checks.indexable("width padded to " + padded + " * inputDim " + d, padded * (d + 3L));
        Memory.require("a predictor of width " + m + " * inputDim " + d + " in " + precision,
                (precision == Precision.FLOAT32 ? 4 : 8) * padded * (d + 4L + p.outputs()));
        if (kernel == Kernel.REFERENCE) {
            return new Predictor(null, p, Precision.FLOAT64, true);
        }
        Values a = p.rawAFloat() != null ? Values.of(p.rawAFloat()) : Values.of(p.rawA());
        Values w = p.rawWFloat() != null ? Values.of(p.rawWFloat()) : Values.of(p.rawW());
        Values b = p.rawBFloat() != null ? Values.of(p.rawBFloat()) : Values.of(p.rawB());
        if (p.outputs() > 1) {
            return new Predictor(KernelProvider.forward(kernel, precision, d, p.outputs(), a, w, b), p, precision, false);
        }
        return new Predictor(KernelProvider.forward(kernel, precision, path, layoutSamples, d, a, w, b), p, precision, false);
    }

    /** @return m */
    public int width() {
        return width;
    }

    /** @return d, the length of one input */
    public int inputDim() {
        return inputDim;
    }

    /** @return the floating-point format the kernel computes in */
    public Precision precision() {
        return precision;
    }

    /**
     * @return which kernel runs, named as {@link Trainer#kernel()} names it, e.g. "vector-512/float32"
     *         (fused path), "maskbit/vector-512/float32" (mask-bit path), "scalar/float64", "reference/float64"
     */
    public String kernel() {
        return forward != null ? forward.kernel() : "reference/float64";
    }

    /**
     * @param x one input (d)
     * @return f(x)
     * @throws NullPointerException if x is null
     * @throws IllegalArgumentException if x has not d values or one is not finite
     */
    public double predict(double[] x) {
        requireOneOutput();
        double[] out = perThread.get().one;
        predict(x, out);
        return out[0];
    }

    /**
     * @param x one input (d), float32
     * @return f(x)
     * @throws NullPointerException if x is null
     * @throws IllegalArgumentException if x has not d values or one is not finite
     */
    public double predict(float[] x) {
        requireOneOutput();
        double[] out = perThread.get().one;
        predict(x, out);
        return out[0];
    }

    /**
     * Outputs for q = out.length inputs.
     *
     * @param x inputs (q, d) row-major
     * @param out receives f(x_i) (q)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if x.length != out.length * d or an input is not finite
     */
    public void predict(double[] x, double[] out) {
        Checks.notNull("out", out);
        Checks.length("x", x, Checks.indexable("out.length/k*d", (long) rows(out.length) * inputDim));
        Checks.finite("x", x);
        run(x, null, out);
    }

    /**
     * Outputs for q = out.length float32 inputs.
     *
     * @param x inputs (q, d) row-major
     * @param out receives f(x_i) (q)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if x.length != out.length * d or an input is not finite
     */
    public void predict(float[] x, double[] out) {
        Checks.notNull("out", out);
        Checks.length("x", x, Checks.indexable("out.length/k*d", (long) rows(out.length) * inputDim));
        Checks.finite("x", x);
        run(null, x, out);
    }

    /**
     * Outputs for q = out.length float32 inputs, rounded to float32.
     *
     * @param x inputs (q, d) row-major
     * @param out receives f(x_i) (q), rounded once from the kernel's float64 sum
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if x.length != out.length * d or an input is not finite
     */
    public void predict(float[] x, float[] out) {
        Checks.notNull("out", out);
        Checks.length("x", x, Checks.indexable("out.length/k*d", (long) rows(out.length) * inputDim));
        Checks.finite("x", x);
        Scratch t = perThread.get();
        if (t.wide.length < out.length) {
            t.wide = new double[out.length]; // grows to the longest batch this thread has asked for, then stays
        }
        double[] wide = t.wide;
        run(null, x, wide, out.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) wide[i];
        }
    }

    private void run(double[] xd, float[] xf, double[] out) {
        run(xd, xf, out, out.length);
    }

    /** out[0..length) = the outputs of the length / k inputs of x */
    private void run(double[] xd, float[] xf, double[] out, int length) {
        if (forward != null) {
            forward.forward(xd, xf, length / outputs, out);
            return;
        }
        double[] x = xd;
        if (x == null) {
            x = new double[xf.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = xf[i];
            }
        }
        double[] f = outputs == 1 ? Reference.forward(referenceA, referenceW, referenceB, inputDim, x)
                : Reference.forward(referenceA, referenceW, referenceB, inputDim, outputs, x);
        System.arraycopy(f, 0, out, 0, length);
    }

    /** @return k, the outputs per input */
    public int outputs() {
        return outputs;
    }

    private void requireOneOutput() {
        if (outputs != 1) {
            throw new IllegalStateException("predict(x) returns one output, this network has outputs = " + outputs
                    + ": use predict(x, out) with out of length q*k");
        }
    }

    /** @return q, the inputs of an output array of the given length (a multiple of k) */
    private int rows(int outLength) {
        if (outLength % outputs != 0) {
            throw new IllegalArgumentException("out has length " + outLength + ", expected a multiple of outputs " + outputs);
        }
        return outLength / outputs;
    }
}
