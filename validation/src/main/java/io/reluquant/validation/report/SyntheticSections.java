package io.reluquant.validation.report;

import static io.reluquant.validation.experiments.Format.list;
import static io.reluquant.validation.experiments.Format.toDoubles;

import io.reluquant.io.plot.Csv;
import io.reluquant.io.plot.Plots.Series;
import io.reluquant.io.plot.Plots;
import io.reluquant.validation.experiments.E1OneDimensional;
import io.reluquant.validation.experiments.E2TwoDimensional;
import io.reluquant.validation.experiments.E3Orthogonal;
import io.reluquant.validation.experiments.E4FinitelyMany;
import io.reluquant.validation.experiments.E5EscapeTime;
import io.reluquant.validation.experiments.Measured;
import io.reluquant.validation.experiments.Oracle;
import io.reluquant.validation.experiments.Sweep;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Markdown and the summary figures of the synthetic experiments: the oracle and E1-E5, from their results. */
final class SyntheticSections {
    private final Path out;
    private final RunFigures runs;
    private final StringBuilder body;

    SyntheticSections(Path out, RunFigures runs, StringBuilder body) {
        this.out = out;
        this.runs = runs;
        this.body = body;
    }

    void oracle(Oracle.Result r) {
        StringBuilder rows = new StringBuilder("| sign of a | u | theta (deg) | kink | G |\n|---|---|---|---|---|\n");
        for (Attractor a : r.found()) {
            rows.append(String.format(Locale.ROOT, "| %s | (%.5f, %.5f) | %.4f | %s | %.4f |%n", a.sign() > 0 ? "+" : "-",
                    a.direction()[0], a.direction()[1], a.thetaDegrees(), Double.isNaN(a.kink()) ? "none" : String.format(Locale.ROOT, "%.5f", a.kink()),
                    a.potential()));
        }
        body.append("## Theory oracle\n\nAttractors of the five-point data at initialization (circle scan of G, refined):\n\n").append(rows).append('\n');
    }

    void e1(E1OneDimensional.Result r, Sweep s) {
        body.append("## E1: one-dimensional data\n\nlr = 0.02, float32 fast kernel, seed 1, ").append(s.steps())
                .append(" steps. Alignment snapshot: first step with L < 0.99 L0. Mass within 1/5 degrees and self-consistency "
                        + "(mass-weighted sign * cos(u, D_sigma(u)) of the clusters, residuals of that moment) at the alignment snapshot; N_eff (1-degree clusters) at alignment and end; |f - P_J y| at the end. "
                        + "The mass-weighted shares near the attractors are description, not claims: at the snapshot the constant attractor holds "
                        + "almost all the mass, so they would pass wherever the kink neurons were; the per-attractor section judges every basin.\n\n");
        for (E1OneDimensional.DataResult set : r.sets()) {
            boolean five = set.name().equals("five");
            body.append(five ? "### Five-point data (docs/THEORY.md section 5)\n\n" : "### Random 1-D data (n = 15, y = sin 3x + noise, seed 11)\n\n");
            body.append("| width | init | lr | alignment step | within 1 deg | within 5 deg | self-consistency | N_eff align | N_eff end | end loss | max abs(f - P_J y) | abs(J) |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (E1OneDimensional.Row row : set.rows()) {
                Measured q = row.m();
                body.append(String.format(Locale.ROOT, "| %d | %s | %.2g | %d | %.6f | %.6f | %.6f | %.3f | %.3f | %.3e | %.2e | %d |%n", q.width(),
                        q.initLabel() + (row.alignmentOnly() ? " (stopped at alignment: end = alignment)" : ""), q.lr(), q.alignmentStep(), q.within1(),
                        q.within5(), q.selfConsistency(), q.neffAlignment(), q.neffEnd(), q.endLoss(), q.fitError(), q.patterns()));
            }
            images(set.name());
            runs.functions(set.name(), set.data());
            body.append("\n![functions](e1_").append(set.name()).append("_functions.png)\n\n");
        }
        List<Series> neff = new ArrayList<>();
        double[] w = toDoubles(r.endWidths());
        r.neffByInit().forEach((k, v) -> neff.add(Series.line(k.equals("standard") ? "standard init" : "lambda=" + k, w, v)));
        Plots.xy(out, "e1_neff_vs_width", "N_eff (1-degree clusters) at the end vs width, five-point data", "width m", "N_eff", true, true, neff);
        List<Series> within = new ArrayList<>();
        r.within1ByWidth().forEach((k, v) -> within.add(Series.line(k, Sweep.lambdas(), v)));
        Plots.xy(out, "e1_within1_vs_lambda", "Mass within 1 degree of the predicted attractors at alignment, five-point", "lambda", "share of mass",
                true, false, within);
        body.append("![N_eff vs width](e1_neff_vs_width.png)\n\n![mass within 1 degree vs lambda](e1_within1_vs_lambda.png)\n\n")
                .append("The standard init of this project has b = 0, so in d = 1 every neuron starts at theta = 0 or 180 degrees: "
                        + "its N_eff starts at ~4 whatever the width, and the lazy regime (lr scaled down to keep it stable) barely moves the "
                        + "directions. max abs(f - P_J y) with J read off the trained network is shown as a convergence check only (it holds at "
                        + "every stationary point); the contrast of N_eff is made at equal loss in the fair-contrast section below, and J is "
                        + "predicted before training in the phases section.\n\n");
    }

