package io.reluquant.kernel.engine;

import io.reluquant.kernel.Loss;
import io.reluquant.kernel.NonFiniteStepException;
import io.reluquant.kernel.reference.Reference;

/** The naive reference behind the engine interface (Kernel.REFERENCE): slow, allocating, float64. */
public final class ReferenceEngine implements Engine {
    private final int inputDim;
    /** k; the k = 1 engine calls the reference's one-output methods (its spec, bit for bit as before) */
    private final int outputs;
    private final boolean bias;
    private final Loss lossFunction;
    private final double[] x;
    private final double[] y;
    private double[] a;
    private double[] w;
    private double[] b;
    private long stepsTaken;
    private io.reluquant.kernel.Optimizer optimizer = io.reluquant.kernel.Optimizer.sgd();
    /** the optimizer's state per parameter array (a, w, b): velocity or first moment, second moment */
    private double[][] first;
    private double[][] second;
    /** accepted steps since the optimizer's start or reset */
    private long optimizerSteps;

    /**
     * @param x inputs (n, d) row-major, shared
     * @param y targets (n), shared
     * @param inputDim d
     * @param a output weights (m), copied
     * @param w input weights (m, d) row-major, copied
     * @param b biases (m), copied
     * @param bias false to keep b at zero
     * @param loss the loss
     */
    public ReferenceEngine(double[] x, double[] y, int inputDim, double[] a, double[] w, double[] b, boolean bias, Loss loss) {
        this(x, y, inputDim, 1, a, w, b, bias, loss);
    }

    /**
     * @param x inputs (n, d) row-major, shared
     * @param y targets, shared: (n, k), or (n) class labels for SOFTMAX_CROSS_ENTROPY
     * @param inputDim d
     * @param outputs k
     * @param a output weights (m, k), copied
     * @param w input weights (m, d) row-major, copied
     * @param b biases (m), copied
     * @param bias false to keep b at zero
     * @param loss the loss
     */
    public ReferenceEngine(double[] x, double[] y, int inputDim, int outputs, double[] a, double[] w, double[] b,
                           boolean bias, Loss loss) {
        this.inputDim = inputDim;
        this.outputs = outputs;
        this.bias = bias;
        this.lossFunction = loss;
        this.x = x;
        this.y = y;
        this.a = a.clone();
        this.w = w.clone();
        this.b = b.clone();
    }

    @Override
    public double loss() {
        return lossAt(a, w, b, x, y);
    }

    private double lossAt(double[] pa, double[] pw, double[] pb, double[] xs, double[] ys) {
        return outputs == 1 ? Reference.loss(pa, pw, pb, inputDim, xs, ys, lossFunction)
                : Reference.loss(pa, pw, pb, inputDim, outputs, xs, ys, lossFunction);
    }

    private void gradientAt(double[] xs, double[] ys, double[] ga, double[] gw, double[] gb) {
        if (outputs == 1) {
            Reference.gradient(a, w, b, inputDim, xs, ys, lossFunction, ga, gw, gb);
        } else {
            Reference.gradient(a, w, b, inputDim, outputs, xs, ys, lossFunction, ga, gw, gb);
        }
    }

    @Override
    public double step(double lrOutput, double lrHidden) {
        return stepOn(lrOutput, lrHidden, x, y, true);
    }

    @Override
    public double step(double lrOutput, double lrHidden, int[] indices, int count) {
        double[][] batch = gather(indices, count);
        return stepOn(lrOutput, lrHidden, batch[0], batch[1], false);
    }

    private double stepOn(double lrOutput, double lrHidden, double[] xs, double[] ys, boolean lossAfter) {
        double before = lossAt(a, w, b, xs, ys);
        double[] na = a.clone();
        double[] nw = w.clone();
        double[] nb = b.clone();
        double[][] nextFirst = null;
        double[][] nextSecond = null;
        if (optimizer.kind() != io.reluquant.kernel.Optimizer.Kind.SGD) {
            // the gradient, then the optimizer's formulas on plain arrays (copies: a refused step keeps the state)
            double[] ga = new double[a.length];
            double[] gw = new double[w.length];
            double[] gb = new double[b.length];
            gradientAt(xs, ys, ga, gw, gb);
            nextFirst = new double[][] {first[0].clone(), first[1].clone(), first[2].clone()};
            nextSecond = second == null ? null : new double[][] {second[0].clone(), second[1].clone(), second[2].clone()};
            optimize(na, nextFirst, nextSecond, 0, ga, lrOutput);
            optimize(nw, nextFirst, nextSecond, 1, gw, lrHidden);
            if (bias) {
                optimize(nb, nextFirst, nextSecond, 2, gb, lrHidden);
            }
        } else if (outputs == 1) {
            Reference.step(na, nw, nb, inputDim, xs, ys, lossFunction, lrOutput, lrHidden, bias);
        } else {
            Reference.step(na, nw, nb, inputDim, outputs, xs, ys, lossFunction, lrOutput, lrHidden, bias);
        }
        double after = lossAfter ? lossAt(na, nw, nb, xs, ys) : before;
        if (!allFinite(na) || !allFinite(nw) || !allFinite(nb) || !Double.isFinite(after)) {
            throw new NonFiniteStepException("step " + (stepsTaken + 1) + " with lrOutput=" + lrOutput + ", lrHidden=" + lrHidden
                    + " would make the loss or a parameter non-finite; parameters kept at step " + stepsTaken);
        }
        a = na;
        w = nw;
        b = nb;
        if (nextFirst != null) {
            first = nextFirst;
            second = nextSecond;
            optimizerSteps++;
        }
        stepsTaken++;
        return after;
    }

