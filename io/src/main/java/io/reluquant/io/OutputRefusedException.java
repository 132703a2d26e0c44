package io.reluquant.io;

import java.io.IOException;

/**
 * An output path refused before anything is written: it names an input, a special file (FIFO,
 * device, socket), a folder, a dangling symbolic link, or a file another run is writing. The command
 * line reports it as bad arguments (exit status 2).
 */
public final class OutputRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the path and why it is refused */
    public OutputRefusedException(String message) {
        super(message);
    }
}
