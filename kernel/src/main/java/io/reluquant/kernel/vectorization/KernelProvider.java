package io.reluquant.kernel.vectorization;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.KernelInfo;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.Path;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.engine.Engine;
import io.reluquant.kernel.engine.ExclusiveEngine;
import io.reluquant.kernel.engine.FusedEngineF32;
import io.reluquant.kernel.engine.FusedEngineF64;
import io.reluquant.kernel.engine.FusedOutputsEngineF32;
import io.reluquant.kernel.engine.FusedOutputsEngineF64;
import io.reluquant.kernel.engine.MaskBitEngineF32;
import io.reluquant.kernel.engine.MaskBitEngineF64;
import io.reluquant.kernel.engine.OutputsEngineF32;
import io.reluquant.kernel.engine.OutputsEngineF64;
import io.reluquant.kernel.engine.ReferenceEngine;
import io.reluquant.kernel.engine.Values;
import io.reluquant.kernel.fused.Layout;
import io.reluquant.kernel.fused.NeuronKernelF32;
import io.reluquant.kernel.fused.NeuronKernelF64;
import io.reluquant.kernel.fused.OutputsNeuronKernelF32;
import io.reluquant.kernel.fused.OutputsNeuronKernelF64;
import io.reluquant.kernel.fused.ScalarOutputsNeuronKernelF32;
import io.reluquant.kernel.fused.ScalarOutputsNeuronKernelF64;
import io.reluquant.kernel.fused.ScalarNeuronKernelF32;
import io.reluquant.kernel.fused.ScalarNeuronKernelF64;
import io.reluquant.kernel.maskbit.MaskBitKernelF32;
import io.reluquant.kernel.maskbit.MaskBitKernelF64;
import io.reluquant.kernel.maskbit.MaskBitLayout;
import io.reluquant.kernel.maskbit.OutputsKernelF32;
import io.reluquant.kernel.maskbit.OutputsKernelF64;
import io.reluquant.kernel.maskbit.ScalarOutputsKernelF32;
import io.reluquant.kernel.maskbit.ScalarOutputsKernelF64;
import io.reluquant.kernel.maskbit.ScalarMaskBitKernelF32;
import io.reluquant.kernel.maskbit.ScalarMaskBitKernelF64;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The one place that chooses what runs and builds it, in the manner of Lucene's vectorization
 * provider (a lookup that returns the implementation): {@link #plan} decides precision x path x
 * vector or scalar kernel and the bytes the engine will hold, once per trainer; {@link #engine} makes
 * the kernel object and the engine around it from that plan and logs one line with the reasons the
 * first time a JVM makes each choice. Nothing else chooses a path or constructs a kernel or an engine.
 *
 * <p>Once per JVM it chooses between the Vector API kernels and their scalar twins: the Vector API is used only when the incubator module is readable, C2 is on
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

    private static final java.util.Set<String> LOGGED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private KernelProvider() {}

    /**
     * @param inputDim the input dimension d
     * @return the path a network of input dimension d runs (system property {@value #PATH_PROPERTY})
     */
    public static Path path(int inputDim) {
        return choosePath(inputDim).path;
    }

    /** A path and why. */
    private static final class PathChoice {
        final Path path;
        final String reason;

        PathChoice(Path path, String reason) {
            this.path = path;
            this.reason = reason;
        }
    }

    private static PathChoice choosePath(int inputDim) {
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
        return new PathChoice(chosen, why);
    }

    /**
     * What a trainer will run, decided once: the path, the vector width (0: scalar code), the precision,
     * the bytes its engine holds and why.
     *
     * @param path how a step is organized
     * @param vectorBits the Vector API kernel's width, or 0 for the scalar kernel and the reference
     * @param precision the kernel's floating-point format
     * @param bytesNeeded the bytes of the engine's buffers, as the engine class states them
     * @param reason why this path and this kernel (the provider logs it)
     * @param inputDim d
     * @param threads team size
     */
    public record Plan(Path path, int vectorBits, Precision precision, long bytesNeeded, String reason, int inputDim,
                       int threads, int outputs, boolean storeRelu) {
        /** @return what runs, as the trainer reports it */
        public KernelInfo info() {
            return new KernelInfo(path, vectorBits, precision);
        }
    }

    /**
     * Decides what a trainer of this shape runs and what its engine holds, before anything is
     * allocated. Arguments are already validated (REFERENCE comes with FLOAT64).
     *
     * @param kernel AUTO (or its alias FUSED: the provider's kernel), SCALAR (forced scalar) or REFERENCE
     * @param precision the kernel's floating-point format
     * @param forcedPath a path forced by the caller (tests), or null for {@link #path}'s choice; ignored by REFERENCE
     * @param samples n
     * @param inputDim d
     * @param width m
     * @param threads team size
     * @return the plan
     * @throws IllegalArgumentException if the padded buffers overflow int indexing
     */
    public static Plan plan(Kernel kernel, Precision precision, Path forcedPath, int samples, int inputDim, int width,
                            int threads) {
        return plan(kernel, precision, forcedPath, samples, inputDim, width, threads, true);
    }

    /**
     * The system property that chooses how the k-output backward pass gets relu(z) for
     * ga_j = sum_i relu(z_ij) r_i: "store" (the forward pass keeps n x m values of relu(z)),
     * "recompute" (the backward pass recomputes z tile by tile from the inputs) or "auto" (the default:
     * store from d = {@link #STORE_RELU_FROM_DIM} on; docs/KERNEL.md has the measurement behind it).
     */
    public static final String RELU_PROPERTY = "reluquant.outputs.relu";

    /**
     * "auto" stores relu(z) from this input dimension on and recomputes it below: recomputing costs 2 d
     * flops per (sample, neuron) pair, storing 8 bytes of memory traffic per pair (written forward, read
     * backward) and n m values. Measured (JDK 25, one thread, float32, softmax, k = 10, on a loaded
     * 2-core AMD EPYC; ms per step, store / recompute): d = 1 (256 x 65536) 136 / 64, d = 2 137 / 66,
     * d = 16 (256 x 16384) 36 / 27, d = 64 (2048 x 4096) 81 / 64, d = 128 (1000 x 2048) 39 / 24,
     * d = 256 (1000 x 1024) 19.0 / 20.0, d = 784 (1000 x 1024) 40 / 54 and (3000 x 1024) 145 / 160.
     */
    static final int STORE_RELU_FROM_DIM = 256;

    private static boolean storeRelu(int inputDim) {
        String v = System.getProperty(RELU_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "auto": return inputDim >= STORE_RELU_FROM_DIM;
            case "store": return true;
            case "recompute": return false;
            default:
                throw new IllegalArgumentException(RELU_PROPERTY + " must be auto, store or recompute, got '" + v + "'");
        }
    }

    /**
     * The plan of a network with k outputs: k = 1 is exactly {@link #plan(Kernel, Precision, Path, int, int,
     * int, int, boolean)}; k &gt; 1 runs the fused k-output sweep where the one-output plan is the fused
     * path and d &lt;= 2 ({@link FusedOutputsEngineF32}), and the k-output mask-bit engine otherwise (a
     * forced FUSED path at d &gt; 2 is routed to it and the reason says so; -D{@value #PATH_PROPERTY}=maskbit
     * keeps the mask-bit engine reachable at d &lt;= 2), its bytes counted with relu(z) when stored.
     */
    public static Plan plan(Kernel kernel, Precision precision, Path forcedPath, int samples, int inputDim, int outputs,
                            int width, int threads, boolean exactThreads) {
        Plan one = plan(kernel, precision, forcedPath, samples, inputDim, width, threads, exactThreads);
        if (outputs == 1) {
            return one;
        }
        long padded = (width + (long) MaskBitLayout.PANEL - 1) / MaskBitLayout.PANEL * MaskBitLayout.PANEL;
        checkIndexable("width padded to " + padded + " * outputs " + outputs, padded * outputs);
        if (one.path() == Path.REFERENCE) {
            return new Plan(Path.REFERENCE, 0, Precision.FLOAT64, ReferenceEngine.bytesNeeded(samples, inputDim, outputs, width),
                    one.reason() + "; " + outputs + " outputs", inputDim, one.threads(), outputs, false);
        }
        boolean f32 = precision == Precision.FLOAT32;
        if (one.path() == Path.FUSED && inputDim <= FUSED_OUTPUTS_MAX_DIM) {
            long kp = FusedOutputsEngineF32.paddedOutputs(outputs);
            long rows = FusedOutputsEngineF32.paddedSamples(samples);
            checkIndexable("width padded * outputs padded", Layout.paddedWidth(width) * kp);
            checkIndexable("samples padded * outputs padded * chunks", rows * kp * Layout.chunksAtMost(rows * kp));
            long bytes = f32 ? FusedOutputsEngineF32.bytesNeeded(samples, inputDim, outputs, width, one.threads())
                    : FusedOutputsEngineF64.bytesNeeded(samples, inputDim, outputs, width, one.threads());
            return new Plan(Path.FUSED, one.vectorBits(), precision, bytes, one.reason() + "; " + outputs
                    + " outputs on the fused k-output sweep (d <= " + FUSED_OUTPUTS_MAX_DIM + ", docs/KERNEL.md)",
                    inputDim, one.threads(), outputs, false);
        }
        boolean store = storeRelu(inputDim);
        long rows = MaskBitLayout.roundUp(samples, MaskBitLayout.ROW_TILE);
        checkIndexable("samples padded * outputs", rows * outputs);
        if (store) {
            checkIndexable("samples padded * width padded (relu(z) kept for the backward pass)", rows * padded);
        }
        checkIndexable("samples padded * width / " + MaskBitLayout.PANEL, rows * (padded / MaskBitLayout.PANEL));
        checkIndexable("samples padded * inputDim padded", rows * MaskBitLayout.roundUp(inputDim, MaskBitLayout.FEATURE_TILE));
        long bytes = f32 ? OutputsEngineF32.bytesNeeded(samples, inputDim, outputs, width, one.threads(), store)
                : OutputsEngineF64.bytesNeeded(samples, inputDim, outputs, width, one.threads(), store);
        String route = one.path() == Path.MASKBIT ? "" : "; routed to the mask-bit path: " + outputs
                + " outputs at d = " + inputDim + " (the fused k-output sweep covers d <= " + FUSED_OUTPUTS_MAX_DIM
                + ", docs/KERNEL.md)";
        return new Plan(Path.MASKBIT, one.vectorBits(), precision, bytes, one.reason() + route + "; " + outputs
                + " outputs, relu(z) " + (store ? "stored" : "recomputed") + " for the output-weight gradient",
                inputDim, one.threads(), outputs, store);
    }

    /** The fused k-output sweep's input dimensions: 1 and 2 (it holds two input rows in registers). */
    public static final int FUSED_OUTPUTS_MAX_DIM = 2;

    /**
     * Work a team member needs in a step before it pays for itself: the team costs 1-3 us per member
     * and step (waking it, the final barrier: the bench's sync rows), and 2^20 flops take 10-20 us on
     * one core here, so an extra member that gets less than this makes the step slower, not faster
     * (measured: (n, d, m) = (8, 1, 1024), 1.2e5 flops, 3.3 us on one thread and 3.8 us on two).
     */
    public static final long MIN_FLOPS_PER_MEMBER = 1L << 20;

    /**
     * The team a step of this shape can use: at most {@code requested}, and no more members than
     * its flops give each one {@link #MIN_FLOPS_PER_MEMBER} of work. Results are the same bits for
     * every team size, so this changes only the time.
     */
    public static int teamSize(int requested, int samples, int inputDim, int width) {
        long flops = (long) samples * width * (4L * (inputDim + 1) + 6);
        return (int) Math.max(1, Math.min(requested, flops / MIN_FLOPS_PER_MEMBER));
    }

    /**
     * @param exactThreads true: a team of exactly {@code threads} (the caller forced it); false: at most
     *                     {@code threads}, fewer where more cannot make a step faster ({@link #teamSize}),
     *                     said in the logged reason
     */
    public static Plan plan(Kernel kernel, Precision precision, Path forcedPath, int samples, int inputDim, int width,
                            int threads, boolean exactThreads) {
        int team = exactThreads ? threads : teamSize(threads, samples, inputDim, width);
        String teamNote = team == threads ? "" : String.format(Locale.ROOT, "; a team of %d thread%s, not %d: %d x %d pairs"
                + " give each extra member less than 2^20 flops a step, where the team's cost exceeds its help"
                + " (Trainer.Builder.threads(k) forces k)", team, team == 1 ? "" : "s", threads, samples, width);
        Plan plan = plan(kernel, precision, forcedPath, samples, inputDim, width, team, teamNote);
        return plan;
    }

    private static Plan plan(Kernel kernel, Precision precision, Path forcedPath, int samples, int inputDim, int width,
                             int threads, String teamNote) {
        // the engines pad the width to a multiple of the neuron granule and store w as d rows of that width
        long padded = (width + (long) Layout.NEURON_GRANULE - 1) / Layout.NEURON_GRANULE * Layout.NEURON_GRANULE;
        checkIndexable("width padded to " + padded + " * inputDim " + inputDim, padded * (inputDim + 3L));
        if (kernel == Kernel.REFERENCE) {
            return new Plan(Path.REFERENCE, 0, Precision.FLOAT64, ReferenceEngine.bytesNeeded(samples, inputDim, width),
                    "reference engine (Kernel.REFERENCE requested)" + teamNote, inputDim, threads, 1, false);
        }
        if (forcedPath == Path.REFERENCE) {
            throw new IllegalArgumentException("path REFERENCE is kernel REFERENCE");
        }
        PathChoice path = forcedPath != null ? new PathChoice(forcedPath, "forced by the caller") : choosePath(inputDim);
        int bits = kernel == Kernel.SCALAR ? 0 : CHOICE.bits;
        String why = kernel == Kernel.SCALAR ? "scalar kernel (Kernel.SCALAR requested)" : CHOICE.reason.substring("reluquant: ".length());
        boolean f32 = precision == Precision.FLOAT32;
        long bytes;
        if (path.path == Path.MASKBIT) {
            // activation bits: one 64-bit word per (sample, panel of neurons); inputs padded to the tiles
            checkIndexable("samples padded * width / " + MaskBitLayout.PANEL,
                    MaskBitLayout.roundUp(samples, MaskBitLayout.ROW_TILE) * (padded / MaskBitLayout.PANEL));
            checkIndexable("samples padded * inputDim padded", MaskBitLayout.roundUp(samples, MaskBitLayout.ROW_TILE)
                    * (long) MaskBitLayout.roundUp(inputDim, MaskBitLayout.FEATURE_TILE));
            bytes = f32 ? MaskBitEngineF32.bytesNeeded(samples, inputDim, width, threads)
                    : MaskBitEngineF64.bytesNeeded(samples, inputDim, width, threads);
        } else {
            bytes = f32 ? FusedEngineF32.bytesNeeded(samples, inputDim, width, threads)
                    : FusedEngineF64.bytesNeeded(samples, inputDim, width, threads);
        }
        return new Plan(path.path, bits, precision, bytes,
                path.path.name().toLowerCase(Locale.ROOT) + " path (" + path.reason + "); " + why + teamNote, inputDim, threads,
                1, false);
    }

    private static void checkIndexable(String what, long value) {
        if (value > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException(what + " = " + value + " overflows int array indexing");
        }
    }

    /**
     * Builds the engine of a plan, guarded against overlapping calls: the one place where the kernel
     * objects are made. Logs one line with the plan's reason the first time this JVM makes each choice.
     * Arguments are already validated.
     *
     * @param plan what runs, from {@link #plan}
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param a output weights (m)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param bias false to keep b at zero
     * @param loss the loss
     * @param threadFactory makes the team's workers, or null for the default daemon threads
     * @return the engine
     */
    public static Engine engine(Plan plan, Values x, double[] y, Values a, Values w, Values b, boolean bias, Loss loss,
                                java.util.concurrent.ThreadFactory threadFactory) {
        int inputDim = plan.inputDim();
        int threads = plan.threads();
        if (plan.path() == Path.REFERENCE) {
            log("reluquant: reference engine (Kernel.REFERENCE requested), float64");
            return new ExclusiveEngine(new ReferenceEngine(x.toDoubles(), y, inputDim, plan.outputs(), a.toDoubles(),
                    w.toDoubles(), b.toDoubles(), bias, loss));
        }
        boolean vector = plan.vectorBits() > 0;
        boolean f32 = plan.precision() == Precision.FLOAT32;
        Engine engine;
        if (plan.outputs() > 1 && plan.path() == Path.FUSED) {
            int k = plan.outputs();
            engine = f32
                    ? new FusedOutputsEngineF32(vector ? load(OutputsNeuronKernelF32.class, "fused.VectorOutputsNeuronKernelF32")
                            : new ScalarOutputsNeuronKernelF32(), x, y, inputDim, k, a, w, b, bias, loss, threads, threadFactory)
                    : new FusedOutputsEngineF64(vector ? load(OutputsNeuronKernelF64.class, "fused.VectorOutputsNeuronKernelF64")
                            : new ScalarOutputsNeuronKernelF64(), x, y, inputDim, k, a, w, b, bias, loss, threads, threadFactory);
        } else if (plan.outputs() > 1) {
            int k = plan.outputs();
            engine = f32
                    ? new OutputsEngineF32(vector ? load(OutputsKernelF32.class, "maskbit.VectorOutputsKernelF32")
                            : new ScalarOutputsKernelF32(), x, y, inputDim, k, a, w, b, bias, loss, plan.storeRelu(),
                            threads, threadFactory)
                    : new OutputsEngineF64(vector ? load(OutputsKernelF64.class, "maskbit.VectorOutputsKernelF64")
                            : new ScalarOutputsKernelF64(), x, y, inputDim, k, a, w, b, bias, loss, plan.storeRelu(),
                            threads, threadFactory);
        } else if (plan.path() == Path.MASKBIT) {
            engine = f32
                    ? new MaskBitEngineF32(vector ? load(MaskBitKernelF32.class, "maskbit.VectorMaskBitKernelF32")
                            : new ScalarMaskBitKernelF32(), x, y, inputDim, a, w, b, bias, loss, threads, threadFactory)
                    : new MaskBitEngineF64(vector ? load(MaskBitKernelF64.class, "maskbit.VectorMaskBitKernelF64")
                            : new ScalarMaskBitKernelF64(), x, y, inputDim, a, w, b, bias, loss, threads, threadFactory);
        } else {
            engine = f32
                    ? new FusedEngineF32(vector ? load(NeuronKernelF32.class, "fused.VectorNeuronKernelF32")
                            : new ScalarNeuronKernelF32(), x, y, inputDim, a, w, b, bias, loss, threads, threadFactory)
                    : new FusedEngineF64(vector ? load(NeuronKernelF64.class, "fused.VectorNeuronKernelF64")
                            : new ScalarNeuronKernelF64(), x, y, inputDim, a, w, b, bias, loss, threads, threadFactory);
        }
        if (!engine.kernel().equals(plan.info().toString())) {
            engine.close();
            throw new IllegalStateException("planned " + plan.info() + " but built " + engine.kernel());
        }
        log("reluquant: " + engine.kernel() + ": " + plan.reason());
        return new ExclusiveEngine(engine);
    }

    private static void log(String line) {
        if (LOGGED.add(line)) {
            LOG.log(System.Logger.Level.INFO, line);
        }
    }

    /**
     * Loads a Vector API kernel by name, so that nothing links against jdk.incubator.vector unless the
     * JVM choice allows it (the module edge was added when the choice read the hardware's width).
     */
    private static <T> T load(Class<T> type, String name) {
        String className = "io.reluquant.kernel." + name;
        try {
            return type.cast(Class.forName(className).getConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load the Vector API kernel " + className, e);
        }
    }

    /** @return vector width in bits of the chosen kernel, or 0 for the scalar kernel */
    public static int vectorBits() {
        return CHOICE.bits;
    }

    /** @return why this kernel was chosen (the logged line) */
    public static String reason() {
        return CHOICE.reason;
    }

    /**
     * Builds the forward pass of a predictor: the same path, vector or scalar kernel and precision
     * choice as {@link #engine} makes for a trainer of these parameters, so that its outputs are the
     * bits that trainer's forward gives. Logs nothing new (the JVM-wide choice is logged once).
     * Arguments are already validated.
     *
     * @param kernel FUSED (the provider's kernel) or SCALAR (forced scalar); not REFERENCE
     * @param precision the kernel's floating-point format
     * @param forcedPath a path forced by the caller, or null for {@link #path}'s choice
     * @param layoutSamples the sample count the fused path's chunks are cut for (a trainer's n)
     * @param inputDim d
     * @param a output weights (m)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @return the forward pass
     */
    /**
     * The forward object of a predictor of a k-output network (k &gt; 1: the k-output mask-bit kernel at
     * every d, as the trainer's plan routes it).
     *
     * @param kernel AUTO or SCALAR
     * @param precision the format
     * @param inputDim d
     * @param outputs k &gt; 1
     * @param a output weights (m, k)
     * @param w input weights (m, d)
     * @param b biases (m)
     * @return the forward object
     */
    public static io.reluquant.kernel.engine.Forward forward(Kernel kernel, Precision precision, int inputDim, int outputs,
                                                              Values a, Values w, Values b) {
        if (kernel == Kernel.REFERENCE) {
            throw new IllegalArgumentException("the reference has no forward object of its own");
        }
        boolean vector = kernel != Kernel.SCALAR && CHOICE.bits > 0;
        return precision == Precision.FLOAT32
                ? new io.reluquant.kernel.engine.OutputsForwardF32(vector
                        ? load(OutputsKernelF32.class, "maskbit.VectorOutputsKernelF32") : new ScalarOutputsKernelF32(),
                        inputDim, outputs, a, w, b)
                : new io.reluquant.kernel.engine.OutputsForwardF64(vector
                        ? load(OutputsKernelF64.class, "maskbit.VectorOutputsKernelF64") : new ScalarOutputsKernelF64(),
                        inputDim, outputs, a, w, b);
    }

    public static io.reluquant.kernel.engine.Forward forward(Kernel kernel, Precision precision, Path forcedPath,
                                                              int layoutSamples, int inputDim, Values a, Values w, Values b) {
        if (kernel == Kernel.REFERENCE) {
            throw new IllegalArgumentException("the reference has no forward object of its own");
        }
        Path path = forcedPath != null ? forcedPath : path(inputDim);
        boolean vector = kernel != Kernel.SCALAR && CHOICE.bits > 0;
        boolean f32 = precision == Precision.FLOAT32;
        if (path == Path.MASKBIT) {
            return f32
                    ? new io.reluquant.kernel.engine.MaskBitForwardF32(vector
                            ? load(MaskBitKernelF32.class, "maskbit.VectorMaskBitKernelF32") : new ScalarMaskBitKernelF32(),
                            inputDim, a, w, b)
                    : new io.reluquant.kernel.engine.MaskBitForwardF64(vector
                            ? load(MaskBitKernelF64.class, "maskbit.VectorMaskBitKernelF64") : new ScalarMaskBitKernelF64(),
                            inputDim, a, w, b);
        }
        return f32
                ? new io.reluquant.kernel.engine.FusedForwardF32(vector
                        ? load(NeuronKernelF32.class, "fused.VectorNeuronKernelF32") : new ScalarNeuronKernelF32(),
                        layoutSamples, inputDim, a, w, b)
                : new io.reluquant.kernel.engine.FusedForwardF64(vector
                        ? load(NeuronKernelF64.class, "fused.VectorNeuronKernelF64") : new ScalarNeuronKernelF64(),
                        layoutSamples, inputDim, a, w, b);
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
        // the JDK is part of what was chosen: JDK 25 runs the mask operations about twice as fast as 17
        LOG.log(System.Logger.Level.INFO, c.reason + "; JDK " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
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
