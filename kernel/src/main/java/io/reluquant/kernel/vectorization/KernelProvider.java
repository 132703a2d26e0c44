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

    private KernelProvider() {}

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
