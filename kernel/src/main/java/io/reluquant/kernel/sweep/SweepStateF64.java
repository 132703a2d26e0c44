// GENERATED from SweepStateF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.sweep;

/**
 * What every path's sweep holds in common: the parameters a pass reads, the buffers an update writes,
 * the step sizes and the gradient outputs. Each path's sweep (the fused one, the mask-bit one) adds
 * its own layout; the engine fills the sweep in before each pass and the worker threads only read it.
 * The fields are public and plain because the kernels read them in their hot loops.
 */
public class SweepStateF64 {
    /** samples in this pass (the full set or a batch; padded where the path pads) */
    public int samples;
    /** inputs of this pass (samples, d) row-major */
    public double[] x;
    /** residuals r_i = f(x_i) - y_i at the current parameters (read by the backward pass) */
    public double[] r;
    /** parameters read by this pass */
    public double[] a, w, b;
    /** parameters written by an update (the other buffer: the current ones survive a rejected step) */
    public double[] newA, newW, newB;
    /** -lrOutput/n: a' = a + stepA * sum_i r_i relu(z_i) (negative so that updates are single FMAs) */
    public double stepA;
    /** -lrHidden/n: w' = w + stepW * a * gw */
    public double stepW;
    /** -lrHidden/n with bias, 0 without (b then stays exactly 0) */
    public double stepB;
    /** non-null: write the gradient (in the public layout, unpadded) here instead of updating */
    public double[] gradA, gradW, gradB;
    /** 1/n, for the gradient output */
    public double invSamples;
    /** per block of neurons (chunk or panel): false when an updated parameter of that block is not finite */
    public boolean[] finite;
    /** the in-kernel optimizer, or null for plain SGD (the kernels' own update, bit for bit as before) */
    public OptimizerF64 optimizer;

    /** Points the pass at the current parameters and at the buffers an update writes. */
    public final void parameters(double[] a, double[] w, double[] b, double[] newA, double[] newW, double[] newB) {
        this.a = a;
        this.w = w;
        this.b = b;
        this.newA = newA;
        this.newW = newW;
        this.newB = newB;
    }

    /**
     * The step sizes of an update over {@code count} samples, or the gradient outputs (non-null
     * {@code ga}: the pass writes the gradient instead), and the finiteness flags cleared.
     */
    public final void step(double lrOutput, double lrHidden, int count, boolean bias, double[] ga, double[] gw, double[] gb) {
        stepA = (double) (-lrOutput / count);
        stepW = (double) (-lrHidden / count);
        stepB = bias ? stepW : 0;
        gradA = ga;
        gradW = gw;
        gradB = gb;
        invSamples = 1.0 / count;
        if (optimizer != null && ga == null) {
            optimizer.prepare(lrOutput, lrHidden, count);
        }
        java.util.Arrays.fill(finite, true);
    }
}
