package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.measures.Plateaus;
import io.reluquant.validation.measures.Quantization;
import io.reluquant.validation.theory.AugmentedInputs;
import io.reluquant.validation.theory.PhaseOracle;
import io.reluquant.validation.theory.ReducedNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Claim: the sequence of plateaus of small-init GD (their J and their losses) is predicted from the
 * data alone by {@link PhaseOracle}, at every width. Wide networks are trained on the fused kernel in
 * float64; their loss is sampled every {@link #SAMPLE_EVERY} steps, plateaus found by
 * {@link Plateaus}, and at each plateau's flattest step J is read off the 1-degree clusters holding
 * at least {@link Claims#PATTERN_SHARE} of the mass.
 */
public final class PhaseSequence {
    /** Loss samples every this many steps (the oracle samples alike). */
    public static final int SAMPLE_EVERY = PhaseOracle.SAMPLE_EVERY;
    /** The clustering angle of the measured J. */
    public static final double CLUSTER_EPS = Math.toRadians(Claims.CLUSTER_EPS_DEGREES);

    private PhaseSequence() {}

    /**
     * One data set of the experiment with its horizon: the steps it takes at lambda = {@link Claims#PHASE_LAMBDA} and lr 0.02 to
     * reach and hold its last predicted plateau for longer than {@link Claims#MIN_PLATEAU_TIME}.
     *
     * @param name its name in the report
     * @param data the training set (with bias)
     * @param steps the horizon of the oracle and of every run
     */
    public record Case(String name, Dataset data, long steps) {}

    /**
     * @return the three data sets of the claim: the five-point data (two plateaus, docs/THEORY.md section 5), random 1-D
     *         data (n = 6) and 2-D teacher data (n = 8)
     */
    public static List<Case> cases() {
        return List.of(new Case("five-point", DataSets.fivePoint(), 25_000), new Case("random 1-D (n = 6)", DataSets.random1d(6, 3), 30_000),
                new Case("2-D (n = 8)", DataSets.twoD(8, 4), 45_000));
    }

    /**
     * @param widths the widths m
     * @param seeds seeds per width (seeds 1..seeds[k] at widths[k])
     * @param lambda the init scale
     * @param lr learning rate
     * @param parallelRuns runs trained at once, one kernel thread each
     */
    public record Config(int[] widths, int[] seeds, double lambda, double lr, int parallelRuns) {
        public Config {
            if (widths == null || seeds == null || widths.length == 0 || widths.length != seeds.length) {
                throw new IllegalArgumentException("need one seed count per width, got widths " + Arrays.toString(widths) + ", seeds "
                        + Arrays.toString(seeds));
            }
            for (int k : seeds) {
                if (k < 1) {
                    throw new IllegalArgumentException("every seed count must be >= 1, got " + Arrays.toString(seeds));
                }
            }
            if (!(lambda > 0) || !(lr > 0) || parallelRuns < 1) {
                throw new IllegalArgumentException("lambda, lr, parallelRuns must be positive, got " + lambda + ", " + lr + ", " + parallelRuns);
            }
            widths = widths.clone();
            seeds = seeds.clone();
        }

        /** @return CI size: widths 1e2 and 1e3 with 5 seeds each */
        public static Config quick() {
            return new Config(new int[] {100, 1_000}, new int[] {5, 5}, Claims.PHASE_LAMBDA, 0.02, 2);
        }

        /** @return report size: widths 1e2, 1e3, 1e4 with {@link Claims#SEEDS} seeds each, 1e5 with 2 (a 1e5-wide run costs minutes) */
        public static Config full() {
            return new Config(new int[] {100, 1_000, 10_000, 100_000}, new int[] {Claims.SEEDS, Claims.SEEDS, Claims.SEEDS, 2},
                    Claims.PHASE_LAMBDA, 0.02, 2);
        }

        /** @return the seeds at width m */
        public int seedsAt(int m) {
            for (int k = 0; k < widths.length; k++) {
                if (widths[k] == m) {
                    return seeds[k];
                }
            }
            throw new IllegalArgumentException("width " + m + " is not one of " + Arrays.toString(widths));
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
     * A measured plateau.
     *
     * @param step flattest step
     * @param loss loss there
     * @param patterns J measured there
     */
    public record Measured(long step, double loss, List<BitSet> patterns) {}

    /**
     * One seed at one width.
     *
     * @param width m
     * @param seed seed
     * @param plateaus measured plateaus
     * @param patternsMatch the J sequence equals the predicted one
     * @param maxLossError max over plateaus of |L_measured - L_predicted| / L_predicted (NaN without a plateau match)
     * @param lossesMatch every plateau loss within the criterion
     */
    public record SeedRun(int width, long seed, List<Measured> plateaus, boolean patternsMatch, double maxLossError, boolean lossesMatch) {}

    /**
     * @param dataName the data set's name
     * @param config the configuration
     * @param prediction the oracle's prediction
     * @param runs all runs
     * @param seconds wall time
     */
    public record Result(String dataName, Config config, PhaseOracle.Prediction prediction, List<SeedRun> runs, double seconds) {
        /** @return seeds whose J sequence matches at width m (losses aside) */
        public int patternsMatched(int width) {
            return (int) runs.stream().filter(r -> r.width() == width && r.patternsMatch()).count();
        }

        /** @return seeds whose J sequence and losses both match, at width m */
        public int matched(int width) {
            return (int) runs.stream().filter(r -> r.width() == width && r.patternsMatch() && r.lossesMatch()).count();
        }

        /** @return the largest relative plateau loss error over matched-pattern runs */
        public double maxLossError() {
            return runs.stream().filter(SeedRun::patternsMatch).mapToDouble(SeedRun::maxLossError).max().orElse(Double.NaN);
        }

        /**
         * @return whether a plateau was predicted at all (else the comparison is empty) and at every width at least
         *         {@link Claims#PHASE_SEED_SHARE} of the seeds match (all of them below 20 seeds)
         */
        public boolean pass() {
            if (prediction.phases().isEmpty()) {
                return false;
            }
            for (int m : config.widths()) {
                if (matched(m) < Math.ceil(Claims.PHASE_SEED_SHARE * config.seedsAt(m) - 1e-9)) {
                    return false;
                }
            }
            return true;
        }

        /** @return a one-line summary */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%d plateaus predicted, losses %s; matched", prediction.phases().size(),
                    Format.list(prediction.plateauLosses())));
            for (int m : config.widths()) {
                sb.append(String.format(Locale.ROOT, " m=%d: %d/%d", m, matched(m), config.seedsAt(m)));
                if (patternsMatched(m) != matched(m)) {
                    sb.append(String.format(Locale.ROOT, " (J alone %d)", patternsMatched(m)));
                }
            }
            sb.append(String.format(Locale.ROOT, "; max plateau loss error %.1e", maxLossError()));
            return sb.toString();
        }
    }

    /**
     * Predicts the phases of one data set from the data alone, then trains every seed at every width and compares.
     *
     * @param c the data set and its horizon
     * @param config widths, seeds, lambda
     * @return predicted and measured phases
     */
    public static Result run(Case c, Config config) {
        return run(c, config, PhaseOracle.predict(c.data(), true, config.lambda(), config.lr(), c.steps(), ClaimCriteria.phases()));
    }

    /**
     * Trains every seed at every width and compares with a given prediction.
     *
     * @param c the data set and its horizon
     * @param config widths, seeds, lambda of the runs
     * @param prediction the phases to compare with
     * @return predicted and measured phases
     */
    public static Result run(Case c, Config config, PhaseOracle.Prediction prediction) {
        long t0 = System.nanoTime();
        AugmentedInputs xt = AugmentedInputs.of(c.data(), true);
        List<Callable<SeedRun>> tasks = new ArrayList<>();
        for (int m : config.widths()) {
            for (long seed = 1; seed <= config.seedsAt(m); seed++) {
                long sd = seed;
                tasks.add(() -> compare(m, sd, prediction,
                        measure(c.data(), xt, Initializers.balanced(m, c.data().inputDim(), config.lambda(), sd, true), config.lr(), c.steps())));
            }
        }
        List<SeedRun> runs = FairContrast.all(tasks, config.parallelRuns());
        return new Result(c.name(), config, prediction, List.copyOf(runs), (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * The negative control, measured on the claim's own runs at the claim's own plateaus (no new training): the phases the
     * oracle predicts from the same inputs with the targets permuted among the samples ({@link Claims#permuted}), same
     * lambda, lr and horizon, compared with what the claim's runs measured. The drive of y on each sector is what sets
     * the attractors, their order and the plateau losses; with it scrambled the prediction must miss. (An earlier
     * control trained lambda = 1 runs against the small-init prediction: it failed only because no plateau was
     * detected there, which could not tell a right prediction from a wrong one.)
     *
     * @param c the data set
     * @param claim the small-init runs of the claim
     * @return the claim's runs compared with the permuted-target prediction
     */
    public static Result control(Case c, Result claim) {
        long t0 = System.nanoTime();
        Dataset data = c.data();
        Dataset scrambled = Dataset.of(data.inputs(), Claims.permuted(data.targets()), data.inputDim());
        Config cfg = claim.config();
        PhaseOracle.Prediction permuted = PhaseOracle.predict(scrambled, true, cfg.lambda(), cfg.lr(), c.steps(), ClaimCriteria.phases());
        List<SeedRun> runs = new ArrayList<>();
        for (SeedRun s : claim.runs()) {
            runs.add(compare(s.width(), s.seed(), permuted, s.plateaus()));
        }
        return new Result(c.name(), cfg, permuted, List.copyOf(runs), (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * The verdict on {@link Claims#PHASES} for one data set: the claim holds and its negative control does not.
     *
     * @param r the run at small init
     * @param control the same runs against the permuted-target prediction ({@link #control})
     * @return the verdict
     * @throws IllegalArgumentException when the control was not measured on these runs
     */
    public static Claims.Verdict judge(Result r, Result control) {
        StringBuilder widths = new StringBuilder();
        for (int k = 0; k < r.config().widths().length; k++) {
            widths.append(k == 0 ? "" : ", ").append(r.config().seeds()[k]).append(" seeds at m = ").append(r.config().widths()[k]);
        }
        boolean sameRuns = control.runs().size() == r.runs().size();
        for (int k = 0; sameRuns && k < r.runs().size(); k++) {
            sameRuns = control.runs().get(k).plateaus() == r.runs().get(k).plateaus();
        }
        if (!sameRuns) {
            // the control is a competing prediction judged on the claim's own plateaus: any other runs are another moment
            throw new IllegalArgumentException("control: not measured on the claim's own runs (" + control.runs().size() + " runs against "
                    + r.runs().size() + "); make it with PhaseSequence.control(case, claim)");
        }
        return Claims.PHASES.about(r.dataName(), widths).judge(r.summary() + "; control (permuted targets, same plateaus): " + control.summary(),
                r.pass() && !control.pass(), Claims.Moment.SAME);
    }

    /**
     * Trains a wide network and returns its plateaus with their measured J.
     *
     * @param data the data
     * @param xt its augmented inputs
     * @param init the initial parameters
     * @param lr the learning rate
     * @param steps the horizon
     * @return the measured plateaus
     */
    public static List<Measured> measure(Dataset data, AugmentedInputs xt, Parameters init, double lr, long steps) {
        try (Trainer t = Trainer.builder(data, init).precision(Precision.FLOAT64).bias(true).kernel(Kernel.AUTO).threads(1).build()) {
            Plateaus<Parameters> detector = new Plateaus<>(lr, t.loss(), ClaimCriteria.plateaus());
            t.steps(lr, steps, SAMPLE_EVERY, (step, loss) -> {
                detector.offer(step, loss, t::parameters);
                return true;
            });
            List<Measured> out = new ArrayList<>();
            for (Plateaus.Plateau<Parameters> p : detector.plateaus()) {
                out.add(new Measured(p.step(), p.loss(), patterns(Neurons.of(p.snapshot(), true), xt)));
            }
            return out;
        }
    }

    /**
     * @return J of a network: activation patterns (kink on a data point counts as inactive) of its
     *         1-degree clusters holding at least {@link Claims#PATTERN_SHARE} of the mass
     */
    public static List<BitSet> patterns(Neurons net, AugmentedInputs xt) {
        List<Cluster> clusters = Quantization.clusters(net, CLUSTER_EPS);
        double total = 0;
        for (Cluster cl : clusters) {
            total += cl.mass();
        }
        List<BitSet> out = new ArrayList<>();
        for (Cluster cl : clusters) {
            if (cl.mass() >= Claims.PATTERN_SHARE * total) {
                BitSet s = ReducedNetwork.activation(xt, cl.direction(), Claims.BOUNDARY_MARGIN);
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    static SeedRun compare(int m, long seed, PhaseOracle.Prediction p, List<Measured> measured) {
        List<PhaseOracle.Phase> pred = p.phases();
        boolean patterns = pred.size() == measured.size();
        double maxErr = 0;
        boolean losses = patterns;
        for (int k = 0; patterns && k < pred.size(); k++) {
            if (!new HashSet<>(pred.get(k).patterns()).equals(new HashSet<>(measured.get(k).patterns()))) {
                patterns = false;
            }
        }
        if (patterns) {
            for (int k = 0; k < pred.size(); k++) {
                double lp = pred.get(k).loss();
                double lm = measured.get(k).loss();
                double diff = Math.abs(lm - lp);
                maxErr = Math.max(maxErr, lp > 0 ? diff / lp : diff);
                if (diff > Claims.PLATEAU_LOSS_REL * lp + Claims.PLATEAU_LOSS_ABS * p.initialLoss()) {
                    losses = false;
                }
            }
        } else {
            maxErr = Double.NaN;
        }
        return new SeedRun(m, seed, measured, patterns, maxErr, patterns && losses);
    }
}
