// GENERATED from TwoBufferEngineF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.engine;

import io.reluquant.kernel.Loss;
import io.reluquant.kernel.NonFiniteStepException;
import io.reluquant.kernel.Optimizer;
import io.reluquant.kernel.sweep.OptimizerF64;

/**
 * What both float64 engines share around their passes: the parameters in two buffers (a step writes
 * the other one and the buffers swap only when the step is accepted, so a rejected step leaves the
 * current parameters untouched), the outputs f of the current parameters and of the step being
 * taken, the worker team, the step count and the messages of a rejected step.
 */
abstract class TwoBufferEngineF64 implements Engine {
    final String kernelName;
    final Team team;
    final Loss lossFunction;
    final boolean bias;
    final int samples;
    final int inputDim;
    /** k, the network's outputs: a holds k values per neuron ({@link #outputAt}), f and the residuals k per sample */
    final int outputs;
    final double[] y;
    /** k outputs: one sample's residuals in float64 before rounding (no allocation per step) */
    private final double[] residualRow;

    double[] a, w, b;
    double[] nextA, nextW, nextB;
    double[] f;
    double[] nextF;
    /** the full-batch loss of the current parameters, valid while residualsCurrent */
    double loss;
    boolean residualsCurrent;
    long stepsTaken;
    /** the in-kernel optimizer's state, or null for plain SGD */
    OptimizerF64 optimizer;

    /**
     * @param kernelName the kernel's name, e.g. "vector-512/float64"
     * @param neurons parameters a and b per buffer (the padded width)
     * @param weights parameters w per buffer
     * @param outputs length of f (the samples, padded as the engine's layout needs)
     * @param y targets (n), copied
     * @param inputDim d
     * @param bias false to keep b at zero
     * @param loss the loss whose derivative the residuals are
     * @param threads team size
     * @param threadFactory makes the team's workers, or null for the default daemon threads
     */
    TwoBufferEngineF64(String kernelName, int neurons, int weights, int outputs, double[] y, int inputDim, boolean bias,
                       Loss loss, int threads, java.util.concurrent.ThreadFactory threadFactory) {
        this(kernelName, neurons, neurons, weights, outputs, 1, y, inputDim, bias, loss, threads, threadFactory);
    }

    /**
     * With k outputs: a holds {@code outputWeights} values per buffer, f {@code fLength}, y is (n, k) or
     * (n) class labels ({@link Loss#targetsPerSample}).
     */
    TwoBufferEngineF64(String kernelName, int neurons, int outputWeights, int weights, int fLength, int k, double[] y,
                       int inputDim, boolean bias, Loss loss, int threads, java.util.concurrent.ThreadFactory threadFactory) {
        this.kernelName = kernelName;
        this.outputs = k;
        this.residualRow = new double[k];
        this.samples = y.length / loss.targetsPerSample(k);
        this.inputDim = inputDim;
        this.bias = bias;
        this.lossFunction = loss;
        this.y = y.clone();
        this.a = new double[outputWeights];
        this.b = new double[neurons];
        this.w = new double[weights];
        this.nextA = new double[outputWeights];
        this.nextB = new double[neurons];
        this.nextW = new double[weights];
        this.f = new double[fLength];
        this.nextF = new double[fLength];
        this.team = new Team(threads, threadFactory);
    }

    /** Points the engine's sweep at the optimizer, so that its kernel's update runs it. */
    abstract void attach(OptimizerF64 state);

    @Override
    public final void useOptimizer(Optimizer rule) {
        // state in the layout of the parameter buffers, padding included (it stays 0 there, as the padding does)
        optimizer = rule.kind() == Optimizer.Kind.SGD ? null : new OptimizerF64(rule, a.length, w.length, b.length, bias);
        attach(optimizer);
    }

    @Override
    public final void resetOptimizer() {
        if (optimizer != null) {
            optimizer.reset();
        }
    }

    @Override
    public final void copyOptimizerState(int moment, double[] outA, double[] outW, double[] outB) {
        double[][] state = moment == 0 ? optimizer.first : optimizer.second;
        int ko = outputs;
        int d = inputDim;
        for (int j = 0; j < neurons(); j++) {
            for (int c = 0; c < ko; c++) {
                outA[j * ko + c] = state[OptimizerF64.A][outputAt(j, c)];
            }
            outB[j] = state[OptimizerF64.B][j];
            for (int k = 0; k < d; k++) {
                outW[j * d + k] = state[OptimizerF64.W][weightAt(j, k)];
            }
        }
    }

    /** Brings f, the residuals and the loss up to date with the current parameters on the full set. */
    abstract void ensureResiduals();

    /** @return m, the real neurons (the buffers hold the padded width) */
    abstract int neurons();

    /** @return where input weight k of neuron j sits in the padded layout of w */
    abstract int weightAt(int j, int k);

    /** @return where output weight c of neuron j sits in the padded layout of a (j for one output) */
    int outputAt(int j, int c) {
        return j;
    }

    /**
     * The loss of outputs f (count samples, k each) against the targets and, when residualsOut is not
     * null, the residuals rounded to float64.
     */
    final double lossOf(double[] outputsF, double[] targets, int count, double[] residualsOut) {
        return outputs == 1 ? StepsF64.lossOf(lossFunction, outputsF, targets, count, residualsOut)
                : StepsF64.lossOf(lossFunction, outputsF, targets, count, outputs, residualsOut, residualRow);
    }

