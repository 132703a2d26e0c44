package io.reluquant.kernel;

import io.reluquant.kernel.engine.Engine;
import io.reluquant.kernel.engine.Values;
import io.reluquant.kernel.vectorization.KernelProvider;
import java.util.concurrent.ThreadFactory;

/**
 * Trains one width-m network f(x) = sum_j a_j relu(w_j . x + b_j) on one dataset by gradient descent
 * on L = (1/(2n)) sum_i (f(x_i) - y_i)^2, or on the logistic loss, or with k outputs (a_j in R^k, the
 * parameters' {@link Parameters#outputs()}) on the square loss with k targets or the softmax
 * cross-entropy of class labels ({@link Loss}; the derivations are in docs/THEORY.md sections 1 and 10
 * of the project's source tree, not in the jar). The API other trainers embed:
 *
 * <pre>{@code
 * try (Trainer t = Trainer.builder(data, Initializers.balanced(100_000, 1, 1e-4, 42, true))
 *         .precision(Precision.FLOAT32).threads(2).build()) {
 *     t.steps(0.02, 10_000, 1_000, (step, loss) -> { System.out.println(step + " " + loss); return true; });
 *     Parameters p = t.parameters();
 * }
 * }</pre>
 *
 * <p>A trainer holds the parameters in the kernel's own padded layout and a persistent team of
 * worker threads. After set-up, step, steps, gradient, forward, copyParameters, setParameters and
 * applyUpdate allocate nothing. Drive it from one thread at a time: a call that overlaps another
 * thread's call is rejected with {@link IllegalStateException} and changes nothing. To serve
 * predictions from other threads while it trains, take a {@link #predictor()} (a snapshot any number
 * of threads may call). If a worker thread fails (an exception or an Error), the call throws it and
 * the parameters stay those of the last complete step. Every method rejects bad arguments with an
 * exception naming them before it changes anything; a step that would make the loss or a parameter
 * non-finite throws {@link NonFiniteStepException} and keeps the last finite state.
 *
 * <p><b>Momentum and AdamW in the kernel.</b> {@link Builder#optimizer} with {@link Optimizer#momentum}
 * or {@link Optimizer#adamW}: every step then applies that rule, its state moving in the pass that
 * writes the parameters (about the cost of a plain SGD step; no allocation; same bits for every team).
 *
 * <p><b>Your own optimizer.</b> {@link #gradient(int[], double[], double[], double[])} into your
 * buffers, your update rule, then {@link #applyUpdate(double[], double[], double[])} (p += dp),
 * {@link #applyUpdate(double, double[], double[], double[])} (p = scale p + dp: decoupled weight decay) or
 * {@link #setParameters(double[], double[], double[])} on the same trainer: no rebuild, no allocation.
 * A {@link StepListener} may make the same calls between the steps of {@link #steps}.
 *
 * <p><b>Which results are bitwise reproducible.</b> The same bits for every thread count (the work
 * is cut into chunks and panels that depend only on (m, n, d), and partial sums are added in a fixed
 * order whichever thread computed them), for every run on the same JVM and machine, and for a
 * trainer rebuilt from {@link #parameters()} or set by {@link #setParameters}. Not the same bits
 * across vector widths (-Dreluquant.vector=128|256|512, or another CPU): a vector of L lanes keeps L
 * partial sums per sample, so the order of additions changes with L (measured: loss 0.0514590146 on
 * 256-bit against 0.0514590142 on 512-bit vectors, float32); not across the two paths, the two
 * precisions or the vector and scalar kernels, for the same reason; and not promised across JDKs:
 * the logistic loss uses {@link Math#exp} and {@link Math#log1p}, which a JDK may compute with other
 * intrinsics (the specification allows 1 ulp), and the incubating Vector API may change. Each of these
 * differences stays within the error bound against the float64 reference (docs/KERNEL.md).
 *
 * <p><b>The Vector API flag.</b> The fast kernel needs {@code --add-modules jdk.incubator.vector} on
 * the JVM that runs it; without it the same API runs a scalar kernel 38-50x slower and logs one line.
 * {@link VectorSupport#HOW_TO_ENABLE} lists how to pass it (command line, {@code JDK_JAVA_OPTIONS} for
 * fat jars, surefire's argLine, MAVEN_OPTS for exec:java); {@link Builder#requireVectorKernel()} and
 * {@link VectorSupport#require()} fail instead of falling back.
 *
 * <p><b>Choosing lr and the initialization scale.</b> From small initialization the neurons' norms
 * grow like exp(lr |D_max| k / n) over k steps, where |D_max| is the data's largest rate (the largest
 * norm of a drive D = sum_i y_i x~_i over the samples of one activation sector, x~ = (x, 1)); the
 * escape from the initialization takes about n ln(1/lambda) / (lr |D_max|) steps. So lr |D_max| / n
 * must stay well below 1 (for inputs and targets of unit scale lr = 0.02-0.1 works: 0.02 on the
 * report's 1-D and 2-D sets, 0.05 on Fashion-MNIST at d = 784), and the steps needed grow like
 * ln(1/lambda) / lr. The initialization scale lambda ({@link Initializers#balanced}) chooses the
 * regime: lambda &lt;= 1e-4 gives the paper's quantization (a few neuron directions, N_eff near 1-2),
 * lambda = 1e-2 partly (about 30% of the mass within 1 degree), lambda &gt;= 1e-1 fits soonest with
 * spread-out neurons. Large or standard initializations need a rate per layer
 * ({@link #step(double, double)}). The README's section "Choosing lr and the init scale" has the
 * measured numbers.
 */
