package io.reluquant.kernel;

/** How a trainer's GD step is organized; {@link Trainer#kernelInfo()} says which one runs. */
public enum Path {
    /**
     * One fused sweep per step: per block of neurons in registers, backward (recomputing z), update
     * and the next forward pass; register-blocked for d = 1 and 2. Best at small d. With k &gt; 1 outputs
     * it runs at d &lt;= 2 only (the fused k-output sweep); above, a k-output plan is the mask-bit one.
     */
    FUSED,
    /**
     * Two GEMM-like passes per step with the activation pattern kept as n x m bits between them
     * (ga from the identity relu(z) = [z > 0] z): 4 n m d flops instead of 6. Best at large d.
     */
    MASKBIT,
    /** The naive float64 reference ({@link Kernel#REFERENCE}): plain loops, no path of the fast kernel. */
    REFERENCE
}
