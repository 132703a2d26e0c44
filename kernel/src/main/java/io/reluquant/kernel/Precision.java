package io.reluquant.kernel;

/** Floating-point format the fused kernel stores parameters and data in and computes with. */
public enum Precision {
    /** IEEE binary32: twice the lanes per vector, the fast path for wide networks. */
    FLOAT32,
    /** IEEE binary64: for long trajectories that must track the float64 reference closely. */
    FLOAT64
}
