package io.reluquant.validation.report;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.data.DataSets;
import io.reluquant.validation.experiments.FairContrast;
import io.reluquant.validation.experiments.FunctionCount;
import io.reluquant.validation.experiments.GdRun;
import io.reluquant.validation.experiments.NtkScaling;
import io.reluquant.validation.experiments.PyTorchDefaultInit;
import io.reluquant.validation.experiments.SmoothApproximation;
import io.reluquant.validation.experiments.Training;
import io.reluquant.validation.experiments.Verdict;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.theory.AugmentedInputs;
import io.reluquant.validation.theory.FinalFit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * The fair-contrast section of the report: runs {@link FairContrast}, {@link FunctionCount} and
 * {@link SmoothApproximation} at the quick (CI) or full (report) size, draws the figures of
 * {@link ContrastFigures}, and writes contrast.md with every verdict, the measured rows and the wall
 * times. Run: {@code ContrastSection quick|full OUTDIR}.
 */
public final class ContrastSection {
    private ContrastSection() {}

    /** Steps of the snapshot run whose direction histograms and polar plots are drawn. */
    private static final long[] SNAPSHOTS = {0, 1_000, 2_000, 2_500, 3_000, 5_000, 20_000};

    /**
     * @param verdicts every judged claim
     * @param seconds wall times: fair contrast, functions, approximation, snapshots and figures, total
     */
    public record Summary(List<Verdict> verdicts, double[] seconds) {}

