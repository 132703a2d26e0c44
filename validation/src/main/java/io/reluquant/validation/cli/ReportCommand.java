package io.reluquant.validation.cli;

import io.reluquant.validation.experiments.Claims;
import io.reluquant.validation.report.QuantizationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code reluquant report [--quick] [--out DIR]}: regenerates the quantization report (experiments
 * E1-E5 of docs/THEORY.md section 9) as DIR/report.md with PNG plots and CSVs, and prints the claims table. With
 * {@code --strict} the exit status is 1 when a claim fails (some fail for reasons the report explains,
 * so the default is 0).
 */
@Command(name = "report", mixinStandardHelpOptions = true, resourceBundle = OptionTexts.BUNDLE,
        description = "Run the quantization experiments E1-E5 and write report.md, PNG plots and CSVs.")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "the CI variant: widths up to 1e4, fewer runs and seeds (about 2 minutes on 2 cores)")
    boolean quick;

    // never the committed validation/report/ by default: a run from the repository root must not
    // overwrite it unless asked with --out validation/report
    @Option(names = "--out", paramLabel = "DIR",
            description = "output folder (default: target/report, or target/report-quick with --quick, under the "
                    + "current directory; --out validation/report replaces the committed report)")
    Path out;

    @Option(names = "--strict", description = "exit with status 1 when a claim fails")
    boolean strict;

    @Mixin
    ThreadsOption threads;

    /**
     * @param quick whether the quick variant runs
     * @return where the report goes without --out: under target/ of the current directory
     */
    public static Path defaultFolder(boolean quick) {
        return Path.of("target", quick ? "report-quick" : "report");
    }

    @Override
    public Integer call() {
        int k = threads.count();
        if (k < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + k);
        }
        Path dir = out != null ? out : defaultFolder(quick);
        List<Claims.Verdict> claims = QuantizationReport.run(quick, k, dir, System.err);
        var w = spec.commandLine().getOut();
        boolean all = true;
        for (Claims.Verdict c : claims) {
            w.printf(Locale.ROOT, "%-5s %s%n      predicted: %s%n      measured:  %s%n", c.pass() ? "PASS" : "FAIL", c.claim(), c.prediction(), c.measured());
            all &= c.pass();
        }
        w.println("report: " + dir.toAbsolutePath().resolve("report.md"));
        return all || !strict ? 0 : 1;
    }
}