public final class Trainer implements AutoCloseable {
    private final Engine engine;
    private final KernelInfo info;
    /** k outputs: whether the plan keeps relu(z) for the backward pass (tests read it) */
    private final boolean storeRelu;
    private final int width;
    private final int inputDim;
    private final int outputs;
    private final int samples;
    private final int threads;
    private final Precision precision;
    private final boolean bias;
    private final Loss loss;
    private final Kernel kernelChoice;
    private final Path forcedPath;
    private final Optimizer optimizer;
    private long steps;
    private boolean closed;
    // the thread inside a public call, held for the whole call (all steps of steps(...)), so that an
    // overlapping call from another thread is rejected before it changes anything; depth counts the
    // same thread's nested calls (step(lr) -> step(lr, lr), a listener that reads loss())
    private final java.util.concurrent.atomic.AtomicReference<Thread> caller = new java.util.concurrent.atomic.AtomicReference<>();
    private int depth;

    private Trainer(Builder builder) {
        Dataset data = builder.data;
        Parameters init = builder.init;
        this.width = init.width();
        this.inputDim = init.inputDim();
        this.outputs = init.outputs();
        this.samples = data.samples();
        this.threads = builder.plan.threads();
        this.precision = builder.precision;
        this.bias = builder.bias;
        this.loss = builder.loss;
        this.kernelChoice = builder.kernel;
        this.forcedPath = builder.forcedPath;
        // float32 storage goes to the engines as it is: they copy into their own layout once
        Values x = data.rawInputsFloat() != null ? Values.of(data.rawInputsFloat()) : Values.of(data.rawInputs());
        Values a = init.rawAFloat() != null ? Values.of(init.rawAFloat()) : Values.of(init.rawA());
        Values w = init.rawWFloat() != null ? Values.of(init.rawWFloat()) : Values.of(init.rawW());
        Values b = init.rawBFloat() != null ? Values.of(init.rawBFloat()) : Values.of(init.rawB());
        info = builder.plan.info();
        storeRelu = builder.plan.storeRelu();
        double[] targets = loss == Loss.SOFTMAX_CROSS_ENTROPY ? data.rawLabels() : data.rawTargets();
        engine = KernelProvider.engine(builder.plan, x, targets, a, w, b, bias, loss, builder.threadFactory);
        this.optimizer = builder.optimizer;
        if (optimizer.kind() != Optimizer.Kind.SGD) {
            engine.useOptimizer(optimizer); // its state: counted in the memory check of build()
        }
    }

    /**
     * @param data the training set (n samples of dimension d)
     * @param init initial parameters, of the same d
     * @return a builder with the defaults
     * @throws NullPointerException if data or init is null
     * @throws IllegalArgumentException if their input dimensions differ
     */
    public static Builder builder(Dataset data, Parameters init) {
        return new Builder(data, init);
    }

    /**
     * Options of a trainer; defaults: FLOAT32, all available processors, bias on, {@link Kernel#AUTO},
     * daemon worker threads named reluquant-worker-k.
     */
    public static final class Builder {
        private final Dataset data;
        private final Parameters init;
        private Precision precision = Precision.FLOAT32;
        private int threads = Runtime.getRuntime().availableProcessors();
        /** false: the team may be smaller than {@code threads} where more cannot help (the default) */
        private boolean exactThreads;
        private boolean bias = true;
        private Kernel kernel = Kernel.AUTO;
        private Loss loss = Loss.SQUARE;
        private Path forcedPath;
        private KernelProvider.Plan plan;
        private ThreadFactory threadFactory;
        private boolean requireVector;
        private Optimizer optimizer = Optimizer.sgd();

        private Builder(Dataset data, Parameters init) {
            Checks.notNull("data", data);
            Checks.notNull("init", init);
            if (data.inputDim() != init.inputDim()) {
                throw new IllegalArgumentException("init has inputDim " + init.inputDim()
                        + " but data has inputDim " + data.inputDim());
            }
            if (data.outputs() != init.outputs()) {
                throw new IllegalArgumentException("init has outputs " + init.outputs()
                        + " but data has outputs " + data.outputs() + " (targets or classes per sample)");
            }
            this.data = data;
            this.init = init;
        }

