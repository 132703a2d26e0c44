/**
 * reluquant kernel: gradient descent on wide two-layer ReLU networks
 * f(x) = sum_j a_j relu(w_j . x + b_j).
 *
 * <p>The Vector API is an optional dependency ({@code requires static}): when an application does not
 * add {@code jdk.incubator.vector} to its module graph, the kernel still loads and runs a scalar
 * implementation of the same fused algorithm, and logs one line saying why.
 */
module io.reluquant.kernel {
    requires static jdk.incubator.vector;
    // C2 detection reads the JVM's input arguments (RuntimeMXBean); part of every JDK.
    requires java.management;

    exports io.reluquant.kernel;
    exports io.reluquant.kernel.reference;
}
