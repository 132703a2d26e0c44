// GENERATED from FusedEngineF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.engine;

import io.reluquant.kernel.Loss;
import io.reluquant.kernel.fused.Layout;
import io.reluquant.kernel.fused.NeuronKernelF64;
import io.reluquant.kernel.fused.SweepF64;

/**
 * Drives the fused kernel in float64: owns the padded structure-of-arrays parameters (two buffers,
 * {@link TwoBufferEngineF64}), the data, the residuals of the current parameters and the per-chunk
 * partial sums.
 *
 * <p>A full-batch step is ONE sweep over the parameters: backward of step t, update, forward of step
 * t+1 per block of neurons; then the per-chunk partial sums of f(x_i) are reduced in chunk order (in
 * float64) into the residuals of step t+1. Memory is O(m d + n d + chunks n); nothing n x m exists.
 * After set-up a step allocates nothing.
 */
public final class FusedEngineF64 extends TwoBufferEngineF64 {
    private final NeuronKernelF64 kernel;
    private final Layout layout;

    private final double[] x;
    private final double[] r;

    // a batch (minibatch steps, gradients of subsets, forward on new inputs): at most n samples
    private final double[] batchX;
    private final double[] batchR;
    private final double[] batchF;
    private final double[] batchY;

    private final double[] partials;
    private final boolean[] finite;
    private final double[][] scratch;
    private static final int SCRATCH_GAP = 32;
    private final SweepF64 sweep = new SweepF64();
    private final Team.Body chunkTask = this::sweepChunk;

    /**
     * @param samples n
     * @param inputDim d
     * @param width m
     * @param threads team size
     * @return bytes the buffers of an engine of this shape hold: parameters twice (padded width), inputs
     *         and their batch copy, residuals and batch residuals, outputs twice, batch outputs and
     *         targets, the per-chunk partial sums, and each thread's scratch (two vectors per sample,
     *         one block's gradient sums; counted at the widest vector, 64 bytes, for every width);
     *         for the memory check before anything is allocated
     */
    public static long bytesNeeded(long samples, int inputDim, long width, int threads) {
        long p = Layout.paddedWidth(width);
        long floats = 2 * p * (inputDim + 2) + 2 * samples * inputDim + 2 * samples;
        long doubles = 4 * samples + Layout.chunksAtMost(samples) * samples;
        long scratch = (long) threads * (2 * samples + 4L * (inputDim + 2) + 1) * 64;
        return floats * Double.BYTES + doubles * Double.BYTES + scratch;
    }

    /**
     * Arguments are already validated.
     *
     * @param kernel the neuron kernel, vector or scalar (chosen by the provider)
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param inputDim d
     * @param a output weights (m)
     * @param w input weights, row-major (m, d)
     * @param b biases (m)
     * @param bias false to keep b at zero
     * @param loss the loss whose derivative the residuals are
     * @param threads team size
     * @param threadFactory makes the team's workers, or null for the default daemon threads
     */
    public FusedEngineF64(NeuronKernelF64 kernel, Values x, double[] y, int inputDim, Values a, Values w, Values b,
                          boolean bias, Loss loss, int threads, java.util.concurrent.ThreadFactory threadFactory) {
        this(kernel, Layout.of(a.length(), y.length), x, y, inputDim, a, w, b, bias, loss, threads, threadFactory);
    }

    private FusedEngineF64(NeuronKernelF64 kernel, Layout layout, Values x, double[] y, int inputDim, Values a, Values w,
                           Values b, boolean bias, Loss loss, int threads, java.util.concurrent.ThreadFactory threadFactory) {
        super(kernel.name(), layout.paddedWidth, Math.multiplyExact(layout.paddedWidth, inputDim), y.length, y, inputDim,
                bias, loss, threads, threadFactory);
        this.kernel = kernel;
        this.layout = layout;
        int p = layout.paddedWidth;
        this.x = new double[x.length()];
        for (int i = 0; i < x.length(); i++) {
            this.x[i] = (double) x.get(i);
        }
        this.r = new double[samples];
        for (int j = 0; j < a.length(); j++) {
            this.a[j] = (double) a.get(j);
            this.b[j] = (double) b.get(j);
            for (int k = 0; k < inputDim; k++) {
                this.w[k * p + j] = (double) w.get(j * inputDim + k);
            }
        }
        this.batchX = new double[x.length()];
        this.batchR = new double[samples];
        this.batchF = new double[samples];
        this.batchY = new double[samples];
        this.partials = new double[Math.multiplyExact(layout.chunks, samples)];
        this.finite = new boolean[layout.chunks];
        // each thread's scratch is written every block: 32 unused values (128 bytes, two cache lines) at
        // the end of each row keep rows that the heap places next to each other off each other's lines
        this.scratch = new double[threads][kernel.scratchLength(samples, inputDim) + SCRATCH_GAP];
        sweep.inputDim = inputDim;
        sweep.paddedWidth = p;
        sweep.width = layout.width;
        sweep.partials = partials;
        sweep.partialStride = samples;
        sweep.finite = finite;
    }

    @Override
    public double step(double lrOutput, double lrHidden) {
        ensureResiduals();
        run(x, r, samples, lrOutput, lrHidden, true, true, null, null, null);
        reduce(samples, nextF);
        double newLoss = StepsF64.lossOf(lossFunction, nextF, y, samples, null);
        rejectNonFinite(lrOutput, lrHidden, newLoss);
        return acceptFullBatch(newLoss, r);
    }