        /**
         * @param value the kernel's floating-point format
         * @return this builder
         */
        public Builder precision(Precision value) {
            Checks.notNull("precision", value);
            precision = value;
            return this;
        }

        /**
         * Forces the team size. Without this call (or with {@link #maxThreads}) the kernel uses at most
         * that many threads and fewer where a step is too small for more to help (its log line says so).
         *
         * @param value threads of the team, exactly, positive (the caller counts as one)
         * @return this builder
         */
        public Builder threads(int value) {
            Checks.positive("threads", value);
            threads = value;
            exactThreads = true;
            return this;
        }

        /**
         * At most this many threads (default: the available processors); fewer where a step's work
         * would give an extra member less than about 10 us, the order of what the team costs it per
         * step (the rule: {@code KernelProvider.teamSize}; results are the same bits for every team).
         * {@link Trainer#threads()} says what the team is.
         *
         * @param value the most threads of the team, positive
         * @return this builder
         */
        public Builder maxThreads(int value) {
            Checks.positive("maxThreads", value);
            threads = value;
            exactThreads = false;
            return this;
        }

        /**
         * @param value false for f(x) = sum_j a_j relu(w_j . x): b must be all zero and stays zero
         * @return this builder
         */
        public Builder bias(boolean value) {
            bias = value;
            return this;
        }

        /**
         * @param value the loss (default {@link Loss#SQUARE}); {@link Loss#LOGISTIC} needs targets in {-1, +1}
         * @return this builder
         */
        public Builder loss(Loss value) {
            Checks.notNull("loss", value);
            loss = value;
            return this;
        }

        /** Tests run both paths at every shape; users force one with the system property reluquant.path. */
        Builder path(Path value) {
            forcedPath = value;
            return this;
        }

        /**
         * @param value which implementation runs
         * @return this builder
         */
        @SuppressWarnings("deprecation") // FUSED is read here once, as the alias of AUTO it is
        public Builder kernel(Kernel value) {
            Checks.notNull("kernel", value);
            kernel = value == Kernel.FUSED ? Kernel.AUTO : value;
            return this;
        }

        /**
         * Creates the team's threads-1 worker threads (the calling thread is the other one), so a
         * host application controls their names, daemon status, priority or affinity. The factory is
         * called once per worker when the trainer is built; a non-daemon worker keeps the JVM alive
         * until {@link Trainer#close()}. Without a factory the workers are daemon threads named
         * reluquant-worker-k. The reference kernel runs on the calling thread only and ignores it.
         *
         * @param value the factory of worker threads
         * @return this builder
         * @throws NullPointerException if value is null
         */
        public Builder threadFactory(ThreadFactory value) {
            Checks.notNull("threadFactory", value);
            threadFactory = value;
            return this;
        }

        /**
         * The update rule of every step ({@link Trainer#step(double)}, {@link Trainer#steps},
         * {@link Trainer#step(double, int[])} and their per-layer forms), run inside the kernel in the
         * pass that writes the parameters, its state in the kernel's layout (allocated by
         * {@link #build()}, counted in its memory check and in {@link Trainer#bytesNeeded(int, int, int,
         * int, Precision, int, Optimizer)}). Default {@link Optimizer#sgd()}. The gradient, applyUpdate
         * and setParameters calls neither read nor change the state.
         *
         * @param value the rule, e.g. {@code Optimizer.momentum(0.9, 1e-4)} or {@code Optimizer.adamW(0.9, 0.999, 1e-8, 0.01)}
         * @return this builder
         * @throws NullPointerException if value is null
         */
        public Builder optimizer(Optimizer value) {
            Checks.notNull("optimizer", value);
            optimizer = value;
            return this;
        }

        /**
         * Makes {@link #build()} fail unless the Vector API kernel runs: without
         * {@code --add-modules jdk.incubator.vector} (or where the provider refuses the Vector API: C2
         * off, Graal, OpenJ9, a JDK newer than the newest tested) the kernel otherwise falls back to
         * its scalar twin, 38-50x slower, and says so only in one log line. The message of the failure
         * names the reason and every way to pass the flag ({@link VectorSupport#HOW_TO_ENABLE}).
         *
         * @return this builder
         */
        public Builder requireVectorKernel() {
            requireVector = true;
            return this;
        }

