package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.measures.FunctionSpread;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import io.reluquant.validation.theory.PhaseOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Finitely many functions, whatever the width (docs/THEORY.md section 2), over
 * {@link Claims#SEEDS} seeds per width on the five-point data: small init trained for a
 * set number of steps, and the PyTorch-default contrast ({@link Initializers#pytorchDefault(int, int, long)}, NTK rates)
 * trained down to the same seed's small-init loss (equal loss). Measured per width:
 * <ol>
 * <li>on the data: the number of distinct vectors of fitted values, at a tolerance of
 *     {@link Claims#DISTINCT_TOLERANCE_FACTOR} times the convergence level (the largest
 *     sup motion of small-init fitted values over the last {@link Claims#CONVERGENCE_WINDOW}
 *     of the run);</li>
 * <li>off the data: the median pairwise sup distance between seeds' functions on a fine grid of
 *     [-1.2, 1.2], and its log-log slope against m;</li>
 * <li>the share of the curvature mass |a||w| whose kink -b/w lies within 0.01 of a data point.</li>
 * </ol>
 */
public final class FunctionCount {
    private FunctionCount() {}

    /**
     * @param widths widths m
     * @param seeds seeds per width and init (seeds 1..seeds)
     * @param lambda small init scale
     * @param lr small-init learning rate
     * @param smallSteps small-init steps
     * @param contrastCap step cap of the contrast
     * @param parallelRuns runs at once, one kernel thread each
     */
    public record Config(int[] widths, int seeds, double lambda, double lr, long smallSteps, long contrastCap, int parallelRuns) {
        public Config {
            if (widths == null || widths.length < 2) {
                throw new IllegalArgumentException("need at least two widths for a slope, got " + java.util.Arrays.toString(widths));
            }
            if (seeds < 2) {
                throw new IllegalArgumentException("seeds must be >= 2, got " + seeds);
            }
        }

        /** @return the CI size: widths 1e2 and 1e3, 10 seeds */
        public static Config quick() {
            return new Config(new int[] {100, 1_000}, 10, 1e-4, 0.02, 20_000, 50_000, 2);
        }

        /** @return the report size: widths 1e2, 1e3, 1e4, 20 seeds */
        public static Config full() {
            return new Config(new int[] {100, 1_000, 10_000}, Claims.SEEDS, 1e-4, 0.02, 20_000, 100_000, 2);
        }
    }

    /**
     * One trained network.
     *
     * @param small small init (else the contrast)
     * @param width m
     * @param seed the init seed
     * @param loss final loss
     * @param reached whether the contrast reached the small-init loss of its seed (true for small init)
     * @param steps steps taken
     * @param fitted f on the training points
     * @param motion sup motion of the fitted values over the last part of the run (small init; NaN for the contrast)
     * @param grid f on the fine grid
     * @param kinkNear curvature mass within 0.01 of a data point
     * @param kinkTotal total curvature mass
     * @param end the trained parameters
     */
    public record Run(boolean small, int width, long seed, double loss, boolean reached, long steps, double[] fitted, double motion,
            double[] grid, double kinkNear, double kinkTotal, Parameters end) {}

    /**
     * Per init and width.
     *
     * @param distinct distinct vectors of fitted values at the tolerance
     * @param spread median pairwise sup distance on the grid
     * @param kinkShare pooled over seeds: curvature mass near data / total
     * @param minKinkShare the smallest share of one seed
     * @param reachedAll whether every contrast seed reached equal loss
     */
    public record Summary(boolean small, int width, int distinct, double spread, double kinkShare, double minKinkShare, boolean reachedAll) {}

    /**
     * @param gridX the fine grid
     * @param tolerance the distinctness tolerance
     * @param convergence the convergence level it came from
     * @param predictedCount the number of attractors at initialization
     * @param smallSlope log-log slope of the small-init spread against m
     * @param contrastSlope the contrast's
     */
    public record Result(Config config, List<Run> runs, List<Summary> summaries, double[] gridX, double tolerance, double convergence,
            int predictedCount, double smallSlope, double contrastSlope, double seconds) {
        /** @return the summary of that init and width */
        public Summary summary(boolean small, int width) {
            return summaries.stream().filter(s -> s.small() == small && s.width() == width).findFirst().orElseThrow();
        }

        /** @return the runs of that init and width */
        public List<Run> runs(boolean small, int width) {
            return runs.stream().filter(r -> r.small() == small && r.width() == width).toList();
        }
    }

    /** @return the fine grid of [-1.2, 1.2] */
    public static double[] grid() {
        int q = Claims.GRID_POINTS;
        double h = Claims.GRID_HALF_WIDTH;
        double[] x = new double[q];
        for (int i = 0; i < q; i++) {
            x[i] = -h + 2 * h * i / (q - 1);
        }
        return x;
    }

    /** Trains every seed at every width, small init first, then the contrast at each seed's small-init loss. */
    public static Result run(Config c) {
        long start = System.nanoTime();
        Dataset data = DataSets.fivePoint();
        double[] gx = grid();
        List<Callable<Run>> small = new ArrayList<>();
        for (int m : c.widths()) {
            for (long seed = 1; seed <= c.seeds(); seed++) {
                long sd = seed;
                small.add(() -> small(data, m, sd, c, gx));
            }
        }
        List<Run> runs = new ArrayList<>(FairContrast.all(small, c.parallelRuns()));
        List<Callable<Run>> contrast = new ArrayList<>();
        for (Run s : new ArrayList<>(runs)) {
            double target = Math.max(s.loss(), Claims.LOSS_FLOOR);
            contrast.add(() -> contrast(data, s.width(), s.seed(), target, c, gx));
        }
        runs.addAll(FairContrast.all(contrast, c.parallelRuns()));
        double convergence = 0;
        for (Run r : runs) {
            if (r.small()) {
                convergence = Math.max(convergence, r.motion());
            }
        }
        double tol = Math.max(Claims.DISTINCT_TOLERANCE_FACTOR * convergence, Claims.DISTINCT_TOLERANCE_FLOOR);
        List<Summary> summaries = new ArrayList<>();
        double[] widths = new double[c.widths().length];
        double[][] spreads = new double[2][c.widths().length];
        for (int k = 0; k < c.widths().length; k++) {
            int m = c.widths()[k];
            widths[k] = m;
            for (boolean isSmall : new boolean[] {true, false}) {
                List<Run> rs = runs.stream().filter(r -> r.small() == isSmall && r.width() == m).toList();
                double near = 0;
                double total = 0;
                double minShare = 1;
                boolean reached = true;
                for (Run r : rs) {
                    near += r.kinkNear();
                    total += r.kinkTotal();
                    minShare = Math.min(minShare, r.kinkNear() / r.kinkTotal());
                    reached &= r.reached();
                }
                double spread = FunctionSpread.medianPairwiseSupDistance(rs.stream().map(Run::grid).toList());
                spreads[isSmall ? 0 : 1][k] = spread;
                summaries.add(new Summary(isSmall, m, FunctionSpread.distinctCount(rs.stream().map(Run::fitted).toList(), tol), spread,
                        near / total, minShare, reached));
            }
        }
        int predicted = Attractors.predict(AugmentedInputs.of(data, true), data.targets()).size();
        Result result = new Result(c, runs, summaries, gx, tol, convergence, predicted, FunctionSpread.logLogSlope(widths, spreads[0]),
                FunctionSpread.logLogSlope(widths, spreads[1]), (System.nanoTime() - start) * 1e-9);
        return result;
    }

    private static Run small(Dataset data, int m, long seed, Config c, double[] gx) {
        Parameters init = Initializers.balanced(m, 1, c.lambda(), seed, true);
        long before = Math.round(c.smallSteps() * (1 - Claims.CONVERGENCE_WINDOW));
        Training.Run r = Training.run(data, init, Training.Settings.single(c.lr(), c.smallSteps(), Precision.FLOAT64, 1).withSnapshots(before));
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        double[] earlier = Neurons.of(r.snapshots().get(0).parameters(), true).outputs(xt);
        return measure(true, data, m, seed, r, FunctionSpread.supDistance(earlier, Neurons.of(r.end().parameters(), true).outputs(xt)), gx);
    }

    private static Run contrast(Dataset data, int m, long seed, double target, Config c, double[] gx) {
        Parameters init = Initializers.pytorchDefault(m, 1, seed);
        NtkScaling.Rates rates = NtkScaling.rates(data, init);
        Training.Run r = Training.run(data, init, Training.Settings.single(c.lr(), c.contrastCap(), Precision.FLOAT64, 1)
                .withRates(rates.output(), rates.hidden()).withTarget(target));
        return measure(false, data, m, seed, r, Double.NaN, gx);
    }

    private static Run measure(boolean small, Dataset data, int m, long seed, Training.Run r, double motion, double[] gx) {
        Neurons net = Neurons.of(r.end().parameters(), true);
        double[] fitted = net.outputs(AugmentedInputs.of(data, true));
        double[] kink = FunctionSpread.curvatureMassNearData(net, data.inputs(), Claims.KINK_DISTANCE);
        return new Run(small, m, seed, r.end().loss(), r.reachedTarget() && !r.diverged(), r.end().step(), fitted, motion,
                net.evaluate(gx), kink[0], kink[1], r.end().parameters());
    }

    /**
     * The verdicts of the three measures, each with its control measured in the same row: a claim about small init has the
     * contrast as its control and the reverse; a row passes when its init meets the criterion and the control does not.
     */
    public static List<Claims.Verdict> judge(Result r) {
        List<Claims.Verdict> out = new ArrayList<>();
        int[] widths = r.config().widths();
        int seeds = r.config().seeds();
        StringBuilder smallCounts = new StringBuilder("small init: ");
        StringBuilder contrastCounts = new StringBuilder("contrast: ");
        boolean smallFew = true;
        boolean contrastFew = true;
        boolean smallAll = true;
        boolean contrastAll = true;
        for (int m : widths) {
            Summary s = r.summary(true, m);
            Summary c = r.summary(false, m);
            smallCounts.append(String.format(Locale.ROOT, "m=%d: %d; ", m, s.distinct()));
            contrastCounts.append(String.format(Locale.ROOT, "m=%d: %d (equal loss %s); ", m, c.distinct(), c.reachedAll() ? "yes" : "NO"));
            smallFew &= s.distinct() <= r.predictedCount();
            contrastFew &= c.distinct() <= r.predictedCount();
            smallAll &= s.distinct() == seeds;
            contrastAll &= c.distinct() == seeds && c.reachedAll();
        }
        String tolerance = String.format(Locale.ROOT, "tolerance %.2e (convergence level %.2e)", r.tolerance(), r.convergence());
        out.add(Claims.FUNCTIONS_SMALL.about(seeds).predicting(r.predictedCount())
                .judge(smallCounts + "control " + contrastCounts + tolerance, smallFew && !contrastFew, equalLoss(r)));
        out.add(Claims.FUNCTIONS_CONTRAST.about(seeds).judge(contrastCounts + "control " + smallCounts + tolerance, contrastAll && !smallAll,
                equalLoss(r)));
        out.add(oracleVerdict(r, tolerance));
        String slopes = String.format(Locale.ROOT, "small init %sslope %.3f; contrast %sslope %.3f", spreads(r, true), r.smallSlope(),
                spreads(r, false), r.contrastSlope());
        out.add(Claims.SPREAD_SMALL.judge(slopes,
                r.smallSlope() <= Claims.SPREAD_SLOPE_SMALL_MAX && !(r.contrastSlope() <= Claims.SPREAD_SLOPE_SMALL_MAX), equalLoss(r)));
        out.add(Claims.SPREAD_CONTRAST.judge(slopes,
                r.contrastSlope() >= Claims.SPREAD_SLOPE_CONTRAST_MIN && !(r.smallSlope() >= Claims.SPREAD_SLOPE_CONTRAST_MIN), equalLoss(r)));
        StringBuilder kinks = new StringBuilder();
        boolean smallAt = true;
        boolean contrastAt = true;
        boolean smallAnywhere = true;
        boolean contrastAnywhere = true;
        for (int m : widths) {
            Summary s = r.summary(true, m);
            Summary c = r.summary(false, m);
            kinks.append(String.format(Locale.ROOT, "m=%d: small %.4f (min seed %.4f), contrast %.4f; ", m, s.kinkShare(), s.minKinkShare(),
                    c.kinkShare()));
            smallAt &= s.kinkShare() >= Claims.KINK_SHARE_SMALL_MIN;
            contrastAt &= c.kinkShare() >= Claims.KINK_SHARE_SMALL_MIN;
            smallAnywhere &= s.kinkShare() <= Claims.KINK_SHARE_CONTRAST_MAX;
            contrastAnywhere &= c.kinkShare() <= Claims.KINK_SHARE_CONTRAST_MAX;
        }
        out.add(Claims.KINKS_SMALL.judge(kinks.toString().trim(), smallAt && !contrastAt, equalLoss(r)));
        out.add(Claims.KINKS_CONTRAST.judge(kinks.toString().trim(), contrastAnywhere && !smallAnywhere, equalLoss(r)));
        return out;
    }

    /**
     * @return the moment of the contrast against small init: each contrast seed is trained to its small-init seed's loss; the
     *     pair farthest apart (relative) stands for all
     */
    static Claims.Moment equalLoss(Result r) {
        WorstMoment worst = new WorstMoment(Claims.Moment.NONE);
        for (Run c : r.runs()) {
            if (c.small()) {
                continue;
            }
            Run s = r.runs().stream().filter(q -> q.small() && q.width() == c.width() && q.seed() == c.seed()).findFirst().orElse(null);
            if (s != null) {
                worst.losses(Math.max(s.loss(), Claims.LOSS_FLOOR), c.loss());
            }
        }
        return worst.moment();
    }

    /**
     * The verdict on {@link Claims#FUNCTIONS_ORACLE}: each small-init seed's fitted values against the final P_J y that
     * {@link PhaseOracle} predicts from the data alone (the plateau reached within the run's horizon), the contrast's seeds
     * as the control.
     */
    static Claims.Verdict oracleVerdict(Result r, String tolerance) {
        PhaseOracle.Prediction p = PhaseOracle.predict(DataSets.fivePoint(), true, r.config().lambda(), r.config().lr(), r.config().smallSteps(),
                ClaimCriteria.phases());
        if (p.phases().isEmpty()) {
            return Claims.FUNCTIONS_ORACLE.about(r.config().seeds()).judge("the oracle predicts no plateau within the horizon", false,
                    equalLoss(r));
        }
        double[] predicted = p.phases().get(p.phases().size() - 1).fitted();
        StringBuilder sb = new StringBuilder();
        boolean smallMatch = true;
        boolean contrastMatch = true;
        for (int m : r.config().widths()) {
            int s = 0;
            int c = 0;
            int ns = 0;
            int nc = 0;
            double worst = 0;
            for (Run q : r.runs(true, m)) {
                double d = Stats.supDistance(q.fitted(), predicted);
                worst = Math.max(worst, d);
                s += d <= r.tolerance() ? 1 : 0;
                ns++;
            }
            for (Run q : r.runs(false, m)) {
                c += Stats.supDistance(q.fitted(), predicted) <= r.tolerance() ? 1 : 0;
                nc++;
            }
            smallMatch &= ns > 0 && s >= Claims.PHASE_SEED_SHARE * ns;
            contrastMatch &= nc > 0 && c >= Claims.PHASE_SEED_SHARE * nc;
            sb.append(String.format(Locale.ROOT, "m=%d: small %d/%d (worst sup %.1e), contrast %d/%d; ", m, s, ns, worst, c, nc));
        }
        return Claims.FUNCTIONS_ORACLE.about(r.config().seeds()).judge(sb + "predicted loss " + String.format(Locale.ROOT, "%.4g; ",
                p.phases().get(p.phases().size() - 1).loss()) + tolerance, smallMatch && !contrastMatch, equalLoss(r));
    }

    private static String spreads(Result r, boolean small) {
        StringBuilder sb = new StringBuilder();
        for (int m : r.config().widths()) {
            sb.append(String.format(Locale.ROOT, "m=%d: %.3e; ", m, r.summary(small, m).spread()));
        }
        return sb.toString();
    }
}
