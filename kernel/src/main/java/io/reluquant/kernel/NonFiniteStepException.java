package io.reluquant.kernel;

/**
 * A GD step would have made the loss or a parameter infinite or NaN (typically a learning rate too
 * large for the data's scale). The step was not taken: the trainer still holds the parameters of the
 * last finite state and can go on with a smaller learning rate.
 */
public final class NonFiniteStepException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** @param message what became non-finite, at which step, with which learning rate */
    public NonFiniteStepException(String message) {
        super(message);
    }
}
