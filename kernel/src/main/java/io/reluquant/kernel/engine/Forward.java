package io.reluquant.kernel.engine;

/**
 * The forward pass of one network on the calling thread, for a predictor: immutable after
 * construction, and every call works in its calling thread's own scratch (made at that thread's first
 * call and reused, so calls allocate nothing after it), so any number of threads may call it at
 * once. Arguments arrive already validated by {@link io.reluquant.kernel.Predictor}.
 */
public interface Forward {
    /**
     * out[0..q) = f(x_i) for the q rows of x, where exactly one of xd (float64) and xf (float32) is
     * non-null; each value rounded to the kernel's precision as a trainer's forward rounds it.
     */
    void forward(double[] xd, float[] xf, int q, double[] out);

    /** @return which kernel runs, named as the trainer's engines name theirs */
    String kernel();
}
