package io.reluquant.validation.report;

import io.reluquant.validation.experiments.SmoothTargets;
import io.reluquant.validation.measures.Kinks;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's smooth-targets section (docs/THEORY.md section 8): small-init GD in the theory's regime on smooth targets,
 * measured against the best free-knot linear spline with as many knots as the GD function has kinks, with the linear
 * interpolant as a second reference and the race's prediction from the data beside it ({@link SmoothTargets}). An
 * experiment with a stated outcome, not a claim: it adds no row to the claims table.
 */
public final class SmoothSection {
    private SmoothSection() {}

    /**
     * Runs the experiment at the quick or the full size and appends its Markdown; figures go into {@code out}.
     *
     * @param quick the CI size
     * @param out the report's folder
     * @param body the report's Markdown
     * @param log progress lines
     * @return the experiment's result
     */
    public static SmoothTargets.Result run(boolean quick, Path out, StringBuilder body, PrintStream log) {
        SmoothTargets.Result r = SmoothTargets.run(quick ? SmoothTargets.Config.quick() : SmoothTargets.Config.full());
        log.printf(Locale.ROOT, "smooth targets: %d runs, %.1f s%n", r.runs().size() + r.widthChecks().size(), r.seconds());
        write(r, out, body);
        return r;
    }

    /** Appends the Markdown of a result and writes its figures. */
    public static void write(SmoothTargets.Result r, Path out, StringBuilder body) {
        SmoothTargets.Config c = r.config();
        body.append("## The paper's open question: smooth targets (docs/THEORY.md section 8; an experiment, not a claim)\n\n")
                .append(String.format(Locale.ROOT, "Small init in the theory's regime: balanced, lambda = %.0e, float64, fused kernel, m = %d, "
                        + "lr = %.2f n / abs(D_max) (the fastest group grows %.0f%% a step), %d seeds per target and n, on n equispaced points of "
                        + "[-1, 1]. Stopping rule, fixed before the full run: converged at the first check s = %d x 2^k with s >= %.0f s_1 "
                        + "(s_1 the first step with L < 0.99 L0) where the loss fell by less than %.0e (relative) over the last tenth of the "
                        + "steps; a run that reaches %.0f s_1 without that is NOT converged and is listed. A flat tenth can still be a "
                        + "plateau before a later escape: the race column is the theory's own prediction of the final plateau from the data "
                        + "(docs/THEORY.md section 2).%n%n", SmoothTargets.LAMBDA, c.width(), SmoothTargets.GROWTH, 100 * SmoothTargets.GROWTH,
                        c.seeds(), SmoothTargets.FIRST_CHECK, SmoothTargets.MIN_HORIZON, SmoothTargets.FLAT, c.capFactor()))
                .append(String.format(Locale.ROOT, "Yardstick: the GD function's kinks K on [-1, 1] (1-degree clusters with >= %.1f%% of the mass, "
                        + "kinks within %.0e merged, none within %.0e of an end, each with >= %.1f%% of the total slope change: measures/Kinks), "
                        + "then the best continuous piecewise-linear function with K free knots in least squares on the same training points "
                        + "(theory/FreeKnotSpline: variable projection, Levenberg-Marquardt on the knots from %d + 2 starts and the network's own "
                        + "kinks, coordinate-scan polish). GD's function is one such function, so its training loss is never below the "
                        + "spline's; the excess (L_GD - L_spline) / L0 says how far GD stopped from the best function of its own kind. "
                        + "Errors are against the target on %d held-out cell midpoints; means over seeds with 95%% bootstrap intervals. "
                        + "Description rule (not a claim, nothing pre-registered): \"at the best spline of its kinks\" when the mean excess "
                        + "is <= %.0e, else \"optimization gap\".%n%n", 100 * Kinks.MIN_MASS_SHARE, Kinks.MERGE_DISTANCE, Kinks.EDGE_MARGIN,
                        100 * Kinks.MIN_SLOPE_SHARE, io.reluquant.validation.theory.FreeKnotSpline.RANDOM_STARTS, c.heldOut(), SmoothTargets.SAME_FIT))
                .append("| target | n | converged | kinks K | GD sup | GD RMS | best K-knot spline sup | spline RMS | GD / spline sup | "
                        + "GD / spline RMS | excess loss / L0 | interpolant sup | interpolant RMS | race: escapes, final loss, trap | "
                        + "max abs(L / L_race - 1) | outcome |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SmoothTargets.Cell x : r.cells()) {
            body.append(String.format(Locale.ROOT, "| %s | %d | %d/%d%s | %s | %s | %s | %s | %s | %s | %s | %s | %.2e | %.2e | %d, %.4e, %s | %.1e | %s |%n",
                    x.target().label(), x.samples(), x.converged(), x.seeds(), x.diverged() > 0 ? " (" + x.diverged() + " DIVERGED)" : "",
                    x.kinks().describe("%.1f"), x.gdSup().describe("%.3e"), x.gdRms().describe("%.3e"), x.splineSup().describe("%.3e"),
                    x.splineRms().describe("%.3e"), x.supRatio().describe("%.2f"), x.rmsRatio().describe("%.2f"), x.excessLoss().describe("%.2e"),
                    x.interpSup(), x.interpRms(), x.race().phases().size(), SmoothTargets.raceLoss(x.race()), x.race().trap() ? "trap" : "no trap",
                    x.raceLossError(), x.outcome()));
        }
        List<SmoothTargets.Run> late = r.runs().stream().filter(x -> !x.converged()).toList();
        body.append("\nRuns not converged by the rule (kept in the table above, left out of the slopes): ")
                .append(late.isEmpty() ? "none" : "").append('\n');
        for (SmoothTargets.Run x : late) {
            body.append(String.format(Locale.ROOT, "- %s, n = %d, seed %d: %d steps (%.0f s_1), loss %.6e, %.6e a tenth of the run earlier%s%n",
                    x.target().label(), x.samples(), x.seed(), x.steps(), x.firstEscape() > 0 ? (double) x.steps() / x.firstEscape() : Double.NaN,
                    x.loss(), x.lossBefore(), x.diverged() ? " (DIVERGED)" : ""));
        }
        if (!r.widthChecks().isEmpty()) {
            body.append(String.format(Locale.ROOT, "%nWidth check (the theory's function does not depend on m): n = %d, seed %d, m = %d against the "
                    + "table's m = %d.%n%n| target | m | kinks | positions | training loss | converged | m = %d loss (same seed) |%n|---|---|---|---|---|---|---|%n",
                    SmoothTargets.WIDTH_CHECK_N, SmoothTargets.FIRST_SEED, c.widthCheck(), c.width(), c.width()));
            for (SmoothTargets.Run w : r.widthChecks()) {
                SmoothTargets.Run base = r.runs().stream().filter(x -> x.target() == w.target() && x.samples() == w.samples()
                        && x.seed() == w.seed()).findFirst().orElse(null);
                StringBuilder pos = new StringBuilder();
                for (Kinks.Kink k : w.kinks()) {
                    pos.append(pos.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", k.position()));
                }
                body.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.6e | %s | %s |%n", w.target().label(), w.width(), w.kinkCount(),
                        pos.length() == 0 ? "-" : pos, w.loss(), w.converged() ? "yes" : "NO",
                        base == null ? "-" : String.format(Locale.ROOT, "%.6e (%d kinks)", base.loss(), base.kinkCount())));
            }
        }
        figures(r, out, body);
        body.append("\nOutcome: ").append(r.statement()).append("\n\n");
    }

    private static void figures(SmoothTargets.Result r, Path out, StringBuilder body) {
        for (String kind : new String[] {"sup", "rms"}) {
            List<String> names = new ArrayList<>();
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (SmoothTargets.Target t : r.config().targets()) {
                List<SmoothTargets.Cell> cs = r.cells().stream().filter(x -> x.target() == t).toList();
                double[] n = cs.stream().mapToDouble(SmoothTargets.Cell::samples).toArray();
                boolean sup = kind.equals("sup");
                names.add(t.label() + ", small-init GD (seed mean)");
                xs.add(n);
                ys.add(cs.stream().mapToDouble(x -> (sup ? x.gdSup() : x.gdRms()).estimate()).toArray());
                names.add(t.label() + ", best spline with GD's kink count");
                xs.add(n);
                ys.add(cs.stream().mapToDouble(x -> (sup ? x.splineSup() : x.splineRms()).estimate()).toArray());
                names.add(t.label() + ", linear interpolant");
                xs.add(n);
                ys.add(cs.stream().mapToDouble(sup ? SmoothTargets.Cell::interpSup : SmoothTargets.Cell::interpRms).toArray());
            }
            ContrastFigures.logLog(out, "smooth_" + kind, "held-out " + kind + " error against n (equispaced points of [-1, 1])", "n",
                    kind + " error", names, xs, ys);
        }
        body.append("\n![sup error against n](smooth_sup.png) ![RMS error against n](smooth_rms.png)\n\n");
        int nMax = r.config().samples()[r.config().samples().length - 1];
        for (SmoothTargets.Target t : r.config().targets()) {
            List<double[]> fs = r.runs(t, nMax).stream().map(SmoothTargets.Run::gdGrid).toList();
            String name = "smooth_fan_" + t.slug();
            double[] x = SmoothTargets.equispaced(nMax);
            double[] y = new double[nMax];
            for (int i = 0; i < nMax; i++) {
                y[i] = t.at(x[i]);
            }
            ContrastFigures.fan(out, name, String.format(Locale.ROOT, "%s, n = %d: GD functions of %d seeds (lambda = %.0e)", t.label(), nMax,
                    fs.size(), SmoothTargets.LAMBDA), r.gridX(), fs, x, y);
            body.append("![").append(name).append("](").append(name).append(".png) ");
        }
        body.append('\n');
    }
}
