package io.reluquant.validation.cli;

import io.reluquant.io.OutputRefusedException;
import io.reluquant.io.npy.NpyFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code reluquant} command line (launched by {@code bin/reluquant}). Subcommands are listed
 * here; a new one is a picocli {@code @Command} class added to {@code subcommands}.
 *
 * <p>Exit status: 0 success, 1 a failure while running (I/O error, a step that went non-finite,
 * a comparison over its tolerance), 2 bad arguments or unreadable input files. Errors print one
 * line on stderr, never a stack trace (set the environment variable RELUQUANT_DEBUG=1 to get one).
 */
@Command(name = "reluquant",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "Gradient descent on wide two-layer ReLU networks f(x) = sum_j a_j relu(w_j.x + b_j), "
                + "with NumPy .npy/.npz input and output.",
        subcommands = {
            TrainCommand.class,
            CompareCommand.class,
            MatchCommand.class,
            DataCommand.class,
            AnalyzeCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class,
        })
public final class ReluquantCommand implements Runnable {
    /** Exit status for bad arguments or unreadable input (picocli's usage status). */
    public static final int EXIT_USAGE = 2;
    /** Exit status for a failure while running. */
    public static final int EXIT_FAILURE = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (one of " + spec.subcommands().keySet() + ")");
    }

    /** Entry point (bin/reluquant starts {@link Main}, which also reports a missing library). */
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the command line with the given streams (tests use this).
     *
     * @return the exit status
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        try {
            return executeCommand(out, err, args);
        } catch (Throwable e) {
            // picocli hands only Exceptions to the handler below: an Error (OutOfMemoryError,
            // NoClassDefFoundError after a rebuild under a running launcher, StackOverflowError) lands here
            return fatal(err, e);
        }
    }

    /** One line for an Error (see {@link Main#fatal}). */
    static int fatal(PrintWriter err, Throwable e) {
        return Main.fatal(err, e);
    }

    static boolean debug() {
        return Main.debug();
    }

    private static int executeCommand(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new ReluquantCommand());
        // picocli hides generate-completion by default; list it, the README tells users to run it
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandName().equals("reluquant") ? "reluquant: " + oneLine(ex.getMessage())
                    : "reluquant " + cmd.getCommandName() + ": " + oneLine(ex.getMessage())
                            + " (see 'reluquant " + cmd.getCommandName() + " --help')");
            cmd.getErr().flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable e = ex instanceof UncheckedIOException ? ex.getCause() : ex;
            String name = cmd.getCommandName().equals("reluquant") ? "reluquant" : "reluquant " + cmd.getCommandName();
            int status;
            String message;
            if (e instanceof NoSuchFileException) {
                status = EXIT_USAGE;
                message = "no such file: " + ((NoSuchFileException) e).getFile();
            } else if (e instanceof UsageException || e instanceof NpyFormatException || e instanceof IllegalArgumentException
                    || e instanceof OutputRefusedException) {
                status = EXIT_USAGE;
                message = e.getMessage();
            } else if (e instanceof IOException) {
                status = EXIT_FAILURE;
                message = "I/O error: " + e.getMessage();
            } else if (e instanceof ArithmeticException) {
                status = EXIT_FAILURE;
                message = e.getMessage();
            } else {
                status = EXIT_FAILURE;
                message = "internal error: " + e + " (set RELUQUANT_DEBUG=1 for the stack trace)";
            }
            cmd.getErr().println(name + ": " + oneLine(message));
            if (debug()) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return status;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.replace('\n', ' ').replace('\r', ' ').strip();
    }
}
