package io.reluquant.validation.cli;

import io.reluquant.io.Checkpoint;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.NonFiniteStepException;
import io.reluquant.kernel.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * The training loop of {@code reluquant train}: steps from a start state to its target, logging the
 * loss every {@code logEvery} steps, rewriting OUT.npz every {@code checkpointEvery} steps and at the
 * end, and saving the last finite state when a step would go non-finite.
 *
 * @param trainer the trainer, holding the start state's parameters
 * @param start the state to continue (step 0 for a new run) with the run's settings
 * @param out the checkpoint file
 */
record TrainingRun(Trainer trainer, Checkpoint start, Path out) {
    /**
     * Runs to the target step and prints the summary line.
     *
     * @param data the training set (for the summary)
     * @param bar whether a progress bar may be shown
     * @param stdout where the summary goes
     * @throws NonFiniteStepException after saving the last finite state to OUT.npz
     */
    void run(Dataset data, boolean bar, PrintWriter stdout) throws IOException {
        long every = start.logEvery();
        long target = start.stepsTarget();
        long ckEvery = start.checkpointEvery();
        LossLog log = new LossLog(start.loss(), start.lossStep());
        long step = start.step();
        double loss;
        if (step == 0 && log.size() == 0) {
            loss = trainer.loss();
            log.add(0, loss);
        } else {
            loss = log.last();
        }
        long t0 = System.nanoTime();
        long firstStep = step;
        // the chunking only decides when we look; each step is the same whatever the chunks
        long chunkCap = Math.max(1, Math.min(1000, 20_000_000L / Math.max(1, (long) data.samples() * trainer.width())));
        try (ProgressBar progress = bar ? progressBar(step, target) : null) {
            while (step < target) {
                long next = Math.min(target, nextMultiple(step, every));
                if (ckEvery > 0) {
                    next = Math.min(next, nextMultiple(step, ckEvery));
                }
                long chunk = Math.min(next - step, chunkCap);
                long before = trainer.stepsTaken();
                try {
                    loss = trainer.steps(start.lr(), start.lrHidden(), chunk, chunk, null);
                } catch (NonFiniteStepException e) {
                    step += trainer.stepsTaken() - before;
                    state(step, log, false).write(out);
                    // in float32 a large network or large data overflows long before float64 would
                    String cause = start.precision().equals("f32")
                            ? "learning rate " + rates(start) + " too large, or values past float32's range 3.4e38: try a smaller rate or --precision f64"
                            : "learning rate " + rates(start) + " too large?";
                    throw new NonFiniteStepException("step " + (step + 1) + " would make the loss or a parameter non-finite ("
                            + cause + "); saved the state after step " + step + " to " + out);
                }
                step += chunk;
                if (step % every == 0) {
                    log.add(step, loss);
                }
                if (ckEvery > 0 && step % ckEvery == 0 && step < target) {
                    state(step, log, false).write(out);
                }
                if (progress != null) {
                    progress.stepTo(step);
                    progress.setExtraMessage(String.format(Locale.ROOT, " loss %.4e", loss));
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        state(step, log, true).write(out);
        long done = step - firstStep;
        double stepsPerSecond = done / Math.max(seconds, 1e-9);
        stdout.printf(Locale.ROOT, "step %d/%d  loss %.6e  %.1f steps/s  %.3e pairs/s  (%s, %d threads, n = %d, m = %d, d = %d, %.2f s) -> %s%n",
                step, target, loss, stepsPerSecond, stepsPerSecond * data.samples() * trainer.width(), trainer.kernel(),
                trainer.threads(), data.samples(), trainer.width(), data.inputDim(), seconds, out);
    }

    /** The state to save; the final file also records the loss at the last step when it is not a logged one. */
    private Checkpoint state(long step, LossLog log, boolean last) {
        LossLog saved = log;
        if (last && log.lastStep() != step) {
            saved = log.copy();
            saved.add(step, trainer.loss());
        }
        return new Checkpoint(trainer.parameters(), step, start.stepsTarget(), start.lr(), start.bias(), start.precision(),
                start.engine(), trainer.kernel(), start.init(), start.initScale(), start.seed(), start.logEvery(),
                start.checkpointEvery(), start.dataHash(), saved.losses(), saved.steps(), start.lrHidden(),
                start.lossFunction());
    }

    private static ProgressBar progressBar(long step, long target) {
        // a bar only for a person watching a terminal; pipes and tests get just the summary line
        if (System.console() == null || target - step < 1000) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(target).startsFrom(step, Duration.ZERO)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500).build();
    }

    private static long nextMultiple(long step, long every) {
        long next = (step / every + 1) * every;
        return next < 0 ? Long.MAX_VALUE : next; // past Long.MAX_VALUE: the target (<= Long.MAX_VALUE) comes first
    }

    /** @return the learning rates of a run as its messages name them: one number, or one per layer */
    static String rates(Checkpoint c) {
        return c.lr() == c.lrHidden() ? String.valueOf(c.lr()) : "lr-output " + c.lr() + ", lr-hidden " + c.lrHidden();
    }
}
