package io.reluquant.kernel;

/**
 * The update rule a trainer's steps apply, inside the kernel: its state (velocity, moments) lives in
 * the engine's own padded layout and moves in the same pass that writes the parameters, so a step
 * costs about what plain SGD costs. Set it once on {@link Trainer.Builder#optimizer}; the learning
 * rate stays an argument of every step ({@link Trainer#step(double, int[])} and the rest), so a
 * schedule is the caller's loop. With a per-layer rate, lrOutput moves a and lrHidden moves w and b.
 *
 * <p>With g the gradient of the step's loss (dL/dp, as {@link Trainer#gradient} writes it) and lr the
 * step's rate, every parameter p (a, w and b; b stays 0 when bias is off) moves by:
 * <ul>
 *   <li>{@link #sgd()}: p = p - lr g (the kernel's plain step, bit for bit as without an optimizer);</li>
 *   <li>{@link #momentum(double, double)}: v = mu v + g, p = (1 - lr decay) p + (-lr) v, v starting
 *       at 0: the README's host loop (gradient, velocity, applyUpdate(scale, ...)) term for term;</li>
 *   <li>{@link #adamW(double, double, double, double)}: m = beta1 m + (1 - beta1) g,
 *       v = beta2 v + (1 - beta2) (g g), p = (1 - lr decay) p + (-lr) ((m / c1) / (sqrt(v / c2) + eps))
 *       with the bias corrections c1 = 1 - beta1^t, c2 = 1 - beta2^t at step t = 1, 2, ... (decoupled
 *       weight decay, Loshchilov and Hutter; the names of PyTorch's and DJL's AdamW).</li>
 * </ul>
 * Each operation is one rounding in the trainer's precision, in the order written (no fused
 * multiply-add), so in float64 a trainer gives the bits of the same formulas written on plain arrays
 * around {@link Trainer#gradient}. A rejected step ({@link NonFiniteStepException}) keeps the state
 * too; {@link Trainer#resetOptimizer()} sets it back to zero (and t to 0).
 */
public final class Optimizer {
    /** The rules. */
    public enum Kind {
        /** plain gradient descent */
        SGD,
        /** heavy-ball momentum with decoupled weight decay */
        MOMENTUM,
        /** Adam with bias correction and decoupled weight decay */
        ADAMW
    }

    private static final Optimizer SGD = new Optimizer(Kind.SGD, 0, 0, 0, 0, 0);

    private final Kind kind;
    private final double mu;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    private Optimizer(Kind kind, double mu, double beta1, double beta2, double eps, double weightDecay) {
        this.kind = kind;
        this.mu = mu;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** @return plain SGD, the default: no state */
    public static Optimizer sgd() {
        return SGD;
    }

    /**
     * Momentum SGD with decoupled weight decay: v = mu v + g, p = (1 - lr decay) p - lr v.
     *
     * @param mu the momentum, in [0, 1)
     * @param weightDecay the decay per unit of lr, finite and &gt;= 0 (0: none)
     * @return the optimizer (one velocity per parameter)
     * @throws IllegalArgumentException naming the argument and its value if one is out of range or NaN
     */
    public static Optimizer momentum(double mu, double weightDecay) {
        inUnitInterval("mu", mu);
        nonNegative("weightDecay", weightDecay);
        return new Optimizer(Kind.MOMENTUM, mu, 0, 0, 0, weightDecay);
    }

    /**
     * AdamW: Adam with bias correction and decoupled weight decay (formulas in the class comment).
     *
     * @param beta1 decay of the first moment, in [0, 1) (0.9 is usual)
     * @param beta2 decay of the second moment, in [0, 1) (0.999 is usual)
     * @param eps added to the root of the second moment, finite and &gt; 0 (1e-8 is usual)
     * @param weightDecay the decay per unit of lr, finite and &gt;= 0 (0.01 is usual)
     * @return the optimizer (two moments per parameter)
     * @throws IllegalArgumentException naming the argument and its value if one is out of range or NaN
     */
    public static Optimizer adamW(double beta1, double beta2, double eps, double weightDecay) {
        inUnitInterval("beta1", beta1);
        inUnitInterval("beta2", beta2);
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
        }
        nonNegative("weightDecay", weightDecay);
        return new Optimizer(Kind.ADAMW, 0, beta1, beta2, eps, weightDecay);
    }

    private static void inUnitInterval(String name, double value) {
        if (!(value >= 0 && value < 1)) { // NaN fails both
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
    }

    private static void nonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
    }

    /** @return which rule */
    public Kind kind() {
        return kind;
    }

    /** @return the momentum mu (0 unless {@link Kind#MOMENTUM}) */
    public double mu() {
        return mu;
    }

    /** @return beta1 (0 unless {@link Kind#ADAMW}) */
    public double beta1() {
        return beta1;
    }

    /** @return beta2 (0 unless {@link Kind#ADAMW}) */
    public double beta2() {
        return beta2;
    }

    /** @return eps (0 unless {@link Kind#ADAMW}) */
    public double eps() {
        return eps;
    }

    /** @return the decoupled weight decay (0 for SGD) */
    public double weightDecay() {
        return weightDecay;
    }

    /** @return state values per parameter: 0, 1 (velocity) or 2 (first and second moments) */
    public int stateValues() {
        return kind == Kind.SGD ? 0 : kind == Kind.MOMENTUM ? 1 : 2;
    }

    /**
     * @param parameters parameter values of the engine's buffers (padded)
     * @param valueBytes 4 or 8
     * @return bytes of the state: each value twice (the step writes the other buffer, so that a rejected
     *         step keeps the state)
     */
    long stateBytes(long parameters, int valueBytes) {
        return 2L * stateValues() * parameters * valueBytes;
    }

    @Override
    public String toString() {
        switch (kind) {
            case MOMENTUM:
                return "momentum(mu=" + mu + ", weightDecay=" + weightDecay + ")";
            case ADAMW:
                return "adamW(beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ", weightDecay=" + weightDecay + ")";
            default:
                return "sgd()";
        }
    }
}