    @Override
    public double step(double lrOutput, double lrHidden, int[] indices, int count) {
        double batchLoss = batchForward(indices, count);
        run(batchX, batchR, count, lrOutput, lrHidden, true, false, null, null, null);
        rejectNonFinite(lrOutput, lrHidden, batchLoss);
        return acceptBatch(batchLoss);
    }

    @Override
    public double gradient(double[] ga, double[] gw, double[] gb) {
        ensureResiduals();
        run(x, r, samples, 0, 0, false, false, ga, gw, gb);
        return loss;
    }

    @Override
    public double gradient(int[] indices, int count, double[] ga, double[] gw, double[] gb) {
        double batchLoss = batchForward(indices, count);
        run(batchX, batchR, count, 0, 0, false, false, ga, gw, gb);
        return batchLoss;
    }

    @Override
    public void forward(double[] inputs, int q, double[] out) {
        for (int start = 0; start < q; start += samples) {
            int count = Math.min(samples, q - start);
            for (int i = 0; i < count * inputDim; i++) {
                batchX[i] = (double) inputs[start * inputDim + i];
            }
            forwardOnly(batchX, count);
            reduce(count, batchF);
            System.arraycopy(batchF, 0, out, start, count);
        }
    }

    @Override
    public void copyParameters(double[] outA, double[] outW, double[] outB) {
        int p = layout.paddedWidth;
        for (int j = 0; j < layout.width; j++) {
            outA[j] = a[j];
            outB[j] = b[j];
            for (int k = 0; k < inputDim; k++) {
                outW[j * inputDim + k] = w[k * p + j];
            }
        }
    }

    @Override
    void attach(io.reluquant.kernel.sweep.OptimizerF64 state) {
        sweep.optimizer = state;
    }

    @Override
    int neurons() {
        return layout.width;
    }

    @Override
    int weightAt(int j, int k) {
        return k * layout.paddedWidth + j;
    }

    @Override
    boolean updateWeights(double scale, double[] dw, double[] from, double[] to) {
        int p = layout.paddedWidth;
        int m = layout.width;
        int d = inputDim;
        boolean finite = true;
        // blocks of 64 neurons: w read and written in order along each row k, and dw's 64 rows of the
        // block stay in cache while k walks across them (the mask-bit engine walks its panels the same way)
        for (int j0 = 0; j0 < m; j0 += 64) {
            int j1 = Math.min(m, j0 + 64);
            for (int k = 0; k < d; k++) {
                int row = k * p;
                for (int j = j0; j < j1; j++) {
                    double x = (double) (scale * from[row + j] + dw[j * d + k]);
                    to[row + j] = x;
                    finite &= Double.isFinite(x);
                }
            }
        }
        return finite;
    }

    /** Residuals of the current parameters on the full set (stale after a batch step). */
    @Override
    void ensureResiduals() {
        if (!residualsCurrent) {
            forwardOnly(x, samples);
            reduce(samples, f);
            loss = StepsF64.lossOf(lossFunction, f, y, samples, r);
            residualsCurrent = true;
        }
    }

    /** Gathers the batch, runs its forward pass, leaves its residuals in batchR. @return its loss */
    private double batchForward(int[] indices, int count) {
        for (int q = 0; q < count; q++) {
            int i = indices[q];
            System.arraycopy(x, i * inputDim, batchX, q * inputDim, inputDim);
            batchY[q] = y[i];
        }
        forwardOnly(batchX, count);
        reduce(count, batchF);
        return StepsF64.lossOf(lossFunction, batchF, batchY, count, batchR);
    }

    private void forwardOnly(double[] inputs, int count) {
        sweepOver(inputs, null, count, false, 0, 0, false, true, null, null, null);
    }

    /** A sweep with the backward pass: an update (forward of the next step if asked), or a gradient. */
    private void run(double[] inputs, double[] residuals, int count, double lrOutput, double lrHidden, boolean update,
                     boolean forward, double[] ga, double[] gw, double[] gb) {
        sweepOver(inputs, residuals, count, true, lrOutput, lrHidden, update, forward, ga, gw, gb);
    }

    /** Describes the sweep over the current parameters and runs it on the team, a task per chunk. */
    private void sweepOver(double[] inputs, double[] residuals, int count, boolean backward, double lrOutput,
                           double lrHidden, boolean update, boolean forward, double[] ga, double[] gw, double[] gb) {
        SweepF64 s = sweep;
        s.x = inputs;
        s.r = residuals;
        s.samples = count;
        s.parameters(a, w, b, nextA, nextW, nextB);
        s.backward = backward;
        s.update = update;
        s.forward = forward;
        s.step(lrOutput, lrHidden, count, bias, ga, gw, gb);
        team.run(layout.chunks, chunkTask);
    }

    private void sweepChunk(int chunk, int worker) {
        kernel.sweep(sweep, chunk, layout.chunkStart(chunk), layout.chunkEnd(chunk), scratch[worker]);
    }

    /** out[i] = sum over chunks, in chunk order, of the chunk partial sums: the same for any team. */
    private void reduce(int count, double[] out) {
        java.util.Arrays.fill(out, 0, count, 0);
        for (int c = 0; c < layout.chunks; c++) {
            int base = c * samples;
            for (int i = 0; i < count; i++) {
                out[i] += partials[base + i];
            }
        }
    }

    private void rejectNonFinite(double lrOutput, double lrHidden, double newLoss) {
        for (int c = 0; c < layout.chunks; c++) {
            if (!finite[c]) {
                throw nonFiniteNeurons(lrOutput, lrHidden, layout.chunkStart(c), Math.min(layout.chunkEnd(c), layout.width));
            }
        }
        if (!Double.isFinite(newLoss)) {
            throw nonFiniteLoss(lrOutput, lrHidden, newLoss);
        }
    }
}
