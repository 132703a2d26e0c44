package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.NonFiniteStepException;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.StepListener;
import io.reluquant.kernel.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The experiments' one training driver: full-batch GD on the fast kernel ({@link Kernel#AUTO}) from given parameters,
 * with a learning rate per block (output weights a, hidden neurons (w, b)), for a step cap or until the loss reaches a
 * target level (the contrasts of docs/THEORY.md section 3 are compared with small init at equal loss), keeping the
 * parameters at chosen steps, at the end of the alignment phase (the first step with L &lt; 0.99 L0; a run may stop
 * there) and at the end, and the loss on a logarithmic grid of steps.
 */
public final class Training {
    private Training() {}

    /** Where the alignment phase ends: the first step with L below this fraction of L0. */
    public static final double ALIGNMENT_FRACTION = 0.99;

    /** Parameters after {@code step} steps and the loss there. */
    public record Snapshot(long step, double loss, Parameters parameters) {}

    /**
     * How to train.
     *
     * @param precision FLOAT32 or FLOAT64
     * @param bias whether the network has biases
     * @param lrOutput learning rate of the output weights a
     * @param lrHidden learning rate of (w, b)
     * @param maxSteps step cap
     * @param targetLoss stop at the first step with L &lt;= this (0: never stop at a loss)
     * @param stopAtAlignment end the run at the alignment snapshot
     * @param snapshotSteps steps at which to keep the parameters (sorted or not; the end is always kept)
     * @param threads kernel threads
     */
    public record Settings(Precision precision, boolean bias, double lrOutput, double lrHidden, long maxSteps, double targetLoss,
            boolean stopAtAlignment, long[] snapshotSteps, int threads) {
        public Settings {
            if (precision == null) {
                throw new IllegalArgumentException("precision must not be null");
            }
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

        /** @return one learning rate for both blocks, biases on, {@code steps} steps, no target, no snapshots but the end */
        public static Settings single(double lr, long steps, Precision precision, int threads) {
            return new Settings(precision, true, lr, lr, steps, 0, false, null, threads);
        }

        @Override
        public long[] snapshotSteps() {
            return snapshotSteps.clone();
        }

        /** @return these settings with a learning rate per block */
        public Settings withRates(double output, double hidden) {
            return new Settings(precision, bias, output, hidden, maxSteps, targetLoss, stopAtAlignment, snapshotSteps, threads);
        }

        /** @return these settings with other snapshot steps */
        public Settings withSnapshots(long... steps) {
            return new Settings(precision, bias, lrOutput, lrHidden, maxSteps, targetLoss, stopAtAlignment, steps, threads);
        }

        /** @return these settings stopping at a loss */
        public Settings withTarget(double loss) {
            return new Settings(precision, bias, lrOutput, lrHidden, maxSteps, loss, stopAtAlignment, snapshotSteps, threads);
        }

        /** @return these settings with or without biases */
        public Settings withBias(boolean on) {
            return new Settings(precision, on, lrOutput, lrHidden, maxSteps, targetLoss, stopAtAlignment, snapshotSteps, threads);
        }

        /** @return these settings ending the run at the alignment snapshot, or not */
        public Settings stoppingAtAlignment(boolean stop) {
            return new Settings(precision, bias, lrOutput, lrHidden, maxSteps, targetLoss, stop, snapshotSteps, threads);
        }
    }

    /**
     * @param initialLoss L0
     * @param alignment the first step with L &lt; 0.99 L0, null if it never came
     * @param snapshots the parameters at the requested steps that were reached
     * @param end the last state
     * @param reachedTarget whether L &lt;= the target loss was reached (true when no target was set)
     * @param diverged whether a step would have made the loss or a parameter non-finite (the run stopped there)
     * @param curveSteps steps where the loss was recorded (about 40 per decade, step 0 and the last step)
     * @param curveLoss the loss there
     * @param seconds wall time of the run
     */
    public record Run(double initialLoss, Snapshot alignment, List<Snapshot> snapshots, Snapshot end, boolean reachedTarget,
            boolean diverged, long[] curveSteps, double[] curveLoss, double seconds) {}

    /** Trains from {@code init} and returns the snapshots and the loss curve. */
    public static Run run(Dataset data, Parameters init, Settings s) {
        long start = System.nanoTime();
        try (Trainer t = Trainer.builder(data, init).precision(s.precision()).bias(s.bias()).kernel(Kernel.AUTO)
                .threads(s.threads()).build()) {
            Recorder r = new Recorder(t, s);
            boolean diverged = false;
            if (!r.reached) {
                try {
                    t.steps(s.lrOutput(), s.lrHidden(), s.maxSteps(), 1, r);
                } catch (NonFiniteStepException e) {
                    diverged = true;
                }
            }
            long last = t.stepsTaken();
            double endLoss = t.loss();
            if (r.steps.get(r.steps.size() - 1) != last) {
                r.steps.add(last);
                r.losses.add(endLoss);
            }
            Snapshot end = new Snapshot(last, endLoss, t.parameters());
            boolean reached = s.targetLoss() > 0 ? r.reached : true;
            return new Run(r.l0, r.alignment, List.copyOf(r.snaps), end, reached, diverged,
                    r.steps.stream().mapToLong(Long::longValue).toArray(), r.losses.stream().mapToDouble(Double::doubleValue).toArray(),
                    (System.nanoTime() - start) * 1e-9);
        }
    }

    /** Called after every step: the loss curve, the snapshots, the alignment, and whether to stop. */
    private static final class Recorder implements StepListener {
        final Trainer t;
        final Settings s;
        final double l0;
        final double alignmentLevel;
        final long[] wanted;
        final List<Long> steps = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        final List<Snapshot> snaps = new ArrayList<>();
        Snapshot alignment;
        boolean reached;
        int next;
        long nextRecord = 1;

        Recorder(Trainer t, Settings s) {
            this.t = t;
            this.s = s;
            l0 = t.loss();
            alignmentLevel = ALIGNMENT_FRACTION * l0;
            wanted = s.snapshotSteps();
            steps.add(0L);
            losses.add(l0);
            while (next < wanted.length && wanted[next] <= 0) {
                snaps.add(new Snapshot(0, l0, t.parameters()));
                next++;
            }
            reached = s.targetLoss() > 0 && l0 <= s.targetLoss();
        }

        @Override
        public boolean onStep(long step, double loss) {
            if (step >= nextRecord) {
                steps.add(step);
                losses.add(loss);
                // about 40 records per decade
                nextRecord = Math.max(step + 1, (long) Math.ceil(step * Math.pow(10, 1.0 / 40)));
            }
            while (next < wanted.length && wanted[next] <= step) {
                snaps.add(new Snapshot(step, loss, t.parameters()));
                next++;
            }
            boolean go = true;
            if (alignment == null && loss < alignmentLevel) {
                alignment = new Snapshot(step, loss, t.parameters());
                go = !s.stopAtAlignment();
            }
            if (s.targetLoss() > 0 && loss <= s.targetLoss()) {
                reached = true;
                go = false;
            }
            return go;
        }
    }
}
