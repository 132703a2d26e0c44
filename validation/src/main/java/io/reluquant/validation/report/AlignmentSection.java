package io.reluquant.validation.report;

import io.reluquant.io.plot.Csv;
import io.reluquant.io.plot.Plots;
import io.reluquant.validation.experiments.AttractorAlignment;
import io.reluquant.validation.experiments.Claims;
import io.reluquant.validation.experiments.Format;
import io.reluquant.validation.experiments.FreshAlignment;
import io.reluquant.validation.experiments.ReducedModel;
import io.reluquant.validation.measures.Basins;
import io.reluquant.validation.theory.Attractor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's section on per-attractor alignment, the spread law and the reduced model: runs
 * {@link AttractorAlignment} and {@link ReducedModel}, appends their tables to the report's markdown
 * and writes their figures (each with its CSV) into the report directory.
 */
public final class AlignmentSection {
    private AlignmentSection() {}

    /**
     * Runs both experiments and writes the section.
     *
     * @param quick the CI-size variant instead of the full one (the full one measured 831 s on 2 idle cores with JDK 25: hand-made
     *     sets 242 s, reduced model 101 s, the 40 fresh sets 345 s, the spread law's second registration 139 s; the report's
     *     header gives each run's costs)
     * @param threads kernel threads
     * @param out the report directory (figures and CSVs go here)
     * @param body the report's markdown, appended to
     * @return the verdicts of the section's claims, in table order
     */
    public static List<Claims.Verdict> run(boolean quick, int threads, Path out, StringBuilder body) {
        return run(quick, threads, out, body, System.err);
    }

