package io.reluquant.validation.cli;

import java.util.Arrays;

/** The loss curve of a training run: parallel growable lists of steps and losses. */
final class LossLog {
    private long[] steps;
    private double[] losses;
    private int size;

    /** A log holding the given curve (as a checkpoint stores it), to be continued. */
    LossLog(double[] losses, long[] steps) {
        this.losses = Arrays.copyOf(losses, Math.max(16, losses.length));
        this.steps = Arrays.copyOf(steps, Math.max(16, steps.length));
        this.size = losses.length;
    }

    void add(long step, double loss) {
        if (size == steps.length) {
            steps = Arrays.copyOf(steps, 2 * size);
            losses = Arrays.copyOf(losses, 2 * size);
        }
        steps[size] = step;
        losses[size++] = loss;
    }

    int size() {
        return size;
    }

    double last() {
        return losses[size - 1];
    }

    /** @return the last logged step, -1 when the log is empty */
    long lastStep() {
        return size == 0 ? -1 : steps[size - 1];
    }

    void removeLast() {
        size--;
    }

    LossLog copy() {
        return new LossLog(losses(), steps());
    }

    double[] losses() {
        return Arrays.copyOf(losses, size);
    }

    long[] steps() {
        return Arrays.copyOf(steps, size);
    }
}
