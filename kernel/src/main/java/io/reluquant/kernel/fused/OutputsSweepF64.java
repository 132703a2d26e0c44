// GENERATED from OutputsSweepF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.fused;

import io.reluquant.kernel.sweep.SweepStateF64;

/**
 * One sweep of the fused k-output path (d &lt;= 2) over the neurons: what the engine asks the kernel to
 * do. The engine fills it in before each sweep; the threads only read it (and write their own chunk's
 * slots).
 *
 * <p>Layouts (P the padded width, K the padded outputs, a multiple of {@link #OUTPUT_TILE}): a (K, P)
 * with output c of neuron j at {@code a[c*P + j]} (outputs past k are zero neurons' worth of zeros),
 * w as two rows {@code w[q*P + j]} (the second row zero at d = 1), b (P); inputs as two rows
 * {@code x[q*xStride + i]} (the second zero at d = 1), residuals (samples, K) row-major, zero past k.
 * Partial sums of f: chunk c's at {@code partials[c*partialStride + i*K + o]}.
 */
public final class OutputsSweepF64 extends SweepStateF64 {
    /** Outputs per register tile: the kernels pad k to a multiple of it (a and r zero beyond k). */
    public static final int OUTPUT_TILE = 5;
    /** The forward pass runs over tiles of samples: the rows of x are padded to a multiple of this. */
    public static final int SAMPLE_GRANULE = 64;

    /** d: 1 or 2 */
    public int inputDim;
    /** P: padded width, the stride of w and a */
    public int paddedWidth;
    /** m: real neurons; gradients are written out for j &lt; m only */
    public int width;
    /** k */
    public int outputs;
    /** K: k padded to a multiple of {@link #OUTPUT_TILE}, the stride of r and of the partial sums */
    public int paddedOutputs;
    /** the stride of the rows of x (its second row starts there) */
    public int xStride;
    /** rows of the forward pass: samples padded to {@link #SAMPLE_GRANULE} */
    public int rows;

    public boolean backward;
    public boolean update;
    public boolean forward;

    public double[] partials;
    public int partialStride;
    /**
     * Always 1: the hot loops step by this field rather than the literal, so C2 does not unroll them
     * (unrolled, their many live vectors spill; see the one-output {@link SweepF64#sampleStride}).
     */
    public int stride = 1;
}
