package io.reluquant.validation.cli;

/**
 * A bad command-line value found after parsing (a file of the wrong shape, an option that contradicts
 * a checkpoint...): the launcher prints its message as one line and exits with status 2.
 */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the argument and the value */
    public UsageException(String message) {
        super(message);
    }
}
