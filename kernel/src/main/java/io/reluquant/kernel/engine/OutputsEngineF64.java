// GENERATED from OutputsEngineF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.engine;

import static io.reluquant.kernel.maskbit.MaskBitLayout.FEATURE_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;
import static io.reluquant.kernel.maskbit.MaskBitLayout.ROW_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.SAMPLE_TILE;

import io.reluquant.kernel.Loss;
import io.reluquant.kernel.NonFiniteStepException;
import io.reluquant.kernel.maskbit.MaskBitLayout;
import io.reluquant.kernel.maskbit.MaskBitSweepF64;
import io.reluquant.kernel.maskbit.OutputsKernelF64;

/**
 * Networks with k &gt; 1 outputs in float64, on the mask-bit layout: at d &gt;= 3, and at d &lt;= 2 when the
 * mask-bit path is asked for (the provider otherwise runs {@link FusedOutputsEngineF64} there;
 * docs/KERNEL.md, "Vector outputs"). A step is the mask-bit engine's:
 * backward per panel of neurons (tasks over panels: each neuron's sums over the samples by one task in
 * a fixed tile order) with the update, then forward per tile of samples (each f_c(x_i) summed over the
 * panels by one task in a fixed order) writing f, the activation bits and, when the plan stores it,
 * relu(z) for the next backward pass. So the bits are the same for every team.
 *
 * <p>Layouts: a as (k, M) with output c of neuron j at {@code a[c*M + j]} (M the width padded to whole
 * panels), w in panels as in {@link MaskBitEngineF64}, f and the residuals (N, k) row-major, relu(z) as
 * (N, M). After set-up a full-batch step allocates nothing; the buffers of batch steps and of
 * {@link #forward} are made on their first use.
 */
public final class OutputsEngineF64 extends TwoBufferEngineF64 {
    private final OutputsKernelF64 kernel;
    private final int paddedSamples;
    private final int features;
    private final int width;
    private final int paddedWidth;
    private final int panels;
    private final int targetsPerSample;
    private final boolean storeRelu;

    private final double[] x;
    private final double[] r;
    private final long[] bits;
    private final double[] h;

    private Batch batch;
    private final boolean[] finite;
    private final double[][] scratch;
    private final MaskBitSweepF64 sweep = new MaskBitSweepF64();
    private final Team.Body backwardTask;
    private final Team.Body forwardTask;

    /** Buffers of a batch or of new inputs: up to n samples, padded. */
    private static final class Batch {
        final double[] x;
        final double[] r;
        final long[] bits;
        final double[] h;
        final double[] f;
        final double[] y;

        Batch(int rows, int features, int panels, int k, int targets, int paddedWidth, boolean storeRelu) {
            x = new double[Math.multiplyExact(rows, features)];
            r = new double[Math.multiplyExact(rows, k)];
            bits = new long[Math.multiplyExact(rows, panels)];
            h = storeRelu ? new double[Math.multiplyExact(rows, paddedWidth)] : null;
            f = new double[Math.multiplyExact(rows, k)];
            y = new double[Math.multiplyExact(rows, targets)];
        }
    }

