package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.measures.Basins;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Per-attractor alignment and the spread law on the pre-registered fresh data sets ({@link Claims#fresh1d},
 * {@link Claims#fresh2d}): data no test and no tuning run has seen, n from 20 to 200, several init seeds each. The
 * measurement is {@link AttractorAlignment}'s (float64, m = 1e4, the last step with L0 - L &lt;= 1e-4 L0); the control
 * reads the same network at the same step against the attractors of the permuted targets. Which attractors are held to
 * the criteria is the pre-registered rule ({@link Claims#FRESH_RATE_RATIO}, {@link Claims#FRESH_MIN_BASIN_NEURONS}).
 */
public final class FreshAlignment {
    private FreshAlignment() {}

    /** The two families. */
    public static final String ONE_D = "random 1-D";
    /** The 2-D teacher family. */
    public static final String TWO_D = "2-D teacher";

    /**
     * One run.
     *
     * @param family {@link #ONE_D} or {@link #TWO_D}
     * @param set the fresh set's index
     * @param n its size
     * @param m the measurement (its report against the set's attractors, its control against the permuted targets')
     */
    public record Run(String family, int set, int n, AttractorAlignment.Measurement m) {}

    /**
     * @param quick the CI-size variant
     * @param sets per family, the number of fresh sets run
     * @param seeds init seeds per set
     * @param runs every run
     * @param seconds wall time
     * @param dataSeeds per family, the data seed of each set (a run's set indexes it); empty for the first registration, whose
     *     sets are {@link Claims#fresh1d} and {@link Claims#fresh2d} by index
     */
    public record Result(boolean quick, int sets, int seeds, List<Run> runs, double seconds, Map<String, List<Long>> dataSeeds) {
        public Result {
            runs = List.copyOf(runs);
            dataSeeds = Map.copyOf(dataSeeds);
        }

        /** A result of the first registration. */
        public Result(boolean quick, int sets, int seeds, List<Run> runs, double seconds) {
            this(quick, sets, seeds, runs, seconds, Map.of());
        }
    }

    /** @return sets per family of the variant */
    public static int sets(boolean quick) {
        return quick ? Claims.FRESH_SETS_QUICK : Claims.FRESH_SETS;
    }

    /** @return init seeds per set of the variant */
    public static int seeds(boolean quick) {
        return quick ? Claims.FRESH_INIT_SEEDS_QUICK : Claims.FRESH_INIT_SEEDS;
    }

    /** @return whether fresh set i runs the spread law's init scales too */
    static boolean spreadSet(boolean quick, int i) {
        if (quick) {
            return i == 0;
        }
        for (int k : Claims.SPREAD_LAW_FRESH_SETS) {
            if (k == i) {
                return true;
            }
        }
        return false;
    }

    /** @return fresh set i of the family */
    public static Dataset data(String family, int i) {
        return family.equals(ONE_D) ? Claims.fresh1d(i) : Claims.fresh2d(i);
    }

    /**
     * Runs the experiment, {@code parallel} runs at once with one kernel thread each.
     *
     * @param quick the CI-size variant
     * @param parallel runs at once
     * @return the runs
     */
    public static Result run(boolean quick, int parallel) {
        return run(quick, sets(quick), seeds(quick), parallel);
    }

    /** As {@link #run(boolean, int)} with the sets and seeds given (a test's). */
    public static Result run(boolean quick, int sets, int seeds, int parallel) {
        long t0 = System.nanoTime();
        List<Callable<Run>> tasks = new ArrayList<>();
        for (String family : new String[] {ONE_D, TWO_D}) {
            for (int i = 0; i < sets; i++) {
                Dataset d = data(family, i);
                AugmentedInputs xt = AugmentedInputs.of(d, true);
                double[] y = d.targets();
                Basins basins = new Basins(xt, y, Attractors.predict(xt, y));
                Basins control = AttractorAlignment.permutedBasins(xt, y);
                AttractorAlignment.Data named = new AttractorAlignment.Data(family + " #" + i, d);
                int set = i;
                double[] lambdas = spreadSet(quick, i) ? Claims.SPREAD_LAW_FRESH_LAMBDAS : new double[] {Claims.ALIGNMENT_SMALL_LAMBDA};
                int ownSeeds = spreadSet(quick, i) ? seeds : Math.min(seeds, quick ? seeds : Claims.FRESH_INIT_SEEDS_OTHER);
                for (long seed = 1; seed <= ownSeeds; seed++) {
                    for (double lambda : lambdas) {
                        long sd = seed;
                        tasks.add(() -> new Run(family, set, d.samples(), AttractorAlignment.measure(named, basins, control,
                                Claims.ALIGNMENT_WIDE, lambda, sd, Precision.FLOAT64, 1, Claims.FRESH_STRIDED ? Claims.CONTROL_NEURON_STRIDE : 1)));
                    }
                }
            }
        }
        List<Run> runs = FairContrast.all(tasks, parallel);
        return new Result(quick, sets, seeds, List.copyOf(runs), (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * The spread law's second registration: per family the first {@link Claims#SPREAD_SECOND_SETS} sets of
     * {@link Claims#SPREAD_SECOND_N} samples, in seed order from {@link Claims#SPREAD_SECOND_FIRST_SEED_1D} (2-D:
     * {@link Claims#SPREAD_SECOND_FIRST_SEED_2D}), whose predicted attractors hold one the slope-1 control can be judged on
     * ({@link #holdsSlowAttractor}). Chosen from the data alone, before any run.
     *
     * @param family {@link #ONE_D} or {@link #TWO_D}
     * @param count sets wanted
     * @return the kept sets' seeds, in order (fewer than count when {@link Claims#SPREAD_SECOND_MAX_TRIES} seeds hold fewer)
     */
    public static List<Long> secondSpreadSeeds(String family, int count) {
        long first = family.equals(ONE_D) ? Claims.SPREAD_SECOND_FIRST_SEED_1D : Claims.SPREAD_SECOND_FIRST_SEED_2D;
        List<Long> kept = new ArrayList<>();
        for (long seed = first; seed < first + Claims.SPREAD_SECOND_MAX_TRIES && kept.size() < count; seed++) {
            if (holdsSlowAttractor(secondSpreadData(family, seed))) {
                kept.add(seed);
            }
        }
        return kept;
    }

    /** @return the second registration's data set of one seed */
    public static Dataset secondSpreadData(String family, long seed) {
        return family.equals(ONE_D) ? DataSets.random1d(Claims.SPREAD_SECOND_N, seed) : DataSets.twoD(Claims.SPREAD_SECOND_N, seed);
    }

    /**
     * @return whether the predicted attractors of d hold an interior one of rate ratio &gt;= {@link Claims#FRESH_RATE_RATIO} whose
     *     predicted spread slope is &lt;= {@link Claims#SLOPE_CONTROL_MAX_PREDICTED} (where the two laws part)
     */
    static boolean holdsSlowAttractor(Dataset d) {
        AugmentedInputs xt = AugmentedInputs.of(d, true);
        List<Attractor> attractors = Attractors.predict(xt, d.targets());
        double gMax = 0;
        for (Attractor a : attractors) {
            gMax = Math.max(gMax, Math.abs(a.potential()));
        }
        for (Attractor a : attractors) {
            if (!a.boundary() && Math.abs(a.potential()) >= Claims.FRESH_RATE_RATIO * gMax
                    && predictedSlope(Math.abs(a.potential()), gMax, d.samples()) <= Claims.SLOPE_CONTROL_MAX_PREDICTED) {
                return true;
            }
        }
        return false;
    }

    /** @return the spread law's slope for an attractor of rate g when the fastest has gMax, n samples */
    static double predictedSlope(double g, double gMax, int n) {
        return Math.log1p(AttractorAlignment.LR * g / n) / Math.log1p(AttractorAlignment.LR * gMax / n);
    }

    /**
     * Runs the second registration's spread law: every kept set of both families at {@link Claims#SPREAD_LAW_FRESH_LAMBDAS},
     * seeds 1 .. seeds, {@code parallel} runs at once with one kernel thread each; a run's set is its index among its family's
     * kept sets.
     *
     * @param quick the CI size: the first kept set per family, {@link Claims#FRESH_INIT_SEEDS_QUICK} seeds
     * @param parallel runs at once
     * @return the runs
     */
    public static Result runSecondSpread(boolean quick, int parallel) {
        long t0 = System.nanoTime();
        int sets = quick ? 1 : Claims.SPREAD_SECOND_SETS;
        int seeds = seeds(quick);
        List<Callable<Run>> tasks = new ArrayList<>();
        Map<String, List<Long>> dataSeeds = new LinkedHashMap<>();
        for (String family : new String[] {ONE_D, TWO_D}) {
            List<Long> kept = secondSpreadSeeds(family, sets);
            dataSeeds.put(family, List.copyOf(kept));
            for (int i = 0; i < kept.size(); i++) {
                Dataset d = secondSpreadData(family, kept.get(i));
                AugmentedInputs xt = AugmentedInputs.of(d, true);
                Basins basins = new Basins(xt, d.targets(), Attractors.predict(xt, d.targets()));
                Basins control = AttractorAlignment.permutedBasins(xt, d.targets());
                AttractorAlignment.Data named = new AttractorAlignment.Data(family + " seed " + kept.get(i), d);
                int set = i;
                for (long seed = 1; seed <= seeds; seed++) {
                    for (double lambda : Claims.SPREAD_LAW_FRESH_LAMBDAS) {
                        long sd = seed;
                        tasks.add(() -> new Run(family, set, d.samples(), AttractorAlignment.measure(named, basins, control,
                                Claims.ALIGNMENT_WIDE, lambda, sd, Precision.FLOAT64, 1, Claims.FRESH_STRIDED ? Claims.CONTROL_NEURON_STRIDE : 1)));
                    }
                }
            }
        }
        List<Run> runs = FairContrast.all(tasks, parallel);
        return new Result(quick, sets, seeds, runs, (System.nanoTime() - t0) * 1e-9, dataSeeds);
    }

    /**
     * The second registration's verdicts: per family the spread-law row ({@link Claims#SPREAD_LAW_SECOND}) with the first
     * registration's criterion and slope-1 control.
     *
     * @param r the runs of {@link #runSecondSpread}
     * @return one verdict per family
     */
    public static List<Claims.Verdict> judgeSecondSpread(Result r) {
        List<Claims.Verdict> out = new ArrayList<>();
        List<Fit> fits = fits(r);
        for (String family : new String[] {ONE_D, TWO_D}) {
            StringBuilder names = new StringBuilder();
            for (long seed : r.dataSeeds().get(family)) {
                names.append(names.length() == 0 ? "" : ", ").append(family.equals(ONE_D) ? "random1d(" : "twoD(")
                        .append(Claims.SPREAD_SECOND_N).append(", ").append(seed).append(')');
            }
            out.add(spreadVerdict(Claims.SPREAD_LAW_SECOND.about(family, names.toString(), r.seeds()),
                    fits.stream().filter(f -> f.family().equals(family)).toList()));
        }
        return out;
    }

    /** @return whether a run meets the per-attractor criterion on the attractors the rule holds to it */
    static boolean aligned(Basins.Report r) {
        return worstJudged(r) >= Claims.PER_ATTRACTOR_WITHIN;
    }

    /** @return the smallest share within 1 degree over the attractors the pre-registered rule holds to the criterion (1 if none) */
    public static double worstJudged(Basins.Report r) {
        return AttractorAlignment.Measurement.worst(r, Claims.FRESH_RATE_RATIO, Claims.FRESH_MIN_BASIN_NEURONS);
    }

    /**
     * The spread law of one attractor of one fresh set.
     *
     * @param family the family
     * @param set the set's index
     * @param attractor the attractor
     * @param ratio |G(A)| / |G_max|
     * @param predicted the predicted slope
     * @param slopes per seed whose basin held {@link Claims#FRESH_MIN_BASIN_NEURONS} neurons at every lambda, the measured slope
     * @param mean the seed-mean slope with its interval
     */
    public record Fit(String family, int set, Attractor attractor, double ratio, double predicted, double[] slopes, Stats.Interval mean) {}

    /** @return the spread-law fits of the attractors the rule holds to it (interior, rate ratio, neurons) */
    public static List<Fit> fits(Result r) {
        List<Fit> out = new ArrayList<>();
        for (String family : new String[] {ONE_D, TWO_D}) {
            for (int i = 0; i < r.sets(); i++) {
                int set = i;
                List<Run> own = r.runs().stream().filter(q -> q.family().equals(family) && q.set() == set).toList();
                if (own.stream().map(q -> q.m().lambda()).distinct().count() < 2) {
                    continue;
                }
                List<Basins.Alignment> first = own.get(0).m().report().perAttractor();
                double gMax = 0;
                for (Basins.Alignment a : first) {
                    gMax = Math.max(gMax, Math.abs(a.attractor().potential()));
                }
                int n = own.get(0).n();
                for (int a = 0; a < first.size(); a++) {
                    Attractor at = first.get(a).attractor();
                    double ratio = Math.abs(at.potential()) / gMax;
                    if (at.boundary() || ratio < Claims.FRESH_RATE_RATIO) {
                        continue;
                    }
                    double predicted = predictedSlope(Math.abs(at.potential()), gMax, n);
                    List<Double> slopes = new ArrayList<>();
                    for (long seed = 1; seed <= r.seeds(); seed++) {
                        long sd = seed;
                        List<Run> bySeed = own.stream().filter(q -> q.m().seed() == sd).toList();
                        double[] lx = new double[bySeed.size()];
                        double[] ly = new double[bySeed.size()];
                        boolean ok = bySeed.size() >= 2;
                        for (int k = 0; k < bySeed.size(); k++) {
                            Basins.Alignment al = bySeed.get(k).m().report().perAttractor().get(a);
                            ok &= al.neurons() >= Claims.FRESH_MIN_BASIN_NEURONS && al.spread() > 0;
                            lx[k] = Math.log(bySeed.get(k).m().lambda());
                            ly[k] = Math.log(al.spread());
                        }
                        if (ok) {
                            slopes.add(Stats.slope(lx, ly));
                        }
                    }
                    if (slopes.isEmpty()) {
                        continue;
                    }
                    double[] sl = slopes.stream().mapToDouble(Double::doubleValue).toArray();
                    out.add(new Fit(family, i, at, ratio, predicted, sl, Stats.bootstrapMean(sl)));
                }
            }
        }
        return out;
    }

    /** @return the verdicts: per family, the per-attractor alignment (with its control) and the spread law (with its control) */
    public static List<Claims.Verdict> judge(Result r) {
        List<Claims.Verdict> out = new ArrayList<>();
        List<Fit> fits = fits(r);
        for (String family : new String[] {ONE_D, TWO_D}) {
            List<Run> own = r.runs().stream()
                    .filter(q -> q.family().equals(family) && q.m().lambda() == Claims.ALIGNMENT_SMALL_LAMBDA).toList();
            double[] perSet = new double[r.sets()];
            double[] perSetControl = new double[r.sets()];
            int[] perSetRuns = new int[r.sets()];
            for (Run q : own) {
                perSetRuns[q.set()]++;
            }
            int ok = 0;
            int controlOk = 0;
            StringBuilder misses = new StringBuilder();
            Claims.Moment moment = Claims.Moment.NONE;
            for (Run q : own) {
                boolean a = aligned(q.m().report());
                boolean c = aligned(q.m().permuted());
                ok += a ? 1 : 0;
                controlOk += c ? 1 : 0;
                perSet[q.set()] += (a ? 1.0 : 0.0) / perSetRuns[q.set()];
                perSetControl[q.set()] += (c ? 1.0 : 0.0) / perSetRuns[q.set()];
                if (!a && misses.length() < 200) {
                    misses.append(Format.of(" #%d seed %d (%.4f);", q.set(), q.m().seed(),
                            AttractorAlignment.Measurement.worst(q.m().report(), Claims.FRESH_RATE_RATIO, Claims.FRESH_MIN_BASIN_NEURONS)));
                }
                if (moment.kind() == Claims.Moment.Kind.NONE || q.m().controlStep() != q.m().step()) {
                    moment = Claims.Moment.steps(q.m().step(), q.m().controlStep());
                }
            }
            double share = own.isEmpty() ? 0 : (double) ok / own.size();
            double controlShare = own.isEmpty() ? 0 : (double) controlOk / own.size();
            Stats.Interval ci = Stats.bootstrapMean(perSet);
            Stats.Interval cci = Stats.bootstrapMean(perSetControl);
            int nLo = Claims.freshSize(0);
            int nHi = Claims.freshSize(r.sets() - 1);
            out.add(Claims.PER_ATTRACTOR_FRESH.about(family, r.sets(), nLo, nHi, r.quick() ? r.seeds() : Claims.FRESH_INIT_SEEDS_OTHER,
                    r.seeds()).judge(Format.of(
                    "%d of %d runs meet it: share %s over sets; control (permuted targets, same step) %d of %d: %s%s", ok, own.size(),
                    ci.describe("%.3f"), controlOk, own.size(), cci.describe("%.3f"), misses.length() == 0 ? "" : "; misses:" + misses),
                    !own.isEmpty() && share >= Claims.FRESH_RUN_SHARE && controlShare < Claims.FRESH_RUN_SHARE, moment));
            StringBuilder setNames = new StringBuilder("sets");
            for (int i = 0; i < r.sets(); i++) {
                if (spreadSet(r.quick(), i)) {
                    setNames.append(Format.of(" #%d (n = %d)", i, Claims.freshSize(i)));
                }
            }
            out.add(spreadVerdict(Claims.SPREAD_LAW_FRESH.about(family, setNames.toString(), r.seeds()),
                    fits.stream().filter(f -> f.family().equals(family)).toList()));
        }
        return out;
    }

    /**
     * One family's spread-law verdict: PASS when >= {@link Claims#FRESH_SLOPE_SHARE} of the fits' seed-mean slopes are within
     * {@link Claims#SPREAD_SLOPE_ERROR} of the prediction and the slope-1 law, judged the same way on the fits with predicted
     * slope &lt;= {@link Claims#SLOPE_CONTROL_MAX_PREDICTED}, meets it on fewer (and on at least one it is judged).
     */
    static Claims.Verdict spreadVerdict(Claims.Claim claim, List<Fit> fam) {
        int within = 0;
        int controlJudged = 0;
        int controlWithin = 0;
        StringBuilder sb = new StringBuilder();
        for (Fit f : fam) {
            boolean w = Math.abs(f.mean().estimate() / f.predicted() - 1) <= Claims.SPREAD_SLOPE_ERROR;
            within += w ? 1 : 0;
            if (f.predicted() <= Claims.SLOPE_CONTROL_MAX_PREDICTED) {
                controlJudged++;
                controlWithin += Math.abs(f.mean().estimate() - 1) <= Claims.SPREAD_SLOPE_ERROR ? 1 : 0;
            }
            sb.append(Format.of("#%d ratio %.2f: %s vs %.3f (%d seeds)%s; ", f.set(), f.ratio(), f.mean().describe("%.3f"), f.predicted(),
                    f.slopes().length, w ? "" : " MISS"));
        }
        boolean pass = !fam.isEmpty() && within >= Claims.FRESH_SLOPE_SHARE * fam.size() && controlJudged > 0
                && controlWithin < Claims.FRESH_SLOPE_SHARE * controlJudged;
        return claim.judge(Format.of(
                "%d of %d attractors within 20%%: %scontrol (slope 1) within 20%% on %d of %d attractors with predicted slope <= 0.8",
                within, fam.size(), sb, controlWithin, controlJudged), pass, Claims.Moment.SAME);
    }
}
