// GENERATED from MaskBitKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.maskbit;

/**
 * The two passes of a mask-bit step. Implementations: the Vector API one
 * ({@link VectorMaskBitKernelF64}) and its scalar twin ({@link ScalarMaskBitKernelF64}).
 */
public interface MaskBitKernelF64 {
    /** @return e.g. "maskbit/vector-512/float64" */
    String name();

    /** @return length of the per-thread scratch array for this shape */
    int scratchLength(int features);

    /**
     * Backward pass of panel p over all samples: gw_j = sum_i r_i [z_ij > 0] x_i and gb_j from the
     * activation bits, ga_j = w_j . gw_j + b_j gb_j, then the update into the new buffers (or the
     * gradient into gradA/W/B). Writes only panel p's slots and finite[p].
     */
    void backward(MaskBitSweepF64 s, int panel, double[] scratch);

    /**
     * Forward pass of samples [from, to) (a multiple of the sample tile) over all panels: f(x_i), and
     * the activation bits when asked. Writes only those samples' slots.
     */
    void forward(MaskBitSweepF64 s, int from, int to, double[] scratch);
}