    /**
     * The section alone, as the report runs it, into OUT_DIR/alignment.md with its figures and CSVs (a judging run at full
     * size without the other sections): {@code AlignmentSection OUT_DIR [--quick] [--threads K]}.
     *
     * @param args OUT_DIR, then the options
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--spread-second")) {
            // the spread law's second registration alone: its judging run, into OUT_DIR/spread-second.md
            List<String> rest = new ArrayList<>(List.of(args));
            rest.remove("--spread-second");
            ReportWriter.runAlone(rest.toArray(String[]::new), "AlignmentSection", "spread-second.md",
                    (quick, threads, out, body) -> secondSpread(quick, threads, out, body, System.err));
            return;
        }
        ReportWriter.runAlone(args, "AlignmentSection", "alignment.md", AlignmentSection::run);
    }

    /**
     * The spread law's second registration ({@link FreshAlignment#runSecondSpread}): runs it, appends its tables and writes
     * its CSV.
     *
     * @return its verdicts
     */
    static List<Claims.Verdict> secondSpread(boolean quick, int threads, Path out, StringBuilder body, PrintStream log) {
        FreshAlignment.Result r = FreshAlignment.runSecondSpread(quick, Math.max(1, threads));
        log.printf(Locale.ROOT, "alignment: spread law, second registration %.1f s%n", r.seconds());
        body.append("### Spread law on fresh sets, second registration (pre-registered in Claims.java)\n\n")
                .append(Format.of("The first registration's sets held no attractor on which the slope-1 law could be judged. These sets "
                        + "are chosen from the data alone before any run (registered in commit %s): `DataSets.random1d(%d, seed)` from seed %d and `DataSets.twoD(%d, seed)` "
                        + "from seed %d, the first %d per family whose predicted attractors hold an interior one of rate >= 1/3 of the fastest "
                        + "with predicted slope <= %.1f. Runs and judge as the first registration (%d seeds, lambda 1e-4, 1e-6, 1e-8, m = 1e4, "
                        + "float64; this run %.0f s).\n\n", Claims.SPREAD_SECOND_PREREGISTERED, Claims.SPREAD_SECOND_N, Claims.SPREAD_SECOND_FIRST_SEED_1D, Claims.SPREAD_SECOND_N,
                        Claims.SPREAD_SECOND_FIRST_SEED_2D, r.sets(), Claims.SLOPE_CONTROL_MAX_PREDICTED, r.seeds(), r.seconds()))
                .append("| family | set | data seed | attractor rate ratio | predicted slope | mean measured slope [95% interval] | seeds | within 20% |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"family", "set", "data_seed", "rate_ratio", "predicted_slope", "mean_slope", "ci_lo", "ci_hi", "seeds"});
        for (FreshAlignment.Fit f : FreshAlignment.fits(r)) {
            long seed = r.dataSeeds().get(f.family()).get(f.set());
            boolean within = Math.abs(f.mean().estimate() / f.predicted() - 1) <= Claims.SPREAD_SLOPE_ERROR;
            body.append(Format.of("| %s | %d | %d | %.3f | %.3f | %s | %d | %s |\n", f.family(), f.set(), seed, f.ratio(), f.predicted(),
                    f.mean().describe("%.3f"), f.slopes().length, within ? "yes" : "NO"));
            rows.add(new String[] {Csv.quote(f.family()), String.valueOf(f.set()), String.valueOf(seed), Csv.num(f.ratio()),
                Csv.num(f.predicted()), Csv.num(f.mean().estimate()), Csv.num(f.mean().lo()), Csv.num(f.mean().hi()),
                String.valueOf(f.slopes().length)});
        }
        Csv.write(out.resolve("spread-second-fits.csv"), rows);
        body.append('\n');
        return FreshAlignment.judgeSecondSpread(r);
    }

    /** As {@link #run(boolean, int, Path, StringBuilder)}, logging each part's wall time to log. */
    static List<Claims.Verdict> run(boolean quick, int threads, Path out, StringBuilder body, PrintStream log) {
        long t0 = System.nanoTime();
        AttractorAlignment.Result alignment = AttractorAlignment.run(quick, threads);
        long t1 = System.nanoTime();
        log.printf(Locale.ROOT, "alignment: per-attractor alignment and spread law %.1f s%n", (t1 - t0) * 1e-9);
        ReducedModel.Result reduced = ReducedModel.run(quick, threads);
        long t2 = System.nanoTime();
        log.printf(Locale.ROOT, "alignment: reduced model %.1f s%n", (t2 - t1) * 1e-9);
        write(alignment, reduced, out, body);
        // two runs at once, one kernel thread each (the runs are small)
        FreshAlignment.Result fresh = FreshAlignment.run(quick, Math.max(1, threads));
        log.printf(Locale.ROOT, "alignment: fresh sets %.1f s%n", (System.nanoTime() - t2) * 1e-9);
        writeFresh(fresh, out, body);
        List<Claims.Verdict> v = new ArrayList<>(alignment.verdicts());
        v.addAll(reduced.verdicts());
        v.addAll(FreshAlignment.judge(fresh));
        v.addAll(secondSpread(quick, threads, out, body, log));
        return v;
    }

    /**
     * Writes the fresh-set part of the section: one row per run and one per spread-law fit, with CSVs.
     *
     * @param fresh the runs
     * @param out the report directory
     * @param body the markdown, appended to
     */
    public static void writeFresh(FreshAlignment.Result fresh, Path out, StringBuilder body) {
        body.append("### Fresh data sets (pre-registered in Claims.java)\n\n")
                .append(Format.of("Data no test and no tuning run has seen: `DataSets.random1d(n, seed)` at seeds %d.. and `DataSets.twoD(n, seed)` at "
                        + "seeds %d.., n evenly spaced from %d to %d over %d sets per family (this run: %d sets, %.0f s). m = 1e4, float64, "
                        + "lr = %s. Held to the criteria: attractors of rate >= 1/3 of the fastest whose basin holds >= 10 of the neurons read "
                        + "(every 10th neuron, claim and control alike). The control reads the same network at the same step against the "
                        + "attractors of the permuted targets.\n\n", Claims.FRESH_1D_FIRST_SEED, Claims.FRESH_2D_FIRST_SEED, Claims.FRESH_N_MIN,
                        Claims.FRESH_N_MAX, Claims.FRESH_SETS, fresh.sets(), fresh.seconds(), AttractorAlignment.LR))
                .append("| family | set | n | seed | lambda | step | attractors | worst judged within 1 deg | control: worst judged | unassigned (control) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"family", "set", "n", "seed", "lambda", "step", "attractors", "worst_judged_within", "control_worst_judged",
            "control_unassigned_share"});
        for (FreshAlignment.Run r : fresh.runs()) {
            AttractorAlignment.Measurement q = r.m();
            double w = FreshAlignment.worstJudged(q.report());
            double c = FreshAlignment.worstJudged(q.permuted());
            body.append(Format.of("| %s | %d | %d | %d | %.0e | %d | %d | %.4f | %.4f | %.3f |\n", r.family(), r.set(), r.n(), q.seed(), q.lambda(),
                    q.step(), q.report().perAttractor().size(), w, c, q.permuted().unassignedShare()));
            rows.add(new String[] {Csv.quote(r.family()), String.valueOf(r.set()), String.valueOf(r.n()), String.valueOf(q.seed()), Csv.num(q.lambda()),
                String.valueOf(q.step()), String.valueOf(q.report().perAttractor().size()), Csv.num(w), Csv.num(c),
                Csv.num(q.permuted().unassignedShare())});
        }
        Csv.write(out.resolve("fresh-alignment.csv"), rows);
        body.append("\nSpread law on the fresh sets: per judged interior attractor the slope of ln(spread) against ln(lambda) per seed, "
                + "their mean with a 95% percentile bootstrap interval over seeds, against the theory's slope.\n\n")
                .append("| family | set | attractor rate ratio | predicted slope | mean measured slope [95% interval] | seeds | within 20% |\n")
                .append("|---|---|---|---|---|---|---|\n");
        List<String[]> fitRows = new ArrayList<>();
        fitRows.add(new String[] {"family", "set", "rate_ratio", "predicted_slope", "mean_slope", "ci_lo", "ci_hi", "seeds"});
        for (FreshAlignment.Fit f : FreshAlignment.fits(fresh)) {
            boolean within = Math.abs(f.mean().estimate() / f.predicted() - 1) <= Claims.SPREAD_SLOPE_ERROR;
            body.append(Format.of("| %s | %d | %.3f | %.3f | %s | %d | %s |\n", f.family(), f.set(), f.ratio(), f.predicted(),
                    f.mean().describe("%.3f"), f.slopes().length, within ? "yes" : "NO"));
            fitRows.add(new String[] {Csv.quote(f.family()), String.valueOf(f.set()), Csv.num(f.ratio()), Csv.num(f.predicted()),
                Csv.num(f.mean().estimate()), Csv.num(f.mean().lo()), Csv.num(f.mean().hi()), String.valueOf(f.slopes().length)});
        }
        Csv.write(out.resolve("fresh-spread-fits.csv"), fitRows);
        body.append('\n');
    }

