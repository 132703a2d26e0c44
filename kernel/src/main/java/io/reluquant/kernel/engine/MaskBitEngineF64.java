// GENERATED from MaskBitEngineF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.engine;

import static io.reluquant.kernel.maskbit.MaskBitLayout.FEATURE_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;
import static io.reluquant.kernel.maskbit.MaskBitLayout.ROW_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.SAMPLE_TILE;

import io.reluquant.kernel.Loss;
import io.reluquant.kernel.NonFiniteStepException;
import io.reluquant.kernel.maskbit.MaskBitKernelF64;
import io.reluquant.kernel.maskbit.MaskBitLayout;
import io.reluquant.kernel.maskbit.MaskBitSweepF64;

/**
 * The large-d path in float64: two GEMM-like passes per step instead of one sweep that recomputes
 * the pre-activations.
 *
 * <p>The backward pass of step t needs only the residuals r and the activation pattern [z_ij > 0] of
 * step t, not z itself, because relu(z) = [z > 0] z gives
 * ga_j = sum_i r_i relu(z_ij) = w_j . gw_j + b_j gb_j with gw_j = sum_i r_i [z_ij > 0] x_i and
 * gb_j = sum_i r_i [z_ij > 0]. So the forward pass keeps the pattern as n x m BITS (1/32 of a {@literal float32}
 * matrix), and a step is: backward GW = (r . M)^T X per panel of neurons (tasks over panels) with the
 * update, then forward Z = X W'^T + b' per tile of samples (tasks over sample tiles) writing f and the
 * new bits. About 4 n m d flops a step, where recomputing z costs 6 n m d; nothing n x m in floats.
 *
 * <p>Thread independence: a neuron's gradient is summed over the samples by one task in a fixed tile
 * order, and f(x_i) over the neurons by one task in a fixed panel order, so the result is the same
 * bits for every team. Parameters live in two buffers ({@link TwoBufferEngineF64}), so a rejected
 * step leaves the current ones untouched. After set-up a full-batch step allocates nothing; the
 * buffers of batch steps and of {@link #forward} are made on their first use.
 */
public final class MaskBitEngineF64 extends TwoBufferEngineF64 {
    private final MaskBitKernelF64 kernel;
    private final int paddedSamples;
    private final int features;
    private final int width;
    private final int panels;

    private final double[] x;
    private final double[] r;
    private final long[] bits;

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
        final double[] f;
        final double[] y;

