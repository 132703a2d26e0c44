// GENERATED from MaskBitSweepF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.maskbit;

import io.reluquant.kernel.sweep.SweepStateF64;

/**
 * What the mask-bit engine asks its kernel to do in one step; the engine fills it in, the worker
 * threads only read it (and write their own panels' or samples' slots).
 *
 * <p>Layouts (all padded, so that no kernel needs a masked tail):
 * <ul>
 *   <li>inputs x: (N, D) row-major, N = samples padded to a multiple of {@link MaskBitLayout#SAMPLE_TILE}
 *       with zero rows whose residual is 0, D = d padded to a multiple of {@link MaskBitLayout#FEATURE_TILE}
 *       with zero features;</li>
 *   <li>input weights w in panels of {@link MaskBitLayout#PANEL} neurons: input k of neuron p*PANEL + t
 *       at {@code w[p*PANEL*D + k*PANEL + t]}, so a panel is one contiguous D x PANEL block;</li>
 *   <li>activation bits: bit t of {@code bits[i*panels + p]} is [z_ij > 0] for neuron j = p*PANEL + t
 *       at sample i, written by the forward pass, read by the next backward pass.</li>
 * </ul>
 */
public final class MaskBitSweepF64 extends SweepStateF64 {
    /** D: padded input dimension, the row stride of x */
    public int features;
    /** panels of {@link MaskBitLayout#PANEL} neurons */
    public int panels;
    /** m: real neurons; gradients are written out for j < m only */
    public int width;
    /** d: real input dimension (public layout of gradients) */
    public int inputDim;

    /** activation bits (layout above); the padded rows' residuals are 0 */
    public long[] bits;


    public boolean update;

    /** forward: f(x_i) of the parameters the pass reads, per padded sample */
    public double[] f;
    /**
     * k, the outputs (the k-output kernels only; 1 for the others): then a is (k, paddedWidth), output c
     * of neuron j at {@code a[c*paddedWidth + j]}, and r and f are (samples, k) row-major
     */
    public int outputs = 1;
    /** the width padded to whole panels: the row stride of a with k outputs and of h */
    public int paddedWidth;
    /**
     * k outputs: relu(z) of the pass's samples, {@code h[i*paddedWidth + j]}, written by a forward pass
     * that writes bits and read by the backward pass; null when the backward pass recomputes it
     */
    public double[] h;
    /** k outputs: f(x_i) as (samples, k) row-major in the forward pass */
    public double[] fk;

    /** forward: whether to write the activation bits */
    public boolean writeBits;
    /** forward: read the updated parameters (newA, newW, newB) */
    public boolean forwardUpdated;

}
