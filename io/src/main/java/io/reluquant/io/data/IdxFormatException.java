package io.reluquant.io.data;

import java.io.IOException;

/**
 * A file is not a valid IDX file of the kind asked for (bad magic, unsupported element type, wrong
 * dimensions, truncated, trailing bytes, corrupt gzip). The message names the file and the problem,
 * in one line.
 */
public class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and the problem */
    public IdxFormatException(String message) {
        super(message);
    }
}
