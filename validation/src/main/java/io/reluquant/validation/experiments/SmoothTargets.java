package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.measures.FunctionSpread;
import io.reluquant.validation.measures.Kinks;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.theory.FreeKnotSpline;
import io.reluquant.validation.theory.Race;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleUnaryOperator;

/**
 * The paper's open question (docs/THEORY.md section 8), asked in the theory's regime: what function does small-init GD
 * produce on n equispaced points of a smooth target, and how far is it from the best function of its own kind? A 1-D
 * network whose function has K kinks is a continuous piecewise-linear function with K knots, so the fair yardstick is
 * the best such function with K FREE knots fitted to the same points ({@link FreeKnotSpline}); the linear interpolant
 * of the points stays beside it as the classical reference (h^2/8 max abs f'' in sup).
 *
 * <p>Runs: balanced init at {@link #LAMBDA} (the theory's lambda -&gt; 0, far below the 1e-2 of the earlier version),
 * float64 on the fused kernel, one kernel thread, biases on, learning rate lr = {@link #GROWTH} n / abs(D_max) (the
 * fastest group grows by 10% a step whatever the target and n: README, "Choosing lr and the init scale"), width
 * {@link Config#width} (the theory's function does not depend on m; a width check at 5x is in the full size).
 *
 * <p>Stopping rule (fixed before the full run): the loss is read at check steps s = {@link #FIRST_CHECK} x 2^k and at
 * 0.9 s. A run is converged at the first check with s &gt;= {@link #MIN_HORIZON} s_1 (s_1: the first step with
 * L &lt; 0.99 L0, the end of the first alignment) at which the loss fell by less than {@link #FLAT} (relative) over the
 * last tenth of the steps. A run that reaches {@link Config#capFactor} s_1 without that is stopped and reported NOT
 * converged; summaries say how many seeds converged, and a slope over n uses only cells whose seeds all converged
 * (said next to it). A flat stretch of a tenth of the run can still be a plateau before a late escape (section 2): the
 * rule cannot exclude an escape later than the run, which is why the horizon is counted in units of s_1.
 *
 * <p>Per run: the kinks of the function on [-1, 1] ({@link Kinks}), the best K-knot spline on the training points
 * (started also from the network's own kinks, so it is never worse than GD's function on the training loss unless the
 * network's function has kinks the count left out), and sup and RMS errors against the target on {@link Config#heldOut}
 * cell midpoints of [-1, 1]. An experiment with a stated outcome, not a pre-registered claim: the description rule
 * ({@link #describe}) calls a cell "at the best spline of its kinks" when the mean training-loss ratio GD / spline is at
 * most {@link #SAME_FIT} and "an optimization gap" otherwise.
 */
public final class SmoothTargets {
    /** Init scale: the theory's small-init regime (phases separate like ln(1/lambda)). */
    public static final double LAMBDA = 1e-8;
    /** Per-step growth factor minus one of the fastest group at initialization: lr = GROWTH n / abs(D_max). */
    public static final double GROWTH = 0.1;
    /** First check step. */
    public static final long FIRST_CHECK = 1_024;
    /** Smallest horizon, in units of s_1 (the first escape's step). */
    public static final double MIN_HORIZON = 100;
    /** Converged: the loss fell by less than this relative amount over the last tenth of the steps. */
    public static final double FLAT = 1e-4;
    /**
     * The description rule: GD's function is "at the best spline of its kinks" when its training loss exceeds the best
     * K-knot spline's by at most this share of L0 (a ratio of losses is useless where K knots already fit the points
     * exactly, as at n = 5 with two kinks).
     */
    public static final double SAME_FIT = 1e-3;
    /** First seed of the balanced init draws. */
    public static final long FIRST_SEED = 8_200_001L;

    private SmoothTargets() {}

    /** A smooth target on [-1, 1]. */
    public enum Target {
        SIN3("sin(3x)", x -> Math.sin(3 * x)), EXP("exp(x)", Math::exp), SQUARE("x^2", x -> x * x),
        RUNGE("1/(1+25x^2)", x -> 1 / (1 + 25 * x * x));

