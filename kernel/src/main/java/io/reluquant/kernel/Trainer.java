package io.reluquant.kernel;

import io.reluquant.kernel.fused.Engine;
import io.reluquant.kernel.fused.FusedEngineF32;
import io.reluquant.kernel.fused.FusedEngineF64;

/**
 * Trains one width-m network f(x) = sum_j a_j relu(w_j . x + b_j) on one dataset by gradient descent
 * on L = (1/(2n)) sum_i (f(x_i) - y_i)^2 (THEORY.md section 1). The API other trainers embed:
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
 * worker threads; results are bitwise identical for every thread count. After set-up, step, steps,
 * gradient and forward allocate nothing. Drive it from one thread at a time: a call that overlaps
 * another thread's call is rejected with {@link IllegalStateException} and changes nothing. If a
 * worker thread fails (an exception or an Error), the call throws it and the parameters stay those
 * of the last complete step. Every method
 * rejects bad arguments with an exception naming them before it changes anything; a step that would
 * make the loss or a parameter non-finite throws {@link NonFiniteStepException} and keeps the last
 * finite state.
 */
public final class Trainer implements AutoCloseable {
    private final Engine engine;
    private final int width;
    private final int inputDim;
    private final int samples;
    private final int threads;
    private final Precision precision;
    private final boolean bias;
    private long steps;
    private boolean closed;

    private Trainer(Builder builder) {
        Dataset data = builder.data;
        Parameters init = builder.init;
        this.width = init.width();
        this.inputDim = init.inputDim();
        this.samples = data.samples();
        this.threads = builder.threads;
        this.precision = builder.precision;
        this.bias = builder.bias;
        double[] x = data.rawInputs();
        double[] y = data.rawTargets();
        if (builder.kernel == Kernel.REFERENCE) {
            engine = new ExclusiveEngine(new ReferenceEngine(x, y, inputDim, init.rawA(), init.rawW(), init.rawB(), bias));
        } else {
            boolean scalar = builder.kernel == Kernel.SCALAR;
            engine = new ExclusiveEngine(precision == Precision.FLOAT32
                    ? new FusedEngineF32(x, y, inputDim, init.rawA(), init.rawW(), init.rawB(), bias, threads, scalar)
                    : new FusedEngineF64(x, y, inputDim, init.rawA(), init.rawW(), init.rawB(), bias, threads, scalar));
        }
    }

    /**
     * @param data the training set (n samples of dimension d)
     * @param init initial parameters, of the same d
     */
    public static Builder builder(Dataset data, Parameters init) {
        return new Builder(data, init);
    }

    /** Options of a trainer; defaults: FLOAT32, all available processors, bias on, {@link Kernel#FUSED}. */
    public static final class Builder {
        private final Dataset data;
        private final Parameters init;
        private Precision precision = Precision.FLOAT32;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean bias = true;
        private Kernel kernel = Kernel.FUSED;

        private Builder(Dataset data, Parameters init) {
            Checks.notNull("data", data);
            Checks.notNull("init", init);
            if (data.inputDim() != init.inputDim()) {
                throw new IllegalArgumentException("init has inputDim " + init.inputDim()
                        + " but data has inputDim " + data.inputDim());
            }
            this.data = data;
            this.init = init;
        }

        /** @param value the kernel's floating-point format */
        public Builder precision(Precision value) {
            Checks.notNull("precision", value);
            precision = value;
            return this;
        }

        /** @param value threads of the team, positive (the caller counts as one) */
        public Builder threads(int value) {
            Checks.positive("threads", value);
            threads = value;
            return this;
        }

        /** @param value false for f(x) = sum_j a_j relu(w_j . x): b must be all zero and stays zero */
        public Builder bias(boolean value) {
            bias = value;
            return this;
        }

        /** @param value which implementation runs */
        public Builder kernel(Kernel value) {
            Checks.notNull("kernel", value);
            kernel = value;
            return this;
        }

