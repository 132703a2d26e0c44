// TEMPLATE: the float32 source; its float64 twin is generated at build time (see kernel/pom.xml).
package io.reluquant.kernel.fused;

import io.reluquant.kernel.Loss;
import io.reluquant.kernel.NonFiniteStepException;
import io.reluquant.kernel.vectorization.KernelProvider;

/**
 * Drives the fused kernel in float32: owns the padded structure-of-arrays parameters (two buffers:
 * a step writes the other one, so a rejected step leaves the current parameters untouched), the
 * data, the residuals of the current parameters, the worker team and the per-chunk partial sums.
 *
 * <p>A full-batch step is ONE sweep over the parameters: backward of step t, update, forward of step
 * t+1 per block of neurons; then the per-chunk partial sums of f(x_i) are reduced in chunk order (in
 * float64) into the residuals of step t+1. Memory is O(m d + n d + chunks n); nothing n x m exists.
 * After set-up a step allocates nothing.
 */
public final class FusedEngineF32 implements Engine {
    private final NeuronKernelF32 kernel;
    private final Layout layout;
    private final Team team;
    private final int samples;
    private final int inputDim;
    private final boolean bias;
    private final Loss lossFunction;

    private final float[] x;
    private final double[] y;
    private final float[] r;
    private double[] f;
    private double[] nextF;
    private double loss;
    private boolean residualsCurrent;

    private float[] a, w, b;
    private float[] nextA, nextW, nextB;

    // a batch (minibatch steps, gradients of subsets, forward on new inputs): at most n samples
    private final float[] batchX;
    private final float[] batchR;
    private final double[] batchF;
    private final double[] batchY;

    private final double[] partials;
    private final boolean[] finite;
    private final float[][] scratch;
    private final SweepF32 sweep = new SweepF32();
    private final Team.Body chunkTask = this::sweepChunk;
    private long stepsTaken;

    /**
     * Arguments are already validated.
     *
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param inputDim d
     * @param a output weights (m)
     * @param w input weights, row-major (m, d)
     * @param b biases (m)
     * @param bias false to keep b at zero
     * @param loss the loss whose derivative the residuals are
     * @param threads team size
     * @param scalar true to run the scalar kernel whatever the provider chose
     * @param threadFactory makes the team's workers, or null for the default daemon threads
     */
    public FusedEngineF32(Values x, double[] y, int inputDim, Values a, Values w, Values b,
                          boolean bias, Loss loss, int threads, boolean scalar,
                          java.util.concurrent.ThreadFactory threadFactory) {
        this.kernel = scalar || KernelProvider.vectorBits() == 0 ? new ScalarNeuronKernelF32()
                : StepsF32.vectorKernel(java.lang.invoke.MethodHandles.lookup(), NeuronKernelF32.class, "VectorNeuronKernelF32");
        this.samples = y.length;
        this.inputDim = inputDim;
        this.bias = bias;
        this.lossFunction = loss;
        this.layout = Layout.of(a.length(), samples);
        int p = layout.paddedWidth;
        this.x = new float[x.length()];
        for (int i = 0; i < x.length(); i++) {
            this.x[i] = (float) x.get(i);
        }
        this.y = y.clone();
        this.r = new float[samples];
        this.f = new double[samples];
        this.nextF = new double[samples];
        this.a = new float[p];
        this.b = new float[p];
        this.w = new float[Math.multiplyExact(p, inputDim)];
        this.nextA = new float[p];
        this.nextB = new float[p];
        this.nextW = new float[this.w.length];
        for (int j = 0; j < a.length(); j++) {
            this.a[j] = (float) a.get(j);
            this.b[j] = (float) b.get(j);
            for (int k = 0; k < inputDim; k++) {
                this.w[k * p + j] = (float) w.get(j * inputDim + k);
            }
        }
        this.batchX = new float[x.length()];
        this.batchR = new float[samples];
        this.batchF = new double[samples];
        this.batchY = new double[samples];
        this.partials = new double[Math.multiplyExact(layout.chunks, samples)];
        this.finite = new boolean[layout.chunks];
        this.team = new Team(threads, threadFactory);
        this.scratch = new float[threads][kernel.scratchLength(samples, inputDim)];
        sweep.inputDim = inputDim;
        sweep.paddedWidth = p;
        sweep.width = layout.width;
        sweep.partials = partials;
        sweep.partialStride = samples;
        sweep.finite = finite;
    }