        private final String label;
        private final DoubleUnaryOperator f;

        Target(String label, DoubleUnaryOperator f) {
            this.label = label;
            this.f = f;
        }

        /** @return the formula */
        public String label() {
            return label;
        }

        /** @return a file-name-safe name */
        public String slug() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the target at x */
        public double at(double x) {
            return f.applyAsDouble(x);
        }
    }

    /**
     * @param targets the targets
     * @param samples the n values
     * @param seeds seeds per (target, n)
     * @param width m
     * @param capFactor step cap in units of s_1
     * @param heldOut held-out cell midpoints of [-1, 1]
     * @param widthCheck a second width run once per target at {@link #WIDTH_CHECK_N} (0: none)
     * @param parallelRuns runs at once, one kernel thread each
     */
    public record Config(Target[] targets, int[] samples, int seeds, int width, double capFactor, int heldOut, int widthCheck,
            int parallelRuns) {
        public Config {
            if (targets == null || targets.length == 0) {
                throw new IllegalArgumentException("need at least one target");
            }
            if (samples == null || samples.length == 0) {
                throw new IllegalArgumentException("need at least one n");
            }
            for (int n : samples) {
                if (n < 3) {
                    throw new IllegalArgumentException("every n must be >= 3, got " + n);
                }
            }
            if (seeds < 1 || width < 1 || heldOut < 2 || parallelRuns < 1 || widthCheck < 0) {
                throw new IllegalArgumentException("seeds, width, parallelRuns >= 1, heldOut >= 2 and widthCheck >= 0, got " + seeds + ", "
                        + width + ", " + parallelRuns + ", " + heldOut + ", " + widthCheck);
            }
            if (!(capFactor >= MIN_HORIZON)) {
                throw new IllegalArgumentException("capFactor must be >= MIN_HORIZON = " + MIN_HORIZON + ", got " + capFactor);
            }
            targets = targets.clone();
            samples = samples.clone();
        }

        /** @return the CI size (seconds): three targets, n = 5, 10, 20, 2 seeds, m = 100 */
        public static Config quick() {
            return new Config(new Target[] {Target.SIN3, Target.EXP, Target.SQUARE}, new int[] {5, 10, 20}, 2, 100, 500, 400, 0, 2);
        }

        /** @return the report size: four targets, n = 5 .. 200, 5 seeds, m = 1000, a width check at m = 5000 */
        public static Config full() {
            return new Config(Target.values(), new int[] {5, 10, 20, 50, 100, 200}, 5, 1_000, 2000, 2000, 5_000, 2);
        }
    }

    /** n of the width check. */
    public static final int WIDTH_CHECK_N = 20;

    /**
     * One run.
     *
     * @param lr the learning rate used
     * @param steps steps taken
     * @param firstEscape s_1
     * @param converged whether the stopping rule was met before the cap
     * @param diverged whether a step would have made the loss non-finite
     * @param initialLoss L0
     * @param loss final training loss
     * @param lossBefore the loss at 0.9 of the steps
     * @param kinks the kinks on [-1, 1]
     * @param gdSup held-out sup error of the GD function
     * @param gdRms held-out RMS error
     * @param spline the best spline with as many knots as kinks
     * @param splineSup its held-out sup error
     * @param splineRms its held-out RMS error
     * @param fitted the GD function at the training points
     * @param gdGrid the GD function on the held-out grid
     */
    public record Run(Target target, int samples, int width, long seed, double lr, long steps, long firstEscape, boolean converged,
            boolean diverged, double initialLoss, double loss, double lossBefore, List<Kinks.Kink> kinks, double gdSup, double gdRms, FreeKnotSpline.Fit spline,
            double splineSup, double splineRms, double[] fitted, double[] gdGrid, double seconds) {
        /** @return K */
        public int kinkCount() {
            return kinks.size();
        }

        /** @return GD's training loss over the spline's (&gt;= 1 up to the fitter's tolerance; infinite where the spline fits exactly) */
        public double lossRatio() {
            return spline.loss() > 0 ? loss / spline.loss() : loss == 0 ? 1 : Double.POSITIVE_INFINITY;
        }

        /** @return (GD's training loss - the spline's) / L0: the share of the initial loss GD leaves above the best K-knot fit */
        public double excessLoss() {
            return (loss - spline.loss()) / initialLoss;
        }
    }

