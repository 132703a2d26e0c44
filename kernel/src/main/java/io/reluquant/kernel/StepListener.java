package io.reluquant.kernel;

/** Called by {@link Trainer#steps} every k steps with the step count done so far and the loss there. */
@FunctionalInterface
public interface StepListener {
    /**
     * @param step number of GD steps done since the trainer was built
     * @param loss the full-batch loss L = (1/(2n)) sum_i r_i^2 at the current parameters
     * @return true to go on, false to stop after this step
     */
    boolean onStep(long step, double loss);
}
