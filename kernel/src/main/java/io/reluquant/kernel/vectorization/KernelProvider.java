package io.reluquant.kernel.vectorization;

import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Chooses, once per JVM, between the Vector API kernel and its scalar twin, in the manner of Lucene's
 * vectorization provider: the Vector API is used only when the incubator module is readable, C2 is on
 * and is the JIT (no JVMCI/Graal compiler), the VM is HotSpot (not OpenJ9), the JDK is not newer than
 * the newest tested ({@value #NEWEST_TESTED_FEATURE}) and the hardware has vectors of at least
 * 128 bits. The choice and the reason are logged in one line.
 *
 * <p>System property {@value #PROPERTY}: {@code auto} (default: the preferred vector width),
 * {@code scalar}, or {@code 128}, {@code 256}, {@code 512} to force a width (tests cover each).
 * A forced width above what the hardware has falls back to the preferred one; a forced width also
 * overrides the refusal of a JVMCI compiler, a non-HotSpot VM or a newer JDK. Nothing in this class
 * touches jdk.incubator.vector before the module check.
 */
public final class KernelProvider {
    /** The system property that forces scalar code or a vector width. */
    public static final String PROPERTY = "reluquant.vector";

    /** The newest JDK feature version the Vector API kernel was tested on. */
    static final int NEWEST_TESTED_FEATURE = 25;

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

    static final class Choice {
        final int bits;
        final String reason;

        Choice(int bits, String reason) {
            this.bits = bits;
            this.reason = reason;
        }
    }

    private static Choice choose() {
        Choice c = decide(System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT), Jvm.current());
        LOG.log(System.Logger.Level.INFO, c.reason);
        return c;
    }

    /**
     * What the choice depends on, read once from the running JVM, so that {@link #decide} is a pure
     * function tests can feed any JVM.
     */
    static final class Jvm {
        final boolean vectorModule;
        final String c2Missing;
        final boolean jvmciCompiler;
        final String vmName;
        final int featureVersion;
        final IntSupplier preferredBits;

        /**
         * @param vectorModule whether jdk.incubator.vector is in the boot layer
         * @param c2Missing why C2 is off, or null when it is on
         * @param jvmciCompiler whether a JVMCI compiler (Graal) replaces C2
         * @param vmName java.vm.name
         * @param featureVersion Runtime.version().feature()
         * @param preferredBits the hardware's preferred vector width; read only after the module check
         */
        Jvm(boolean vectorModule, String c2Missing, boolean jvmciCompiler, String vmName, int featureVersion,
            IntSupplier preferredBits) {
            this.vectorModule = vectorModule;
            this.c2Missing = c2Missing;
            this.jvmciCompiler = jvmciCompiler;
            this.vmName = vmName;
            this.featureVersion = featureVersion;
            this.preferredBits = preferredBits;
        }

        static Jvm current() {
            Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
            return new Jvm(vector.isPresent(), c2Missing(), jvmciCompiler(), System.getProperty("java.vm.name", ""),
                    Runtime.version().feature(), () -> {
                        Module self = KernelProvider.class.getModule();
                        if (!self.canRead(vector.get())) {
                            self.addReads(vector.get()); // requires static: the edge exists only if resolved; add it
                        }
                        return VectorCapabilities.preferredBits();
                    });
        }
    }

    /**
     * The choice for a requested setting on a given JVM. A forced width overrides the refusals that
     * are about speed on an untested compiler, VM or JDK (JVMCI, non-HotSpot, newer than
     * {@value #NEWEST_TESTED_FEATURE}), not those where the Vector API cannot run well at all
     * (module missing, C2 off, vectors narrower than 128 bits).
     */
    static Choice decide(String requested, Jvm jvm) {
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
        if (!jvm.vectorModule) {
            return new Choice(0, "reluquant: scalar kernel: jdk.incubator.vector is not in the module graph"
                    + " (start the JVM with --add-modules jdk.incubator.vector for the Vector API kernel)");
        }
        if (jvm.c2Missing != null) {
            return new Choice(0, "reluquant: scalar kernel: C2 is not available (" + jvm.c2Missing
                    + "); the Vector API is far slower than scalar code without it");
        }
        String untested = untested(jvm);
        if (untested != null && forced == 0) {
            return new Choice(0, "reluquant: scalar kernel: " + untested
                    + "; -D" + PROPERTY + "=128|256|512 forces the Vector API kernel");
        }
        int preferred = jvm.preferredBits.getAsInt();
        if (preferred < 128) {
            return new Choice(0, "reluquant: scalar kernel: preferred vector width is " + preferred + " bits (< 128)");
        }
        if (forced == 0) {
            return new Choice(preferred, "reluquant: Vector API kernel, " + preferred + "-bit vectors (preferred width)");
        }
        String despite = untested == null ? "" : "; despite: " + untested;
        if (forced > preferred) {
            return new Choice(preferred, "reluquant: Vector API kernel, " + preferred + "-bit vectors ("
                    + PROPERTY + "=" + forced + " exceeds this machine's " + preferred + " bits" + despite + ")");
        }
        return new Choice(forced, "reluquant: Vector API kernel, " + forced + "-bit vectors (forced by -D"
                + PROPERTY + "=" + forced + "; preferred " + preferred + despite + ")");
    }

    /**
     * Where the Vector API is known or likely not to be compiled to vector instructions, so it runs
     * slower than the scalar kernel (Lucene's vectorization provider refuses the same cases).
     *
     * @return why the JVM is outside what was tested, or null
     */
    private static String untested(Jvm jvm) {
        if (jvm.jvmciCompiler) {
            return "a JVMCI compiler (Graal) replaces C2 and does not intrinsify the Vector API as C2 does";
        }
        if (!isHotSpot(jvm.vmName)) {
            return "VM '" + jvm.vmName + "' is not HotSpot (OpenJ9 and others do not intrinsify the Vector API)";
        }
        if (jvm.featureVersion > NEWEST_TESTED_FEATURE) {
            return "JDK " + jvm.featureVersion + " is newer than the newest tested (" + NEWEST_TESTED_FEATURE
                    + "); the incubating Vector API may have changed";
        }
        return null;
    }

    private static boolean isHotSpot(String vmName) {
        return vmName.startsWith("OpenJDK") || vmName.startsWith("Java HotSpot");
    }

    /**
     * @return whether the JIT is a JVMCI compiler: the HotSpot flag UseJVMCICompiler (read
     *         reflectively: jdk.management may be absent from the module graph), or a JVMCI build
     *         named in java.vm.version (GraalVM)
     */
    private static boolean jvmciCompiler() {
        if (System.getProperty("java.vm.version", "").contains("jvmci")) {
            return true;
        }
        try {
            Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Object mx = ManagementFactory.getPlatformMXBean(bean.asSubclass(PlatformManagedObject.class));
            Object option = bean.getMethod("getVMOption", String.class).invoke(mx, "UseJVMCICompiler");
            return "true".equals(option.getClass().getMethod("getValue").invoke(option));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // no such flag or no MXBean: not a HotSpot build with JVMCI
        }
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