    /**
     * Over the seeds of one (target, n): means with 95% bootstrap intervals.
     *
     * @param converged how many seeds met the stopping rule
     * @param excessLoss (GD's training loss - the best K-knot spline's) / L0
     * @param interpSup the linear interpolant's held-out sup error
     * @param interpRms its RMS error
     * @param bound h^2/8 max abs f''
     * @param race the race's prediction from the data alone (docs/THEORY.md section 2): escapes, final plateau loss, trap
     * @param raceLossError max over seeds of abs(GD loss / race's last plateau loss - 1)
     * @param outcome the description rule's verdict
     */
    public record Cell(Target target, int samples, int seeds, int converged, int diverged, Stats.Interval gdSup, Stats.Interval gdRms,
            Stats.Interval kinks, Stats.Interval splineSup, Stats.Interval splineRms, Stats.Interval supRatio, Stats.Interval rmsRatio,
            Stats.Interval excessLoss, double interpSup, double interpRms, double bound, Race.Prediction race, double raceLossError,
            String outcome) {
        /** @return whether every seed converged */
        public boolean allConverged() {
            return converged == seeds;
        }
    }

    /** Log-log slopes against n of one target's cell means, over the cells whose seeds all converged. */
    public record Slopes(Target target, int cellsUsed, double gdSup, double splineSup, double interpSup, double kinks) {}

    /** @param statement the outcome in words */
    public record Result(Config config, List<Run> runs, List<Run> widthChecks, List<Cell> cells, List<Slopes> slopes, double[] gridX,
            String statement, double seconds) {
        /** @return the runs of one cell */
        public List<Run> runs(Target t, int n) {
            return runs.stream().filter(r -> r.target() == t && r.samples() == n).toList();
        }
    }

