// GENERATED from OptimizerF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.sweep;

import io.reluquant.kernel.Optimizer;

/**
 * The in-kernel optimizer of one float64 engine: its state in the engine's own padded layout (one
 * array per parameter array a, w, b, indexed as the parameter is), in two buffers like the parameters
 * (a step reads the current state and writes the next; {@link #accept()} swaps them, so a rejected
 * step keeps both), and the one piece of scalar code every scalar kernel calls where it would move a
 * parameter ({@link #move}). The vector kernels call {@link VectorOptimizerF64}, the same formulas on
 * vectors. The formulas are those of {@link Optimizer}, each operation rounded once to float64 in the
 * order written there (no fused multiply-add), so the vector and scalar code give the same bits.
 *
 * <p>The engine fills the step's constants in ({@link #prepare}) before each pass; during the pass the
 * worker threads only read them and write the state of their own neurons, so the results are the
 * same for every thread count.
 */
public final class OptimizerF64 {
    /** parameter groups, the first index of the state arrays */
    public static final int A = 0, W = 1, B = 2;
    /** kinds */
    public static final int MOMENTUM = 1, ADAMW = 2;

    public final int kind;
    private final double mu, beta1, beta2, eps, weightDecay;

    /** 1/n of the pass: the gradient is coefficient x sum x invN, as the gradient output computes it */
    public double invN;
    /** per group: 1 - lr weightDecay */
    public final double[] scale = new double[3];
    /** per group: -lr */
    public final double[] negLr = new double[3];
    /** per group: true where the parameters stay as they are (b without bias: stays 0, state stays 0) */
    public final boolean[] frozen = new boolean[3];
    /** momentum; AdamW's beta1, 1 - beta1, beta2, 1 - beta2, bias corrections c1, c2 and eps */
    public double momentum, b1, oneMinusB1, b2, oneMinusB2, c1, c2, epsilon;
    /** current state (velocity, or AdamW's first moment) and the buffer a step writes; per group */
    public final double[][] first = new double[3][], firstNext = new double[3][];
    /** AdamW's second moment (null for momentum) and the buffer a step writes; per group */
    public final double[][] second = new double[3][], secondNext = new double[3][];
    /** accepted steps since the start or the last reset (AdamW's t before the step being taken) */
    public long steps;

    /**
     * @param optimizer the rule (not SGD)
     * @param aLength length of the engine's a buffer
     * @param wLength length of its w buffer
     * @param bLength length of its b buffer
     * @param bias false: b stays 0
     */
    public OptimizerF64(Optimizer optimizer, int aLength, int wLength, int bLength, boolean bias) {
        this.kind = optimizer.kind() == Optimizer.Kind.MOMENTUM ? MOMENTUM : ADAMW;
        this.mu = optimizer.mu();
        this.beta1 = optimizer.beta1();
        this.beta2 = optimizer.beta2();
        this.eps = optimizer.eps();
        this.weightDecay = optimizer.weightDecay();
        int[] lengths = {aLength, wLength, bLength};
        for (int g = 0; g < 3; g++) {
            first[g] = new double[lengths[g]];
            firstNext[g] = new double[lengths[g]];
            if (kind == ADAMW) {
                second[g] = new double[lengths[g]];
                secondNext[g] = new double[lengths[g]];
            }
        }
        frozen[B] = !bias;
    }

    /** The constants of a step with these rates over {@code count} samples (step t = steps + 1). */
    public void prepare(double lrOutput, double lrHidden, int count) {
        invN = (double) (1.0 / count);
        scale[A] = (double) (1 - lrOutput * weightDecay);
        scale[W] = (double) (1 - lrHidden * weightDecay);
        scale[B] = scale[W];
        negLr[A] = (double) -lrOutput;
        negLr[W] = (double) -lrHidden;
        negLr[B] = negLr[W];
        momentum = (double) mu;
        b1 = (double) beta1;
        oneMinusB1 = (double) (1 - beta1);
        b2 = (double) beta2;
        oneMinusB2 = (double) (1 - beta2);
        c1 = (double) (1 - Math.pow(beta1, steps + 1));
        c2 = (double) (1 - Math.pow(beta2, steps + 1));
        epsilon = (double) eps;
    }

    /** A step was accepted: the state it wrote becomes the current one. */
    public void accept() {
        swap(first, firstNext);
        if (kind == ADAMW) {
            swap(second, secondNext);
        }
        steps++;
    }

    /** State back to zero, t back to 0. */
    public void reset() {
        for (int g = 0; g < 3; g++) {
            java.util.Arrays.fill(first[g], (double) 0);
            if (kind == ADAMW) {
                java.util.Arrays.fill(second[g], (double) 0);
            }
        }
        steps = 0;
    }

    private static void swap(double[][] current, double[][] next) {
        for (int g = 0; g < 3; g++) {
            double[] t = current[g];
            current[g] = next[g];
            next[g] = t;
        }
    }

    /**
     * One parameter of group {@code group} at index {@code at} of its array: reads the current state
     * there, writes the next state there.
     *
     * @param p the parameter before the step
     * @param gradient dL/dp of the step
     * @return the parameter after the step
     */
    public double move(int group, int at, double p, double gradient) {
        if (frozen[group]) {
            return p;
        }
        if (kind == MOMENTUM) {
            double v = momentum * first[group][at] + gradient;
            firstNext[group][at] = v;
            return scale[group] * p + negLr[group] * v;
        }
        double m = b1 * first[group][at] + oneMinusB1 * gradient;
        double v = b2 * second[group][at] + oneMinusB2 * (gradient * gradient);
        firstNext[group][at] = m;
        secondNext[group][at] = v;
        return scale[group] * p + negLr[group] * ((m / c1) / ((double) Math.sqrt(v / c2) + epsilon));
    }
}
