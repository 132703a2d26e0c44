package io.reluquant.validation.report;

import io.reluquant.io.data.FashionMnist;
import io.reluquant.validation.experiments.Claims;
import io.reluquant.validation.experiments.DirectionSnapshots;
import io.reluquant.validation.experiments.E1OneDimensional;
import io.reluquant.validation.experiments.E2TwoDimensional;
import io.reluquant.validation.experiments.E3Orthogonal;
import io.reluquant.validation.experiments.E4FinitelyMany;
import io.reluquant.validation.experiments.E5EscapeTime;
import io.reluquant.validation.experiments.FairContrast;
import io.reluquant.validation.experiments.FunctionCount;
import io.reluquant.validation.experiments.Oracle;
import io.reluquant.validation.experiments.PhaseSequence;
import io.reluquant.validation.experiments.Sweep;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs the oracle, experiments E1-E5, the per-attractor alignment and reduced model, the vector-output alignment, the phases, the fair contrast, the functions over seeds, the smooth-target experiment
 * (docs/THEORY.md section 9) and the real-data section, and writes report.md with a
 * claims table, PNG plots and a CSV beside every plot into one folder. Every number in it is measured by this run;
 * nothing is copied. A claim is an entry of {@link Claims}, an experiment class that returns its verdicts, and one line
 * here.
 */
public final class QuantizationReport {
    private QuantizationReport() {}

    /**
     * Runs everything and writes {@code out/report.md}.
     *
     * @param quick the CI variant: fewer widths and runs, a few minutes on 2 cores
     * @param threads kernel threads per run
     * @return the claims table as measured
     */
    public static List<Claims.Verdict> run(boolean quick, int threads, Path out, PrintStream log) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Claims.Verdict> claims = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        int runs = new Sweep(quick, threads, (name, att, q) -> {}).runs();
        try (ProgressBar pb = new ProgressBarBuilder().setTaskName("report").setInitialMax(runs).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(log)).build()) {
            RunFigures figures = new RunFigures(out, pb);
            Sweep s = new Sweep(quick, threads, figures);
            figures.sweep(s);
            SyntheticSections md = new SyntheticSections(out, figures, body);

            Oracle.Result oracle = Oracle.run();
            claims.add(oracle.verdict());
            md.oracle(oracle);

            E1OneDimensional.Result e1 = E1OneDimensional.run(s);
            claims.addAll(e1.verdicts());
            md.e1(e1, s);

            E2TwoDimensional.Result e2 = E2TwoDimensional.run(s);
            claims.addAll(e2.verdicts());
            md.e2(e2, s);

            E3Orthogonal.Result e3 = E3Orthogonal.run(s);
            claims.add(e3.verdict());
            md.e3(e3);

            E4FinitelyMany.Result e4 = E4FinitelyMany.run(s);
            md.e4(e4);

            E5EscapeTime.Result e5 = E5EscapeTime.run(s);
            claims.add(e5.verdict());
            md.e5(e5);
        }
        long t0 = System.nanoTime();
        claims.addAll(AlignmentSection.run(quick, threads, out, body, log));
        t0 = lap(log, "per-attractor alignment and reduced model", t0);
        claims.addAll(VectorSection.run(quick, threads, out, body));
        lap(log, "vector outputs", t0);
        theory(quick, out, claims, body, log);
        claims.addAll(RaceSection.run(quick, body, log));
        RealDataReport.Section real = RealDataReport.run(quick ? RealDataReport.Sizes.quick(threads) : RealDataReport.Sizes.full(threads),
                FashionMnist.DEFAULT_DIR, out, log);
        claims.addAll(real.claims());
        body.append(real.markdown());
        ReportWriter.write(out, quick, threads, claims, body);
        return claims;
    }

    /**
     * The phases predicted from the data alone, the fair contrast at equal loss, the functions over seeds and the smooth-target
     * experiment, at the quick or the full size; each logs its wall time (2 runs at once, one kernel thread each).
     */
    static void theory(boolean quick, Path out, List<Claims.Verdict> claims, StringBuilder body, PrintStream log) {
        ContrastSection md = new ContrastSection(out, body);
        long t0 = System.nanoTime();
        List<PhaseSequence.Result> phases = new ArrayList<>();
        List<PhaseSequence.Result> controls = new ArrayList<>();
        for (PhaseSequence.Case c : PhaseSequence.cases()) {
            PhaseSequence.Result r = PhaseSequence.run(c, quick ? PhaseSequence.Config.quick() : PhaseSequence.Config.full());
            PhaseSequence.Result control = PhaseSequence.control(c, r);
            claims.add(PhaseSequence.judge(r, control));
            phases.add(r);
            controls.add(control);
        }
        md.phases(phases, controls);
        long t1 = lap(log, "phases", t0);
        List<FairContrast.Result> fair = FairContrast.runSeeds(quick ? FairContrast.Config.quick() : FairContrast.Config.full(),
                quick ? Claims.FAIR_CONTRAST_SEEDS_QUICK : Claims.FAIR_CONTRAST_SEEDS);
        claims.addAll(FairContrast.judge(fair));
        md.fairContrast(fair);
        long t2 = lap(log, "fair contrast", t1);
        FunctionCount.Result functions = FunctionCount.run(quick ? FunctionCount.Config.quick() : FunctionCount.Config.full());
        claims.addAll(FunctionCount.judge(functions));
        md.functions(functions);
        long t3 = lap(log, "functions over seeds", t2);
        SmoothSection.run(quick, out, body, log);
        long t4 = lap(log, "smooth targets", t3);
        md.snapshots(DirectionSnapshots.run(quick ? 1_000 : 10_000));
        lap(log, "snapshots", t4);
    }

    private static long lap(PrintStream log, String what, long since) {
        long now = System.nanoTime();
        log.printf(Locale.ROOT, "report: %s %.1f s%n", what, (now - since) * 1e-9);
        return now;
    }
}
