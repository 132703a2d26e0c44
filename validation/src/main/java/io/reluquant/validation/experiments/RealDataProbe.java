package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import io.reluquant.validation.measures.LinearClassifier;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The quantization effect on real, high-dimensional data (a two-class cut of Fashion-MNIST, d = 784):
 * the set-up of the runs. Trains from balanced small init at several widths and from the contrast
 * regimes of docs/THEORY.md section 3, and measures ({@link RealDataMoment}) at the end of the alignment
 * phase and at a loss common to all runs. Shared by the test and by the report so both measure the same
 * thing; the results and their verdicts are {@link RealDataResult}.
 *
 * <p>Equal loss. The widest small-init run trains for the set number of steps; its end loss L* is the
 * target of every other run, which stops at the first step with L &lt;= L* (or at its step cap, and its
 * row says so). Two reasons, both from the theory: regimes are compared at equal loss, never after a
 * fixed number of steps (section 3); and small-init training is a sequence of plateaus whose losses
 * ||(I - P_J) y||^2 / (2n) are set by the data, while the time spent on each depends on the mass the
 * init happened to put in each basin, which differs from width to width (section 2). At one step count
 * two widths can therefore sit on different plateaus (measured on t-shirt/top vs trouser: a cluster splits
 * at step ~950 at m = 1e3 and after step 1000 at m = 1e4), and their N_eff differ for that reason only;
 * at one loss they sit on the same plateau.
 *
 * <p>End of alignment. The first step with L0 - L &gt; 1e-4 L0, the theory's "before the escape"
 * (section 4): self-consistency u || D_sigma(u) holds during the alignment phase, where r = -y. Once the
 * heaviest cluster starts fitting, the residual on its own sector changes by f = c (u . x~_i), which
 * turns D_sigma by -c X_sigma^T X_sigma u, not along u; the direction follows with a lag. Measured on
 * shirt vs pullover at m = 1e3 (float32 and float64 alike): the heaviest cluster (99% of the mass) has
 * |cos| = 0.9999 at L0 - L = 1e-4 L0, 0.997 at 5e-3 and 0.988 at 1e-2. The moment at L = 0.99 L0 (where
 * the other experiments put the end of alignment) is measured too and shown beside it.
 */
public final class RealDataProbe {
    /** The alignment phase ends at the first step with L0 - L above this fraction of L0 (THEORY.md section 4). */
    public static final double ALIGNMENT_DROP = 1e-4;
    /** Narrower small-init runs get up to this many times the widest run's steps to reach its end loss. */
    public static final int CATCH_UP = 2;

    private RealDataProbe() {}

    /** The training loss (docs/THEORY.md section 1); its residual is n dL/df per sample. */
    public enum Objective {
        /** L = (1/(2n)) sum_i (f(x_i) - y_i)^2, residual f - y; d^2L/df^2 = 1. */
        SQUARE(Loss.SQUARE, 1),
        /** L = (1/n) sum_i log(1 + exp(-y_i f(x_i))), residual -y sigmoid(-y f); targets +-1; d^2L/df^2 = p (1 - p) &lt;= 1/4. */
        LOGISTIC(Loss.LOGISTIC, 0.25);

        private final Loss loss;
        private final double maxCurvature;

        Objective(Loss loss, double maxCurvature) {
            this.loss = loss;
            this.maxCurvature = maxCurvature;
        }

        /** @return the largest second derivative of the per-sample loss in f */
        public double maxCurvature() {
            return maxCurvature;
        }

        /** @return the residual r_i (n times dL/df(x_i)) that drives the first layer: D_sigma = -sum r_i x~_i */
        double[] residuals(double[] f, double[] y) {
            double[] r = new double[f.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = loss.residual(f[i], y[i]);
            }
            return r;
        }
    }

    /** How the network starts. */
    public enum Regime {
        /** Balanced init at the small scale lambda: quantization expected. */
        SMALL("balanced small"),
        /** Balanced init at lambda = 1 (mean-field scale, phases not separated). */
        LARGE("balanced lambda=1"),
        /** PyTorch default: w, b ~ U(+-1/sqrt(d)), a ~ U(+-1/sqrt(m)); the bias random. */
        STANDARD("standard (PyTorch default)"),
        /**
         * Balanced init at {@link Claims#CONTROL_LAMBDA} doubled with a -&gt; -a ({@link ContrastInits#balancedAntisymmetric}) with
         * the small-init rate: f = 0 at the start, so L0 and the end of alignment are small init's, but at d = 784 this scale puts
         * |v_j|^2 = lambda^2 (d + 1) / m, and the phases do not separate (the N_eff claims' control). Without the doubling, f0 at
         * this scale moved L0 by up to 6% and one step by 11% (measured at m = 3e3), too far for a matched moment.
         */
        CONTROL("balanced lambda=1e-1, f0 = 0 (control)");

