// GENERATED from SweepF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.fused;

import io.reluquant.kernel.sweep.SweepStateF64;

/**
 * One sweep over the neurons: what the engine asks the kernel to do. The engine fills it in before
 * each sweep; during the sweep every thread only reads it (and writes its own chunk's slots).
 *
 * <p>Parameters are structure-of-arrays over the padded width P: a (P), b (P), and input weight k of
 * neuron j at {@code w[k*P + j]}, so a block of neurons is a few contiguous vectors per feature.
 */
public final class SweepF64 extends SweepStateF64 {
    public int inputDim;
    /** P: padded width, the stride of w */
    public int paddedWidth;
    /** m: real neurons; gradients are written out for j < m only */
    public int width;

    public boolean backward;
    public boolean update;
    public boolean forward;


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
}
