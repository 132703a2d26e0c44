package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.measures.Plateaus;
import io.reluquant.validation.theory.AugmentedInputs;
import io.reluquant.validation.theory.Race;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Claim: the race ({@link Race}) predicts, from the data alone, every jump constant c_k = lim t_k / ln(1/lambda) of
 * small-init GD, every J_k and every plateau loss, which plateau is final included. Wide networks are trained in
 * float64 on the kernel at lambda = 1e-4 .. 1e-14; the k-th escape time t_k (t = lr * steps) is the first sample
 * where the loss falls below the midpoint of the predicted levels before and after escape k; its slope against
 * ln(1/lambda) over {@link Claims#RACE_FIT_LAMBDAS} is compared with c_k, with a 95% bootstrap interval over seeds.
 * Every threshold and rule is in {@link Claims}' race section, fixed before the judging run.
 */
public final class RaceSequence {
    private RaceSequence() {}

    /**
     * One data set with its learning rate and the race's prediction for it.
     *
     * @param family "five-point", "random 1-D" or "random 2-D"
     * @param name its name in the report
     * @param data the data (with bias)
     * @param lr the learning rate of its runs
     * @param prediction the race's prediction at that lr
     */
    public record Case(String family, String name, Dataset data, double lr, Race.Prediction prediction) {
        /** @return the horizon in steps at lambda: {@link Claims#RACE_HORIZON} times the last predicted escape, plus {@link Claims#RACE_HOLD} units of time */
        public long steps(double lambda) {
            return Rule.ORIGINAL.steps(this, lambda);
        }

        /** @return this case judged against another prediction (the mutation test) */
        public Case withPrediction(Race.Prediction p) {
            return new Case(family, name, data, lr, p);
        }
    }

    /**
     * How a judging run reads its runs and draws its fresh sets.
     *
     * @param name how the report names it
     * @param firstSeed1d first seed of the random 1-D draw
     * @param firstSeed2d first seed of the 2-D draw
     * @param detectorTime the plateau detector gets one loss sample every this many units of time (0: every sample)
     * @param hold a run lasts {@link Claims#RACE_HORIZON} times the last predicted escape plus this many units of time
     * @param maxSlideShare a drawn set is eligible only when every plateau before the last slides for at most this share of
     *        the time to the next escape at the smallest fitted lambda (infinite: no such condition)
     * @param kinksLeftOut J is compared with the points the race puts on a kink ({@link Race.Phase#onKink}) left out
     * @param seeds init seeds 1..this per fresh set
     * @param claim the claim its families are judged under
     * @param file the report file of its judging run
     * @param escapeEvery escape times are read every this many steps
     * @param settleFactor the hold is at least this times the last plateau's settle time ({@link Race.Phase#settleTime}), and a
     *        plateau is measurable when its span minus its settle time is at least {@link Claims#RACE_MEASURABLE_TIME} (0: the hold
     *        alone, and the span alone)
     * @param maxSettle a drawn set is eligible only when its last plateau settles within this many units of time
     */
    public record Rule(String name, long firstSeed1d, long firstSeed2d, double detectorTime, double hold, double maxSlideShare,
            boolean kinksLeftOut, int seeds, Claims.Claim claim, String file, long escapeEvery, double settleFactor, double maxSettle) {
        /** A rule that reads escapes every {@link Claims#RACE_SAMPLE_EVERY} steps and knows no settle times (the first four runs). */
        Rule(String name, long firstSeed1d, long firstSeed2d, double detectorTime, double hold, double maxSlideShare, boolean kinksLeftOut,
                int seeds, Claims.Claim claim, String file) {
            this(name, firstSeed1d, firstSeed2d, detectorTime, hold, maxSlideShare, kinksLeftOut, seeds, claim, file, Claims.RACE_SAMPLE_EVERY, 0,
                    Double.POSITIVE_INFINITY);
        }

        /** The rule of the first judging run (race section of {@link Claims}). */
        public static final Rule ORIGINAL = new Rule("race", Claims.RACE_FIRST_SEED_1D, Claims.RACE_FIRST_SEED_2D, 0, Claims.RACE_HOLD,
                Double.POSITIVE_INFINITY, false, Claims.RACE_FRESH_SEEDS, Claims.RACE, "race.md");
        /** The amended rule of the second judging run (its own section of {@link Claims}). */
        public static final Rule AMENDED = new Rule("race, amended rule", Claims.RACE_AMENDED_FIRST_SEED_1D, Claims.RACE_AMENDED_FIRST_SEED_2D,
                Claims.RACE_AMENDED_DETECTOR_TIME, Claims.RACE_AMENDED_HOLD, Claims.RACE_AMENDED_MAX_SLIDE_SHARE, false, Claims.RACE_FRESH_SEEDS,
                Claims.RACE_AMENDED, "race-amended.md");
        /** The third judging run: the amended rule with J compared up to the points on a kink (its own section of {@link Claims}). */
        public static final Rule THIRD = new Rule("race, third run", Claims.RACE_THIRD_FIRST_SEED_1D, Claims.RACE_THIRD_FIRST_SEED_2D,
                Claims.RACE_AMENDED_DETECTOR_TIME, Claims.RACE_AMENDED_HOLD, Claims.RACE_AMENDED_MAX_SLIDE_SHARE, true, Claims.RACE_FRESH_SEEDS,
                Claims.RACE_THIRD, "race-third.md");
        /** The fourth judging run: the third run's rule over {@link Claims#RACE_FOURTH_SEEDS} seeds per set on new data seeds. */
        public static final Rule FOURTH = new Rule("race, fourth run", Claims.RACE_FOURTH_FIRST_SEED_1D, Claims.RACE_FOURTH_FIRST_SEED_2D,
                Claims.RACE_AMENDED_DETECTOR_TIME, Claims.RACE_AMENDED_HOLD, Claims.RACE_AMENDED_MAX_SLIDE_SHARE, true, Claims.RACE_FOURTH_SEEDS,
                Claims.RACE_FOURTH, "race-fourth.md");
        /** The fifth judging run: the fourth's, escapes read every step, hold and measurable time from the predicted settle times. */
        public static final Rule FIFTH = new Rule("race, fifth run", Claims.RACE_FIFTH_FIRST_SEED_1D, Claims.RACE_FIFTH_FIRST_SEED_2D,
                Claims.RACE_AMENDED_DETECTOR_TIME, Claims.RACE_AMENDED_HOLD, Claims.RACE_AMENDED_MAX_SLIDE_SHARE, true, Claims.RACE_FOURTH_SEEDS,
                Claims.RACE_FIFTH, "race-fifth.md", Claims.RACE_FIFTH_ESCAPE_EVERY, Claims.RACE_FIFTH_SETTLE_FACTOR, Claims.RACE_FIFTH_MAX_SETTLE);

        /** @return the option that runs this rule's judging run alone ("--fourth" for race-fourth.md) */
        public String flag() {
            return "--" + file.substring("race-".length(), file.length() - ".md".length());
        }

        /** @return the patterns as compared under this rule: without the given points when kinks are left out */
        Set<BitSet> compared(List<BitSet> patterns, BitSet onKink) {
            Set<BitSet> out = new HashSet<>();
            for (BitSet b : patterns) {
                BitSet c = (BitSet) b.clone();
                if (kinksLeftOut) {
                    c.andNot(onKink);
                }
                out.add(c);
            }
            return out;
        }

        /** @return the run's length in steps at lambda */
        long steps(Case c, double lambda) {
            double[] k = c.prediction().jumps();
            double last = k.length == 0 ? 0 : k[k.length - 1];
            return (long) Math.ceil((Claims.RACE_HORIZON * last * Math.log(1 / lambda) + hold(c.prediction())) / c.lr());
        }

        /** @return the time held after {@link Claims#RACE_HORIZON} t_last: the rule's hold, or more for a slow final approach */
        double hold(Race.Prediction p) {
            List<Race.Phase> ph = p.phases();
            return settleFactor > 0 && !ph.isEmpty() ? Math.max(hold, settleFactor * ph.get(ph.size() - 1).settleTime()) : hold;
        }

        /** @return whether plateau k (0-based) of a prediction lasts long enough at lambda, once settled, to be read */
        boolean measurable(Race.Prediction p, int k, double lambda) {
            List<Race.Phase> ph = p.phases();
            double span = (k + 1 < ph.size() ? ph.get(k + 1).jump() : Double.POSITIVE_INFINITY) - ph.get(k).jump();
            double settling = settleFactor > 0 ? ph.get(k).settleTime() : 0;
            return span * Math.log(1 / lambda) - settling >= Claims.RACE_MEASURABLE_TIME;
        }

        /** @return the detector's sampling interval in steps, a multiple of {@link Claims#RACE_SAMPLE_EVERY} */
        long detectorEvery(double lr) {
            long every = Math.round(detectorTime / lr / Claims.RACE_SAMPLE_EVERY) * Claims.RACE_SAMPLE_EVERY;
            return Math.max(Claims.RACE_SAMPLE_EVERY, every);
        }

        /** @return whether a prediction's slides fit this rule, and its last plateau settles within {@link #maxSettle} */
        boolean slidesFit(Race.Prediction p) {
            double smallest = Arrays.stream(Claims.RACE_FIT_LAMBDAS).min().getAsDouble();
            for (int k = 1; k < p.phases().size(); k++) {
                if (!p.settlesBeforeNextEscape(k, smallest, maxSlideShare)) {
                    return false;
                }
            }
            return p.phases().isEmpty() || p.phases().get(p.phases().size() - 1).settleTime() <= maxSettle;
        }
    }

    /** @return the five-point data at lr 0.02 (docs/THEORY.md section 5) */
    public static Case fivePoint() {
        return new Case("five-point", "five-point", DataSets.fivePoint(), 0.02, Race.predict(DataSets.fivePoint(), true, 0.02, ClaimCriteria.race()));
    }

    /**
     * The learning rate of a fresh set: {@link Claims#RACE_LR_GROWTH} n / |D_max|, so that the fastest group grows by that
     * fraction per step whatever n (the time to the first escape in steps is then the same for every set).
     */
    public static double lrFor(Dataset data) {
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        double[] y = data.targets();
        double dmax = 0;
        for (io.reluquant.validation.theory.Attractor a : io.reluquant.validation.theory.Attractors.predict(xt, y)) {
            dmax = Math.max(dmax, a.sign() * a.potential());
        }
        return Claims.RACE_LR_GROWTH * data.samples() / dmax;
    }

    /**
     * The pre-registered draw of a family's fresh sets: for seed = first, first + 1, ... the set of n = {@link #samplesFor}
     * points is kept when the race predicts at least {@link Claims#RACE_MIN_PHASES} escapes, every transition settled, the
     * consecutive jump constants differ by at least {@link Claims#RACE_MIN_GAP} (relative; closer escapes merge into one
     * at any float64 lambda) and the last is at most {@link Claims#RACE_MAX_SPAN} times the first (the run's length).
     * Nothing measured enters the rule.
     *
     * @param twoD the 2-D family (else 1-D)
     * @param count how many sets to keep
     * @param firstSeed the first seed of the draw
     * @param maxTries seeds tried at most
     * @return the kept sets, in seed order
     */
    public static List<Case> draw(boolean twoD, int count, long firstSeed, int maxTries) {
        return draw(twoD, count, firstSeed, maxTries, Claims.RACE_MIN_PHASES);
    }

    /** @return n of the set drawn with this seed: {@link Claims#RACE_MIN_N} to {@link Claims#RACE_MAX_N} in steps of 10, from the seed */
    public static int samplesFor(long seed) {
        int choices = (Claims.RACE_MAX_N - Claims.RACE_MIN_N) / 10 + 1;
        return Claims.RACE_MIN_N + 10 * new Random(seed ^ 0x5DEECE66DL).nextInt(choices);
    }

    static boolean eligible(Race.Prediction p, int minPhases) {
        double[] c = p.jumps();
        if (c.length < minPhases) {
            return false;
        }
        for (Race.Phase ph : p.phases()) {
            if (!ph.settled()) {
                return false;
            }
        }
        for (int k = 1; k < c.length; k++) {
            if (c[k] < (1 + Claims.RACE_MIN_GAP) * c[k - 1]) {
                return false;
            }
        }
        return c[c.length - 1] <= Claims.RACE_MAX_SPAN * c[0];
    }

    /**
     * @param lambdas init scales
     * @param widths widths; seeds[k] seeds at widths[k], seeds 1..seeds[k]
     * @param seeds seeds per width
     * @param parallelRuns runs at once, one kernel thread each
     */
    public record Config(double[] lambdas, int[] widths, int[] seeds, int parallelRuns, Rule rule) {
        /** The first judging run's rule ({@link Rule#ORIGINAL}). */
        public Config(double[] lambdas, int[] widths, int[] seeds, int parallelRuns) {
            this(lambdas, widths, seeds, parallelRuns, Rule.ORIGINAL);
        }

        public Config {
            if (rule == null) {
                throw new IllegalArgumentException("rule must not be null");
            }
            if (lambdas == null || widths == null || seeds == null || lambdas.length < 2 || widths.length == 0 || widths.length != seeds.length) {
                throw new IllegalArgumentException("need >= 2 lambdas and one seed count per width, got " + Arrays.toString(lambdas) + ", "
                        + Arrays.toString(widths) + ", " + Arrays.toString(seeds));
            }
            for (double l : lambdas) {
                if (!(l > 0 && l < 1)) {
                    throw new IllegalArgumentException("every lambda must lie in (0, 1), got " + Arrays.toString(lambdas));
                }
            }
            for (int k = 0; k < widths.length; k++) {
                if (widths[k] < 1 || seeds[k] < 1) {
                    throw new IllegalArgumentException("widths and seed counts must be >= 1, got " + Arrays.toString(widths) + ", " + Arrays.toString(seeds));
                }
            }
            if (parallelRuns < 1) {
                throw new IllegalArgumentException("parallelRuns must be >= 1, got " + parallelRuns);
            }
            lambdas = lambdas.clone();
            widths = widths.clone();
            seeds = seeds.clone();
        }

        @Override
        public double[] lambdas() {
            return lambdas.clone();
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }

        @Override
        public int[] seeds() {
            return seeds.clone();
        }
    }

    /**
     * One trained run.
     *
     * @param lambda init scale
     * @param width m
     * @param seed seed
     * @param escapes t_k in units of time, NaN where the loss never fell below the k-th midpoint
     * @param plateaus the measured plateaus (flattest step, loss there, J there)
     * @param patternsMatch every predicted plateau that lasts at least {@link Claims#RACE_MEASURABLE_TIME} at this lambda
     *        is measured (a plateau between the measured escapes around it) with the predicted J
     * @param lossesMatch and its loss is within {@link Claims#PLATEAU_LOSS_REL} (or {@link Claims#PLATEAU_LOSS_ABS} L0)
     * @param endLoss the loss at the horizon
     * @param seconds wall time
     */
    public record Run(double lambda, int width, long seed, double[] escapes, List<PhaseSequence.Measured> plateaus, boolean patternsMatch,
            boolean lossesMatch, double endLoss, double seconds) {}

    /**
     * The slope of t_k against ln(1/lambda) at one width.
     *
     * @param k escape index
     * @param width m
     * @param predicted c_k
     * @param measured least-squares slope over every seed's t_k at {@link Claims#RACE_FIT_LAMBDAS}
     * @param low 2.5% bootstrap quantile (seeds resampled)
     * @param high 97.5% quantile
     * @param seeds seeds in the fit
     */
    public record Slope(int k, int width, double predicted, double measured, double low, double high, int seeds) {
        /** @return |measured - predicted| / predicted */
        public double error() {
            return Math.abs(measured - predicted) / predicted;
        }

        /** @return the pre-registered hit: within {@link Claims#RACE_SLOPE_ERROR} */
        public boolean hit() {
            return error() <= Claims.RACE_SLOPE_ERROR;
        }
    }

    /**
     * @param c the case
     * @param config the configuration
     * @param runs every run
     * @param seconds wall time
     */
    public record Result(Case c, Config config, List<Run> runs, double seconds) {
        /** @return the slopes of every predicted escape at every width */
        public List<Slope> slopes() {
            List<Slope> out = new ArrayList<>();
            double[] pred = c.prediction().jumps();
            for (int m : config.widths()) {
                for (int k = 1; k <= pred.length; k++) {
                    out.add(slope(k, m, pred[k - 1]));
                }
            }
            return out;
        }

        Slope slope(int k, int width, double predicted) {
            List<Long> seeds = new ArrayList<>();
            for (Run r : runs) {
                if (r.width() == width && !seeds.contains(r.seed())) {
                    seeds.add(r.seed());
                }
            }
            double measured = fit(k, width, seeds);
            Random rnd = new Random(Claims.RACE_BOOTSTRAP_SEED);
            double[] boot = new double[Claims.RACE_BOOTSTRAP];
            for (int b = 0; b < boot.length; b++) {
                List<Long> pick = new ArrayList<>();
                for (int q = 0; q < seeds.size(); q++) {
                    pick.add(seeds.get(rnd.nextInt(seeds.size())));
                }
                boot[b] = fit(k, width, pick);
            }
            Arrays.sort(boot);
            return new Slope(k, width, predicted, measured, quantile(boot, 0.025), quantile(boot, 0.975), seeds.size());
        }

        // least squares over (ln(1/lambda), t_k) of the picked seeds (with repeats) at the fit lambdas; NaN if any t_k is missing
        private double fit(int k, int width, List<Long> seeds) {
            List<Double> xs = new ArrayList<>();
            List<Double> ts = new ArrayList<>();
            for (long s : seeds) {
                for (Run r : runs) {
                    if (r.width() == width && r.seed() == s && inFit(r.lambda())) {
                        double t = k <= r.escapes().length ? r.escapes()[k - 1] : Double.NaN;
                        xs.add(Math.log(1 / r.lambda()));
                        ts.add(t);
                    }
                }
            }
            double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
            double[] t = ts.stream().mapToDouble(Double::doubleValue).toArray();
            if (x.length < 2) {
                return Double.NaN;
            }
            return Stats.slope(x, t);
        }

        /** @return whether the J sequence and plateau losses match in at least {@link Claims#PHASE_SEED_SHARE} of the seeds at the smallest lambda, at width m */
        public int matched(int width) {
            double smallest = Arrays.stream(config.lambdas()).min().getAsDouble();
            return (int) runs.stream().filter(r -> r.width() == width && r.lambda() == smallest && r.patternsMatch() && r.lossesMatch()).count();
        }

        /** @return seeds at width m */
        public int seedsAt(int width) {
            for (int q = 0; q < config.widths().length; q++) {
                if (config.widths()[q] == width) {
                    return config.seeds()[q];
                }
            }
            throw new IllegalArgumentException("width " + width + " is not one of " + Arrays.toString(config.widths()));
        }

        /** @return the pre-registered verdict: every c_k hit at every width and the J/loss match in >= 95% of the seeds */
        public boolean pass() {
            if (c.prediction().phases().isEmpty()) {
                return false;
            }
            for (Slope s : slopes()) {
                if (!s.hit()) {
                    return false;
                }
            }
            for (int m : config.widths()) {
                if (matched(m) < Math.ceil(Claims.PHASE_SEED_SHARE * seedsAt(m) - 1e-9)) {
                    return false;
                }
            }
            return true;
        }
    }

    static boolean inFit(double lambda) {
        for (double l : Claims.RACE_FIT_LAMBDAS) {
            if (Math.abs(l - lambda) <= 1e-9 * l) {
                return true;
            }
        }
        return false;
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * Trains every (lambda, width, seed) of the configuration on one case.
     */
    public static Result run(Case c, Config config) {
        long t0 = System.nanoTime();
        AugmentedInputs xt = AugmentedInputs.of(c.data(), true);
        List<Callable<Run>> tasks = new ArrayList<>();
        for (int q = 0; q < config.widths().length; q++) {
            int m = config.widths()[q];
            for (long seed = 1; seed <= config.seeds()[q]; seed++) {
                for (double lambda : config.lambdas()) {
                    long sd = seed;
                    tasks.add(() -> one(c, xt, lambda, m, sd, config.rule()));
                }
            }
        }
        return new Result(c, config, List.copyOf(FairContrast.all(tasks, config.parallelRuns())), (System.nanoTime() - t0) * 1e-9);
    }

    /** One float64 run: the escape times against the predicted levels and the plateaus with their J. */
    static Run one(Case c, AugmentedInputs xt, double lambda, int m, long seed, Rule rule) {
        long t0 = System.nanoTime();
        Race.Prediction p = c.prediction();
        int phases = p.phases().size();
        double[] mid = new double[phases];
        for (int k = 1; k <= phases; k++) {
            mid[k - 1] = 0.5 * (p.levelBefore(k) + p.phases().get(k - 1).loss());
        }
        double[] escapes = new double[phases];
        Arrays.fill(escapes, Double.NaN);
        Parameters init = Initializers.balanced(m, c.data().inputDim(), lambda, seed, true);
        double lr = c.lr();
        try (Trainer t = Trainer.builder(c.data(), init).precision(Precision.FLOAT64).bias(true).kernel(Kernel.AUTO).threads(1).build()) {
            Plateaus<Parameters> detector = new Plateaus<>(lr, t.loss(), ClaimCriteria.plateaus());
            int[] next = {0};
            long detectorEvery = rule.detectorEvery(lr);
            double end = t.steps(lr, rule.steps(c, lambda), rule.escapeEvery(), (step, loss) -> {
                while (next[0] < phases && loss <= mid[next[0]]) {
                    escapes[next[0]++] = lr * step;
                }
                if (step % detectorEvery == 0) {
                    detector.offer(step, loss, t::parameters);
                }
                return true;
            });
            List<PhaseSequence.Measured> measured = new ArrayList<>();
            for (Plateaus.Plateau<Parameters> pl : detector.plateaus()) {
                measured.add(new PhaseSequence.Measured(pl.step(), pl.loss(), PhaseSequence.patterns(Neurons.of(pl.snapshot(), true), xt)));
            }
            // each predicted plateau long enough to be read at this lambda is compared with the measured plateau whose
            // flattest step lies between the measured escapes before and after it (the last: up to the horizon)
            boolean patterns = true;
            boolean losses = true;
            double horizon = lr * rule.steps(c, lambda);
            for (int k = 0; k < phases; k++) {
                Race.Phase ph = p.phases().get(k);
                if (!rule.measurable(p, k, lambda)) {
                    continue;
                }
                double from = escapes[k];
                double to = k + 1 < phases ? escapes[k + 1] : horizon;
                PhaseSequence.Measured hit = null;
                for (PhaseSequence.Measured pl : measured) {
                    double tp = lr * pl.step();
                    if (tp >= from && (tp <= to || Double.isNaN(to))) {
                        hit = pl;
                    }
                }
                if (Double.isNaN(from) || hit == null) {
                    patterns = false;
                    losses = false;
                    continue;
                }
                patterns &= rule.compared(ph.patterns(), ph.onKink()).equals(rule.compared(hit.patterns(), ph.onKink()));
                double diff = Math.abs(hit.loss() - ph.loss());
                losses &= diff <= Claims.PLATEAU_LOSS_REL * ph.loss() + Claims.PLATEAU_LOSS_ABS * p.initialLoss();
            }
            return new Run(lambda, m, seed, escapes, List.copyOf(measured), patterns, patterns && losses, end, (System.nanoTime() - t0) * 1e-9);
        }
    }

    /** @return per escape and width: predicted c_k, measured slope [95% interval], error; then the J match */
    public static String summary(Result r) {
        StringBuilder sb = new StringBuilder();
        for (Slope s : r.slopes()) {
            sb.append(String.format(Locale.ROOT, "c%d m=%d: predicted %.3f, measured %.3f [%.3f, %.3f] (%+.1f%%); ", s.k(), s.width(), s.predicted(),
                    s.measured(), s.low(), s.high(), 100 * (s.measured() - s.predicted()) / s.predicted()));
        }
        for (int m : r.config().widths()) {
            sb.append(String.format(Locale.ROOT, "J and plateau losses at lambda = %.0e, m = %d: %d/%d seeds; ",
                    Arrays.stream(r.config().lambdas()).min().getAsDouble(), m, r.matched(m), r.seedsAt(m)));
        }
        return sb.toString();
    }

    // ---- the families, the configurations and the verdicts

    /**
     * The fresh sets of one family by the pre-registered rule ({@link #draw}): the first {@link Claims#RACE_SETS} sets with at
     * least {@link Claims#RACE_MIN_PHASES} predicted escapes among {@link Claims#RACE_MAX_TRIES} seeds from the family's first
     * seed; when fewer exist (the 2-D teacher has two neurons: its sets have two escapes, then a trap), the family is filled
     * with the first sets of exactly two escapes that meet the same gap and span rules, named as such in the report.
     */
    public static List<Case> family(boolean twoD) {
        return family(twoD, Rule.ORIGINAL);
    }

    /** @return the fresh sets of one family drawn under a rule (its seeds and its slide condition), as {@link #family(boolean)} */
    public static List<Case> family(boolean twoD, Rule rule) {
        long first = twoD ? rule.firstSeed2d() : rule.firstSeed1d();
        List<Case> out = new ArrayList<>(draw(twoD, Claims.RACE_SETS, first, Claims.RACE_MAX_TRIES, Claims.RACE_MIN_PHASES, rule));
        if (out.size() < Claims.RACE_SETS) {
            for (Case c : draw(twoD, Claims.RACE_SETS - out.size(), first, Claims.RACE_MAX_TRIES, 2, rule)) {
                if (c.prediction().phases().size() == 2) {
                    out.add(new Case(c.family(), c.name() + " (two escapes: fallback)", c.data(), c.lr(), c.prediction()));
                }
            }
        }
        return out;
    }

    static List<Case> draw(boolean twoD, int count, long firstSeed, int maxTries, int minPhases) {
        return draw(twoD, count, firstSeed, maxTries, minPhases, Rule.ORIGINAL);
    }

    static List<Case> draw(boolean twoD, int count, long firstSeed, int maxTries, int minPhases, Rule rule) {
        List<Case> out = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + maxTries && out.size() < count; seed++) {
            int n = samplesFor(seed);
            Dataset d = twoD ? DataSets.twoD(n, seed) : DataSets.random1d(n, seed);
            double lr = lrFor(d);
            Race.Prediction p = Race.predict(d, true, lr, ClaimCriteria.race());
            if (eligible(p, minPhases) && rule.slidesFit(p)) {
                String family = twoD ? "random 2-D" : "random 1-D";
                out.add(new Case(family, String.format(Locale.ROOT, "%s(%d, %d)", twoD ? "twoD" : "random1d", n, seed), d, lr, p));
            }
        }
        return out;
    }

    /** @return the report's configuration for the five-point data at width m (seeds and lambdas per {@link Claims}' race section) */
    public static Config fivePointConfig(int m, boolean quick) {
        if (quick) {
            return new Config(Claims.RACE_FIT_LAMBDAS, new int[] {Claims.RACE_QUICK_WIDTH}, new int[] {Claims.RACE_QUICK_SEEDS}, 2);
        }
        if (m == Claims.RACE_WIDTHS[0]) {
            return new Config(Claims.RACE_LAMBDAS, new int[] {m}, new int[] {Claims.RACE_SEEDS_AT_1E4}, 2);
        }
        if (m == Claims.RACE_WIDTHS[1]) {
            return new Config(Claims.RACE_FIT_LAMBDAS, new int[] {m}, new int[] {Claims.RACE_SEEDS_AT_1E5}, 2);
        }
        return new Config(new double[] {Claims.RACE_FIT_LAMBDAS[0], Claims.RACE_FIT_LAMBDAS[Claims.RACE_FIT_LAMBDAS.length - 1]}, new int[] {m},
                new int[] {1}, 1);
    }

    /** @return the configuration of a fresh set: m = 1e4, {@link Claims#RACE_FRESH_SEEDS} seeds (the first rule's), the fit lambdas */
    public static Config freshConfig() {
        return freshConfig(Rule.ORIGINAL);
    }

    /** @return {@link #freshConfig()} under a rule, with its seeds per set */
    public static Config freshConfig(Rule rule) {
        return new Config(Claims.RACE_FIT_LAMBDAS, new int[] {Claims.RACE_WIDTHS[0]}, new int[] {rule.seeds()}, 2, rule);
    }

    /**
     * The verdict on one family: every c_k of every set hit at every width run and the J / plateau-loss match in at least
     * {@link Claims#PHASE_SEED_SHARE} of the seeds at the smallest lambda.
     *
     * @param family the family's name
     * @param results every result of the family (one per set and width)
     * @param cost what it cost, for the row
     * @return the verdict
     */
    public static Claims.Verdict judge(String family, List<Result> results, String cost) {
        int hits = 0;
        int total = 0;
        boolean pass = !results.isEmpty();
        StringBuilder sb = new StringBuilder();
        for (Result r : results) {
            for (Slope s : r.slopes()) {
                total++;
                hits += s.hit() ? 1 : 0;
            }
            pass &= r.pass();
            sb.append(r.c().name()).append(": ").append(summary(r));
        }
        String measured = String.format(Locale.ROOT, "c_k within 5%%: %d of %d; %s%s", hits, total, sb, cost);
        Rule rule = results.isEmpty() ? Rule.ORIGINAL : results.get(0).config().rule();
        // its control (the mutation row) judges this same measurement against a moved prediction
        return rule.claim().about(family).judge(measured, pass, Claims.Moment.SAME);
    }

    /**
     * The early-alignment trap measured on a wide network: trained to the race's final plateau, then trained on unchanged,
     * and trained on with one neuron placed in the strongest unheld basin.
     *
     * @param finalLoss the race's final plateau loss
     * @param stayed the loss after {@code extraSteps} more steps, unchanged network
     * @param placed the loss after as many steps with the one neuron added
     * @param extraSteps the steps of each continuation
     * @param seconds wall time
     */
    public record Trap(double finalLoss, double stayed, double placed, long extraSteps, double seconds) {
        /** @return the pre-registered verdict: stayed within {@link Claims#PLATEAU_LOSS_REL}, placed below {@link Claims#RACE_TRAP_DROP} of it */
        public boolean pass() {
            return Math.abs(stayed - finalLoss) <= Claims.PLATEAU_LOSS_REL * finalLoss && placed <= Claims.RACE_TRAP_DROP * finalLoss;
        }
    }

    /**
     * @param c a case whose prediction ends in a trap
     * @param m width
     * @param lambda init scale
     * @param seed seed
     * @return the trap as measured
     */
    public static Trap trap(Case c, int m, double lambda, long seed) {
        Race.Prediction p = c.prediction();
        if (!p.trap()) {
            throw new IllegalArgumentException("the race predicts no trap on " + c.name());
        }
        long t0 = System.nanoTime();
        io.reluquant.validation.theory.Attractor best = p.unheld().get(0);
        for (io.reluquant.validation.theory.Attractor a : p.unheld()) {
            if (a.sign() * a.potential() > best.sign() * best.potential()) {
                best = a;
            }
        }
        int n = c.data().samples();
        double rho = Math.log1p(c.lr() * best.sign() * best.potential() / n) / c.lr();
        long extra = (long) Math.ceil((Claims.RACE_TRAP_GROWTH / rho + Claims.RACE_HOLD) / c.lr());
        int d = c.data().inputDim();
        Parameters trained;
        try (Trainer t = Trainer.builder(c.data(), Initializers.balanced(m, d, lambda, seed, true)).precision(Precision.FLOAT64).bias(true)
                .kernel(Kernel.AUTO).threads(1).build()) {
            t.steps(c.lr(), c.steps(lambda), c.steps(lambda), null);
            trained = t.parameters();
        }
        double stayed = continued(c, trained, extra);
        double[] a = Arrays.copyOf(trained.outputWeights(), m + 1);
        double[] w = Arrays.copyOf(trained.inputWeights(), (m + 1) * d);
        double[] b = Arrays.copyOf(trained.biases(), m + 1);
        double[] u = best.direction();
        for (int k = 0; k < d; k++) {
            w[m * d + k] = Claims.RACE_TRAP_NORM * u[k];
        }
        b[m] = Claims.RACE_TRAP_NORM * u[d];
        a[m] = best.sign() * Claims.RACE_TRAP_NORM;
        double placed = continued(c, Parameters.of(a, w, b, d), extra);
        return new Trap(p.phases().get(p.phases().size() - 1).loss(), stayed, placed, extra, (System.nanoTime() - t0) * 1e-9);
    }

    private static double continued(Case c, Parameters start, long steps) {
        try (Trainer t = Trainer.builder(c.data(), start).precision(Precision.FLOAT64).bias(true).kernel(Kernel.AUTO).threads(1).build()) {
            return t.steps(c.lr(), steps, steps, null);
        }
    }
}