        /** Copies the parameters into the kernel's layout and starts the team. */
        public Trainer build() {
            if (!bias) {
                for (int j = 0; j < init.width(); j++) {
                    if (init.b(j) != 0) {
                        throw new IllegalArgumentException("b[" + j + "] = " + init.b(j) + " but bias is off (b must be 0)");
                    }
                }
            }
            // the kernel pads the width to a multiple of 64 neurons and stores w as d rows of that width
            long padded = (init.width() + 63L) / 64 * 64;
            Checks.indexable("width padded to " + padded + " * inputDim " + init.inputDim(), padded * init.inputDim());
            if (kernel == Kernel.REFERENCE && precision != Precision.FLOAT64) {
                throw new IllegalArgumentException("kernel REFERENCE computes in FLOAT64, got precision " + precision);
            }
            return new Trainer(this);
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

    /** @return n */
    public int samples() {
        return samples;
    }

    /** @return threads of the team */
    public int threads() {
        return threads;
    }

    /** @return the floating-point format of the kernel */
    public Precision precision() {
        return precision;
    }

    /** @return whether the network has biases */
    public boolean bias() {
        return bias;
    }

    /** @return which kernel runs, e.g. "vector-512/float32", "scalar/float64", "reference/float64" */
    public String kernel() {
        return engine.kernel();
    }

    /** @return GD steps taken (full-batch and batch steps) */
    public long stepsTaken() {
        return steps;
    }

    /** @return the full-batch loss L at the current parameters */
    public double loss() {
        open();
        return engine.loss();
    }

    /**
     * One full-batch GD step: every parameter moves by -lr times its gradient at the current point.
     *
     * @param lr learning rate, finite and positive
     * @return the full-batch loss at the new parameters
     * @throws NonFiniteStepException if the step would make the loss or a parameter non-finite (the
     *         parameters stay as they were)
     */
    public double step(double lr) {
        open();
        Checks.learningRate(lr);
        double loss = engine.step(lr);
        steps++;
        return loss;
    }

    /**
     * {@code count} full-batch steps, calling {@code listener} after every {@code every}-th step (by
     * {@link #stepsTaken()}); stops early when the listener returns false, or at a step boundary
     * when the calling thread is interrupted (the interrupt stays set; {@link #stepsTaken()} tells
     * how far it got).
     *
     * @param listener may be null
     * @return the loss at the last parameters
     */
    public double steps(double lr, long count, long every, StepListener listener) {
        open();
        Checks.learningRate(lr);
        Checks.positive("count", count);
        Checks.positive("every", every);
        double loss = Double.NaN;
        for (long t = 0; t < count && !Thread.currentThread().isInterrupted(); t++) {
            loss = engine.step(lr);
            steps++;
            if (listener != null && steps % every == 0 && !listener.onStep(steps, loss)) {
                break;
            }
        }
        return loss;
    }

    /**
     * One GD step on the batch of samples {@code indices} (repeats allowed), with the batch loss
     * (1/(2|B|)) sum_{i in B} r_i^2: minibatch SGD driven by someone else's sampler.
     *
     * @return the batch loss at the parameters before the step (the loss whose gradient was used)
     */
    public double step(double lr, int[] indices) {
        open();
        Checks.learningRate(lr);
        checkIndices(indices);
        double loss = engine.step(lr, indices, indices.length);
        steps++;
        return loss;
    }

    /**
     * Full-batch gradient at the current parameters into caller-owned buffers.
     *
     * @param ga dL/da (m); @param gw dL/dw (m, d) row-major; @param gb dL/db (m)
     * @return the loss at the current parameters
     */
    public double gradient(double[] ga, double[] gw, double[] gb) {
        open();
        checkGradientBuffers(ga, gw, gb);
        return engine.gradient(ga, gw, gb);
    }

    /** Gradient of the batch loss over {@code indices}. @return the batch loss */
    public double gradient(int[] indices, double[] ga, double[] gw, double[] gb) {
        open();
        checkIndices(indices);
        checkGradientBuffers(ga, gw, gb);
        return engine.gradient(indices, indices.length, ga, gw, gb);
    }

    /**
     * Network outputs for any inputs.
     *
     * @param x inputs (q, d) row-major; @param out f(x_i) (q)
     */
    public void forward(double[] x, double[] out) {
        open();
        Checks.notNull("out", out);
        Checks.length("x", x, Checks.indexable("out.length*d", (long) out.length * inputDim));
        Checks.finite("x", x);
        engine.forward(x, out.length, out);
    }

    /** @return the current parameters (a copy) */
    public Parameters parameters() {
        open();
        double[] a = new double[width];
        double[] w = new double[width * inputDim];
        double[] b = new double[width];
        engine.copyParameters(a, w, b);
        return Parameters.adopt(a, w, b, inputDim);
    }

    /** Copies the current parameters into a (m), w (m, d) row-major, b (m) without allocating. */
    public void copyParameters(double[] a, double[] w, double[] b) {
        open();
        Checks.length("a", a, width);
        Checks.length("w", w, (long) width * inputDim);
        Checks.length("b", b, width);
        engine.copyParameters(a, w, b);
    }

    /** Stops the worker team. Further calls throw IllegalStateException. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            engine.close(); // first: a close that overlaps another thread's call is rejected, trainer still open
            closed = true;
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

    private void checkGradientBuffers(double[] ga, double[] gw, double[] gb) {
        Checks.length("ga", ga, width);
        Checks.length("gw", gw, (long) width * inputDim);
        Checks.length("gb", gb, width);
    }
}
