// TEMPLATE: the float32 source; its float64 twin is generated at build time (see kernel/pom.xml).
package io.reluquant.kernel.maskbit;

/**
 * The two passes of a mask-bit step. Implementations: the Vector API one
 * ({@link VectorMaskBitKernelF32}) and its scalar twin ({@link ScalarMaskBitKernelF32}).
 */
public interface MaskBitKernelF32 {
    /** @return e.g. "maskbit/vector-512/float32" */
    String name();

    /** @return length of the per-thread scratch array for this shape */
    int scratchLength(int features);

    /**
     * Backward pass of panel p over all samples: gw_j = sum_i r_i [z_ij > 0] x_i and gb_j from the
     * activation bits, ga_j = w_j . gw_j + b_j gb_j, then the update into the new buffers (or the
     * gradient into gradA/W/B). Writes only panel p's slots and finite[p].
     */
    void backward(MaskBitSweepF32 s, int panel, float[] scratch);

    /**
     * Forward pass of samples [from, to) (a multiple of the sample tile) over all panels: f(x_i), and
     * the activation bits when asked. Writes only those samples' slots.
     */
    void forward(MaskBitSweepF32 s, int from, int to, float[] scratch);
}
