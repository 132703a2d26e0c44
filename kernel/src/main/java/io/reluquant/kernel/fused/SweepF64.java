// GENERATED from SweepF32.java by kernel/pom.xml. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.fused;

/**
 * One sweep over the neurons: what the engine asks the kernel to do. The engine fills it in before
 * each sweep; during the sweep every thread only reads it (and writes its own chunk's slots).
 *
 * <p>Parameters are structure-of-arrays over the padded width P: a (P), b (P), and input weight k of
 * neuron j at {@code w[k*P + j]}, so a block of neurons is a few contiguous vectors per feature.
 */
public final class SweepF64 {
    public int inputDim;
    /** P: padded width, the stride of w */
    public int paddedWidth;
    /** m: real neurons; gradients are written out for j < m only */
    public int width;
    /** samples in this sweep (the full set or a batch) */
    public int samples;
    /** inputs of this sweep (samples, d) row-major */
    public double[] x;
    /** residuals r_i = f(x_i) - y_i at the current parameters (used by the backward pass) */
    public double[] r;
    /** parameters read by this sweep */
    public double[] a, w, b;
    /** parameters written by an update (the other buffer: the current ones survive a rejected step) */
    public double[] newA, newW, newB;

    public boolean backward;
    public boolean update;
    public boolean forward;

    /** -lrOutput/samples: a' = a + stepA * sum_i r_i relu(z_i) (negative so that updates are single FMAs) */
    public double stepA;
    /** -lrHidden/samples: w' = w + stepW * a * gw */
    public double stepW;
    /** -lrHidden/samples with bias, 0 without (b then stays exactly 0) */
    public double stepB;
    /** non-null: write the gradient (in the public layout, unpadded) here instead of updating */
    public double[] gradA, gradW, gradB;
    public double invSamples;

    /** forward partial sums: chunk c's f(x_i) contribution at partials[c*partialStride + i] */
    public double[] partials;
    public int partialStride;
    /**
     * Always 1. The hot sample loops step by this field instead of the literal 1: C2 cannot prove it
     * constant, so it does not unroll those loops. Unrolled, their many live vectors spill out of the
     * registers: measured on JDK 17 at n=256, d=1, {@literal float32}, 2.3-3.5e9 pairs/s unrolled against 5.5e9
     * not unrolled; on JDK 25 the d=2 loop drops from 4.4e9 to 1.7e9 when unrolled.
     */
    public int sampleStride = 1;
    /** per chunk: false when an updated parameter of that chunk is not finite */
    public boolean[] finite;
}