    /** Entry point: {@code quick|full OUTDIR}. */
    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("quick") || args[0].equals("full"))) {
            throw new IllegalArgumentException("usage: ContrastSection quick|full OUTDIR, got " + String.join(" ", args));
        }
        write(args[0].equals("full"), Path.of(args[1]));
    }

    /** Runs everything at one size and writes the figures and contrast.md under {@code dir}. */
    public static Summary write(boolean full, Path dir) {
        long t0 = System.nanoTime();
        FairContrast.Result fair = FairContrast.run(full ? FairContrast.Config.full() : FairContrast.Config.quick());
        FunctionCount.Result functions = FunctionCount.run(full ? FunctionCount.Config.full() : FunctionCount.Config.quick());
        SmoothApproximation.Result approx = SmoothApproximation.run(full ? SmoothApproximation.Config.full() : SmoothApproximation.Config.quick());
        long t3 = System.nanoTime();
        List<Verdict> verdicts = new ArrayList<>(FairContrast.judge(fair));
        verdicts.addAll(FunctionCount.judge(functions));
        StringBuilder md = new StringBuilder("# Fair contrast, finitely many functions, smooth targets (" + (full ? "full" : "quick") + " size)\n\n");
        md.append("Small init against contrasts at EQUAL LOSS (docs/THEORY.md sections 3-4): the PyTorch-default contrast draws a random bias")
                .append(" and is trained in the NTK scaling (lr_a = eta/m, lr_v = eta, eta half the stability limit of the tangent kernel)")
                .append(" down to the small-init run's final loss. Thresholds: experiments/ContrastThresholds.java.\n\n");
        md.append(Verdict.markdownHeader()).append('\n');
        for (Verdict v : verdicts) {
            md.append(v.markdownRow()).append('\n');
        }
        md.append("\n## N_eff at equal loss (every run; the He b = 0 and lambda = 1 rows are shown, not judged)\n\n")
                .append("| data | init | m | lr_a | lr_v | target loss | loss | equal loss reached | steps | N_eff at init | N_eff |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (FairContrast.Row r : fair.rows()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3g | %.3g | %s | %.3e | %s | %d | %.1f | %.2f |%n", r.data(),
                    r.init().label(), r.width(), r.lrOutput(), r.lrHidden(),
                    r.init() == FairContrast.Init.SMALL ? "-" : String.format(Locale.ROOT, "%.3e", r.targetLoss()), r.loss(),
                    r.init() == FairContrast.Init.SMALL ? "(defines it)" : r.reached() ? "yes" : "NO", r.steps(), r.neffInit(), r.neff()));
        }
        md.append(String.format(Locale.ROOT, "%n## Functions over %d seeds (tolerance %.2e = %.0fx the convergence level %.2e; predicted count %d)%n%n",
                functions.config().seeds(), functions.tolerance(), functions.tolerance() / Math.max(functions.convergence(), 1e-300),
                functions.convergence(), functions.predictedCount()));
        md.append("| init | m | distinct fitted vectors | median pairwise sup distance on [-1.2, 1.2] | curvature mass at data (pooled) | smallest seed | equal loss reached by all |\n|---|---|---|---|---|---|---|\n");
        for (FunctionCount.Summary s : functions.summaries()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3e | %.4f | %.4f | %s |%n", s.small() ? "small" : "PyTorch default, NTK",
                    s.width(), s.distinct(), s.spread(), s.kinkShare(), s.minKinkShare(), s.reachedAll() ? "yes" : "NO"));
        }
        md.append(String.format(Locale.ROOT, "%nLog-log slopes of the spread against m: small init %.3f, contrast %.3f.%n",
                functions.smallSlope(), functions.contrastSlope()));
        md.append("\n## The paper's open question: smooth targets (an experiment, not a claim)\n\n")
                .append("| target | n | training loss | loss a tenth of the run earlier | GD sup | GD RMS | interpolant sup | interpolant RMS | h^2/8 max abs f'' |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (SmoothApproximation.Row r : approx.rows()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2e | %.2e | %.2e | %.2e | %.2e | %.2e | %.2e |%s%n", r.target().label(), r.samples(),
                    r.loss(), r.lossBefore(), r.gdSup(), r.gdRms(), r.interpSup(), r.interpRms(), r.bound(), r.diverged() ? " DIVERGED" : ""));
        }
        md.append("\nOutcome at this step budget: ").append(approx.statement()).append('\n');
        figures(dir, fair, functions, approx, full);
        long t4 = System.nanoTime();
        double[] seconds = {fair.seconds(), functions.seconds(), approx.seconds(), (t4 - t3) * 1e-9, (t4 - t0) * 1e-9};
        md.append(String.format(Locale.ROOT, "%nWall times (2 runs at once, one kernel thread each): fair contrast %.1f s, functions %.1f s,"
                + " smooth targets %.1f s, snapshots and figures %.1f s, total %.1f s.%n", seconds[0], seconds[1], seconds[2], seconds[3], seconds[4]));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("contrast.md"), md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print(md);
        return new Summary(verdicts, seconds);
    }

    private static void figures(Path dir, FairContrast.Result fair, FunctionCount.Result functions, SmoothApproximation.Result approx, boolean full) {
        Dataset five = DataSets.fivePoint();
        // fans: every seed, per init and width
        for (int m : functions.config().widths()) {
            for (boolean small : new boolean[] {true, false}) {
                List<double[]> fs = functions.runs(small, m).stream().map(FunctionCount.Run::grid).toList();
                ContrastFigures.fan(dir, String.format(Locale.ROOT, "fan_%s_m%d", small ? "small" : "contrast", m),
                        String.format(Locale.ROOT, "%s, m = %d: %d seeds", small ? "small init (lambda = 1e-4)" : "PyTorch default, NTK rates, at equal loss",
                                m, fs.size()), functions.gridX(), fs, five.inputs(), five.targets());
            }
        }
        // N_eff against the width at equal loss
        for (String data : new String[] {FairContrast.ONE_D, FairContrast.TWO_D}) {
            List<String> names = new ArrayList<>();
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (FairContrast.Init init : FairContrast.Init.values()) {
                List<FairContrast.Row> rows = fair.rows().stream().filter(r -> r.data().equals(data) && r.init() == init).toList();
                if (!rows.isEmpty()) {
                    names.add(init.label());
                    xs.add(rows.stream().mapToDouble(FairContrast.Row::width).toArray());
                    ys.add(rows.stream().mapToDouble(FairContrast.Row::neff).toArray());
                }
            }
            ContrastFigures.logLog(dir, "neff_vs_width_" + (data.equals(FairContrast.ONE_D) ? "1d" : "2d"),
                    "N_eff (1-degree clusters) at equal loss, " + data, "width m", "N_eff", names, xs, ys);
        }
        // smooth targets: sup error against n beside the interpolant's
        for (String kind : new String[] {"sup", "rms"}) {
            List<String> names = new ArrayList<>();
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (SmoothApproximation.Target t : SmoothApproximation.Target.values()) {
                List<SmoothApproximation.Row> rs = approx.rows(t);
                double[] n = rs.stream().mapToDouble(SmoothApproximation.Row::samples).toArray();
                names.add(t.label() + ", small-init GD");
                xs.add(n);
                ys.add(rs.stream().mapToDouble(kind.equals("sup") ? SmoothApproximation.Row::gdSup : SmoothApproximation.Row::gdRms).toArray());
                names.add(t.label() + ", linear interpolant");
                xs.add(n);
                ys.add(rs.stream().mapToDouble(kind.equals("sup") ? SmoothApproximation.Row::interpSup : SmoothApproximation.Row::interpRms).toArray());
            }
            ContrastFigures.logLog(dir, "approximation_" + kind, "held-out " + kind + " error against n (equispaced points of [-1, 1])",
                    "n", kind + " error", names, xs, ys);
        }
        // snapshots over time: small init and the contrast on the five-point data
        int m = full ? 10_000 : 1_000;
        Parameters smallInit = Initializers.balanced(m, 1, 1e-4, 1, true);
        GdRun.Result small = GdRun.run(five, smallInit, GdRun.Settings.single(0.02, SNAPSHOTS[SNAPSHOTS.length - 1], Precision.FLOAT64, 1)
                .withSnapshots(SNAPSHOTS));
        List<Neurons> nets = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Training.Snapshot s : small.snapshots()) {
            nets.add(Neurons.of(s.parameters(), true));
            labels.add(String.format(Locale.ROOT, "step %d, loss %.3g", s.step(), s.loss()));
        }
        ContrastFigures.directionHistograms(dir, "directions_small", "small init, m = " + m + ": mass share by direction over time", nets, labels);
        ContrastFigures.polar(dir, "polar_small_end", "small init, m = " + m + ", step " + small.end().step() + ": area ~ mass",
                Neurons.of(small.end().parameters(), true));
        ContrastFigures.polar(dir, "polar_small_init", "small init, m = " + m + ", step 0: area ~ mass", nets.get(0));
        Parameters contrastInit = PyTorchDefaultInit.draw(m, 1, 1);
        NtkScaling.Rates rates = NtkScaling.rates(five, contrastInit);
        GdRun.Result contrast = GdRun.run(five, contrastInit, new GdRun.Settings(rates.output(), rates.hidden(), 100_000,
                Math.max(small.end().loss(), 1e-8), new long[] {0}, Precision.FLOAT64, 1));
        ContrastFigures.directionHistograms(dir, "directions_contrast", "PyTorch default, NTK rates, m = " + m + ": start and equal loss",
                List.of(Neurons.of(contrastInit, true), Neurons.of(contrast.end().parameters(), true)),
                List.of("step 0", String.format(Locale.ROOT, "step %d, loss %.3g", contrast.end().step(), contrast.end().loss())));
        ContrastFigures.polar(dir, "polar_contrast_end", "PyTorch default, NTK rates, m = " + m + ", at equal loss: area ~ mass",
                Neurons.of(contrast.end().parameters(), true));
        ContrastFigures.lossCurve(dir, "loss_small", "small init, m = " + m + ": loss with the plateau levels of docs/THEORY.md section 5",
                small.curveSteps(), small.curveLoss(), fivePointPlateaus(five));
    }

    /**
     * The plateau losses ||(I - P_J) y||^2 / (2n) of the J sequence that docs/THEORY.md section 5 gives
     * for the five-point data: J empty (f = 0), J = {all points} (the mean), and the final
     * J = {all}, {x = 1}, {x = -1}.
     */
    static double[] fivePointPlateaus(Dataset five) {
        AugmentedInputs xt = AugmentedInputs.of(five, true);
        BitSet all = new BitSet();
        all.set(0, 5);
        BitSet right = new BitSet();
        right.set(4);
        BitSet left = new BitSet();
        left.set(0);
        List<List<BitSet>> sequence = List.of(List.of(), List.of(all), List.of(all, right, left));
        double[] y = five.targets();
        double[] levels = new double[sequence.size()];
        for (int k = 0; k < levels.length; k++) {
            double[] p = sequence.get(k).isEmpty() ? new double[y.length] : FinalFit.project(xt, sequence.get(k), y);
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += (y[i] - p[i]) * (y[i] - p[i]);
            }
            levels[k] = s / (2 * y.length);
        }
        return levels;
    }
}
