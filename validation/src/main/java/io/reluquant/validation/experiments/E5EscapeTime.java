package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.Arrays;
import java.util.List;

/** E5: loss plateaus and the escape time t* ~ n ln(1/lambda) / |D_max| on the five-point data. */
public final class E5EscapeTime {
    private static final double[] LAMBDAS = {1e-2, 1e-4, 1e-6, 1e-8};

    private E5EscapeTime() {}

    /**
     * @param lambdas the init scales
     * @param logs ln(1/lambda)
     * @param tStar lr times the alignment step, per lambda
     * @param curveSteps the recorded steps of each run's loss curve (step 0 left out)
     * @param curveLoss the loss at those steps
     * @param slope least-squares slope of t* on ln(1/lambda) over lambda &lt;= 1e-4
     * @param predicted n / |D_max|
     * @param seedSlopes the slope of every seed (seed 1 first), {@link Claims#E5_SEEDS} of them
     */
    public record Result(int width, double[] lambdas, double[] logs, double[] tStar, double[][] curveSteps, double[][] curveLoss, double slope,
            double predicted, double[] seedSlopes) {
        /** A result of one seed (its slope is the seed mean). */
        public Result(int width, double[] lambdas, double[] logs, double[] tStar, double[][] curveSteps, double[][] curveLoss, double slope,
                double predicted) {
            this(width, lambdas, logs, tStar, curveSteps, curveLoss, slope, predicted, new double[] {slope});
        }

        /** @return the seed-mean slope with its 95% bootstrap interval over seeds */
        public Stats.Interval meanSlope() {
            return Stats.bootstrapMean(seedSlopes);
        }

        /** @return the verdict on {@link Claims#E5_ESCAPE}, judged on the seed-mean slope */
        public Claims.Verdict verdict() {
            Stats.Interval mean = meanSlope();
            double slope = mean.estimate();
            // the control: the loss's rate 2 |D_max| / n in place of the direction's, judged on the same measured slope
            double control = predicted / 2;
            boolean controlPasses = Math.abs(slope / control - 1) <= Claims.ESCAPE_SLOPE_ERROR;
            return Claims.E5_ESCAPE.predicting(predicted).judge(Format.of("seed-mean slope %s over %d seeds (seed 1: %.3f); control: predicted %.3f,"
                    + " off by %.0f%%", mean.describe("%.3f"), seedSlopes.length, this.slope, control, 100 * Math.abs(slope / control - 1)),
                    Math.abs(slope / predicted - 1) <= Claims.ESCAPE_SLOPE_ERROR && !controlPasses, Claims.Moment.SAME);
        }
    }

    /** Runs E5. */
    public static Result run(Sweep s) {
        Dataset data = DataSets.fivePoint();
        List<Attractor> att = Attractors.predict(AugmentedInputs.of(data, true), data.targets());
        double dMax = att.stream().mapToDouble(a -> Math.abs(a.potential())).max().orElseThrow();
        double[] logs = new double[LAMBDAS.length];
        double[] tStar = new double[LAMBDAS.length];
        double[][] steps = new double[LAMBDAS.length][];
        double[][] loss = new double[LAMBDAS.length][];
        for (int k = 0; k < LAMBDAS.length; k++) {
            Quantized q = s.measure("e5", data, true, att, s.e5Width(), LAMBDAS[k], Sweep.SEED);
            logs[k] = Math.log(1 / LAMBDAS[k]);
            tStar[k] = q.alignmentStep() * Sweep.LR;
            int points = q.run().curveSteps().length - 1;
            steps[k] = new double[points];
            loss[k] = new double[points];
            for (int i = 0; i < points; i++) {
                steps[k][i] = q.run().curveSteps()[i + 1];
                loss[k][i] = q.run().curveLoss()[i + 1];
            }
        }
        // least-squares slope over lambda <= 1e-4, where ln(1/lambda) dominates the O(1) offset of t*
        double slope = Stats.slope(Arrays.copyOfRange(logs, 1, 4), Arrays.copyOfRange(tStar, 1, 4));
        // the other seeds: the same measurement (lr times the first step with L < 0.99 L0), stopped there
        double[] seedSlopes = new double[Claims.E5_SEEDS];
        seedSlopes[0] = slope;
        for (int k = 1; k < Claims.E5_SEEDS; k++) {
            double[] t = new double[3];
            for (int l = 1; l < 4; l++) {
                Quantized q = Quantized.measure(data, true, att, s.e5Width(), LAMBDAS[l], Sweep.SEED + k, Precision.FLOAT32, Sweep.LR, s.steps(),
                        true, s.threads());
                t[l - 1] = q.alignmentStep() * Sweep.LR;
            }
            seedSlopes[k] = Stats.slope(Arrays.copyOfRange(logs, 1, 4), t);
        }
        return new Result(s.e5Width(), LAMBDAS.clone(), logs, tStar, steps, loss, slope, data.samples() / dMax, seedSlopes);
    }
}
