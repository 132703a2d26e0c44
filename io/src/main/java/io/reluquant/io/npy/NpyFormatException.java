package io.reluquant.io.npy;

import java.io.IOException;

/**
 * A file is not a valid .npy/.npz file of a kind this reader supports (bad magic, truncated data,
 * CRC mismatch, unsupported dtype, ...). The message names the file and what is wrong, in one line.
 */
public class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and the problem */
    public NpyFormatException(String message) {
        super(message);
    }

    /** @param message one line naming the file and the problem; @param cause the underlying error */
    public NpyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
