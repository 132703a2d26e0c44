// GENERATED from OutputsKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.maskbit;

/**
 * The mask-bit passes of a network with k &gt; 1 outputs (docs/KERNEL.md, "Vector outputs"): the
 * forward pass multiplies relu(Z) by the k x m output matrix and keeps the activation bits; the
 * backward pass weighs each active (sample, neuron) pair by the k-dot a_j . r_i and sums
 * ga_j = sum_i relu(z_ij) r_i from stored or recomputed relu(z). The engine chooses the work split;
 * implementations are stateless apart from the sweep and the scratch each thread owns.
 */
public interface OutputsKernelF64 {
    /** @return the kernel's name, e.g. "maskbit/vector-512/float64" (the same as the one-output kernel's) */
    String name();

    /**
     * @param features D, the padded input dimension
     * @param outputs k
     * @return floats of scratch each thread needs
     */
    int scratchLength(int features, int outputs);

    /** Backward pass of panel p: its gradient sums, then the update or the gradient output. */
    void backward(MaskBitSweepF64 s, int panel, double[] scratch);

    /** Forward pass of samples [from, to): f into s.fk, the bits and relu(z) when asked. */
    void forward(MaskBitSweepF64 s, int from, int to, double[] scratch);
}
