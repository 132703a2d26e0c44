package io.reluquant.validation.cli;

import java.io.PrintWriter;

/**
 * Entry point of bin/reluquant. It references nothing outside java.base until it calls the command
 * line, so that even a broken installation (a library missing from the class path, a jar rebuilt
 * under a running launcher) or an Error while running ends in one line on stderr and exit status 1,
 * never a stack trace; RELUQUANT_DEBUG=1 adds the trace.
 */
public final class Main {
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    private Main() {}

    /** Runs {@link ReluquantCommand} and exits with its status. */
    public static void main(String[] args) {
        // every log record on one line ("INFO: reluquant: ..."), not java.util.logging's date line plus
        // message line, so that a failure after the kernel started still ends in one line of its own
        if (System.getProperty(LOG_FORMAT) == null) {
            System.setProperty(LOG_FORMAT, "%4$s: %5$s%n");
        }
        int status;
        try {
            status = ReluquantCommand.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        } catch (Throwable e) {
            status = fatal(new PrintWriter(System.err, true), e);
        }
        System.exit(status);
    }

    /** One line for an Error (or anything picocli let through); the stack trace only with RELUQUANT_DEBUG. */
    static int fatal(PrintWriter err, Throwable e) {
        String message;
        if (e instanceof OutOfMemoryError) {
            long maxGib = Math.max(1, Runtime.getRuntime().maxMemory() >> 30);
            // what failed to fit is not known here: ask for the heap again on top of what is in use
            message = "out of memory (" + e.getMessage() + ", heap maximum " + maxGib + " GiB): "
                    + io.reluquant.kernel.Memory.heapAdvice(Runtime.getRuntime().maxMemory());
        } else if (e instanceof LinkageError) {
            message = "broken installation: " + e + " (rebuild with mvn -B install -DskipTests and run again)";
        } else {
            message = "internal error: " + e;
        }
        err.println("reluquant: " + message.replace('\n', ' ').replace('\r', ' ').strip() + (debug() ? "" : " (set RELUQUANT_DEBUG=1 for the stack trace)"));
        if (debug()) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    static boolean debug() {
        String v = System.getenv("RELUQUANT_DEBUG");
        return v != null && !v.isEmpty() && !v.equals("0");
    }

}