        /**
         * Copies the parameters into the kernel's layout and starts the team.
         *
         * @return the trainer; close it to stop its threads
         * @throws IllegalArgumentException if bias is off but b is not all zero, the padded width
         *         overflows int indexing, or kernel REFERENCE is asked for in FLOAT32
         * @throws IllegalStateException if the thread factory refused to create a worker, or
         *         {@link #requireVectorKernel()} was asked for and the Vector API kernel is not available
         */
        public Trainer build() {
            if (requireVector) {
                if (kernel != Kernel.AUTO) {
                    throw new IllegalArgumentException("requireVectorKernel() needs kernel AUTO, got " + kernel);
                }
                VectorSupport.require();
            }
            if (!bias) {
                for (int j = 0; j < init.width(); j++) {
                    if (init.b(j) != 0) {
                        throw new IllegalArgumentException("b[" + j + "] = " + init.b(j) + " but bias is off (b must be 0)");
                    }
                }
            }
            if (loss == Loss.LOGISTIC && data.outputs() != 1) {
                throw new IllegalArgumentException("loss LOGISTIC needs outputs = 1, got outputs = " + data.outputs()
                        + " (SOFTMAX_CROSS_ENTROPY is the loss of k classes)");
            }
            if (loss == Loss.SOFTMAX_CROSS_ENTROPY && (!data.hasLabels() || data.outputs() < 2)) {
                throw new IllegalArgumentException("loss SOFTMAX_CROSS_ENTROPY needs a class dataset (Dataset.ofClasses)"
                        + " with classes >= 2, got " + (data.hasLabels() ? "classes = " + data.outputs() : "numeric targets"));
            }
            if (loss == Loss.LOGISTIC) {
                double[] y = data.rawTargets();
                for (int i = 0; i < y.length; i++) {
                    if (y[i] != 1 && y[i] != -1) {
                        throw new IllegalArgumentException("loss LOGISTIC needs targets in {-1, +1}, got y[" + i + "] = " + y[i]);
                    }
                }
            }
            if (kernel == Kernel.REFERENCE && precision != Precision.FLOAT64) {
                throw new IllegalArgumentException("kernel REFERENCE computes in FLOAT64, got precision " + precision);
            }
            // one decision: path, vector width and the engine's bytes; then the heap; then the engine from the plan
            plan = KernelProvider.plan(kernel, precision, forcedPath, data.samples(), init.inputDim(), init.outputs(),
                    init.width(), threads, exactThreads);
            Memory.require(String.format(java.util.Locale.ROOT, "a trainer of width %d, inputDim %d and %d samples in %s%s",
                    init.width(), init.inputDim(), data.samples(), precision,
                    optimizer.kind() == Optimizer.Kind.SGD ? "" : " with " + optimizer),
                    saturatedSum(plan.bytesNeeded(), optimizerBytes(optimizer, init.width(), init.inputDim(), init.outputs(),
                            kernel == Kernel.REFERENCE ? Precision.FLOAT64 : precision)));
            return new Trainer(this);
        }
    }

    /**
     * Bytes of an optimizer's state in the engine's padded layout: a value per parameter and state
     * value, twice (the step writes the other buffer), for the padded width (a multiple of 64 neurons)
     * and the padded inputs (a multiple of 4, the mask-bit path's); an upper bound for every path.
     */
    static long optimizerBytes(Optimizer optimizer, int width, int inputDim, int outputs, Precision precision) {
        long padded = (width + 63L) / 64 * 64;
        long parameters = padded * (outputs + (inputDim + 3L) / 4 * 4 + 1);
        return optimizer.stateBytes(parameters, precision == Precision.FLOAT32 ? 4 : 8);
    }

