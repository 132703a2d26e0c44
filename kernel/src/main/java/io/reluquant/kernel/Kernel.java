package io.reluquant.kernel;

/** Which implementation of the gradient-descent step a {@link Trainer} runs. */
public enum Kernel {
    /**
     * The fused kernel on the Vector API at the width the provider chose (system property
     * {@code reluquant.vector} = auto|scalar|128|256|512), or its scalar twin when the Vector API
     * is unavailable; the provider logs its choice once.
     */
    FUSED,
    /** The fused algorithm in plain scalar Java, whatever the provider chose. */
    SCALAR,
    /**
     * The naive float64 reference ({@link io.reluquant.kernel.reference.Reference}) behind the same
     * interface: slow and allocating, for cross-checks only. Requires {@link Precision#FLOAT64}.
     */
    REFERENCE
}