        private final String label;

        Regime(String label) {
            this.label = label;
        }

        /** @return the name in the report */
        public String label() {
            return label;
        }
    }

    /**
     * @param widths widths of the small-init runs
     * @param smallLambda lambda of the small init
     * @param loss the training loss
     * @param lr learning rates of the small-init runs (the contrasts get per-block rates from the Gauss-Newton traces)
     * @param steps GD steps of the widest small-init run, whose end loss is every other run's target
     * @param contrastWidth width of the contrast runs (0: none)
     * @param contrastSteps most steps of a contrast run; it stops earlier when it reaches the target loss
     * @param seed init seed
     * @param precision kernel precision
     * @param threads kernel threads
     */
    public record Settings(int[] widths, double smallLambda, Objective loss, LearningRates lr, long steps, int contrastWidth,
            long contrastSteps, long seed, Precision precision, int threads) {
        public Settings {
            widths = widths.clone();
            if (widths.length == 0) {
                throw new IllegalArgumentException("widths must not be empty");
            }
            for (int m : widths) {
                if (m < 1) {
                    throw new IllegalArgumentException("widths must be >= 1, got " + m);
                }
            }
            if (!(smallLambda > 0) || steps < 1 || contrastWidth < 0 || contrastSteps < 1 || threads < 1) {
                throw new IllegalArgumentException("smallLambda > 0, steps >= 1, contrastWidth >= 0, contrastSteps >= 1, threads >= 1; got "
                        + smallLambda + ", " + steps + ", " + contrastWidth + ", " + contrastSteps + ", " + threads);
            }
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }
    }

    /**
     * Trains one network on {@code train} and measures it.
     *
     * @param steps most GD steps; for the run that sets the target, the steps after which it stops as soon as its loss is at
     *        or below the lowest it had before (so that a transient loss spike is not taken for L*), within {@link #CATCH_UP}
     *        times {@code steps}
     * @param target stop at the first step with L &lt;= target (NaN: this run sets the target)
     */
    public static RealDataResult.Run run(Dataset train, Dataset test, Regime regime, int width, Settings s, long steps, double target) {
        return run(train, test, regime, width, s, steps, target, -1);
    }

    /**
     * The same, with the end-of-alignment measures taken at a given step instead of by the loss rule (the N_eff control is read
     * at the step where small init of its width ended its alignment: a matched time, since at lambda = 1e-1 one step can take
     * the loss 18% down, past any matched loss).
     *
     * @param readAt the step of the alignment measures (negative: the first step with L0 - L &gt; 1e-4 L0)
     */
    public static RealDataResult.Run run(Dataset train, Dataset test, Regime regime, int width, Settings s, long steps, double target,
            long readAt) {
        int d = train.inputDim();
        Parameters init = switch (regime) {
            case SMALL -> Initializers.balanced(width, d, s.smallLambda(), s.seed(), true);
            case LARGE -> Initializers.balanced(width, d, 1, s.seed(), true);
            case STANDARD -> Initializers.pytorchDefault(width, d, s.seed());
            case CONTROL -> ContrastInits.balancedAntisymmetric(width, d, Claims.CONTROL_LAMBDA, s.seed());
        };
        double lambda = switch (regime) {
            case SMALL -> s.smallLambda();
            case LARGE -> 1;
            case STANDARD -> Double.NaN;
            case CONTROL -> Claims.CONTROL_LAMBDA;
        };
        // the control's hidden block is lambda^2 (d + 1) heavy: the small-init rate, capped by the contrasts' stability rule (the
        // traces are a pass over n x m x d, so small init, which never needs them, does not compute them)
        LearningRates lr = switch (regime) {
            case SMALL -> s.lr();
            case CONTROL -> s.lr().atMost(LearningRates.fromGaussNewtonTraces(train, init, s.loss().maxCurvature()));
            case LARGE, STANDARD -> LearningRates.fromGaussNewtonTraces(train, init, s.loss().maxCurvature());
        };
        AugmentedInputs xt = AugmentedInputs.of(train, true);
        long start = System.nanoTime();
        long[] measureNanos = {0};
        try (Trainer t = Trainer.builder(train, init).loss(s.loss().loss).precision(s.precision()).bias(true).kernel(Kernel.AUTO)
                .threads(s.threads()).build()) {
            double l0 = t.loss();
            // the small init has an alignment phase; the contrasts start with f = O(1) and have none; the control starts at
            // f = 0 and is read at the same moments as small init
            boolean phases = regime == Regime.SMALL || regime == Regime.CONTROL;
            RealDataMoment[] moments = new RealDataMoment[2]; // end of alignment, L = 0.99 L0
            double[] levels = {(1 - ALIGNMENT_DROP) * l0, Training.ALIGNMENT_FRACTION * l0};
            long[] reached = {-1};
            boolean setsTarget = Double.isNaN(target);
            double[] best = {Double.POSITIVE_INFINITY};
            lr.steps(t, setsTarget ? CATCH_UP * steps : steps, (step, loss) -> {
                for (int k = 0; k < 2 && phases; k++) {
                    boolean now = k == 0 && readAt >= 0 ? step == readAt : loss < levels[k];
                    if (moments[k] == null && now) {
                        long pause = System.nanoTime();
                        moments[k] = RealDataMoment.of(t, step, loss, train, xt, s.loss());
                        measureNanos[0] += System.nanoTime() - pause;
                    }
                }
                if (loss <= target && reached[0] < 0) {
                    reached[0] = step;
                }
                if (reached[0] >= 0 && (readAt < 0 || moments[0] != null)) {
                    return false;
                }
                if (setsTarget && step >= steps && loss <= best[0]) {
                    return false;
                }
                best[0] = Math.min(best[0], loss);
                return true;
            });
            double seconds = (System.nanoTime() - start - measureNanos[0]) / 1e9;
            RealDataMoment end = RealDataMoment.of(t, t.stepsTaken(), t.loss(), train, xt, s.loss());
            return new RealDataResult.Run(regime, width, lambda, lr, l0, target, reached[0], moments[0], moments[1], end,
                    RealDataMoment.accuracy(t, train), RealDataMoment.accuracy(t, test), seconds);
        }
    }

