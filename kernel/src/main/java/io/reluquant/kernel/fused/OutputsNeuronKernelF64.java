// GENERATED from OutputsNeuronKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.fused;

/**
 * The fused sweep of a network with k &gt; 1 outputs at d &lt;= 2 over a chunk of neurons: per block of
 * neurons, the backward pass (s_ij = (a_j . r_i) [z_ij &gt; 0], the sums ga_j = sum_i relu(z_ij) r_i,
 * gw_j = sum_i s_ij x_i, gb_j = sum_i s_ij) and the update; then the chunk's forward pass of the
 * updated neurons into its partial sums of f. Implementations: the Vector API one
 * ({@link VectorOutputsNeuronKernelF64}) and its scalar twin ({@link ScalarOutputsNeuronKernelF64}).
 */
public interface OutputsNeuronKernelF64 {
    /** @return e.g. "vector-512/float64" */
    String name();

    /**
     * @param rows samples padded to {@link OutputsSweepF64#SAMPLE_GRANULE}
     * @param paddedOutputs K
     * @return length of the per-thread scratch a sweep over up to {@code rows} samples needs
     */
    int scratchLength(int rows, int paddedOutputs);

    /** Sweeps neurons [from, to) of chunk {@code chunk}, writing only that chunk's partial sums and flag. */
    void sweep(OutputsSweepF64 s, int chunk, int from, int to, double[] scratch);
}
