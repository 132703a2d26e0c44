// GENERATED from FusedOutputsEngineF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.engine;

import static io.reluquant.kernel.fused.OutputsSweepF64.OUTPUT_TILE;
import static io.reluquant.kernel.fused.OutputsSweepF64.SAMPLE_GRANULE;

import io.reluquant.kernel.Loss;
import io.reluquant.kernel.fused.Layout;
import io.reluquant.kernel.fused.OutputsNeuronKernelF64;
import io.reluquant.kernel.fused.OutputsSweepF64;

/**
 * Networks with k &gt; 1 outputs at d &lt;= 2 in float64, on the fused sweep (docs/KERNEL.md, "Vector
 * outputs"): a full-batch step is ONE sweep over the neurons, per chunk its backward pass, update and
 * the forward pass of the updated chunk into the chunk's partial sums of f, which are then added in
 * chunk order (in float64) into f and the residuals of the next step. Chunks depend on (width,
 * samples, k) only, never on the team, so results are the same bits for every thread count. Nothing
 * n x m exists; after set-up a step allocates nothing (the batch buffers are made with the engine).
 *
 * <p>Layouts (P the width padded by {@link Layout}, K = k padded to a multiple of
 * {@link OutputsSweepF64#OUTPUT_TILE}, R = n padded to {@link OutputsSweepF64#SAMPLE_GRANULE}):
 * a (K, P), w two rows of P (the second zero at d = 1), b (P), x two rows of R, the kernel's
 * residuals (R, K) padded with zeros; f and the loss's residuals (n, k).
 */
public final class FusedOutputsEngineF64 extends TwoBufferEngineF64 {
    private final OutputsNeuronKernelF64 kernel;
    private final Layout layout;
    private final int paddedOutputs;
    private final int rows;

    private final double[] x;
    private final double[] r;
    private final double[] paddedR;

    private final double[] batchX;
    private final double[] batchR;
    private final double[] batchF;
    private final double[] batchY;

    private final double[] partials;
    private final boolean[] finite;
    private final double[][] scratch;
    private final OutputsSweepF64 sweep = new OutputsSweepF64();
    private final Team.Body chunkTask = this::sweepChunk;

    /** @return k padded to whole output tiles */
    public static int paddedOutputs(int outputs) {
        return (outputs + OUTPUT_TILE - 1) / OUTPUT_TILE * OUTPUT_TILE;
    }

    /** @return n padded to whole sample tiles */
    public static long paddedSamples(long samples) {
        return (samples + SAMPLE_GRANULE - 1) / SAMPLE_GRANULE * SAMPLE_GRANULE;
    }

    /**
     * @return bytes the buffers of an engine of this shape hold (parameters twice, inputs and their batch
     *         copy, residuals three ways and the batch's, f twice, batch outputs and targets, the
     *         per-chunk partial sums, each thread's scratch counted at 16 lanes), for the memory check
     *         before anything is allocated
     */
    public static long bytesNeeded(long samples, int inputDim, int outputs, long width, int threads) {
        long p = Layout.paddedWidth(width);
        long kp = paddedOutputs(outputs);
        long rows = paddedSamples(samples);
        long chunks = Layout.chunksAtMost(rows * kp);
        long floats = 2 * p * (kp + 3) + 4 * rows + 2 * samples * outputs + 2 * rows * kp
                + (long) threads * ((rows + kp + 4 + 4 * OUTPUT_TILE) * 16 + 32);
        long doubles = 4 * samples * outputs + chunks * rows * kp;
        return floats * Double.BYTES + doubles * Double.BYTES;
    }

    /**
     * Arguments are already validated.
     *
     * @param kernel the k-output neuron kernel, vector or scalar (chosen by the provider)
     * @param x inputs (n, d) row-major
     * @param y targets: (n, k), or (n) class labels for SOFTMAX_CROSS_ENTROPY
     * @param inputDim d, 1 or 2
     * @param outputs k
     * @param a output weights (m, k) row-major
     * @param w input weights, row-major (m, d)
     * @param b biases (m)
     * @param bias false to keep b at zero
     * @param loss the loss whose derivative the residuals are
     * @param threads team size
     * @param threadFactory makes the team's workers, or null for the default daemon threads
     */
    public FusedOutputsEngineF64(OutputsNeuronKernelF64 kernel, Values x, double[] y, int inputDim, int outputs, Values a,
                                 Values w, Values b, boolean bias, Loss loss, int threads,
                                 java.util.concurrent.ThreadFactory threadFactory) {
        this(kernel, Layout.of(b.length(), Math.toIntExact(paddedSamples(y.length / loss.targetsPerSample(outputs))
                * paddedOutputs(outputs))), x, y, inputDim, outputs, a, w, b, bias, loss, threads, threadFactory);
    }