    private static long saturatedSum(long x, long y) {
        long sum = x + y;
        return ((x ^ sum) & (y ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** @return the update rule of the steps ({@link Builder#optimizer}) */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Sets the optimizer's state (velocity, moments) back to zero and AdamW's step count t to 0, as
     * at build; the parameters stay. Nothing for SGD. Allocates nothing.
     */
    public void resetOptimizer() {
        enter();
        try {
            open();
            engine.resetOptimizer();
        } finally {
            leave();
        }
    }

    /**
     * Copies the optimizer's state out (no allocation): for {@link Optimizer#momentum} moment 0 is the
     * velocity v, for {@link Optimizer#adamW} moment 0 is m and moment 1 is v; in the public layout of
     * the parameters. For checks, logging and checkpoints of your own.
     *
     * @param moment 0 or 1, below {@link Optimizer#stateValues()}
     * @param a receives the state of a (m, k)
     * @param w receives the state of w (m, d) row-major
     * @param b receives the state of b (m)
     * @throws IllegalArgumentException if the optimizer has no such state value, or on a wrong length
     */
    public void copyOptimizerState(int moment, double[] a, double[] w, double[] b) {
        enter();
        try {
            open();
            if (moment < 0 || moment >= optimizer.stateValues()) {
                throw new IllegalArgumentException("moment = " + moment + " but " + optimizer + " has "
                        + optimizer.stateValues() + " state values");
            }
            Checks.length("a", a, (long) width * outputs);
            Checks.length("w", w, (long) width * inputDim);
            Checks.length("b", b, width);
            engine.copyOptimizerState(moment, a, w, b);
        } finally {
            leave();
        }
    }

    /** @return m */
    public int width() {
        return width;
    }

    /** @return d */
    public int inputDim() {
        return inputDim;
    }

    /** @return k, the outputs of the network (1 unless the parameters have more) */
    public int outputs() {
        return outputs;
    }

    /** @return n */
    public int samples() {
        return samples;
    }

    /** @return threads of the team: as forced by {@link Builder#threads}, else as the kernel chose (at most the maximum) */
    public int threads() {
        return threads;
    }

    /** @return the floating-point format of the kernel */
    public Precision precision() {
        return precision;
    }

    /** @return the loss function being minimized */
    public Loss lossFunction() {
        return loss;
    }

    /** @return whether the network has biases */
    public boolean bias() {
        return bias;
    }

    /**
     * @return which kernel runs: "vector-512/float32" (the fused path on 512-bit vectors; d = 1, 2),
     *         "maskbit/vector-256/float64" (the mask-bit path; d &gt;= 3), "scalar/float32" or
     *         "maskbit/scalar/float32" (the scalar twins), "reference/float64"; the string form of
     *         {@link #kernelInfo()}, for logs
     */
    public String kernel() {
        return engine.kernel();
    }

    /** @return with k outputs, whether the plan keeps relu(z) from the forward pass (else the backward recomputes it) */
    boolean planStoresRelu() {
        return storeRelu;
    }

    /** @return which kernel runs, as values to switch on: path, vector width (0: scalar), precision */
    public KernelInfo kernelInfo() {
        return info;
    }

    /**
     * The bytes the buffers of a trainer of this shape hold (kernel {@link Kernel#AUTO}, the path the
     * provider chooses for d), as {@link Builder#build()} checks them against the heap before allocating:
     * for code that sizes a heap or refuses a size before it has the data. The data and parameters handed
     * to the builder are not counted.
     *
     * @param samples n, positive
     * @param inputDim d, positive
     * @param width m, positive
     * @param precision the kernel's floating-point format
     * @param threads team size, positive
     * @return the bytes of the engine's buffers
     * @throws IllegalArgumentException if an argument is not positive or the padded buffers overflow int indexing
     */
    public static long bytesNeeded(int samples, int inputDim, int width, Precision precision, int threads) {
        Checks.positive("samples", samples);
        Checks.positive("inputDim", inputDim);
        Checks.positive("width", width);
        Checks.notNull("precision", precision);
        Checks.positive("threads", threads);
        return KernelProvider.plan(Kernel.AUTO, precision, null, samples, inputDim, width, threads).bytesNeeded();
    }

    /**
     * {@link #bytesNeeded(int, int, int, Precision, int)} for a network with k outputs.
     *
     * @param samples n, positive
     * @param inputDim d, positive
     * @param outputs k, positive
     * @param width m, positive
     * @param precision the kernel's floating-point format
     * @param threads team size, positive
     * @return the bytes of the engine's buffers
     */
    public static long bytesNeeded(int samples, int inputDim, int outputs, int width, Precision precision, int threads) {
        Checks.positive("samples", samples);
        Checks.positive("inputDim", inputDim);
        Checks.positive("outputs", outputs);
        Checks.positive("width", width);
        Checks.notNull("precision", precision);
        Checks.positive("threads", threads);
        return KernelProvider.plan(Kernel.AUTO, precision, null, samples, inputDim, outputs, width, threads, true).bytesNeeded();
    }

    /**
     * {@link #bytesNeeded(int, int, int, int, Precision, int)} with an optimizer's state (two buffers of
     * its state values per padded parameter), as {@link Builder#build()} checks it.
     *
     * @param samples n, positive
     * @param inputDim d, positive
     * @param outputs k, positive
     * @param width m, positive
     * @param precision the kernel's floating-point format
     * @param threads team size, positive
     * @param optimizer the rule of the steps
     * @return the bytes of the engine's buffers and the optimizer's state
     */
    public static long bytesNeeded(int samples, int inputDim, int outputs, int width, Precision precision, int threads,
                                   Optimizer optimizer) {
        Checks.notNull("optimizer", optimizer);
        return saturatedSum(bytesNeeded(samples, inputDim, outputs, width, precision, threads),
                optimizerBytes(optimizer, width, inputDim, outputs, precision));
    }

    /** @return GD steps taken (full-batch and batch steps) */
    public long stepsTaken() {
        return steps;
    }

    /** @return the full-batch loss L at the current parameters */
    public double loss() {
        enter();
        try {
            open();
            return engine.loss();
        } finally {
            leave();
        }
    }

    /**
     * One full-batch GD step: every parameter moves by -lr times its gradient at the current point (with
     * an {@link Builder#optimizer}: by that rule, from the same gradient).
     *
     * @param lr learning rate, finite and positive
     * @return the full-batch loss at the new parameters
     * @throws NonFiniteStepException if the step would make the loss or a parameter non-finite (the
     *         parameters stay as they were)
     */
    public double step(double lr) {
        enter();
        try {
            open();
            Checks.learningRate(lr);
            return step(lr, lr);
        } finally {
            leave();
        }
    }

    /**
     * One full-batch GD step with a learning rate per layer: the output weights a move by -lrOutput
     * times their gradient, the hidden neurons (w, b) by -lrHidden times theirs (e.g. lrOutput = eta/m,
     * lrHidden = eta for the NTK scaling).
     *
     * @param lrOutput learning rate of the output weights a, finite and positive
     * @param lrHidden learning rate of the hidden neurons (w, b), finite and positive
     * @return the full-batch loss at the new parameters
     * @throws NonFiniteStepException if the step would make the loss or a parameter non-finite (the
     *         parameters stay as they were)
     */
    public double step(double lrOutput, double lrHidden) {
        enter();
        try {
            open();
            Checks.learningRate("lrOutput", lrOutput);
            Checks.learningRate("lrHidden", lrHidden);
            double value = engine.step(lrOutput, lrHidden);
            steps++;
            return value;
        } finally {
            leave();
        }
    }

    /**
     * {@code count} full-batch steps, calling {@code listener} after every {@code every}-th step (by
     * {@link #stepsTaken()}); stops early when the listener returns false, or at a step boundary
     * when the calling thread is interrupted (the interrupt stays set; {@link #stepsTaken()} tells
     * how far it got).
     *
     * @param lr learning rate, finite and positive
     * @param count number of steps, positive
     * @param every call the listener when the step count is a multiple of this, positive
     * @param listener may be null
     * @return the loss at the last parameters
     * @throws NonFiniteStepException if a step would make the loss or a parameter non-finite (the
     *         parameters stay as they were before that step)
     */
    public double steps(double lr, long count, long every, StepListener listener) {
        enter();
        try {
            open();
            Checks.learningRate(lr);
            return steps(lr, lr, count, every, listener);
        } finally {
            leave();
        }
    }

    /**
     * {@link #steps(double, long, long, StepListener)} with a learning rate per layer (see {@link #step(double, double)}).
     *
     * @param lrOutput learning rate of the output weights a
     * @param lrHidden learning rate of the hidden neurons (w, b)
     * @param count steps to take
     * @param every call the listener after every {@code every}-th step
     * @param listener may be null
     * @return the loss at the last parameters
     */
    public double steps(double lrOutput, double lrHidden, long count, long every, StepListener listener) {
        enter();
        try {
            open();
            Checks.learningRate("lrOutput", lrOutput);
            Checks.learningRate("lrHidden", lrHidden);
            Checks.positive("count", count);
            Checks.positive("every", every);
            double value = Double.NaN;
            for (long t = 0; t < count && !Thread.currentThread().isInterrupted(); t++) {
                value = engine.step(lrOutput, lrHidden);
                steps++;
                if (listener != null && steps % every == 0 && !listener.onStep(steps, value)) {
                    break;
                }
            }
            return value;
        } finally {
            leave();
        }
    }

    /**
     * One GD step on the batch of samples {@code indices} (repeats allowed), with the batch loss
     * (1/(2|B|)) sum_{i in B} r_i^2: minibatch SGD driven by someone else's sampler, or the builder's
     * {@link Builder#optimizer} on that batch's gradient.
     *
     * @param lr learning rate, finite and positive
     * @param indices sample indices in [0, n), at most n of them
     * @return the batch loss at the parameters before the step (the loss whose gradient was used)
     */
    public double step(double lr, int[] indices) {
        enter();
        try {
            open();
            Checks.learningRate(lr);
            return step(lr, lr, indices);
        } finally {
            leave();
        }
    }

    /**
     * A batch step with a learning rate per layer (see {@link #step(double, double)}).
     *
     * @param lrOutput learning rate of the output weights a
     * @param lrHidden learning rate of the hidden neurons (w, b)
     * @param indices the batch (repeats allowed)
     * @return the batch loss before the step
     */
    public double step(double lrOutput, double lrHidden, int[] indices) {
        enter();
        try {
            open();
            Checks.learningRate("lrOutput", lrOutput);
            Checks.learningRate("lrHidden", lrHidden);
            checkIndices(indices);
            double value = engine.step(lrOutput, lrHidden, indices, indices.length);
            steps++;
            return value;
        } finally {
            leave();
        }
    }

    /**
     * Full-batch gradient at the current parameters into caller-owned buffers.
     *
     * @param ga dL/da (m, k) row-major ((m) for k = 1)
     * @param gw dL/dw (m, d) row-major
     * @param gb dL/db (m)
     * @return the loss at the current parameters
     */
    public double gradient(double[] ga, double[] gw, double[] gb) {
        enter();
        try {
            open();
            checkGradientBuffers(ga, gw, gb);
            return engine.gradient(ga, gw, gb);
        } finally {
            leave();
        }
    }

    /**
     * Gradient of the batch loss over {@code indices} into caller-owned buffers.
     *
     * @param indices sample indices in [0, n), at most n of them
     * @param ga dL/da (m, k) row-major ((m) for k = 1)
     * @param gw dL/dw (m, d) row-major
     * @param gb dL/db (m)
     * @return the batch loss
     */
    public double gradient(int[] indices, double[] ga, double[] gw, double[] gb) {
        enter();
        try {
            open();
            checkIndices(indices);
            checkGradientBuffers(ga, gw, gb);
            return engine.gradient(indices, indices.length, ga, gw, gb);
        } finally {
            leave();
        }
    }

    /**
     * Network outputs for any inputs.
     *
     * @param x inputs (q, d) row-major
     * @param out receives f(x_i), (q, k) row-major ((q) for k = 1)
     */
    public void forward(double[] x, double[] out) {
        enter();
        try {
            open();
            Checks.notNull("out", out);
            if (out.length % outputs != 0) {
                throw new IllegalArgumentException("out has length " + out.length + ", expected a multiple of outputs " + outputs);
            }
            int q = out.length / outputs;
            Checks.length("x", x, Checks.indexable("out.length/k*d", (long) q * inputDim));
            Checks.finite("x", x);
            engine.forward(x, q, out);
        } finally {
            leave();
        }
    }

    /** @return the current parameters (a copy) */
    public Parameters parameters() {
        enter();
        try {
            open();
            double[] a = new double[width * outputs];
            double[] w = new double[width * inputDim];
            double[] b = new double[width];
            engine.copyParameters(a, w, b);
            return Parameters.adopt(a, w, b, inputDim, outputs);
        } finally {
            leave();
        }
    }

    /**
     * Copies the current parameters into caller-owned buffers without allocating.
     *
     * @param a output weights (m, k) row-major ((m) for k = 1)
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     */
    public void copyParameters(double[] a, double[] w, double[] b) {
        enter();
        try {
            open();
            Checks.length("a", a, (long) width * outputs);
            Checks.length("w", w, (long) width * inputDim);
            Checks.length("b", b, width);
            engine.copyParameters(a, w, b);
        } finally {
            leave();
        }
    }

    /**
     * Replaces the parameters in place, keeping the trainer (its team, data and buffers): for an
     * optimizer of your own (momentum, Adam, weight decay, averaging, pruning) between
     * {@link #gradient} calls. Rounded to the trainer's precision exactly as the builder rounds its
     * initial parameters, so a trainer set this way continues bit for bit as one built from the same
     * parameters. Allocates nothing; does not count as a step ({@link #stepsTaken()}).
     *
     * @param a output weights (m, k) row-major ((m) for k = 1)
     * @param w input weights (m, d) row-major
     * @param b biases (m); all zero when bias is off
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException on a wrong length, a non-finite value, or a non-zero b when bias
     *         is off (the parameters stay as they were)
     */
    public void setParameters(double[] a, double[] w, double[] b) {
        open();
        checkParameterArrays(a, w, b);
        Checks.finite("a", a);
        Checks.finite("w", w);
        Checks.finite("b", b);
        checkBiasOff("b", b);
        engine.setParameters(a, w, b, null, null, null);
    }

    /**
     * {@link #setParameters(double[], double[], double[])} from float32 arrays (never widened into a
     * copy).
     *
     * @param a output weights (m, k) row-major ((m) for k = 1)
     * @param w input weights (m, d) row-major
     * @param b biases (m); all zero when bias is off
     */
    public void setParameters(float[] a, float[] w, float[] b) {
        open();
        Checks.length("a", a, (long) width * outputs);
        Checks.length("w", w, (long) width * inputDim);
        Checks.length("b", b, width);
        Checks.finite("a", a);
        Checks.finite("w", w);
        Checks.finite("b", b);
        if (!bias) {
            for (int j = 0; j < b.length; j++) {
                if (b[j] != 0) {
                    throw new IllegalArgumentException("b[" + j + "] = " + b[j] + " but bias is off (b must be 0)");
                }
            }
        }
        engine.setParameters(null, null, null, a, w, b);
    }

    /**
     * {@link #setParameters(double[], double[], double[])} from a {@link Parameters} of the same width
     * and input dimension (e.g. one read by {@link NetworkFiles#read}).
     *
     * @param p the new parameters
     * @throws IllegalArgumentException if its width or input dimension differs, or bias is off and b is not zero
     */
    public void setParameters(Parameters p) {
        open();
        Checks.notNull("parameters", p);
        if (p.width() != width || p.inputDim() != inputDim || p.outputs() != outputs) {
            throw new IllegalArgumentException("parameters have width " + p.width() + ", inputDim " + p.inputDim()
                    + " and outputs " + p.outputs() + " but the trainer has width " + width + ", inputDim " + inputDim
                    + " and outputs " + outputs);
        }
        if (p.rawAFloat() != null) {
            setParameters(p.rawAFloat(), p.rawWFloat(), p.rawBFloat());
        } else {
            setParameters(p.rawA(), p.rawW(), p.rawB());
        }
    }

    /**
     * Applies an update you computed: every parameter p becomes p + dp (e.g. dp = -lr * velocity for
     * momentum SGD), each sum rounded once to the trainer's precision. In float64 the result is
     * exactly a + da, w + dw, b + db as Java computes it. Allocates nothing; does not count as a step.
     *
     * @param da added to a (m, k)
     * @param dw added to w (m, d) row-major
     * @param db added to b (m); all zero when bias is off
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException on a wrong length, a non-zero db when bias is off, or a sum that
     *         is not finite in the trainer's precision (a non-finite dp included; the first such
     *         parameter is named, and the parameters stay as they were)
     */
    public void applyUpdate(double[] da, double[] dw, double[] db) {
        applyUpdate(1, da, dw, db);
    }

    /**
     * Applies an update with decoupled weight decay: every parameter p becomes scale * p + dp, computed
     * in float64 (two roundings, no fused multiply-add) and rounded once to the trainer's precision.
     * With scale = 1 - lr * decay this is the decay of AdamW and of SGD with decoupled weight decay,
     * without reading the parameters out: p = (1 - lr * decay) p - lr * v. Allocates nothing; does
     * not count as a step.
     *
     * @param scale the factor of the current parameters, finite (1 for a plain update)
     * @param da added to scale * a (m, k)
     * @param dw added to scale * w (m, d) row-major
     * @param db added to scale * b (m); all zero when bias is off
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException on a non-finite scale, a wrong length, a non-zero db when bias
     *         is off, or a result that is not finite in the trainer's precision (the first such
     *         parameter is named, and the parameters stay as they were)
     */
    public void applyUpdate(double scale, double[] da, double[] dw, double[] db) {
        open();
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite, got " + scale);
        }
        Checks.length("da", da, (long) width * outputs);
        Checks.length("dw", dw, (long) width * inputDim);
        Checks.length("db", db, width);
        checkBiasOff("db", db);
        // a non-finite dp makes its sum non-finite: the engine refuses it with the rest, in its one pass
        engine.addToParameters(scale, da, dw, db);
    }

    /**
     * A predictor of the current parameters (a snapshot: later steps do not change it) on this
     * trainer's kernel, path, precision and chunks: its outputs are the bits {@link #forward} gives
     * now. It outlives {@link #close()} and may be called from any number of threads at once.
     *
     * @return the predictor
     */
    public Predictor predictor() {
        open();
        return Predictor.make(parameters(), precision, kernelChoice, forcedPath, samples);
    }

    /** Stops the worker team. Further calls throw IllegalStateException. Idempotent. */
    @Override
    public void close() {
        enter();
        try {
            if (!closed) {
                engine.close(); // first: a close that overlaps another thread's call is rejected, trainer still open
                closed = true;
            }
        } finally {
            leave();
        }
    }

    private void enter() {
        Thread me = Thread.currentThread();
        if (caller.get() == me) {
            depth++;
            return;
        }
        if (!caller.compareAndSet(null, me)) {
            Thread other = caller.get();
            throw new IllegalStateException("trainer is in use by thread '" + (other == null ? "?" : other.getName())
                    + "' (called from '" + me.getName() + "'): drive a trainer from one thread at a time");
        }
    }

    private void leave() {
        if (depth > 0) {
            depth--;
        } else {
            caller.set(null);
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("trainer is closed");
        }
    }

    private void checkIndices(int[] indices) {
        Checks.notNull("indices", indices);
        Checks.positive("indices.length", indices.length);
        if (indices.length > samples) {
            throw new IllegalArgumentException("indices.length = " + indices.length + " exceeds n = " + samples);
        }
        for (int q = 0; q < indices.length; q++) {
            if (indices[q] < 0 || indices[q] >= samples) {
                throw new IllegalArgumentException("indices[" + q + "] = " + indices[q] + " is outside [0, " + samples + ")");
            }
        }
    }

    private void checkParameterArrays(double[] a, double[] w, double[] b) {
        Checks.length("a", a, (long) width * outputs);
        Checks.length("w", w, (long) width * inputDim);
        Checks.length("b", b, width);
    }

    private void checkBiasOff(String name, double[] b) {
        if (!bias) {
            for (int j = 0; j < b.length; j++) {
                if (b[j] != 0) {
                    throw new IllegalArgumentException(name + "[" + j + "] = " + b[j] + " but bias is off (" + name
                            + " must be 0)");
                }
            }
        }
    }

    private void checkGradientBuffers(double[] ga, double[] gw, double[] gb) {
        Checks.length("ga", ga, (long) width * outputs);
        Checks.length("gw", gw, (long) width * inputDim);
        Checks.length("gb", gb, width);
    }
}
