package io.reluquant.validation.experiments;

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
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * Claim: the sequence of plateaus of small-init GD (their J and their losses) is predicted from the
 * data alone by {@link PhaseOracle}, at every width. Wide networks are trained on the fused kernel in
 * float64; their loss is sampled every {@link #SAMPLE_EVERY} steps, plateaus found by
 * {@link Plateaus}, and at each plateau's flattest step J is read off the 1-degree clusters holding
 * at least {@link TheoryThresholds#PATTERN_SHARE} of the mass.
 */
public final class PhaseSequence {
    /** Loss samples every this many steps (the oracle samples alike). */
    public static final int SAMPLE_EVERY = PhaseOracle.SAMPLE_EVERY;
    /** The clustering angle. */
    public static final double CLUSTER_EPS = Math.toRadians(1);

    private PhaseSequence() {}

    /**
     * @param widths the widths m
     * @param seeds seeds per width (1..seeds)
     * @param lambda the init scale
     * @param lr learning rate
     * @param steps steps per run (also the oracle's horizon)
     * @param threads kernel threads
     */
    public record Config(int[] widths, int seeds, double lambda, double lr, long steps, int threads) {
        /** @return CI size */
        public static Config quick(long steps) {
            return new Config(new int[] {100, 1000}, 4, TheoryThresholds.PHASE_LAMBDA, 0.02, steps, 1);
        }

        /** @return report size */
        public static Config full(long steps) {
            return new Config(new int[] {100, 1000, 10_000}, 20, TheoryThresholds.PHASE_LAMBDA, 0.02, steps, 1);
        }

        /** @return the same with another lambda (the negative control) */
        public Config withLambda(double value) {
            return new Config(widths, seeds, value, lr, steps, threads);
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
        /** @return seeds whose J sequence and losses both match, at width m */
        public int matched(int width) {
            return (int) runs.stream().filter(r -> r.width() == width && r.patternsMatch() && r.lossesMatch()).count();
        }

        /** @return the largest relative plateau loss error over matched-pattern runs */
        public double maxLossError() {
            return runs.stream().filter(SeedRun::patternsMatch).mapToDouble(SeedRun::maxLossError).max().orElse(Double.NaN);
        }

        /** @return whether at every width at least {@link TheoryThresholds#PHASE_SEED_SHARE} of the seeds match */
        public boolean pass() {
            for (int m : config.widths()) {
                if (matched(m) < TheoryThresholds.PHASE_SEED_SHARE * config.seeds()) {
                    return false;
                }
            }
            return true;
        }

        /** @return a one-line summary */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%s lambda=%.0e: predicted losses %s;", dataName, config.lambda(),
                    java.util.Arrays.toString(prediction.plateauLosses())));
            for (int m : config.widths()) {
                sb.append(String.format(Locale.ROOT, " m=%d %d/%d", m, matched(m), config.seeds()));
            }
            sb.append(String.format(Locale.ROOT, "; max loss error %.2e; %.1f s", maxLossError(), seconds));
            return sb.toString();
        }
    }

    /**
     * @param dataName a name for the output
     * @param data the training set (with bias)
     * @param c the configuration
     * @return predicted and measured phases
     */
    public static Result run(String dataName, Dataset data, Config c) {
        long t0 = System.nanoTime();
        PhaseOracle.Prediction prediction = PhaseOracle.predict(data, true, c.lambda(), c.lr(), c.steps());
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        List<SeedRun> runs = new ArrayList<>();
        for (int m : c.widths()) {
            for (long seed = 1; seed <= c.seeds(); seed++) {
                List<Measured> measured = measure(data, xt, Initializers.balanced(m, data.inputDim(), c.lambda(), seed, true), c);
                runs.add(compare(m, seed, prediction, measured));
            }
        }
        return new Result(dataName, c, prediction, runs, (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * Trains a wide network and returns its plateaus with their measured J.
     *
     * @param data the data
     * @param xt its augmented inputs
     * @param init the initial parameters
     * @param c lr, steps, threads
     * @return the measured plateaus
     */
    public static List<Measured> measure(Dataset data, AugmentedInputs xt, Parameters init, Config c) {
        try (Trainer t = Trainer.builder(data, init).precision(Precision.FLOAT64).bias(true).kernel(Kernel.FUSED)
                .threads(c.threads()).build()) {
            Plateaus<Parameters> detector = new Plateaus<>(c.lr(), t.loss());
            t.steps(c.lr(), c.steps(), SAMPLE_EVERY, (step, loss) -> {
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
     *         1-degree clusters holding at least {@link TheoryThresholds#PATTERN_SHARE} of the mass
     */
    public static List<BitSet> patterns(Neurons net, AugmentedInputs xt) {
        List<Cluster> clusters = Quantization.clusters(net, CLUSTER_EPS);
        double total = 0;
        for (Cluster cl : clusters) {
            total += cl.mass();
        }
        List<BitSet> out = new ArrayList<>();
        for (Cluster cl : clusters) {
            if (cl.mass() >= TheoryThresholds.PATTERN_SHARE * total) {
                BitSet s = ReducedNetwork.activation(xt, cl.direction(), TheoryThresholds.MEASURED_MARGIN);
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
                if (diff > TheoryThresholds.PLATEAU_LOSS_REL * lp + TheoryThresholds.PLATEAU_LOSS_ABS * p.initialLoss()) {
                    losses = false;
                }
            }
        } else {
            maxErr = Double.NaN;
        }
        return new SeedRun(m, seed, measured, patterns, maxErr, patterns && losses);
    }
}