    /**
     * Runs the small-init widths, widest first (its end loss is the target L*: after {@code s.steps()} steps, at the first
     * step whose loss is at or below all before it), then the narrower ones, the N_eff control at every width and the two
     * contrasts at {@code s.contrastWidth()}, each until it reaches L*.
     */
    public static RealDataResult probe(Dataset train, Dataset test, Settings s, Consumer<String> log) {
        long t0 = System.nanoTime();
        int[] widths = s.widths();
        Arrays.sort(widths);
        RealDataResult.Run widest = run(train, test, Regime.SMALL, widths[widths.length - 1], s, s.steps(), Double.NaN);
        log.accept(widest.describe());
        double target = widest.end().loss();
        List<RealDataResult.Run> small = new ArrayList<>(List.of(widest));
        for (int i = widths.length - 2; i >= 0; i--) {
            RealDataResult.Run r = run(train, test, Regime.SMALL, widths[i], s, CATCH_UP * s.steps(), target);
            log.accept(r.describe());
            small.add(r);
        }
        small.sort(Comparator.comparingInt(RealDataResult.Run::width));
        // the N_eff claims' control: every small-init width again from lambda = 1e-1, read at the end of alignment and at L*
        List<RealDataResult.Run> controls = new ArrayList<>();
        for (RealDataResult.Run sm : small) {
            long at = sm.alignment() == null ? Long.MAX_VALUE : sm.alignment().step();
            RealDataResult.Run r = run(train, test, Regime.CONTROL, sm.width(), s, CATCH_UP * s.steps(), target, at);
            log.accept(r.describe());
            controls.add(r);
        }
        List<RealDataResult.Run> contrasts = new ArrayList<>();
        if (s.contrastWidth() > 0) {
            for (Regime regime : new Regime[] {Regime.LARGE, Regime.STANDARD}) {
                RealDataResult.Run r = run(train, test, regime, s.contrastWidth(), s, s.contrastSteps(), target);
                log.accept(r.describe());
                contrasts.add(r);
            }
        }
        // a contrast or a control width short of L*: small init at its width read where its loss first falls to the one it
        // reached (the same deterministic trajectory as the widest run, cut earlier), if that loss is below (1 - CONTRAST_MIN_DROP) L0
        List<RealDataResult.Run> matched = new ArrayList<>();
        List<RealDataResult.Run> shortOfTarget = new ArrayList<>(contrasts);
        shortOfTarget.addAll(controls);
        for (RealDataResult.Run c : shortOfTarget) {
            if (!c.atEqualLoss() && c.end().loss() < (1 - Claims.CONTRAST_MIN_DROP) * widest.initialLoss()) {
                RealDataResult.Run r = run(train, test, Regime.SMALL, c.width(), s, CATCH_UP * s.steps(), c.end().loss());
                log.accept("small init at the loss of " + c.regime().label() + " (m = " + c.width() + "): " + r.describe());
                matched.add(r);
            }
        }
        return new RealDataResult(small, contrasts, target, LinearClassifier.testAccuracy(train, test), (System.nanoTime() - t0) / 1e9,
                matched, controls);
    }
}