    void e2(E2TwoDimensional.Result r, Sweep s) {
        body.append("## E2: two-dimensional data (n = 20, two-neuron teacher, seed 3)\n\nPredicted attractors (sector enumeration in R^3 "
                + "with edge and vertex attractors):\n\n```\n").append(Attractors.describe(r.attractors())).append("```\n\n")
                .append("| width | init | alignment step | within 1 deg | within 5 deg | self-consistency | N_eff align | N_eff end | end loss | max abs(f - P_J y) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measured q : r.rows()) {
            body.append(String.format(Locale.ROOT, "| %d | %s | %d | %.6f | %.6f | %.6f | %.3f | %.3f | %.3e | %.2e |%n", q.width(), q.initLabel(),
                    q.alignmentStep(), q.within1(), q.within5(), q.selfConsistency(), q.neffAlignment(), q.neffEnd(), q.endLoss(), q.fitError()));
        }
        images("twod");
        double[] w = toDoubles(r.widths());
        Plots.xy(out, "e2_neff_vs_width", "N_eff (1-degree clusters) at the end vs width, 2-D data", "width m", "N_eff", true, true,
                List.of(Series.line("lambda=1e-04", w, r.small()), Series.line("standard init", w, r.standard())));
        body.append("![N_eff vs width, 2-D](e2_neff_vs_width.png)\n");
        body.append("\nThe 2-D runs are not converged after ").append(s.steps())
                .append(" steps (the loss is still falling from saddle to saddle), so abs(f - P_J y) is not expected to be small there. The "
                        + "standard-init runs use one learning rate ~1/m, which freezes the first layer: their N_eff is the init's, shown "
                        + "for reference, not judged (the fair contrast below trains it in the NTK scaling to equal loss).\n\n");
    }

    void e3(E3Orthogonal.Result r) {
        body.append("## E3: orthogonal inputs, no bias (docs/THEORY.md section 6)\n\n```\n").append(Attractors.describe(r.attractors())).append("```\n\n")
                .append("| width | init | within 1 deg (alignment) | within 1 deg (end) | cluster masses (end) | end loss |\n|---|---|---|---|---|---|\n");
        for (E3Orthogonal.Row row : r.rows()) {
            Measured q = row.m();
            body.append(String.format(Locale.ROOT, "| %d | %s | %.6f | %.6f | %.6f, %.6f | %.3e |%n", r.width(), q.initLabel(), q.within1(), row.withinEnd(),
                    row.masses()[0], row.masses()[1], q.endLoss()));
        }
        body.append("\nAt lambda = 1e-4 about 2% of the mass sits near the saddle e_4 at the alignment snapshot (neurons that started "
                + "near it have not left it yet); with lambda = 1e-6 the alignment phase is longer and it is below 0.2%.\n\n");
    }

