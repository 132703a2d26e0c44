package io.reluquant.kernel.vectorization;

import jdk.incubator.vector.VectorShape;

/** The only place the provider touches jdk.incubator.vector, after it checked the module is readable. */
final class VectorCapabilities {
    private VectorCapabilities() {}

    static int preferredBits() {
        return VectorShape.preferredShape().vectorBitSize();
    }
}