    /** @return n equispaced points of [-1, 1] */
    public static double[] equispaced(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1 + 2.0 * i / (n - 1);
        }
        return x;
    }

    /** @return q cell midpoints of [-1, 1] */
    public static double[] heldOut(int q) {
        double[] g = new double[q];
        for (int k = 0; k < q; k++) {
            g[k] = -1 + 2.0 * (k + 0.5) / q;
        }
        return g;
    }

    /** @return the target on n equispaced points */
    public static Dataset data(Target t, int n) {
        double[] x = equispaced(n);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = t.at(x[i]);
        }
        return Dataset.of(x, y, 1);
    }

    /**
     * abs(D_max) = max over unit directions u of abs(G(u)), G(u) = sum_i y_i relu(u . (x_i, 1)), by a scan of 2^16 angles
     * (the rate of the fastest group at initialization, docs/THEORY.md section 2).
     */
    public static double maxDrive(double[] x, double[] y) {
        int grid = 1 << 16;
        double best = 0;
        for (int k = 0; k < grid; k++) {
            double th = 2 * Math.PI * k / grid;
            double c = Math.cos(th);
            double s = Math.sin(th);
            double g = 0;
            for (int i = 0; i < x.length; i++) {
                double z = c * x[i] + s;
                if (z > 0) {
                    g += y[i] * z;
                }
            }
            best = Math.max(best, Math.abs(g));
        }
        return best;
    }

    /** Runs every target at every n and seed, then the width check. */
    public static Result run(Config c) {
        long start = System.nanoTime();
        double[] gridX = heldOut(c.heldOut());
        List<Callable<Run>> tasks = new ArrayList<>();
        for (Target t : c.targets()) {
            for (int n : c.samples()) {
                for (int s = 0; s < c.seeds(); s++) {
                    long seed = FIRST_SEED + s;
                    tasks.add(() -> one(t, n, c.width(), seed, c.capFactor(), gridX));
                }
            }
        }
        List<Callable<Run>> checks = new ArrayList<>();
        if (c.widthCheck() > 0) {
            for (Target t : c.targets()) {
                checks.add(() -> one(t, WIDTH_CHECK_N, c.widthCheck(), FIRST_SEED, c.capFactor(), gridX));
            }
        }
        List<Run> runs = FairContrast.all(tasks, c.parallelRuns());
        List<Run> widthChecks = checks.isEmpty() ? List.of() : FairContrast.all(checks, c.parallelRuns());
        List<Cell> cells = new ArrayList<>();
        for (Target t : c.targets()) {
            for (int n : c.samples()) {
                List<Run> rs = runs.stream().filter(r -> r.target() == t && r.samples() == n).toList();
                cells.add(cell(t, n, rs, gridX, Race.predict(data(t, n), true, rs.get(0).lr(), ClaimCriteria.race())));
            }
        }
        List<Slopes> slopes = new ArrayList<>();
        for (Target t : c.targets()) {
            List<Cell> cs = cells.stream().filter(x -> x.target() == t && x.allConverged()).toList();
            double[] n = cs.stream().mapToDouble(Cell::samples).toArray();
            slopes.add(new Slopes(t, cs.size(), FunctionSpread.logLogSlope(n, cs.stream().mapToDouble(x -> x.gdSup().estimate()).toArray()),
                    FunctionSpread.logLogSlope(n, cs.stream().mapToDouble(x -> x.splineSup().estimate()).toArray()),
                    FunctionSpread.logLogSlope(n, cs.stream().mapToDouble(Cell::interpSup).toArray()),
                    FunctionSpread.logLogSlope(n, cs.stream().mapToDouble(x -> x.kinks().estimate()).toArray())));
        }
        return new Result(c, runs, widthChecks, cells, slopes, gridX, describe(cells, slopes), (System.nanoTime() - start) * 1e-9);
    }

    /** Trains one network by the stopping rule and measures it. */
    public static Run one(Target t, int n, int width, long seed, double capFactor, double[] gridX) {
        long t0 = System.nanoTime();
        Dataset data = data(t, n);
        double[] x = equispaced(n);
        double[] y = data.targets();
        double lr = GROWTH * n / maxDrive(x, y);
        Parameters p = Initializers.balanced(width, 1, LAMBDA, seed, true);
        double l0 = Double.NaN;
        long steps = 0;
        long firstEscape = -1;
        boolean converged = false;
        boolean diverged = false;
        double loss = Double.NaN;
        double before = Double.NaN;
        long check = FIRST_CHECK;
        while (true) {
            long mark = Math.round(0.9 * check);
            Training.Run a = Training.run(data, p, Training.Settings.single(lr, mark - steps, Precision.FLOAT64, 1));
            if (Double.isNaN(l0)) {
                l0 = a.initialLoss();
            }
            firstEscape = firstEscape >= 0 ? firstEscape : escape(a, steps, l0);
            Training.Run b = a.diverged() ? a : Training.run(data, a.end().parameters(), Training.Settings.single(lr, check - mark, Precision.FLOAT64, 1));
            firstEscape = firstEscape >= 0 ? firstEscape : escape(b, mark, l0);
            if (a.diverged() || b.diverged()) {
                diverged = true;
                p = b.end().parameters();
                // Training counts the steps of each chunk from 0
                steps = a.diverged() ? steps + a.end().step() : mark + b.end().step();
                loss = b.end().loss();
                before = a.end().loss();
                break;
            }
            p = b.end().parameters();
            steps = check;
            before = a.end().loss();
            loss = b.end().loss();
            boolean flat = before - loss < FLAT * before;
            if (firstEscape >= 0 && steps >= MIN_HORIZON * firstEscape && flat) {
                converged = true;
                break;
            }
            // the cap counts from s_1 when known, else from the first check (no escape yet: keep going to the cap)
            double s1 = firstEscape >= 0 ? firstEscape : FIRST_CHECK / 10.0;
            if (2 * check > capFactor * s1) {
                break;
            }
            check *= 2;
        }
        Neurons net = Neurons.of(p, true);
        List<Kinks.Kink> kinks = Kinks.of(net, -1, 1);
        FreeKnotSpline.Fit spline = FreeKnotSpline.fit(x, y, kinks.size(), List.of(Kinks.positions(kinks)));
        double[] f = net.evaluate(gridX);
        double[] s = spline.at(gridX);
        double[] e = errors(t, gridX, f);
        double[] es = errors(t, gridX, s);
        return new Run(t, n, width, seed, lr, steps, firstEscape, converged, diverged, l0, loss, before, kinks, e[0], e[1], spline, es[0], es[1],
                net.evaluate(x), f, (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * The same trained function judged against other training targets or another knot count: the controls of the
     * description rule (a mutated target, a wrong kink count) must be able to change its outcome. The held-out errors
     * stay those against the run's own target.
     *
     * @param y targets at the run's training points
     * @param knots the knot count of the yardstick
     */
    public static Run rejudge(Run r, double[] y, int knots) {
        double[] x = equispaced(r.samples());
        if (y.length != x.length) {
            throw new IllegalArgumentException("y has " + y.length + " values for n = " + x.length);
        }
        double sse = 0;
        double l0 = 0;
        for (int i = 0; i < x.length; i++) {
            sse += (r.fitted()[i] - y[i]) * (r.fitted()[i] - y[i]);
            l0 += y[i] * y[i];
        }
        FreeKnotSpline.Fit spline = FreeKnotSpline.fit(x, y, knots, knots == r.kinkCount() ? List.of(Kinks.positions(r.kinks())) : List.of());
        return new Run(r.target(), r.samples(), r.width(), r.seed(), r.lr(), r.steps(), r.firstEscape(), r.converged(), r.diverged(),
                l0 / (2.0 * x.length), sse / (2.0 * x.length), r.lossBefore(), r.kinks(), r.gdSup(), r.gdRms(), spline, r.splineSup(), r.splineRms(),
                r.fitted(), r.gdGrid(), r.seconds());
    }

    /** @return the first recorded step (offset by {@code base}) with L &lt; 0.99 L0, or -1 */
    private static long escape(Training.Run r, long base, double l0) {
        for (int i = 0; i < r.curveSteps().length; i++) {
            if (r.curveLoss()[i] < 0.99 * l0) {
                return base + r.curveSteps()[i];
            }
        }
        return -1;
    }

    /** @return {sup, RMS} of f - target over the grid */
    public static double[] errors(Target t, double[] gridX, double[] f) {
        double sup = 0;
        double sq = 0;
        for (int k = 0; k < gridX.length; k++) {
            double e = Math.abs(f[k] - t.at(gridX[k]));
            sup = Math.max(sup, e);
            sq += e * e;
        }
        return new double[] {sup, Math.sqrt(sq / gridX.length)};
    }

    /** @return the piecewise-linear interpolant of (xs, ys) (xs increasing) at x */
    public static double interpolate(double[] xs, double[] ys, double x) {
        int lo = 0;
        int hi = xs.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] <= x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double s = (x - xs[lo]) / (xs[hi] - xs[lo]);
        return ys[lo] + s * (ys[hi] - ys[lo]);
    }

    /** Summarises the seeds of one (target, n), beside the race's prediction for it. */
    public static Cell cell(Target t, int n, List<Run> rs, double[] gridX, Race.Prediction race) {
        double[] x = equispaced(n);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = t.at(x[i]);
        }
        double[] interp = new double[gridX.length];
        double maxCurv = 0;
        for (int k = 0; k < gridX.length; k++) {
            interp[k] = interpolate(x, y, gridX[k]);
            // f'' by a central difference of step 1e-4 (error ~1e-8 relative for these targets)
            double hh = 1e-4;
            maxCurv = Math.max(maxCurv, Math.abs(t.at(gridX[k] + hh) - 2 * t.at(gridX[k]) + t.at(gridX[k] - hh)) / (hh * hh));
        }
        double[] ie = errors(t, gridX, interp);
        double h = 2.0 / (n - 1);
        Stats.Interval excess = Stats.bootstrapMean(rs.stream().mapToDouble(Run::excessLoss).toArray());
        return new Cell(t, n, rs.size(), (int) rs.stream().filter(Run::converged).count(), (int) rs.stream().filter(Run::diverged).count(),
                Stats.bootstrapMean(rs.stream().mapToDouble(Run::gdSup).toArray()), Stats.bootstrapMean(rs.stream().mapToDouble(Run::gdRms).toArray()),
                Stats.bootstrapMean(rs.stream().mapToDouble(Run::kinkCount).toArray()),
                Stats.bootstrapMean(rs.stream().mapToDouble(Run::splineSup).toArray()),
                Stats.bootstrapMean(rs.stream().mapToDouble(Run::splineRms).toArray()),
                Stats.bootstrapMean(rs.stream().mapToDouble(r -> r.gdSup() / r.splineSup()).toArray()),
                Stats.bootstrapMean(rs.stream().mapToDouble(r -> r.gdRms() / r.splineRms()).toArray()), excess, ie[0], ie[1],
                h * h / 8 * maxCurv, race, rs.stream().mapToDouble(r -> Math.abs(r.loss() / raceLoss(race) - 1)).max().orElse(Double.NaN),
                outcome(excess.estimate()));
    }

    /** @return the loss of the race's last plateau (L0 when it predicts no escape) */
    public static double raceLoss(Race.Prediction p) {
        return p.phases().isEmpty() ? p.initialLoss() : p.phases().get(p.phases().size() - 1).loss();
    }

    /** The description rule: at the best spline of its kinks when GD's mean excess loss is at most {@link #SAME_FIT} L0. */
    public static String outcome(double meanExcessLoss) {
        return meanExcessLoss <= SAME_FIT ? "at the best spline of its kinks" : "optimization gap";
    }

    /** The outcome in words, computed from the cells and slopes. */
    public static String describe(List<Cell> cells, List<Slopes> slopes) {
        StringBuilder sb = new StringBuilder();
        long same = cells.stream().filter(c -> c.outcome().startsWith("at the best")).count();
        long conv = cells.stream().filter(Cell::allConverged).count();
        sb.append(String.format(Locale.ROOT, "%d of %d cells at the best free-knot spline of their own kink count (excess training loss <= %.0e L0), "
                + "%d with an optimization gap; %d of %d cells with every seed converged. ", same, cells.size(), SAME_FIT, cells.size() - same,
                conv, cells.size()));
        for (Slopes s : slopes) {
            List<Cell> cs = cells.stream().filter(c -> c.target() == s.target()).toList();
            Cell last = cs.get(cs.size() - 1);
            double kMin = cs.stream().mapToDouble(c -> c.kinks().estimate()).min().orElse(Double.NaN);
            double kMax = cs.stream().mapToDouble(c -> c.kinks().estimate()).max().orElse(Double.NaN);
            sb.append(String.format(Locale.ROOT, "%s: mean kink count %.1f to %.1f over n = %d..%d; at n = %d GD's sup error %.2e is %.1fx the "
                    + "best %.1f-knot spline's and %.1fx the interpolant's (excess training loss %.3f L0; %d/%d seeds converged)",
                    s.target().label(), kMin, kMax, cs.get(0).samples(), last.samples(), last.samples(), last.gdSup().estimate(),
                    last.supRatio().estimate(), last.kinks().estimate(), last.gdSup().estimate() / last.interpSup(), last.excessLoss().estimate(),
                    last.converged(), last.seeds()));
            if (s.cellsUsed() >= 2) {
                sb.append(String.format(Locale.ROOT, "; over the %d fully converged n: GD sup ~ n^%.2f, spline sup ~ n^%.2f, interpolant sup ~ n^%.2f. ",
                        s.cellsUsed(), s.gdSup(), s.splineSup(), s.interpSup()));
            } else {
                sb.append("; fewer than two fully converged n, no slope. ");
            }
        }
        return sb.toString().trim();
    }
}
