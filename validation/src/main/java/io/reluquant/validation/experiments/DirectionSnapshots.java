package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.theory.PhaseOracle;

/**
 * The runs behind the report's figures of directions over time on the five-point data (docs/THEORY.md section 3): small
 * init (balanced, lambda = {@link Claims#SMALL_LAMBDA}, lr 0.02) with snapshots through its alignment and after, the
 * PyTorch-default contrast at NTK rates trained down to small init's final loss, and a run at the phases' lambda
 * ({@link Claims#PHASE_LAMBDA}, where the mean plateau lasts long enough to be seen) beside the plateau levels the oracle
 * predicts from the data alone. Float64, one thread, seed 1. The report only draws what this returns.
 */
public final class DirectionSnapshots {
    /** Steps of the small-init run kept for the direction histograms and polar plots (alignment ends near 2000 at lambda = 1e-4). */
    public static final long[] STEPS = {0, 1_000, 2_000, 2_500, 3_000, 5_000, 20_000};
    /** Learning rate of the small-init runs. */
    public static final double LR = 0.02;
    /** Step cap of the contrast. */
    public static final long CONTRAST_CAP = 100_000;
    /** Seed of every init. */
    public static final long SEED = 1;

    private DirectionSnapshots() {}

    /**
     * @param width m of every run
     * @param small the small-init run, its snapshots at {@link #STEPS}
     * @param contrastInit the contrast's initial network (PyTorch's default draw)
     * @param contrast the contrast trained at NTK rates to small init's final loss (at least {@link Claims#LOSS_FLOOR})
     * @param plateauLevels L0, then the oracle's predicted plateau losses at lambda = {@link Claims#PHASE_LAMBDA}
     * @param phases the small-init run at that lambda, over the phases' horizon on this data
     */
    public record Result(int width, Training.Run small, Parameters contrastInit, Training.Run contrast, double[] plateauLevels,
            Training.Run phases) {
        @Override
        public double[] plateauLevels() {
            return plateauLevels.clone();
        }
    }

    /** @param width m of the runs, positive */
    public static Result run(int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        Dataset five = DataSets.fivePoint();
        Parameters smallInit = Initializers.balanced(width, 1, Claims.SMALL_LAMBDA, SEED, true);
        Training.Run small = Training.run(five, smallInit,
                Training.Settings.single(LR, STEPS[STEPS.length - 1], Precision.FLOAT64, 1).withSnapshots(STEPS));
        Parameters contrastInit = Initializers.pytorchDefault(width, 1, SEED);
        NtkScaling.Rates rates = NtkScaling.rates(five, contrastInit);
        Training.Run contrast = Training.run(five, contrastInit, Training.Settings.single(LR, CONTRAST_CAP, Precision.FLOAT64, 1)
                .withRates(rates.output(), rates.hidden()).withTarget(Math.max(small.end().loss(), Claims.LOSS_FLOOR)).withSnapshots(0));
        PhaseSequence.Case fiveCase = PhaseSequence.cases().get(0);
        PhaseOracle.Prediction p = PhaseOracle.predict(five, true, Claims.PHASE_LAMBDA, LR, fiveCase.steps(), ClaimCriteria.phases());
        double[] levels = new double[p.phases().size() + 1];
        levels[0] = p.initialLoss();
        System.arraycopy(p.plateauLosses(), 0, levels, 1, p.phases().size());
        Training.Run phases = Training.run(five, Initializers.balanced(width, 1, Claims.PHASE_LAMBDA, SEED, true),
                Training.Settings.single(LR, fiveCase.steps(), Precision.FLOAT64, 1));
        return new Result(width, small, contrastInit, contrast, levels, phases);
    }
}
