package io.reluquant.kernel.engine;

/**
 * What a trainer drives: one implementation per (kernel, precision). This package holds the
 * interface and every engine (the fused sweep, the mask-bit passes, the reference, and the wrapper
 * that rejects overlapping calls); it is internal (not exported). Engines are made only by
 * {@link io.reluquant.kernel.vectorization.KernelProvider#engine}. Arguments arrive already
 * validated by {@link io.reluquant.kernel.Trainer}; shapes are those of the public types (a (m), or
 * (m, k) row-major with k outputs, w (m, d) row-major, b (m), x (q, d) row-major, outputs (q) or (q, k)).
 */
public interface Engine extends AutoCloseable {
    /** @return the full-batch loss at the current parameters */
    double loss();

    /**
     * One full-batch GD step, the output weights a moving by -lrOutput times their gradient and the
     * hidden neurons (w, b) by -lrHidden times theirs. @return the loss at the new parameters
     */
    double step(double lrOutput, double lrHidden);

    /** One GD step on the samples indices[0..count). @return that batch's loss before the step */
    double step(double lrOutput, double lrHidden, int[] indices, int count);

    /** Full-batch gradient into ga, gw, gb. @return the loss at the current parameters */
    double gradient(double[] ga, double[] gw, double[] gb);

    /** Gradient of the batch indices[0..count). @return that batch's loss */
    double gradient(int[] indices, int count, double[] ga, double[] gw, double[] gb);

    /** out[0..q) = f(x_i) for the q rows of x. */
    void forward(double[] x, int q, double[] out);

    /**
     * Replaces the parameters (public layout, already validated: lengths, finite, b zero without
     * bias), rounded to the engine's precision exactly as the constructor rounds them. Exactly one
     * triple, the float64 (a, w, b) or the float32 (af, wf, bf), is non-null. Allocates nothing.
     */
    void setParameters(double[] a, double[] w, double[] b, float[] af, float[] wf, float[] bf);

    /**
     * Applies a caller-computed update: p = scale * p + dp for every parameter, evaluated in float64
     * (no fused multiply-add) and rounded once to the engine's precision. An update that would make a
     * parameter non-finite throws IllegalArgumentException naming it and changes nothing.
     * Allocates nothing.
     */
    void addToParameters(double scale, double[] da, double[] dw, double[] db);

    /** Copies the current parameters out (unpadded, in the public layout). */
    void copyParameters(double[] a, double[] w, double[] b);

    /**
     * Sets the rule of the steps (state allocated here, zero; the trainer checked the memory first);
     * SGD drops any state. Called once, when the trainer is built.
     */
    void useOptimizer(io.reluquant.kernel.Optimizer optimizer);

    /** Sets the optimizer's state back to zero and its step count t to 0 (nothing for SGD). */
    void resetOptimizer();

    /**
     * Copies state value {@code moment} (0: velocity or first moment, 1: second moment) out in the
     * public layout of a, w, b (already validated: an optimizer with that many state values).
     */
    void copyOptimizerState(int moment, double[] a, double[] w, double[] b);

    /** @return which kernel runs, e.g. "vector-512/float32" */
    String kernel();

    /** Stops the worker team; idempotent. */
    @Override
    void close();
}
