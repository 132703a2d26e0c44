package io.reluquant.kernel;

/** Which implementation of the gradient-descent step a {@link Trainer} runs. */
public enum Kernel {
    /**
     * The provider's choice: the path by the input dimension ({@link Path#FUSED} below d = 3,
     * {@link Path#MASKBIT} from there; system property {@code reluquant.path} = auto|fused|maskbit), on
     * the Vector API at the width the provider chose (system property {@code reluquant.vector} =
     * auto|scalar|128|256|512), or its scalar twin when the Vector API is unavailable; the provider
     * logs its choice once. {@link Trainer#kernelInfo()} says what was chosen.
     */
    AUTO,
    /**
     * The same as {@link #AUTO}.
     *
     * @deprecated the name said "the fused path" but also ran the mask-bit path from d = 3; use {@link #AUTO}
     */
    @Deprecated
    FUSED,
    /** The provider's path in plain scalar Java, whatever the provider chose for the vector width. */
    SCALAR,
    /**
     * The naive float64 reference ({@link io.reluquant.kernel.reference.Reference}) behind the same
     * interface: slow and allocating, for cross-checks only. Requires {@link Precision#FLOAT64}.
     */
    REFERENCE
}
