package io.reluquant.kernel;

/**
 * Called by {@link Trainer#steps} every k steps with the step count done so far and the loss there.
 *
 * <p>It runs on the thread that called {@code steps}, between two steps (no step is in progress), so
 * it may call back into the trainer: read the parameters ({@link Trainer#copyParameters}),
 * evaluate ({@link Trainer#forward}, {@link Trainer#loss()}), or change them
 * ({@link Trainer#setParameters(double[], double[], double[])}, {@link Trainer#applyUpdate}: weight
 * decay, clipping, averaging, pruning between steps); the next step starts from what it leaves.
 * {@link Trainer#close()} from inside the listener makes the next step throw IllegalStateException.
 * An exception it throws ends {@code steps} with that exception, after the step it was called for.
 */
@FunctionalInterface
public interface StepListener {
    /**
     * @param step number of GD steps done since the trainer was built (full-batch and batch steps)
     * @param loss the full-batch loss at the current parameters, of the trainer's {@link Loss}:
     *        L = (1/(2n)) sum_i (f(x_i) - y_i)^2 for {@link Loss#SQUARE},
     *        L = (1/n) sum_i log(1 + exp(-y_i f(x_i))) for {@link Loss#LOGISTIC}
     * @return true to go on, false to stop after this step
     */
    boolean onStep(long step, double loss);
}
