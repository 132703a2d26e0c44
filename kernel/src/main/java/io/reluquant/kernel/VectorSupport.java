package io.reluquant.kernel;

import io.reluquant.kernel.vectorization.KernelProvider;

/**
 * Whether this JVM runs the Vector API kernel, for a host to log at start-up or to insist on. The
 * choice is made once per JVM (the first time the kernel is used) and does not change afterwards.
 *
 * <pre>{@code
 * log.info(VectorSupport.status());   // e.g. "reluquant: Vector API kernel, 512-bit vectors (preferred width)"
 * VectorSupport.require();            // throws, naming the flag and how to pass it, when it is the scalar kernel
 * }</pre>
 *
 * <p>Without it the kernel runs its scalar twin: the same results within rounding, 38-50x slower.
 * The Vector API is an incubator module, so the JVM must be started with
 * {@code --add-modules jdk.incubator.vector}; {@link #HOW_TO_ENABLE} says how to pass that flag.
 */
public final class VectorSupport {
    /** How to pass the flag, for messages: every way we know to work. */
    public static final String HOW_TO_ENABLE = "start the JVM with --add-modules jdk.incubator.vector: "
            + "on the command line (java --add-modules jdk.incubator.vector -jar app.jar), "
            + "or in the environment variable JDK_JAVA_OPTIONS=--add-modules=jdk.incubator.vector (read by the java "
            + "launcher, so it also reaches fat jars and tools that start java for you), "
            + "for Maven tests in maven-surefire-plugin's <argLine>--add-modules jdk.incubator.vector</argLine>, "
            + "for mvn exec:java (which runs in Maven's own JVM) in MAVEN_OPTS or .mvn/jvm.config, "
            + "for mvn exec:exec and Gradle's run/test in their jvmArgs; "
            + "a jar manifest cannot add a module";

    private VectorSupport() {}

    /** @return whether the trainers and predictors of this JVM run the Vector API kernel (Kernel.AUTO) */
    public static boolean available() {
        return KernelProvider.vectorBits() > 0;
    }

    /** @return the vector width in bits the kernel uses (128, 256 or 512), or 0 for the scalar kernel */
    public static int bits() {
        return KernelProvider.vectorBits();
    }

    /**
     * @return one line saying which kernel this JVM runs and why, e.g. "reluquant: scalar kernel:
     *         jdk.incubator.vector is not in the module graph (...)": the line the kernel logs once
     */
    public static String status() {
        return KernelProvider.reason();
    }

    /**
     * Fails unless the Vector API kernel is available: the check behind
     * {@link Trainer.Builder#requireVectorKernel()}, for a host that wants it once at start-up.
     *
     * @throws IllegalStateException naming why the scalar kernel was chosen and how to pass the flag
     */
    public static void require() {
        if (!available()) {
            throw new IllegalStateException("the Vector API kernel is required but this JVM runs the scalar kernel ("
                    + status().replaceFirst("^reluquant: ", "") + "); " + HOW_TO_ENABLE);
        }
    }
}
