// GENERATED from NeuronKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.fused;

/**
 * The hot loop: one fused sweep over a chunk of neurons. Per block of neurons held in registers:
 * the backward pass (gradient sums over all samples), the update, and the forward pass of the
 * updated block (its contribution to f(x_i) of the next step). Implementations: the Vector API one
 * ({@link VectorNeuronKernelF64}) and its scalar twin ({@link ScalarNeuronKernelF64}).
 */
public interface NeuronKernelF64 {
    /** @return e.g. "vector-512/float64" */
    String name();

    /** @return length of the per-thread scratch array a sweep over up to {@code samples} needs */
    int scratchLength(int samples, int inputDim);

    /**
     * Sweeps neurons [from, to) of chunk {@code chunk} (both multiples of the block size), writing
     * only that chunk's partial sums and finiteness flag.
     */
    void sweep(SweepF64 s, int chunk, int from, int to, double[] scratch);
}