    private FusedOutputsEngineF64(OutputsNeuronKernelF64 kernel, Layout layout, Values x, double[] y, int inputDim,
                                  int outputs, Values a, Values w, Values b, boolean bias, Loss loss, int threads,
                                  java.util.concurrent.ThreadFactory threadFactory) {
        super(kernel.name(), layout.paddedWidth, Math.multiplyExact(layout.paddedWidth, paddedOutputs(outputs)),
                Math.multiplyExact(layout.paddedWidth, 2), Math.multiplyExact(y.length / loss.targetsPerSample(outputs), outputs),
                outputs, y, inputDim, bias, loss, threads, threadFactory);
        if (inputDim > 2) {
            throw new IllegalArgumentException("the fused k-output sweep covers d <= 2, got d = " + inputDim);
        }
        this.kernel = kernel;
        this.layout = layout;
        this.paddedOutputs = paddedOutputs(outputs);
        this.rows = (int) paddedSamples(samples);
        this.x = new double[Math.multiplyExact(2, rows)];
        for (int i = 0; i < samples; i++) {
            for (int q = 0; q < inputDim; q++) {
                this.x[q * rows + i] = (double) x.get(i * inputDim + q);
            }
        }
        this.r = new double[Math.multiplyExact(samples, outputs)];
        this.paddedR = new double[Math.multiplyExact(rows, paddedOutputs)];
        for (int j = 0; j < layout.width; j++) {
            for (int c = 0; c < outputs; c++) {
                this.a[outputAt(j, c)] = (double) a.get(j * outputs + c);
            }
            this.b[j] = (double) b.get(j);
            for (int q = 0; q < inputDim; q++) {
                this.w[weightAt(j, q)] = (double) w.get(j * inputDim + q);
            }
        }
        this.batchX = new double[this.x.length];
        this.batchR = new double[r.length];
        this.batchF = new double[Math.multiplyExact(samples, outputs)];
        this.batchY = new double[y.length];
        this.partials = new double[Math.multiplyExact(layout.chunks, rows * paddedOutputs)];
        this.finite = new boolean[layout.chunks];
        // 32 unused values (two cache lines) at the end of each thread's row, as in the other engines
        this.scratch = new double[threads][kernel.scratchLength(rows, paddedOutputs) + 32];
        sweep.inputDim = inputDim;
        sweep.paddedWidth = layout.paddedWidth;
        sweep.width = layout.width;
        sweep.outputs = outputs;
        sweep.paddedOutputs = paddedOutputs;
        sweep.xStride = rows;
        sweep.partials = partials;
        sweep.partialStride = rows * paddedOutputs;
        sweep.finite = finite;
    }

    @Override
    public double step(double lrOutput, double lrHidden) {
        ensureResiduals();
        pad(r, samples);
        sweepOver(x, samples, true, lrOutput, lrHidden, true, true, null, null, null);
        reduce(samples, nextF);
        double newLoss = lossOf(nextF, y, samples, null);
        rejectNonFinite(lrOutput, lrHidden, newLoss);
        return acceptFullBatch(newLoss, r);
    }

    @Override
    public double step(double lrOutput, double lrHidden, int[] indices, int count) {
        double batchLoss = batchForward(indices, count);
        pad(batchR, count);
        sweepOver(batchX, count, true, lrOutput, lrHidden, true, false, null, null, null);
        rejectNonFinite(lrOutput, lrHidden, batchLoss);
        return acceptBatch(batchLoss);
    }

    @Override
    public double gradient(double[] ga, double[] gw, double[] gb) {
        ensureResiduals();
        pad(r, samples);
        sweepOver(x, samples, true, 0, 0, false, false, ga, gw, gb);
        return loss;
    }