    /**
     * Arguments are already validated.
     *
     * @param kernel the k-output kernel, vector or scalar (chosen by the provider)
     * @param x inputs (n, d) row-major
     * @param y targets: (n, k), or (n) class labels for SOFTMAX_CROSS_ENTROPY
     * @param inputDim d
     * @param outputs k
     * @param a output weights (m, k) row-major
     * @param w input weights, row-major (m, d)
     * @param b biases (m)
     * @param bias false to keep b at zero
     * @param loss the loss whose derivative the residuals are
     * @param storeRelu keep relu(z) (n x m values) from the forward pass for the backward pass, rather than recompute it
     * @param threads team size
     * @param threadFactory makes the team's workers, or null for the default daemon threads
     */
    public OutputsEngineF64(OutputsKernelF64 kernel, Values x, double[] y, int inputDim, int outputs, Values a, Values w,
                            Values b, boolean bias, Loss loss, boolean storeRelu, int threads,
                            java.util.concurrent.ThreadFactory threadFactory) {
        super(kernel.name(), MaskBitLayout.roundUp(b.length(), PANEL),
                Math.multiplyExact(MaskBitLayout.roundUp(b.length(), PANEL), outputs),
                Math.multiplyExact(MaskBitLayout.roundUp(b.length(), PANEL), MaskBitLayout.roundUp(inputDim, FEATURE_TILE)),
                Math.multiplyExact(MaskBitLayout.roundUp(y.length / loss.targetsPerSample(outputs), ROW_TILE), outputs),
                outputs, y, inputDim, bias, loss, threads, threadFactory);
        this.kernel = kernel;
        this.targetsPerSample = loss.targetsPerSample(outputs);
        this.storeRelu = storeRelu;
        this.paddedSamples = MaskBitLayout.roundUp(samples, ROW_TILE);
        this.features = MaskBitLayout.roundUp(inputDim, FEATURE_TILE);
        this.width = b.length();
        this.paddedWidth = MaskBitLayout.roundUp(width, PANEL);
        this.panels = paddedWidth / PANEL;
        this.x = new double[Math.multiplyExact(paddedSamples, features)];
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < inputDim; k++) {
                this.x[i * features + k] = (double) x.get(i * inputDim + k);
            }
        }
        this.r = new double[Math.multiplyExact(paddedSamples, outputs)];
        this.bits = new long[Math.multiplyExact(paddedSamples, panels)];
        this.h = storeRelu ? new double[Math.multiplyExact(paddedSamples, paddedWidth)] : null;
        for (int j = 0; j < width; j++) {
            for (int c = 0; c < outputs; c++) {
                this.a[outputAt(j, c)] = (double) a.get(j * outputs + c);
            }
            this.b[j] = (double) b.get(j);
            for (int k = 0; k < inputDim; k++) {
                this.w[weightAt(j, k)] = (double) w.get(j * inputDim + k);
            }
        }
        this.finite = new boolean[panels];
        // 32 unused values (two cache lines) at the end of each thread's row, as in the one-output engine
        this.scratch = new double[threads][kernel.scratchLength(features, outputs) + 32];
        this.backwardTask = (panel, worker) -> kernel.backward(sweep, panel, scratch[worker]);
        this.forwardTask = (tile, worker) -> kernel.forward(sweep, tile * SAMPLE_TILE,
                Math.min(sweep.samples, (tile + 1) * SAMPLE_TILE), scratch[worker]);
        sweep.features = features;
        sweep.panels = panels;
        sweep.width = width;
        sweep.inputDim = inputDim;
        sweep.finite = finite;
        sweep.outputs = outputs;
        sweep.paddedWidth = paddedWidth;
    }

    /**
     * @return bytes the buffers of a full-batch engine of this shape hold (parameters twice, inputs,
     * activation bits, relu(z) when stored, residuals, outputs, targets, scratch), for the memory check
     * before anything is allocated
     */
    public static long bytesNeeded(long samples, int inputDim, int outputs, long width, int threads, boolean storeRelu) {
        long n = (samples + ROW_TILE - 1) / ROW_TILE * ROW_TILE;
        long dims = (inputDim + FEATURE_TILE - 1L) / FEATURE_TILE * FEATURE_TILE;
        long p = (width + PANEL - 1) / PANEL * PANEL;
        long scratchFloats = (long) threads * (SAMPLE_TILE * PANEL + 16L * PANEL + 16 + dims * PANEL
                + (long) outputs * PANEL + SAMPLE_TILE * PANEL + (long) SAMPLE_TILE * outputs * 16 + 32);
        long floats = 2 * p * (dims + 1 + outputs) + n * dims + n * outputs + (storeRelu ? n * p : 0) + scratchFloats;
        return floats * Double.BYTES + n * (p / PANEL) * Long.BYTES + 2 * n * outputs * Double.BYTES
                + samples * outputs * Double.BYTES;
    }

    @Override
    public double step(double lrOutput, double lrHidden) {
        ensureResiduals();
        backward(x, r, bits, h, paddedSamples, samples, lrOutput, lrHidden, null, null, null);
        rejectNonFiniteParameters(lrOutput, lrHidden);
        forward(x, paddedSamples, nextF, bits, h, true, true);
        double newLoss = lossOf(nextF, y, samples, null);
        if (!Double.isFinite(newLoss)) {
            residualsCurrent = false; // the bits now belong to the rejected parameters
            throw nonFiniteLoss(lrOutput, lrHidden, newLoss);
        }
        return acceptFullBatch(newLoss, r);
    }

    @Override
    public double step(double lrOutput, double lrHidden, int[] indices, int count) {
        double batchLoss = batchForward(indices, count);
        Batch bt = batch;
        backward(bt.x, bt.r, bt.bits, bt.h, MaskBitLayout.roundUp(count, ROW_TILE), count, lrOutput, lrHidden, null, null, null);
        rejectNonFiniteParameters(lrOutput, lrHidden);
        if (!Double.isFinite(batchLoss)) {
            throw new NonFiniteStepException("step " + (stepsTaken + 1) + ": the batch loss is not finite ("
                    + batchLoss + "); parameters kept at step " + stepsTaken);
        }
        return acceptBatch(batchLoss);
    }

    @Override
    public double gradient(double[] ga, double[] gw, double[] gb) {
        ensureResiduals();
        backward(x, r, bits, h, paddedSamples, samples, 0, 0, ga, gw, gb);
        return loss;
    }

    @Override
    public double gradient(int[] indices, int count, double[] ga, double[] gw, double[] gb) {
        double batchLoss = batchForward(indices, count);
        Batch bt = batch;
        backward(bt.x, bt.r, bt.bits, bt.h, MaskBitLayout.roundUp(count, ROW_TILE), count, 0, 0, ga, gw, gb);
        return batchLoss;
    }

    @Override
    public void forward(double[] inputs, int q, double[] out) {
        Batch bt = batch();
        int rows = bt.f.length / outputs;
        for (int start = 0; start < q; start += rows) {
            int count = Math.min(rows, q - start);
            java.util.Arrays.fill(bt.x, 0);
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < inputDim; k++) {
                    bt.x[i * features + k] = (double) inputs[(start + i) * inputDim + k];
                }
            }
            forward(bt.x, MaskBitLayout.roundUp(count, ROW_TILE), bt.f, bt.bits, null, false, false);
            System.arraycopy(bt.f, 0, out, start * outputs, count * outputs);
        }
    }

    @Override
    public void copyParameters(double[] outA, double[] outW, double[] outB) {
        int k = outputs;
        for (int j = 0; j < width; j++) {
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
        return width;
    }

    @Override
    int weightAt(int j, int k) {
        return j / PANEL * PANEL * features + j % PANEL + k * PANEL;
    }

    @Override
    int outputAt(int j, int c) {
        return c * paddedWidth + j;
    }

    @Override
    boolean updateWeights(double scale, double[] dw, double[] from, double[] to) {
        int d = inputDim;
        boolean finite = true;
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < d; k++) {
                int at = weightAt(j, k);
                double v = (double) (scale * from[at] + dw[j * d + k]);
                to[at] = v;
                finite &= Double.isFinite(v);
            }
        }
        return finite;
    }

    /** f, residuals, loss, activation bits (and relu(z) when stored) of the current parameters on the full set. */
    @Override
    void ensureResiduals() {
        if (!residualsCurrent) {
            forward(x, paddedSamples, f, bits, h, true, false);
            loss = lossOf(f, y, samples, r);
            residualsCurrent = true;
        }
    }

    private Batch batch() {
        if (batch == null) {
            batch = new Batch(paddedSamples, features, panels, outputs, targetsPerSample, paddedWidth, storeRelu);
        }
        return batch;
    }

    /** Gathers the batch, runs its forward pass with bits, leaves its residuals in the batch. @return its loss */
    private double batchForward(int[] indices, int count) {
        Batch bt = batch();
        int rows = MaskBitLayout.roundUp(count, ROW_TILE);
        int t = targetsPerSample;
        java.util.Arrays.fill(bt.x, count * features, rows * features, 0);
        for (int q = 0; q < count; q++) {
            int i = indices[q];
            System.arraycopy(x, i * features, bt.x, q * features, features);
            System.arraycopy(y, i * t, bt.y, q * t, t);
        }
        forward(bt.x, rows, bt.f, bt.bits, bt.h, true, false);
        java.util.Arrays.fill(bt.r, count * outputs, rows * outputs, 0); // padded rows add nothing to the gradient
        return lossOf(bt.f, bt.y, count, bt.r);
    }

    /** The backward pass over the panels: an update (lrs) or, when ga is not null, the gradient. */
    private void backward(double[] inputs, double[] residuals, long[] activation, double[] relu, int rows, int count,
                          double lrOutput, double lrHidden, double[] ga, double[] gw, double[] gb) {
        MaskBitSweepF64 s = sweep;
        s.x = inputs;
        s.r = residuals;
        s.bits = activation;
        s.h = relu;
        s.samples = rows;
        s.parameters(a, w, b, nextA, nextW, nextB);
        s.update = ga == null;
        s.step(lrOutput, lrHidden, count, bias, ga, gw, gb);
        team.run(panels, backwardTask);
    }

    /**
     * The forward pass over tiles of samples: out = f(x_i) (rows x k) for i < rows (rows a multiple of
     * the row tile), the activation bits and relu(z) (relu non-null) when asked; of the updated
     * parameters (before the swap) when asked.
     */
    private void forward(double[] inputs, int rows, double[] out, long[] activation, double[] relu, boolean writeBits,
                         boolean updated) {
        MaskBitSweepF64 s = sweep;
        s.x = inputs;
        s.samples = rows;
        s.parameters(a, w, b, nextA, nextW, nextB);
        s.forwardUpdated = updated;
        s.fk = out;
        s.bits = activation;
        s.h = writeBits ? relu : null;
        s.writeBits = writeBits;
        team.run((rows + SAMPLE_TILE - 1) / SAMPLE_TILE, forwardTask);
    }

    private void rejectNonFiniteParameters(double lrOutput, double lrHidden) {
        for (int p = 0; p < panels; p++) {
            if (!finite[p]) {
                throw nonFiniteNeurons(lrOutput, lrHidden, p * PANEL, Math.min((p + 1) * PANEL, width));
            }
        }
    }
}