    /**
     * to = scale * from + dw for the real input weights (dw in the public layout), in the order of the
     * engine's layout; padding untouched. @return whether every result is finite
     */
    abstract boolean updateWeights(double scale, double[] dw, double[] from, double[] to);

    @Override
    public final void setParameters(double[] newA, double[] newW, double[] newB,
                                    float[] narrowA, float[] narrowW, float[] narrowB) { // as-is
        // the same rounding as the constructors: one cast from the caller's storage; padding stays zero
        int m = neurons();
        int d = inputDim;
        int ko = outputs;
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < ko; c++) {
                a[outputAt(j, c)] = (double) (newA != null ? newA[j * ko + c] : narrowA[j * ko + c]);
            }
            b[j] = (double) (newB != null ? newB[j] : narrowB[j]);
            for (int k = 0; k < d; k++) {
                w[weightAt(j, k)] = (double) (newW != null ? newW[j * d + k] : narrowW[j * d + k]);
            }
        }
        residualsCurrent = false;
    }

    @Override
    public final void addToParameters(double scale, double[] da, double[] dw, double[] db) {
        // one pass in the engine's layout order, writing the other buffer; the buffers swap only when
        // every sum is finite, so a rejected update changes nothing. Padding is never written: it is
        // zero in both buffers.
        int m = neurons();
        int d = inputDim;
        double[] na = nextA;
        double[] nw = nextW;
        double[] nb = nextB;
        boolean finite = true;
        int ko = outputs;
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < ko; c++) {
                int at = outputAt(j, c);
                double x = (double) (scale * a[at] + da[j * ko + c]);
                na[at] = x;
                finite &= Double.isFinite(x);
            }
            double z = (double) (scale * b[j] + db[j]);
            nb[j] = z;
            finite &= Double.isFinite(z);
        }
        finite &= updateWeights(scale, dw, w, nw);
        if (!finite) {
            // find the first offender for the message (the slow path of a refused update only)
            for (int j = 0; j < m; j++) {
                for (int c = 0; c < ko; c++) {
                    checkSum("a", j * ko + c, scale, a[outputAt(j, c)], da[j * ko + c]);
                }
                checkSum("b", j, scale, b[j], db[j]);
                for (int k = 0; k < d; k++) {
                    checkSum("w", j * d + k, scale, w[weightAt(j, k)], dw[j * d + k]);
                }
            }
        }
        nextA = a;
        nextW = w;
        nextB = b;
        a = na;
        w = nw;
        b = nb;
        residualsCurrent = false;
    }

    private static void checkSum(String name, int i, double scale, double p, double dp) {
        if (!Double.isFinite((double) (scale * p + dp))) {
            throw new IllegalArgumentException("d" + name + "[" + i + "] = " + dp + " would make " + name + "[" + i + "] = "
                    + (scale == 1 ? "" : scale + " * ") + p + " + d" + name + "[" + i + "] non-finite in float64;"
                    + " parameters unchanged");
        }
    }

    @Override
    public final String kernel() {
        return kernelName;
    }

    @Override
    public final double loss() {
        ensureResiduals();
        return loss;
    }

    @Override
    public final void close() {
        team.close();
    }

    /**
     * Accepts a full-batch step whose parameters are in the next buffers and whose outputs are in nextF.
     *
     * @param newLoss the loss at the new parameters
     * @param residuals receives the residuals of the new parameters
     * @return newLoss
     */
    final double acceptFullBatch(double newLoss, double[] residuals) {
        swapParameters();
        double[] t = f;
        f = nextF;
        nextF = t;
        lossOf(f, y, samples, residuals);
        loss = newLoss;
        stepsTaken++;
        return newLoss;
    }

    /**
     * Accepts a step on a batch: the full-set residuals are stale after it.
     *
     * @param batchLoss the batch's loss before the step
     * @return batchLoss
     */
    final double acceptBatch(double batchLoss) {
        swapParameters();
        residualsCurrent = false;
        stepsTaken++;
        return batchLoss;
    }

    /** @return the exception of a step that would make a parameter of neurons [from, to) non-finite */
    final NonFiniteStepException nonFiniteNeurons(double lrOutput, double lrHidden, int from, int to) {
        return new NonFiniteStepException("step " + (stepsTaken + 1) + " with " + StepsF64.rates(lrOutput, lrHidden)
                + " would make a parameter of neurons [" + from + ", " + to + ") non-finite; parameters kept at step "
                + stepsTaken);
    }

    /** @return the exception of a step that would make the loss non-finite */
    final NonFiniteStepException nonFiniteLoss(double lrOutput, double lrHidden, double newLoss) {
        return new NonFiniteStepException("step " + (stepsTaken + 1) + " with " + StepsF64.rates(lrOutput, lrHidden)
                + " would make the loss non-finite (" + newLoss + "); parameters kept at step " + stepsTaken);
    }

    private void swapParameters() {
        if (optimizer != null) {
            optimizer.accept(); // a step of the kernel (not applyUpdate, which swaps only the parameters)
        }
        double[] t = a;
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
