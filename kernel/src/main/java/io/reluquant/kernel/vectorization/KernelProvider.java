package io.reluquant.kernel.vectorization;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses, once per JVM, between the Vector API kernel and its scalar twin, in the manner of Lucene's
 * vectorization provider: the Vector API is used only when the incubator module is readable, C2 is on
 * and the hardware has vectors of at least 128 bits. The choice and the reason are logged in one line.
 *
 * <p>System property {@value #PROPERTY}: {@code auto} (default: the preferred vector width),
 * {@code scalar}, or {@code 128}, {@code 256}, {@code 512} to force a width (tests cover each).
 * A forced width above what the hardware has falls back to the preferred one. Nothing in this class
 * touches jdk.incubator.vector before the module check.
 */
public final class KernelProvider {
    /** The system property that forces scalar code or a vector width. */
    public static final String PROPERTY = "reluquant.vector";

    private static final System.Logger LOG = System.getLogger("io.reluquant.kernel");
    private static final Choice CHOICE = choose();

    /** The system property that forces a path: {@code auto} (by the input dimension), {@code fused}, {@code maskbit}. */
    public static final String PATH_PROPERTY = "reluquant.path";

    /**
     * Input dimensions from this one up run the mask-bit path under {@code auto}: the crossover the
     * bench's dims group measured (see bench/README.md), where two GEMM-like passes with register tiles
     * overtake the fused sweep that recomputes the pre-activations.
     */
    public static final int MASKBIT_FROM_DIM = 3;

    /** How a step is organized. */
    public enum Path {
        /**
         * One fused sweep per step: per block of neurons in registers, backward (recomputing z), update
         * and the next forward pass; register-blocked for d = 1 and 2. Best at small d.
         */
        FUSED,
        /**
         * Two GEMM-like passes per step with the activation pattern kept as n x m bits between them
         * (ga from the identity relu(z) = [z > 0] z): 4 n m d flops instead of 6. Best at large d.
         */
        MASKBIT
    }

    private static final java.util.Set<String> LOGGED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private KernelProvider() {}

    /** @return the path a network of input dimension d runs (system property {@value #PATH_PROPERTY}); logs each new choice once */
    public static Path path(int inputDim) {
        String requested = System.getProperty(PATH_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        Path chosen;
        String why;
        switch (requested) {
            case "auto":
                chosen = inputDim >= MASKBIT_FROM_DIM ? Path.MASKBIT : Path.FUSED;
                why = "d = " + inputDim + (chosen == Path.MASKBIT ? " >= " : " < ") + MASKBIT_FROM_DIM + ", the measured crossover";
                break;
            case "fused":
                chosen = Path.FUSED;
                why = "forced by -D" + PATH_PROPERTY + "=fused";
                break;
            case "maskbit":
                chosen = Path.MASKBIT;
                why = "forced by -D" + PATH_PROPERTY + "=maskbit";
                break;
            default:
                throw new IllegalArgumentException(PATH_PROPERTY + " must be auto, fused or maskbit, got '" + requested + "'");
        }
        String line = "reluquant: " + chosen.name().toLowerCase(Locale.ROOT) + " path (" + why + ")";
        if (LOGGED.add(chosen + "/" + requested)) {
            LOG.log(System.Logger.Level.INFO, line);
        }
        return chosen;
    }

    /** @return vector width in bits of the chosen kernel, or 0 for the scalar kernel */
    public static int vectorBits() {
        return CHOICE.bits;
    }

    /** @return why this kernel was chosen (the logged line) */
    public static String reason() {
        return CHOICE.reason;
    }

    private static final class Choice {
        final int bits;
        final String reason;

        Choice(int bits, String reason) {
            this.bits = bits;
            this.reason = reason;
        }
    }

    private static Choice choose() {
        Choice c = decide(System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT));
        LOG.log(System.Logger.Level.INFO, c.reason);
        return c;
    }

    private static Choice decide(String requested) {
        if (requested.equals("scalar")) {
            return new Choice(0, "reluquant: scalar kernel (forced by -D" + PROPERTY + "=scalar)");
        }
        int forced;
        switch (requested) {
            case "auto": forced = 0; break;
            case "128": forced = 128; break;
            case "256": forced = 256; break;
            case "512": forced = 512; break;
            default:
                throw new IllegalArgumentException(PROPERTY + " must be auto, scalar, 128, 256 or 512, got '" + requested + "'");
        }
        Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (vector.isEmpty()) {
            return new Choice(0, "reluquant: scalar kernel: jdk.incubator.vector is not in the module graph"
                    + " (start the JVM with --add-modules jdk.incubator.vector for the Vector API kernel)");
        }
        Module self = KernelProvider.class.getModule();
        if (!self.canRead(vector.get())) {
            self.addReads(vector.get()); // requires static: the edge exists only if resolved; add it
        }
        String c2 = c2Missing();
        if (c2 != null) {
            return new Choice(0, "reluquant: scalar kernel: C2 is not available (" + c2
                    + "); the Vector API is far slower than scalar code without it");
        }
        int preferred = VectorCapabilities.preferredBits();
        if (preferred < 128) {
            return new Choice(0, "reluquant: scalar kernel: preferred vector width is " + preferred + " bits (< 128)");
        }
        if (forced == 0) {
            return new Choice(preferred, "reluquant: Vector API kernel, " + preferred + "-bit vectors (preferred width)");
        }
        if (forced > preferred) {
            return new Choice(preferred, "reluquant: Vector API kernel, " + preferred + "-bit vectors ("
                    + PROPERTY + "=" + forced + " exceeds this machine's " + preferred + " bits)");
        }
        return new Choice(forced, "reluquant: Vector API kernel, " + forced + "-bit vectors (forced by -D"
                + PROPERTY + "=" + forced + "; preferred " + preferred + ")");
    }

    /** @return why C2 is off, or null when it is on */
    private static String c2Missing() {
        String vmName = System.getProperty("java.vm.name", "");
        String vmInfo = System.getProperty("java.vm.info", "");
        if (vmInfo.contains("interpreted mode")) {
            return "interpreted mode";
        }
        if (vmName.contains("Client VM")) {
            return vmName;
        }
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String arg : args) {
            if (arg.equals("-Xint") || arg.equals("-XX:-UseCompiler")
                    || arg.matches("-XX:TieredStopAtLevel=[0-3]")) {
                return arg;
            }
        }
        return null;
    }
}