    /**
     * Writes the section of results already measured.
     *
     * @param alignment the per-attractor alignment and spread fits
     * @param reduced the reduced-model runs
     * @param out the report directory
     * @param body the markdown, appended to
     */
    public static void write(AttractorAlignment.Result alignment, ReducedModel.Result reduced, Path out, StringBuilder body) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.append("## Per-attractor alignment, spread law, reduced model\n\n")
                .append("Every basin of every predicted attractor is judged on its own (docs/THEORY.md section 9, last subsection): ")
                .append("the share of the basin's mass within 1 degree of its attractor, measured at the last step with ")
                .append("L0 - L <= 1e-4 L0 (the residual is still -y), float64, lr = ").append(AttractorAlignment.LR)
                .append(". The basin of a neuron is where the direction flow of its sign with the residual held at -y carries it.\n\n")
                .append("| data | m | lambda | step | attractor | sign | rate abs(G) | basin share of mass | within 1 deg | median angle (deg) | spread (deg) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"data", "m", "lambda", "step", "attractor", "sign", "rate", "boundary", "basin_share", "within_1deg",
                "median_angle_rad", "q99_angle_rad", "spread_rad", "neurons", "unassigned_share"});
        for (AttractorAlignment.Measurement q : alignment.measurements()) {
            for (Basins.Alignment a : q.report().perAttractor()) {
                Attractor at = a.attractor();
                body.append(Format.of("| %s | %d | %.0e | %d | %s | %+d | %.3f | %.2e | %.4f | %.2e | %.2e |\n", q.data(), q.width(), q.lambda(),
                        q.step(), name(at), at.sign(), Math.abs(at.potential()), a.basinShare(), a.within(), Math.toDegrees(a.medianAngle()),
                        Math.toDegrees(a.spread())));
                rows.add(new String[] {Csv.quote(q.data()), String.valueOf(q.width()), Csv.num(q.lambda()), String.valueOf(q.step()),
                        Csv.quote(name(at)), String.valueOf(at.sign()), Csv.num(Math.abs(at.potential())), String.valueOf(at.boundary()),
                        Csv.num(a.basinShare()), Csv.num(a.within()), Csv.num(a.medianAngle()), Csv.num(a.q99Angle()), Csv.num(a.spread()),
                        String.valueOf(a.neurons()), Csv.num(q.report().unassignedShare())});
            }
        }
        Csv.write(out.resolve("alignment-per-attractor.csv"), rows);
        body.append("\nSpread law: slope of ln(spread) against ln(lambda) (spread = mass-weighted median angle of the basin's neurons to ")
                .append("their mean direction), against the theory's ln(1 + lr abs(G(A))/n) / ln(1 + lr abs(G_max)/n). ")
                .append("Boundary attractors have no predicted slope (reached in finite time; their width is set by lr). Each seed's slope is ")
                .append(Format.of("fitted on its own (seeds 1..%d at m = 1e4, every lambda); the row gives their mean with a 95%% percentile ",
                        alignment.fits().isEmpty() ? 0 : alignment.fits().get(0).slopes().length))
                .append("bootstrap interval over seeds.\n\n")
                .append("| data | attractor | sign | rate abs(G) | predicted slope | measured slope, seed mean [95% interval] | relative error of the mean |\n"
                        + "|---|---|---|---|---|---|---|\n");
        List<String[]> fitRows = new ArrayList<>();
        fitRows.add(new String[] {"data", "attractor", "sign", "rate", "boundary", "predicted_slope", "measured_slope", "ci_lo", "ci_hi", "seeds"});
        for (AttractorAlignment.SpreadFit f : alignment.fits()) {
            Attractor at = f.attractor();
            boolean predicted = !Double.isNaN(f.predictedSlope());
            body.append(Format.of("| %s | %s | %+d | %.3f | %s | %s | %s |\n", f.data(), name(at), at.sign(), Math.abs(at.potential()),
                    predicted ? Format.of("%.4f", f.predictedSlope()) : "none (boundary)", f.interval().describe("%.4f"),
                    predicted ? Format.of("%.3f", f.relativeError()) : "-"));
            fitRows.add(new String[] {Csv.quote(f.data()), Csv.quote(name(at)), String.valueOf(at.sign()), Csv.num(Math.abs(at.potential())),
                    String.valueOf(at.boundary()), Csv.num(f.predictedSlope()), Csv.num(f.measuredSlope()), Csv.num(f.interval().lo()),
                    Csv.num(f.interval().hi()), String.valueOf(f.slopes().length)});
        }
        Csv.write(out.resolve("alignment-spread-fits.csv"), fitRows);
        spreadFigures(alignment, out);
        body.append("\n![spread against lambda](alignment-spread.png)\n\n");

        body.append("Reduced model: the wide network is cut at the same moment; one balanced neuron per predicted attractor carries its ")
                .append("basin's mass at the basin's mass-weighted mean direction; both networks then take the same GD steps. ")
                .append(Format.of("sup over %d points of [min x, max x].\n\n", ReducedModel.GRID))
                .append("| data | lambda | seed | m | k | cut step | end step | L wide | L reduced | sup abs(f_wide - f_reduced) at the end | worst on the way |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<ReducedModel.Run> all = new ArrayList<>(reduced.runs());
        all.addAll(reduced.controls());
        List<Plots.Series> supSeries = new ArrayList<>();
        for (ReducedModel.Run r : all) {
            body.append(Format.of("| %s | %.0e | %d | %d | %d | %d | %d | %.6e | %.6e | %.2e | %.2e |\n", r.data(), r.lambda(), r.seed(), r.width(),
                    r.clusters(), r.alignmentStep(), r.steps(), r.wideLoss(), r.reducedLoss(), r.endSup(), r.worstSup()));
            if (r.seed() != 1) {
                continue; // the figures draw seed 1; the table has every seed
            }
            double[] x = new double[r.checkSteps().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.checkSteps()[i];
            }
            supSeries.add(Plots.Series.line(Format.of("%s, lambda = %.0e", r.data(), r.lambda()), x, r.sup()).positive());
        }
        Plots.xy(out, "reduced-model-sup", "sup |f_wide - f_reduced| on the grid after the cut", "GD step", "sup distance", true, true,
                supSeries);
        List<Plots.Series> fn = new ArrayList<>();
        for (ReducedModel.Run r : reduced.runs()) {
            if (r.seed() != 1) {
                continue;
            }
            fn.add(Plots.Series.line(r.data() + ": wide (m = " + r.width() + ")", r.grid(), r.wideEnd()));
            fn.add(Plots.Series.line(r.data() + ": reduced (k = " + r.clusters() + ")", r.grid(), r.reducedEnd()));
        }
        Plots.xy(out, "reduced-model-functions", "End of training: wide network and reduced model", "x", "f(x)", false, false, fn);
        body.append("\n![sup distance after the cut](reduced-model-sup.png)\n\n![functions at the end](reduced-model-functions.png)\n\n");
    }

    private static void spreadFigures(AttractorAlignment.Result alignment, Path out) {
        List<Plots.Series> series = new ArrayList<>();
        for (AttractorAlignment.SpreadFit f : alignment.fits()) {
            String label = f.data() + ", " + name(f.attractor());
            double[] deg = new double[f.spreads().length];
            for (int i = 0; i < deg.length; i++) {
                deg[i] = Math.toDegrees(f.spreads()[i]);
            }
            series.add(Plots.Series.points(label + " (measured)", f.lambdas(), deg).positive());
            if (!Double.isNaN(f.predictedSlope())) {
                // the theory's slope through the geometric mean of the measured points
                double mx = 0;
                double my = 0;
                for (int i = 0; i < deg.length; i++) {
                    mx += Math.log(f.lambdas()[i]) / deg.length;
                    my += Math.log(deg[i]) / deg.length;
                }
                double[] line = new double[deg.length];
                for (int i = 0; i < deg.length; i++) {
                    line[i] = Math.exp(my + f.predictedSlope() * (Math.log(f.lambdas()[i]) - mx));
                }
                series.add(Plots.Series.line(label + String.format(Locale.ROOT, " (theory, slope %.3f)", f.predictedSlope()), f.lambdas(), line));
            }
        }
        Plots.xy(out, "alignment-spread", "Angular spread of each basin at L0 - L = 1e-4 L0", "lambda", "spread (degrees)", true, true, series);
    }

    private static String name(Attractor a) {
        if (a.direction().length == 2) {
            return Format.of("%.3f deg%s", a.thetaDegrees(), a.boundary() ? " (boundary)" : "");
        }
        double[] u = a.direction();
        StringBuilder sb = new StringBuilder("(");
        for (int c = 0; c < u.length; c++) {
            sb.append(c > 0 ? ", " : "").append(Format.of("%.3f", u[c]));
        }
        return sb.append(')').append(a.boundary() ? " (boundary)" : "").toString();
    }
}