    @Override
    public double gradient(int[] indices, int count, double[] ga, double[] gw, double[] gb) {
        double batchLoss = batchForward(indices, count);
        pad(batchR, count);
        sweepOver(batchX, count, true, 0, 0, false, false, ga, gw, gb);
        return batchLoss;
    }

    @Override
    public void forward(double[] inputs, int q, double[] out) {
        for (int start = 0; start < q; start += samples) {
            int count = Math.min(samples, q - start);
            java.util.Arrays.fill(batchX, 0);
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < inputDim; k++) {
                    batchX[k * rows + i] = (double) inputs[(start + i) * inputDim + k];
                }
            }
            sweepOver(batchX, count, false, 0, 0, false, true, null, null, null);
            reduce(count, batchF);
            System.arraycopy(batchF, 0, out, start * outputs, count * outputs);
        }
    }

    @Override
    public void copyParameters(double[] outA, double[] outW, double[] outB) {
        int k = outputs;
        for (int j = 0; j < layout.width; j++) {
            for (int c = 0; c < k; c++) {
                outA[j * k + c] = a[outputAt(j, c)];
            }
            outB[j] = b[j];
            for (int q = 0; q < inputDim; q++) {
                outW[j * inputDim + q] = w[weightAt(j, q)];
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
    int outputAt(int j, int c) {
        return c * layout.paddedWidth + j;
    }

    @Override
    boolean updateWeights(double scale, double[] dw, double[] from, double[] to) {
        int d = inputDim;
        boolean finite = true;
        for (int j = 0; j < layout.width; j++) {
            for (int k = 0; k < d; k++) {
                int at = weightAt(j, k);
                double v = (double) (scale * from[at] + dw[j * d + k]);
                to[at] = v;
                finite &= Double.isFinite(v);
            }
        }
        return finite;
    }

    /** f, residuals and loss of the current parameters on the full set (stale after a batch step). */
    @Override
    void ensureResiduals() {
        if (!residualsCurrent) {
            sweepOver(x, samples, false, 0, 0, false, true, null, null, null);
            reduce(samples, f);
            loss = lossOf(f, y, samples, r);
            residualsCurrent = true;
        }
    }

    /** The residuals (count, k) into the kernel's (count, K) rows; the padded outputs stay zero. */
    private void pad(double[] residuals, int count) {
        int k = outputs;
        for (int i = 0; i < count; i++) {
            System.arraycopy(residuals, i * k, paddedR, i * paddedOutputs, k);
        }
    }

    /** Gathers the batch, runs its forward pass, leaves its residuals in batchR. @return its loss */
    private double batchForward(int[] indices, int count) {
        int t = lossFunction.targetsPerSample(outputs);
        int end = (int) paddedSamples(count);
        for (int q = 0; q < 2; q++) {
            java.util.Arrays.fill(batchX, q * rows + count, q * rows + end, 0);
        }
        for (int q = 0; q < count; q++) {
            int i = indices[q];
            for (int c = 0; c < inputDim; c++) {
                batchX[c * rows + q] = x[c * rows + i];
            }
            System.arraycopy(y, i * t, batchY, q * t, t);
        }
        sweepOver(batchX, count, false, 0, 0, false, true, null, null, null);
        reduce(count, batchF);
        return lossOf(batchF, batchY, count, batchR);
    }

    /** Describes the sweep over the current parameters and runs it on the team, a task per chunk. */
    private void sweepOver(double[] inputs, int count, boolean backward, double lrOutput, double lrHidden, boolean update,
                           boolean forward, double[] ga, double[] gw, double[] gb) {
        OutputsSweepF64 s = sweep;
        s.x = inputs;
        s.r = paddedR;
        s.samples = count;
        s.rows = (int) paddedSamples(count);
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

    /** out (count, k) = sum over chunks, in chunk order, of the chunk partial sums: the same for any team. */
    private void reduce(int count, double[] out) {
        int k = outputs;
        int kp = paddedOutputs;
        java.util.Arrays.fill(out, 0, count * k, 0);
        for (int c = 0; c < layout.chunks; c++) {
            int base = c * rows * kp;
            for (int i = 0; i < count; i++) {
                for (int o = 0; o < k; o++) {
                    out[i * k + o] += partials[base + i * kp + o];
                }
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
