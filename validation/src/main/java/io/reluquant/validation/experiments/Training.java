package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import java.util.ArrayList;
import java.util.List;

/**
 * One training run of an experiment on the fast kernel ({@link Kernel#AUTO}): full-batch GD from
 * given parameters, a snapshot at the end of the alignment phase (the first step with
 * L &lt; 0.99 L0) and one at the end, and the loss on a logarithmic grid of steps.
 */
public final class Training {
    private Training() {}

    /** Where the alignment phase ends: the first step with L below this fraction of L0. */
    public static final double ALIGNMENT_FRACTION = 0.99;

    /** Parameters after {@code step} steps and the loss there. */
    public record Snapshot(long step, double loss, Parameters parameters) {}

    /**
     * @param initialLoss L0
     * @param alignment the first step with L &lt; 0.99 L0, null if it never came
     * @param end the last step
     * @param curveSteps steps where the loss was recorded (about 40 per decade, and step 0)
     * @param curveLoss the loss there
     */
    public record Run(double initialLoss, Snapshot alignment, Snapshot end, long[] curveSteps, double[] curveLoss) {}

    /**
     * @param precision FLOAT32 or FLOAT64
     * @param bias whether the network has biases
     * @param lr learning rate
     * @param steps total steps; with {@code stopAtAlignment} at most this many
     * @param stopAtAlignment end the run at the alignment snapshot
     * @param threads kernel threads
     */
    public record Settings(Precision precision, boolean bias, double lr, long steps, boolean stopAtAlignment, int threads) {
        public Settings {
            if (!(lr > 0) || steps <= 0 || threads <= 0) {
                throw new IllegalArgumentException("lr, steps, threads must be positive, got " + lr + ", " + steps + ", " + threads);
            }
        }
    }

    /** Trains and returns the snapshots. */
    public static Run run(Dataset data, Parameters init, Settings s) {
        try (Trainer t = Trainer.builder(data, init).precision(s.precision()).bias(s.bias())
                .kernel(Kernel.AUTO).threads(s.threads()).build()) {
            double l0 = t.loss();
            List<long[]> steps = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            steps.add(new long[] {0});
            losses.add(l0);
            double threshold = ALIGNMENT_FRACTION * l0;
            Snapshot[] alignment = {null};
            long[] nextRecord = {1};
            t.steps(s.lr(), s.steps(), 1, (step, loss) -> {
                if (step >= nextRecord[0]) {
                    steps.add(new long[] {step});
                    losses.add(loss);
                    // about 40 records per decade
                    nextRecord[0] = Math.max(step + 1, (long) Math.ceil(step * Math.pow(10, 1.0 / 40)));
                }
                if (alignment[0] == null && loss < threshold) {
                    alignment[0] = new Snapshot(step, loss, t.parameters());
                    return !s.stopAtAlignment();
                }
                return true;
            });
            Snapshot end = new Snapshot(t.stepsTaken(), t.loss(), t.parameters());
            if (steps.get(steps.size() - 1)[0] != t.stepsTaken()) {
                steps.add(new long[] {t.stepsTaken()});
                losses.add(end.loss());
            }
            return new Run(l0, alignment[0], end, steps.stream().mapToLong(a -> a[0]).toArray(),
                    losses.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }
}
