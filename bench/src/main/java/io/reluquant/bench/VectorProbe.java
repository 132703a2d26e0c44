package io.reluquant.bench;

import io.reluquant.kernel.vectorization.KernelProvider;

/** Prints the kernel provider's choice in a JVM started like a fork (see {@link Machine}). */
public final class VectorProbe {
    private VectorProbe() {}

    public static void main(String[] args) {
        System.out.println(KernelProvider.reason());
    }
}
