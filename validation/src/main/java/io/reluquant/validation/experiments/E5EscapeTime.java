package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.validation.data.DataSets;
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
     */
    public record Result(int width, double[] lambdas, double[] logs, double[] tStar, double[][] curveSteps, double[][] curveLoss, double slope,
            double predicted) {
        /** @return the verdict on {@link Claims#E5_ESCAPE} */
        public Claims.Verdict verdict() {
            // the control: the loss's rate 2 |D_max| / n in place of the direction's, judged on the same measured slope
            double control = predicted / 2;
            boolean controlPasses = Math.abs(slope / control - 1) <= Claims.ESCAPE_SLOPE_ERROR;
            return Claims.E5_ESCAPE.predicting(predicted).judge(Format.of("slope %.3f; control: predicted %.3f, off by %.0f%%", slope,
                    control, 100 * Math.abs(slope / control - 1)),
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
        return new Result(s.e5Width(), LAMBDAS.clone(), logs, tStar, steps, loss, slope, data.samples() / dMax);
    }
}