    @Override
    public String kernel() {
        return kernel.name();
    }

    @Override
    public double loss() {
        ensureResiduals();
        return loss;
    }

    @Override
    public double step(double lrOutput, double lrHidden) {
        ensureResiduals();
        run(x, r, samples, lrOutput, lrHidden, true, true, null, null, null);
        reduce(samples, nextF);
        double newLoss = StepsF32.lossOf(lossFunction, nextF, y, samples, null);
        rejectNonFinite(lrOutput, lrHidden, newLoss);
        swapParameters();
        double[] t = f;
        f = nextF;
        nextF = t;
        StepsF32.lossOf(lossFunction, f, y, samples, r);
        loss = newLoss;
        stepsTaken++;
        return newLoss;
    }

    @Override
    public double step(double lrOutput, double lrHidden, int[] indices, int count) {
        double batchLoss = batchForward(indices, count);
        run(batchX, batchR, count, lrOutput, lrHidden, true, false, null, null, null);
        rejectNonFinite(lrOutput, lrHidden, batchLoss);
        swapParameters();
        residualsCurrent = false;
        stepsTaken++;
        return batchLoss;
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
                batchX[i] = (float) inputs[start * inputDim + i];
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
    public void close() {
        team.close();
    }

    /** Residuals of the current parameters on the full set (stale after a batch step). */
    private void ensureResiduals() {
        if (!residualsCurrent) {
            forwardOnly(x, samples);
            reduce(samples, f);
            loss = StepsF32.lossOf(lossFunction, f, y, samples, r);
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
        return StepsF32.lossOf(lossFunction, batchF, batchY, count, batchR);
    }

    private void forwardOnly(float[] inputs, int count) {
        sweepOver(inputs, null, count, false, 0, 0, false, true, null, null, null);
    }

    /** A sweep with the backward pass: an update (forward of the next step if asked), or a gradient. */
    private void run(float[] inputs, float[] residuals, int count, double lrOutput, double lrHidden, boolean update,
                     boolean forward, double[] ga, double[] gw, double[] gb) {
        sweepOver(inputs, residuals, count, true, lrOutput, lrHidden, update, forward, ga, gw, gb);
    }

    /** Describes the sweep over the current parameters and runs it on the team, a task per chunk. */
    private void sweepOver(float[] inputs, float[] residuals, int count, boolean backward, double lrOutput,
                           double lrHidden, boolean update, boolean forward, double[] ga, double[] gw, double[] gb) {
        SweepF32 s = sweep;
        s.x = inputs;
        s.r = residuals;
        s.samples = count;
        s.a = a;
        s.w = w;
        s.b = b;
        s.newA = nextA;
        s.newW = nextW;
        s.newB = nextB;
        s.backward = backward;
        s.update = update;
        s.forward = forward;
        s.stepA = (float) (-lrOutput / count);
        s.stepW = (float) (-lrHidden / count);
        s.stepB = bias ? s.stepW : 0;
        s.gradA = ga;
        s.gradW = gw;
        s.gradB = gb;
        s.invSamples = 1.0 / count;
        java.util.Arrays.fill(finite, true);
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
                throw new NonFiniteStepException("step " + (stepsTaken + 1) + " with " + StepsF32.rates(lrOutput, lrHidden)
                        + " would make a parameter of neurons [" + layout.chunkStart(c) + ", "
                        + Math.min(layout.chunkEnd(c), layout.width) + ") non-finite; parameters kept at step "
                        + stepsTaken);
            }
        }
        if (!Double.isFinite(newLoss)) {
            throw new NonFiniteStepException("step " + (stepsTaken + 1) + " with " + StepsF32.rates(lrOutput, lrHidden)
                    + " would make the loss non-finite (" + newLoss + "); parameters kept at step " + stepsTaken);
        }
    }

    private void swapParameters() {
        float[] t = a;
        a = nextA;
        nextA = t;
        t = w;
        w = nextW;
        nextW = t;
        t = b;
        b = nextB;
        nextB = t;
    }
}
