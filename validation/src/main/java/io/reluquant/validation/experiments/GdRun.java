package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.NonFiniteStepException;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Full-batch GD with a learning rate per block (output weights a, hidden neurons (w, b)) on the fused
 * kernel, run either for a set number of steps or until the loss reaches a target level, with
 * snapshots of the parameters at chosen steps and the loss on a logarithmic grid of steps. The
 * contrasts of docs/THEORY.md section 3 are compared with small init at equal loss, so a run can
 * stop at a loss instead of a step count, and says whether it got there.
 */
public final class GdRun {
    private GdRun() {}

    /**
     * How to train.
     *
     * @param lrOutput learning rate of the output weights a
     * @param lrHidden learning rate of (w, b)
     * @param maxSteps step cap
     * @param targetLoss stop at the first step with L &lt;= this (0: never stop early)
     * @param snapshotSteps steps at which to keep the parameters (sorted or not; the end is always kept)
     * @param precision the kernel's format
     * @param threads kernel threads
     */
    public record Settings(double lrOutput, double lrHidden, long maxSteps, double targetLoss, long[] snapshotSteps,
            Precision precision, int threads) {
        public Settings {
            if (!(lrOutput > 0) || !(lrHidden > 0) || !Double.isFinite(lrOutput) || !Double.isFinite(lrHidden)) {
                throw new IllegalArgumentException("learning rates must be finite and positive, got " + lrOutput + ", " + lrHidden);
            }
            if (maxSteps <= 0) {
                throw new IllegalArgumentException("maxSteps must be positive, got " + maxSteps);
            }
            if (!(targetLoss >= 0)) {
                throw new IllegalArgumentException("targetLoss must be >= 0, got " + targetLoss);
            }
            if (threads <= 0) {
                throw new IllegalArgumentException("threads must be positive, got " + threads);
            }
            snapshotSteps = snapshotSteps == null ? new long[0] : snapshotSteps.clone();
            Arrays.sort(snapshotSteps);
        }

        /** @return one learning rate for both blocks */
        public static Settings single(double lr, long steps, Precision precision, int threads) {
            return new Settings(lr, lr, steps, 0, null, precision, threads);
        }

        /** @return these settings with other snapshot steps */
        public Settings withSnapshots(long... steps) {
            return new Settings(lrOutput, lrHidden, maxSteps, targetLoss, steps, precision, threads);
        }

        /** @return these settings stopping at a loss */
        public Settings withTarget(double loss) {
            return new Settings(lrOutput, lrHidden, maxSteps, loss, snapshotSteps, precision, threads);
        }
    }

    /**
     * @param initialLoss L0
     * @param snapshots the parameters at the requested steps that were reached, then the end
     * @param end the last state
     * @param reachedTarget whether L &lt;= the target loss was reached (true when no target was set)
     * @param diverged whether a step would have made the loss or a parameter non-finite (the run stopped there)
     * @param curveSteps steps where the loss was recorded (about 40 per decade, step 0 and the last step)
     * @param curveLoss the loss there
     * @param seconds wall time of the run
     */
    public record Result(double initialLoss, List<Training.Snapshot> snapshots, Training.Snapshot end, boolean reachedTarget,
            boolean diverged, long[] curveSteps, double[] curveLoss, double seconds) {}

    /** Trains from {@code init} (biases on). */
    public static Result run(Dataset data, Parameters init, Settings s) {
        long start = System.nanoTime();
        try (Trainer t = Trainer.builder(data, init).precision(s.precision()).bias(true).kernel(Kernel.AUTO)
                .threads(s.threads()).build()) {
            double l0 = t.loss();
            List<Long> steps = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            steps.add(0L);
            losses.add(l0);
            List<Training.Snapshot> snaps = new ArrayList<>();
            long[] wanted = s.snapshotSteps();
            int next = 0;
            while (next < wanted.length && wanted[next] <= 0) {
                snaps.add(new Training.Snapshot(0, l0, t.parameters()));
                next++;
            }
            boolean reached = s.targetLoss() > 0 ? l0 <= s.targetLoss() : true;
            boolean diverged = false;
            long nextRecord = 1;
            double loss = l0;
            while (t.stepsTaken() < s.maxSteps() && !(s.targetLoss() > 0 && reached)) {
                try {
                    loss = t.step(s.lrOutput(), s.lrHidden());
                } catch (NonFiniteStepException e) {
                    diverged = true;
                    break;
                }
                long step = t.stepsTaken();
                if (step >= nextRecord) {
                    steps.add(step);
                    losses.add(loss);
                    // about 40 records per decade
                    nextRecord = Math.max(step + 1, (long) Math.ceil(step * Math.pow(10, 1.0 / 40)));
                }
                while (next < wanted.length && wanted[next] <= step) {
                    snaps.add(new Training.Snapshot(step, loss, t.parameters()));
                    next++;
                }
                if (s.targetLoss() > 0 && loss <= s.targetLoss()) {
                    reached = true;
                }
            }
            long last = t.stepsTaken();
            double endLoss = t.loss();
            if (steps.get(steps.size() - 1) != last) {
                steps.add(last);
                losses.add(endLoss);
            }
            Training.Snapshot end = new Training.Snapshot(last, endLoss, t.parameters());
            return new Result(l0, snaps, end, reached, diverged, steps.stream().mapToLong(Long::longValue).toArray(),
                    losses.stream().mapToDouble(Double::doubleValue).toArray(), (System.nanoTime() - start) * 1e-9);
        }
    }
}