        Batch(int rows, int features, int panels) {
            x = new double[Math.multiplyExact(rows, features)];
            r = new double[rows];
            bits = new long[Math.multiplyExact(rows, panels)];
            f = new double[rows];
            y = new double[rows];
        }
    }

    /**
     * Arguments are already validated.
     *
     * @param kernel the mask-bit kernel, vector or scalar (chosen by the provider)
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
    public MaskBitEngineF64(MaskBitKernelF64 kernel, Values x, double[] y, int inputDim, Values a, Values w, Values b,
                            boolean bias, Loss loss, int threads, java.util.concurrent.ThreadFactory threadFactory) {
        super(kernel.name(), MaskBitLayout.roundUp(a.length(), PANEL),
                Math.multiplyExact(MaskBitLayout.roundUp(a.length(), PANEL), MaskBitLayout.roundUp(inputDim, FEATURE_TILE)),
                MaskBitLayout.roundUp(y.length, ROW_TILE), y, inputDim, bias, loss, threads, threadFactory);
        this.kernel = kernel;
        this.paddedSamples = MaskBitLayout.roundUp(samples, ROW_TILE);
        this.features = MaskBitLayout.roundUp(inputDim, FEATURE_TILE);
        this.width = a.length();
        int padded = MaskBitLayout.roundUp(width, PANEL);
        this.panels = padded / PANEL;
        this.x = new double[Math.multiplyExact(paddedSamples, features)];
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < inputDim; k++) {
                this.x[i * features + k] = (double) x.get(i * inputDim + k);
            }
        }
        this.r = new double[paddedSamples];
        this.bits = new long[Math.multiplyExact(paddedSamples, panels)];
        MaskBitForwardF64.pack(a, w, b, inputDim, features, this.a, this.w, this.b);
        this.finite = new boolean[panels];
        // 32 unused values (two cache lines) at the end of each thread's row: rows the heap places next to
        // each other stay off each other's lines (false sharing made two threads slower than one at n = 8)
        this.scratch = new double[threads][kernel.scratchLength(features) + 32];
        this.backwardTask = (panel, worker) -> kernel.backward(sweep, panel, scratch[worker]);
        this.forwardTask = (tile, worker) -> kernel.forward(sweep, tile * SAMPLE_TILE,
                Math.min(sweep.samples, (tile + 1) * SAMPLE_TILE), scratch[worker]);
        sweep.features = features;
        sweep.panels = panels;
        sweep.width = width;
        sweep.inputDim = inputDim;
        sweep.finite = finite;
    }

    /**
     * @return bytes the buffers of a full-batch engine of this shape hold (parameters twice, inputs,
     * activation bits, residuals, outputs, scratch), for the memory check before anything is allocated
     */
    public static long bytesNeeded(long samples, int inputDim, long width, int threads) {
        long n = (samples + ROW_TILE - 1) / ROW_TILE * ROW_TILE;
        long dims = (inputDim + FEATURE_TILE - 1L) / FEATURE_TILE * FEATURE_TILE;
        long p = (width + PANEL - 1) / PANEL * PANEL;
        long floats = 2 * p * (dims + 2) + n * dims + n + (long) threads * ((dims + 3) * PANEL + SAMPLE_TILE * (PANEL + 16));
        return floats * Double.BYTES + n * (p / PANEL) * Long.BYTES + 2 * n * Double.BYTES + samples * Double.BYTES;
    }

    @Override
    public double step(double lrOutput, double lrHidden) {
        ensureResiduals();
        backward(x, r, bits, paddedSamples, samples, lrOutput, lrHidden, null, null, null);
        rejectNonFiniteParameters(lrOutput, lrHidden);
        forward(x, paddedSamples, nextF, bits, true, true);
        double newLoss = StepsF64.lossOf(lossFunction, nextF, y, samples, null);
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
        backward(bt.x, bt.r, bt.bits, MaskBitLayout.roundUp(count, ROW_TILE), count, lrOutput, lrHidden, null, null, null);
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
        backward(x, r, bits, paddedSamples, samples, 0, 0, ga, gw, gb);
        return loss;
    }

    @Override
    public double gradient(int[] indices, int count, double[] ga, double[] gw, double[] gb) {
        double batchLoss = batchForward(indices, count);
        Batch bt = batch;
        backward(bt.x, bt.r, bt.bits, MaskBitLayout.roundUp(count, ROW_TILE), count, 0, 0, ga, gw, gb);
        return batchLoss;
    }

    @Override
    public void forward(double[] inputs, int q, double[] out) {
        Batch bt = batch();
        int rows = bt.f.length;
        for (int start = 0; start < q; start += rows) {
            int count = Math.min(rows, q - start);
            java.util.Arrays.fill(bt.x, 0);
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < inputDim; k++) {
                    bt.x[i * features + k] = (double) inputs[(start + i) * inputDim + k];
                }
            }
            forward(bt.x, MaskBitLayout.roundUp(count, ROW_TILE), bt.f, bt.bits, false, false);
            System.arraycopy(bt.f, 0, out, start, count);
        }
    }

    @Override
    public void copyParameters(double[] outA, double[] outW, double[] outB) {
        for (int j = 0; j < width; j++) {
            outA[j] = a[j];
            outB[j] = b[j];
            int base = j / PANEL * PANEL * features + j % PANEL;
            for (int k = 0; k < inputDim; k++) {
                outW[j * inputDim + k] = w[base + k * PANEL];
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
    boolean updateWeights(double scale, double[] dw, double[] from, double[] to) {
        int d = inputDim;
        boolean finite = true;
        for (int p = 0; p < panels; p++) {
            int neurons = Math.min(PANEL, width - p * PANEL);
            // w read and written in order along each row k of the panel; the panel's PANEL rows of dw stay
            // in cache while k walks across them
            int base = p * PANEL * features;
            int pub = p * PANEL * d;
            for (int k = 0; k < d; k++) {
                int row = base + k * PANEL;
                for (int t = 0; t < neurons; t++) {
                    double x = (double) (scale * from[row + t] + dw[pub + t * d + k]);
                    to[row + t] = x;
                    finite &= Double.isFinite(x);
                }
            }
        }
        return finite;
    }

    /** f, residuals, loss and activation bits of the current parameters on the full set. */
    @Override
    void ensureResiduals() {
        if (!residualsCurrent) {
            forward(x, paddedSamples, f, bits, true, false);
            loss = StepsF64.lossOf(lossFunction, f, y, samples, r);
            residualsCurrent = true;
        }
    }

    private Batch batch() {
        if (batch == null) {
            batch = new Batch(paddedSamples, features, panels);
        }
        return batch;
    }

    /** Gathers the batch, runs its forward pass with bits, leaves its residuals in the batch. @return its loss */
    private double batchForward(int[] indices, int count) {
        Batch bt = batch();
        int rows = MaskBitLayout.roundUp(count, ROW_TILE);
        java.util.Arrays.fill(bt.x, count * features, rows * features, 0);
        for (int q = 0; q < count; q++) {
            int i = indices[q];
            System.arraycopy(x, i * features, bt.x, q * features, features);
            bt.y[q] = y[i];
        }
        forward(bt.x, rows, bt.f, bt.bits, true, false);
        java.util.Arrays.fill(bt.r, count, rows, 0); // padded rows add nothing to the gradient
        return StepsF64.lossOf(lossFunction, bt.f, bt.y, count, bt.r);
    }

    /** The backward pass over the panels: an update (lrs) or, when ga is not null, the gradient. */
    private void backward(double[] inputs, double[] residuals, long[] activation, int rows, int count,
                          double lrOutput, double lrHidden, double[] ga, double[] gw, double[] gb) {
        MaskBitSweepF64 s = sweep;
        s.x = inputs;
        s.r = residuals;
        s.bits = activation;
        s.samples = rows;
        s.parameters(a, w, b, nextA, nextW, nextB);
        s.update = ga == null;
        s.step(lrOutput, lrHidden, count, bias, ga, gw, gb);
        team.run(panels, backwardTask);
    }

    /**
     * The forward pass over tiles of samples: out[i] = f(x_i) for i < rows (rows a multiple of the row
     * tile), and the activation bits when asked; of the updated parameters (before the swap) when asked.
     */
    private void forward(double[] inputs, int rows, double[] out, long[] activation, boolean writeBits,
                         boolean updated) {
        MaskBitSweepF64 s = sweep;
        s.x = inputs;
        s.samples = rows;
        s.parameters(a, w, b, nextA, nextW, nextB);
        s.forwardUpdated = updated;
        s.f = out;
        s.bits = activation;
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