    void e4(E4FinitelyMany.Result r) {
        int[] widths = r.widths();
        body.append("## E4: width independence and finitely many functions (five-point data, ").append(Sweep.SEEDS).append(" seeds per width)\n\n")
                .append("Distinct functions: seeds grouped when their learned functions differ by at most 1e-2 in sup norm on [-1, 1] (1% of max abs y). "
                        + "This table is description, not a claim: the phases claims predict the J of every plateau from the data for 20 seeds "
                        + "per width (stronger than counting distinct J), and the functions section judges distinct functions at equal loss "
                        + "against a fair contrast. The standard init here (b = 0, one learning rate ~1/m) is degenerate in d = 1 and barely "
                        + "moves at m = 1e4, so it is no control for J.\n\n")
                .append("| width | init | distinct J | distinct functions | max abs(f - P_J y) over seeds | sup distance to the widest width (seed 1) | kinks of the clusters (seed 1) |\n|---|---|---|---|---|---|---|\n");
        List<String[]> rows = new ArrayList<>();
        for (E4FinitelyMany.Row row : r.rows()) {
            body.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %.2e | %.2e | %s |%n", row.width(), row.small() ? "balanced lambda=1e-4" : "standard",
                    row.distinctJ(), row.distinctFunctions(), row.fit(), row.sup(), row.small() ? list(row.kinks()) : "(spread)"));
            rows.add(new String[] {String.valueOf(row.width()), row.small() ? "small" : "standard", String.valueOf(row.distinctJ()),
                String.valueOf(row.distinctFunctions()), Csv.num(row.fit()), Csv.num(row.sup())});
        }
        rows.add(0, new String[] {"width", "init", "distinct_J", "distinct_functions", "max_fit_error", "sup_distance_to_widest"});
        Csv.write(out.resolve("e4_summary.csv"), rows);
        List<Series> lines = new ArrayList<>();
        for (int wi = 0; wi < widths.length; wi++) {
            lines.add(Series.line("small m=" + widths[wi], r.grid(), r.seed1()[0][wi]));
            lines.add(Series.line("standard m=" + widths[wi], r.grid(), r.seed1()[1][wi]));
        }
        lines.add(Series.points("data", r.data().inputs(), r.data().targets()));
        Plots.xy(out, "e4_functions", "Learned functions (seed 1), small vs standard init, all widths", "x", "f(x)", false, false, lines);
        body.append("\n![functions](e4_functions.png) (numbers: e4_summary.csv, e4_functions.csv)\n\n")
                .append("On the training points every small-init run fits P_J y with the same J. Between the points a cluster's kink is not "
                        + "pinned: once the fit on the training points has converged the residual is orthogonal to the span, the drive D_sigma "
                        + "vanishes and the kink stays where it was (kink list above: a kink in (0.5, 1) stops at a seed- and width-dependent "
                        + "distance from the boundary attractor at the data point x = 0.5). The sup distance between widths measures that "
                        + "spread, which shrinks with width. At standard init the seed-to-seed differences are O(1/sqrt m), and the stable "
                        + "learning rate (min(0.02, 1/trace of the a-block Hessian)) is ~1/m, so wide standard-init runs are far from "
                        + "converged after the same number of steps.\n\n");
    }

    void e5(E5EscapeTime.Result r) {
        List<Series> curves = new ArrayList<>();
        for (int k = 0; k < r.lambdas().length; k++) {
            curves.add(Series.line(String.format(Locale.ROOT, "lambda=%.0e", r.lambdas()[k]), r.curveSteps()[k], r.curveLoss()[k]));
        }
        Plots.xy(out, "e5_loss_vs_step", "Loss vs step (five-point, m=" + r.width() + "): plateaus between saddles", "step", "loss", true, true, curves);
        double[] logs = r.logs();
        double[] line = new double[logs.length];
        for (int k = 0; k < logs.length; k++) {
            line[k] = r.tStar()[1] + r.predicted() * (logs[k] - logs[1]);
        }
        Plots.xy(out, "e5_tstar_vs_log", "Escape time t* = lr * (first step with L < 0.99 L0) vs ln(1/lambda)", "ln(1/lambda)", "t*", false, false,
                List.of(Series.points("measured", logs, r.tStar()), Series.line("slope n/|D_max| = " + Csv.num(r.predicted()), logs, line)));
        body.append("## E5: loss plateaus and escape time\n\n![loss](e5_loss_vs_step.png)\n\n![t*](e5_tstar_vs_log.png)\n\n")
                .append(String.format(Locale.ROOT, "t* = %s for ln(1/lambda) = %s; slope %.3f, predicted n/|D_max| = %.3f.%n%n", list(r.tStar()), list(logs),
                        r.slope(), r.predicted()));
    }

    // the polar plots of a data set, on one line after its table
    private void images(String name) {
        String links = runs.images(name);
        if (!links.isEmpty()) {
            body.append('\n').append(links).append("\n\n");
        }
    }
}
