package io.reluquant.validation.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and captures its exit status and streams. */
final class Cli {
    final int status;
    final String out;
    final String err;

    private Cli(int status, String out, String err) {
        this.status = status;
        this.out = out;
        this.err = err;
    }

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ReluquantCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
        Cli r = new Cli(status, out.toString(), err.toString());
        System.out.print(r.out);
        System.out.print(r.err);
        return r;
    }
}