    private void optimize(double[] p, double[][] m, double[][] v, int group, double[] g, double lr) {
        if (optimizer.kind() == io.reluquant.kernel.Optimizer.Kind.MOMENTUM) {
            Reference.momentumStep(p, m[group], g, lr, optimizer.mu(), optimizer.weightDecay());
        } else {
            Reference.adamWStep(p, m[group], v[group], g, lr, optimizer.beta1(), optimizer.beta2(), optimizer.eps(),
                    optimizer.weightDecay(), optimizerSteps + 1);
        }
    }

    @Override
    public void useOptimizer(io.reluquant.kernel.Optimizer rule) {
        optimizer = rule;
        first = rule.stateValues() >= 1 ? new double[][] {new double[a.length], new double[w.length], new double[b.length]} : null;
        second = rule.stateValues() >= 2 ? new double[][] {new double[a.length], new double[w.length], new double[b.length]} : null;
        optimizerSteps = 0;
    }

    @Override
    public void resetOptimizer() {
        useOptimizer(optimizer);
    }

    @Override
    public void copyOptimizerState(int moment, double[] outA, double[] outW, double[] outB) {
        double[][] state = moment == 0 ? first : second;
        System.arraycopy(state[0], 0, outA, 0, outA.length);
        System.arraycopy(state[1], 0, outW, 0, outW.length);
        System.arraycopy(state[2], 0, outB, 0, outB.length);
    }

    @Override
    public double gradient(double[] ga, double[] gw, double[] gb) {
        gradientAt(x, y, ga, gw, gb);
        return loss();
    }

    @Override
    public double gradient(int[] indices, int count, double[] ga, double[] gw, double[] gb) {
        double[][] batch = gather(indices, count);
        gradientAt(batch[0], batch[1], ga, gw, gb);
        return lossAt(a, w, b, batch[0], batch[1]);
    }

    @Override
    public void forward(double[] inputs, int q, double[] out) {
        double[] xs = java.util.Arrays.copyOf(inputs, q * inputDim);
        double[] f = outputs == 1 ? Reference.forward(a, w, b, inputDim, xs) : Reference.forward(a, w, b, inputDim, outputs, xs);
        System.arraycopy(f, 0, out, 0, q * outputs);
    }

    @Override
    public void copyParameters(double[] outA, double[] outW, double[] outB) {
        System.arraycopy(a, 0, outA, 0, a.length);
        System.arraycopy(w, 0, outW, 0, w.length);
        System.arraycopy(b, 0, outB, 0, b.length);
    }

    /**
     * @param samples n
     * @param inputDim d
     * @param width m
     * @return bytes the reference holds in float64: parameters, a step's copies and gradients, inputs and
     *         per-sample arrays; for the memory check before anything is allocated
     */
    public static long bytesNeeded(long samples, int inputDim, long width) {
        return Double.BYTES * (6 * width * (inputDim + 2) + 2 * samples * inputDim + 4 * samples);
    }

    /**
     * @param samples n
     * @param inputDim d
     * @param outputs k
     * @param width m
     * @return {@link #bytesNeeded(long, int, long)} with the k-vectors of a, f, r and y
     */
    public static long bytesNeeded(long samples, int inputDim, int outputs, long width) {
        return Double.BYTES * (6 * width * (inputDim + 1 + outputs) + 2 * samples * inputDim + 4 * samples * outputs);
    }

    @Override
    public void setParameters(double[] newA, double[] newW, double[] newB, float[] af, float[] wf, float[] bf) {
        for (int j = 0; j < a.length; j++) {
            a[j] = newA != null ? newA[j] : af[j];
        }
        for (int j = 0; j < b.length; j++) {
            b[j] = newB != null ? newB[j] : bf[j];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = newW != null ? newW[i] : wf[i];
        }
    }

    @Override
    public void addToParameters(double scale, double[] da, double[] dw, double[] db) {
        check("a", scale, a, da);
        check("w", scale, w, dw);
        check("b", scale, b, db);
        add(scale, a, da);
        add(scale, w, dw);
        add(scale, b, db);
    }

    /** Fails, naming the first parameter of p that scale * p + dp would make non-finite. */
    private static void check(String name, double scale, double[] p, double[] dp) {
        for (int i = 0; i < p.length; i++) {
            if (!Double.isFinite(scale * p[i] + dp[i])) {
                throw new IllegalArgumentException("d" + name + "[" + i + "] = " + dp[i] + " would make " + name + "[" + i
                        + "] = " + (scale == 1 ? "" : scale + " * ") + p[i] + " + d" + name + "[" + i
                        + "] non-finite; parameters unchanged");
            }
        }
    }

    private static void add(double scale, double[] p, double[] dp) {
        for (int i = 0; i < p.length; i++) {
            p[i] = scale * p[i] + dp[i];
        }
    }

    @Override
    public String kernel() {
        return "reference/float64";
    }

    @Override
    public void close() {
        // no threads
    }

    private double[][] gather(int[] indices, int count) {
        int t = lossFunction.targetsPerSample(outputs);
        double[] xs = new double[count * inputDim];
        double[] ys = new double[count * t];
        for (int q = 0; q < count; q++) {
            System.arraycopy(x, indices[q] * inputDim, xs, q * inputDim, inputDim);
            System.arraycopy(y, indices[q] * t, ys, q * t, t);
        }
        return new double[][] {xs, ys};
    }

    private static boolean allFinite(double[] v) {
        for (double e : v) {
            if (!Double.isFinite(e)) {
                return false;
            }
        }
        return true;
    }
}
