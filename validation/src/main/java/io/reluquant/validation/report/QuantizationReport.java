package io.reluquant.validation.report;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.experiments.DataSets;
import io.reluquant.validation.experiments.Quantized;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.measures.Quantization;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs experiments E1-E5 (docs/THEORY.md section 9) and writes report.md with a claims table, PNG plots and a CSV
 * beside every plot into one folder. Every number in it is measured by this run; nothing is copied.
 */
public final class QuantizationReport {
    private static final double LR = 0.02;
    private static final double[] LAMBDAS = {1e-1, 1e-2, 1e-4, 1e-6};
    private static final double SMALL = 1e-4;
    private static final long SEED = 1;
    private static final int SEEDS = 20;
    private static final double DEG = Math.PI / 180;

    /** One row of the claims table. */
    public record Claim(String claim, String prediction, String measured, boolean pass) {}

    /**
     * @param quick the CI variant: fewer widths and runs, about a minute on 2 cores
     * @param threads kernel threads per run
     */
    public record Config(boolean quick, int threads) {
        int[] e1Widths() {
            return quick ? new int[] {100, 1_000, 10_000} : new int[] {100, 1_000, 10_000, 100_000, 1_000_000};
        }

        int[] randomWidths() {
            return quick ? new int[] {100, 1_000} : new int[] {100, 1_000, 10_000};
        }

        int[] e2Widths() {
            return new int[] {100, 1_000, 10_000};
        }

        /** Widths from here on are trained to the alignment snapshot only (a 1e6-wide end-of-training run costs minutes). */
        int alignmentOnlyWidth() {
            return 1_000_000;
        }

        int[] e4Widths() {
            return quick ? new int[] {100, 1_000} : new int[] {100, 1_000, 10_000};
        }

        int e3Width() {
            return quick ? 1_000 : 10_000;
        }

        int e5Width() {
            return quick ? 1_000 : 10_000;
        }

        long steps() {
            return 20_000;
        }
    }

    private final Config cfg;
    private final Path out;
    private final PrintStream log;
    private final List<Claim> claims = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();
    // image links of the direction plots, written after the table they belong to
    private final StringBuilder pendingImages = new StringBuilder();
    private ProgressBar progress;

    private QuantizationReport(Config cfg, Path out, PrintStream log) {
        this.cfg = cfg;
        this.out = out;
        this.log = log;
    }

    /**
     * Runs everything and writes {@code out/report.md}.
     *
     * @return the claims table as measured
     */
    public static List<Claim> run(Config cfg, Path out, PrintStream log) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        QuantizationReport r = new QuantizationReport(cfg, out, log);
        int longWidths = (int) java.util.Arrays.stream(cfg.e1Widths()).filter(m -> m >= cfg.alignmentOnlyWidth()).count();
        int runs = 5 * (cfg.e1Widths().length + cfg.randomWidths().length) - longWidths + 3 * cfg.e2Widths().length + 3
                + 2 * SEEDS * cfg.e4Widths().length + 4;
        try (ProgressBar pb = new ProgressBarBuilder().setTaskName("report").setInitialMax(runs)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(log)).build()) {
            r.progress = pb;
            r.oracle();
            r.e1();
            r.e2();
            r.e3();
            r.e4();
            r.e5();
        }
        RealDataReport.Section real = RealDataReport.run(cfg.quick() ? RealDataReport.Sizes.quick(cfg.threads())
                : RealDataReport.Sizes.full(cfg.threads()), io.reluquant.validation.data.FashionMnist.DEFAULT_DIR, out, log);
        r.claims.addAll(real.claims());
        r.body.append(real.markdown());
        r.write();
        return r.claims;
    }

    private Quantized measure(Dataset data, boolean bias, List<Attractor> attractors, int width, double lambda, long seed) {
        boolean alignmentOnly = width >= cfg.alignmentOnlyWidth();
        Quantized q = Quantized.measure(data, bias, attractors, width, lambda, seed, Precision.FLOAT32, LR, cfg.steps(), alignmentOnly,
                cfg.threads());
        progress.step();
        return q;
    }

    // ---- theory oracle: docs/THEORY.md section 5 table
    private void oracle() {
        Dataset five = DataSets.fivePoint();
        List<Attractor> found = sortedByTheta(Attractors.predict(AugmentedInputs.of(five, true), five.targets()));
        double[] table = {-164.055, -15.945, 90};
        double worst = found.size() == 3 ? 0 : Double.POSITIVE_INFINITY;
        StringBuilder rows = new StringBuilder("| sign of a | u | theta (deg) | kink | G |\n|---|---|---|---|---|\n");
        for (int k = 0; k < found.size(); k++) {
            Attractor a = found.get(k);
            if (found.size() == 3) {
                worst = Math.max(worst, Math.abs(a.thetaDegrees() - table[k]));
            }
            rows.append(String.format(Locale.ROOT, "| %s | (%.5f, %.5f) | %.4f | %s | %.4f |%n", a.sign() > 0 ? "+" : "-",
                    a.direction()[0], a.direction()[1], a.thetaDegrees(), Double.isNaN(a.kink()) ? "none" : String.format(Locale.ROOT, "%.5f", a.kink()),
                    a.potential()));
        }
        claims.add(new Claim("Oracle: attractors of the five-point data from the data alone", "docs/THEORY.md table: -164.055, -15.945, 90 deg (3 decimals)",
                String.format(Locale.ROOT, "%d attractors, max |theta - table| = %.1e deg", found.size(), worst), worst <= 5e-4));
        body.append("## Theory oracle\n\nAttractors of the five-point data at initialization (circle scan of G, refined):\n\n").append(rows).append('\n');
    }

    // ---- E1: 1-D data, widths x inits
    private void e1() {
        body.append("## E1: one-dimensional data\n\nlr = 0.02, float32 fast kernel, seed 1, ").append(cfg.steps())
                .append(" steps. Alignment snapshot: first step with L < 0.99 L0. Mass within 1/5 degrees and self-consistency "
                        + "(mass-weighted sign * cos(u, D_sigma(u)) of the clusters, residuals of that moment) at the alignment snapshot; N_eff (1-degree clusters) at alignment and end; |f - P_J y| at the end.\n\n");
        Map<String, double[]> neffByInit = new LinkedHashMap<>();
        Map<String, double[]> within1ByWidth = new LinkedHashMap<>();
        double worstSmallW1 = 1;
        double worstSmallW5 = 1;
        double controlW1 = 0;
        double worstRandomW1 = 1;
        double worstRandomW5 = 1;
        double worstFit = 0;
        for (int set = 0; set < 2; set++) {
            Dataset data = set == 0 ? DataSets.fivePoint() : DataSets.random1d(15, 11);
            String name = set == 0 ? "five" : "random";
            List<Attractor> att = Attractors.predict(AugmentedInputs.of(data, true), data.targets());
            int[] widths = set == 0 ? cfg.e1Widths() : cfg.randomWidths();
            body.append(set == 0 ? "### Five-point data (docs/THEORY.md section 5)\n\n" : "### Random 1-D data (n = 15, y = sin 3x + noise, seed 11)\n\n");
            body.append("| width | init | lr | alignment step | within 1 deg | within 5 deg | self-consistency | N_eff align | N_eff end | end loss | max abs(f - P_J y) | abs(J) |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            List<Figures.Series> functions = new ArrayList<>();
            List<Figures.Series> kinks = new ArrayList<>();
            for (int wi = 0; wi < widths.length; wi++) {
                int m = widths[wi];
                boolean alignmentOnly = m >= cfg.alignmentOnlyWidth();
                for (int li = 0; li <= LAMBDAS.length; li++) {
                    double lambda = li < LAMBDAS.length ? LAMBDAS[li] : 0;
                    if (alignmentOnly && lambda == 0) {
                        continue;
                    }
                    Quantized q = measure(data, true, att, m, lambda, SEED);
                    body.append(String.format(Locale.ROOT, "| %d | %s | %.2g | %d | %.6f | %.6f | %.6f | %.3f | %.3f | %.3e | %.2e | %d |%n", m,
                            q.initLabel() + (alignmentOnly ? " (stopped at alignment: end = alignment)" : ""), q.lr(), q.alignmentStep(), q.within1(), q.within5(), q.selfConsistency(), q.neffAlignment(), q.neffEnd(),
                            q.run().end().loss(), q.fitError(), q.patterns().size()));
                    String initKey = lambda > 0 ? String.format(Locale.ROOT, "%.0e", lambda) : "standard";
                    if (set == 0 && !alignmentOnly) {
                        neffByInit.computeIfAbsent(initKey, k -> new double[endWidths(widths).length])[wi] = q.neffEnd();
                    }
                    if (set == 0) {
                        if (lambda > 0) {
                            within1ByWidth.computeIfAbsent("m=" + m, k -> new double[LAMBDAS.length])[li] = q.within1();
                        }
                    }
                    if (lambda > 0 && lambda <= 1e-4 && m >= 10_000) {
                        if (set == 0) {
                            worstSmallW1 = Math.min(worstSmallW1, q.within1());
                            worstSmallW5 = Math.min(worstSmallW5, q.within5());
                        } else {
                            worstRandomW1 = Math.min(worstRandomW1, q.within1());
                            worstRandomW5 = Math.min(worstRandomW5, q.within5());
                        }
                    }
                    if (lambda > 0 && lambda <= 1e-4 && !alignmentOnly) {
                        worstFit = Math.max(worstFit, q.fitError());
                    }
                    if (set == 0 && lambda == 1e-1 && m >= 10_000) {
                        controlW1 = Math.max(controlW1, q.within1());
                    }
                    boolean edge = wi == 0 || wi == widths.length - 1;
                    if (edge && (lambda == SMALL || lambda == 0)) {
                        polar(name, att, q, m, lambda);
                    }
                    if (lambda == SMALL && !alignmentOnly) {
                        addFunction(functions, kinks, q, "m=" + m, data);
                    }
                }
            }
            flushImages();
            functions.add(Figures.Series.points("data", data.inputs(), data.targets()));
            functions.addAll(kinks);
            Figures.xy(out, "e1_" + name + "_functions", "Learned functions, balanced init lambda=1e-4, all widths", "x", "f(x)", false, false, functions);
            body.append("\n![functions](e1_").append(name).append("_functions.png)\n\n");
        }
        boolean hasLarge = cfg.e1Widths()[cfg.e1Widths().length - 1] >= 10_000;
        claims.add(new Claim("E1 five-point: mass at the predicted attractors (alignment snapshot), m >= 1e4, lambda <= 1e-4",
                ">= 99% within 1 deg, >= 99.9% within 5 deg", String.format(Locale.ROOT, "min %.6f within 1 deg, %.6f within 5 deg", worstSmallW1, worstSmallW5),
                hasLarge && worstSmallW1 >= 0.99 && worstSmallW5 >= 0.999));
        if (cfg.randomWidths()[cfg.randomWidths().length - 1] >= 10_000) {
            claims.add(new Claim("E1 random 1-D: the same, m >= 1e4, lambda <= 1e-4", ">= 99% within 1 deg, >= 99.9% within 5 deg",
                    String.format(Locale.ROOT, "min %.6f within 1 deg, %.6f within 5 deg", worstRandomW1, worstRandomW5),
                    worstRandomW1 >= 0.99 && worstRandomW5 >= 0.999));
        }
        claims.add(new Claim("E1 negative control: lambda = 1e-1 at m >= 1e4", "fails the 99%-within-1-deg criterion",
                String.format(Locale.ROOT, "max %.4f within 1 deg", controlW1), hasLarge && controlW1 < 0.99));
        claims.add(new Claim("E1 final fit: training values equal P_J y of the clusters found (lambda <= 1e-4, end)", "max abs difference <= 1e-4",
                String.format(Locale.ROOT, "max %.2e", worstFit), worstFit <= 1e-4));
        double[] small = neffByInit.get("1e-04");
        double[] std = neffByInit.get("standard");
        double spread = spread(small, endWidths(cfg.e1Widths()), 10_000);
        int at = index(cfg.e1Widths(), 10_000);
        claims.add(new Claim("N_eff (end) at small init independent of width 1e2..1e4, five-point", "equal within 0.2",
                String.format(Locale.ROOT, "max - min = %.3f (values %s)", spread, fmt(small)), spread <= 0.2));
        claims.add(new Claim("N_eff (end) at standard init >= 10x small init at m = 1e4, five-point", ">= 10x",
                String.format(Locale.ROOT, "%.2fx (%.2f vs %.2f)", std[at] / small[at], std[at], small[at]), std[at] >= 10 * small[at]));
        List<Figures.Series> neff = new ArrayList<>();
        double[] w = toDoubles(endWidths(cfg.e1Widths()));
        neffByInit.forEach((k, v) -> neff.add(Figures.Series.line(k.equals("standard") ? "standard init" : "lambda=" + k, w, v)));
        Figures.xy(out, "e1_neff_vs_width", "N_eff (1-degree clusters) at the end vs width, five-point data", "width m", "N_eff", true, true, neff);
        List<Figures.Series> within = new ArrayList<>();
        within1ByWidth.forEach((k, v) -> within.add(Figures.Series.line(k, LAMBDAS, v)));
        Figures.xy(out, "e1_within1_vs_lambda", "Mass within 1 degree of the predicted attractors at alignment, five-point", "lambda", "share of mass",
                true, false, within);
        body.append("![N_eff vs width](e1_neff_vs_width.png)\n\n![mass within 1 degree vs lambda](e1_within1_vs_lambda.png)\n\n")
                .append("The standard init of this project has b = 0, so in d = 1 every neuron starts at theta = 0 or 180 degrees: "
                        + "its N_eff starts at ~4 whatever the width, and the lazy regime (lr scaled down to keep it stable) barely moves the "
                        + "directions. The standard-vs-small contrast of N_eff is therefore made on the 2-D data (E2), where He-initialised "
                        + "directions are spread.\n\n");
    }

    // ---- E2: 2-D data
    private void e2() {
        Dataset data = DataSets.twoD(20, 3);
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        List<Attractor> att = Attractors.predict(xt, data.targets());
        body.append("## E2: two-dimensional data (n = 20, two-neuron teacher, seed 3)\n\nPredicted attractors (sector enumeration in R^3 "
                + "with edge and vertex attractors):\n\n```\n").append(Attractors.describe(att)).append("```\n\n")
                .append("| width | init | alignment step | within 1 deg | within 5 deg | self-consistency | N_eff align | N_eff end | end loss | max abs(f - P_J y) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        int[] widths = cfg.e2Widths();
        double[] small = new double[widths.length];
        double[] standard = new double[widths.length];
        double worst1 = 1;
        double worst5 = 1;
        double worstCos = 1;
        double std = Double.NaN;
        for (int wi = 0; wi < widths.length; wi++) {
            for (double lambda : new double[] {SMALL, 1e-6, 0}) {
                Quantized q = measure(data, true, att, widths[wi], lambda, SEED);
                body.append(String.format(Locale.ROOT, "| %d | %s | %d | %.6f | %.6f | %.6f | %.3f | %.3f | %.3e | %.2e |%n", widths[wi], q.initLabel(),
                        q.alignmentStep(), q.within1(), q.within5(), q.selfConsistency(), q.neffAlignment(), q.neffEnd(), q.run().end().loss(),
                        q.fitError()));
                if (lambda > 0 && widths[wi] >= 10_000) {
                    worstCos = Math.min(worstCos, q.selfConsistency());
                }
                if (lambda == SMALL) {
                    small[wi] = q.neffEnd();
                }
                if (lambda > 0 && widths[wi] >= 10_000) {
                    worst1 = Math.min(worst1, q.within1());
                    worst5 = Math.min(worst5, q.within5());
                }
                if (lambda == 0) {
                    standard[wi] = q.neffEnd();
                }
                if (lambda == 0 && widths[wi] == 10_000) {
                    std = q.neffEnd();
                    polar("twod", att, q, widths[wi], lambda);
                } else if (lambda == SMALL && widths[wi] == 10_000) {
                    polar("twod", att, q, widths[wi], lambda);
                }
            }
        }
        int at = index(widths, 10_000);
        double spread = spread(small, widths, 10_000);
        claims.add(new Claim("E2 2-D: mass at the predicted attractors (alignment), m >= 1e4, lambda <= 1e-4", ">= 99% within 1 deg, >= 99.9% within 5 deg",
                String.format(Locale.ROOT, "min %.6f within 1 deg, %.6f within 5 deg", worst1, worst5), worst1 >= 0.99 && worst5 >= 0.999));
        claims.add(new Claim("E2 self-consistency of the clusters at alignment (no enumeration needed), m >= 1e4, small init",
                "mass-weighted sign * cos(u, D_sigma(u)) >= 0.99", String.format(Locale.ROOT, "min %.6f", worstCos), worstCos >= 0.99));
        claims.add(new Claim("N_eff (end) at small init independent of width 1e2..1e4, 2-D", "equal within 0.2",
                String.format(Locale.ROOT, "max - min = %.3f (values %s)", spread, fmt(small)), spread <= 0.2));
        claims.add(new Claim("N_eff (end) at standard init >= 10x small init at m = 1e4, 2-D", ">= 10x",
                String.format(Locale.ROOT, "%.1fx (%.1f vs %.3f)", std / small[at], std, small[at]), std >= 10 * small[at]));
        flushImages();
        double[] w = toDoubles(widths);
        Figures.xy(out, "e2_neff_vs_width", "N_eff (1-degree clusters) at the end vs width, 2-D data", "width m", "N_eff", true, true,
                List.of(Figures.Series.line("lambda=1e-04", w, small), Figures.Series.line("standard init", w, standard)));
        body.append("![N_eff vs width, 2-D](e2_neff_vs_width.png)\n");
        body.append("\nThe 2-D runs are not converged after ").append(cfg.steps())
                .append(" steps (the loss is still falling from saddle to saddle), so abs(f - P_J y) is not expected to be small there.\n\n");
    }

    // ---- E3: orthogonal inputs, no bias
    private void e3() {
        Dataset data = DataSets.orthogonal();
        AugmentedInputs xt = AugmentedInputs.of(data, false);
        List<Attractor> att = Attractors.predict(xt, data.targets());
        body.append("## E3: orthogonal inputs, no bias (docs/THEORY.md section 6)\n\n```\n").append(Attractors.describe(att)).append("```\n\n")
                .append("| width | init | within 1 deg (alignment) | within 1 deg (end) | cluster masses (end) | end loss |\n|---|---|---|---|---|---|\n");
        boolean pass = false;
        String measured = "";
        for (double lambda : new double[] {SMALL, 1e-6, 0}) {
            Quantized q = measure(data, false, att, cfg.e3Width(), lambda, SEED);
            Neurons end = Neurons.of(q.run().end().parameters(), false);
            double within = Quantization.massWithin(end, att, DEG);
            double[] masses = new double[2];
            for (int k = 0; k < 2; k++) {
                Attractor a = att.get(k);
                masses[k] = q.endClusters().stream().filter(c -> c.sign() == a.sign() && AugmentedInputs.angle(c.direction(), a.direction()) <= DEG)
                        .mapToDouble(Cluster::mass).sum();
            }
            body.append(String.format(Locale.ROOT, "| %d | %s | %.6f | %.6f | %.6f, %.6f | %.3e |%n", cfg.e3Width(), q.initLabel(), q.within1(), within,
                    masses[0], masses[1], q.run().end().loss()));
            if (lambda == 1e-6) {
                double gap = Math.max(Math.abs(masses[0] / Math.sqrt(2) - 1), Math.abs(masses[1] / Math.sqrt(2) - 1));
                pass = within >= 0.99 && gap <= 0.01 && q.run().end().loss() < 1e-6 * q.run().initialLoss();
                measured = String.format(Locale.ROOT, "within 1 deg %.6f (end), masses %.5f, %.5f (max gap %.1e), loss %.1e", within, masses[0], masses[1], gap,
                        q.run().end().loss());
            }
        }
        claims.add(new Claim("E3 orthogonal inputs (lambda = 1e-6, m = " + cfg.e3Width() + ")",
                ">= 99% of mass within 1 deg of (1,1,0,0)/sqrt2 (+), (0,0,1,1)/sqrt2 (-); masses within 1% of sqrt2; loss -> 0", measured, pass));
        body.append("\nAt lambda = 1e-4 about 2% of the mass sits near the saddle e_4 at the alignment snapshot (neurons that started "
                + "near it have not left it yet); with lambda = 1e-6 the alignment phase is longer and it is below 0.2%.\n\n");
    }

    // ---- E4: width independence, finitely many functions
    private void e4() {
        Dataset data = DataSets.fivePoint();
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        List<Attractor> att = Attractors.predict(xt, data.targets());
        double[] grid = grid(-1, 1, 401);
        body.append("## E4: width independence and finitely many functions (five-point data, ").append(SEEDS).append(" seeds per width)\n\n")
                .append("Distinct functions: seeds grouped when their learned functions differ by at most 1e-2 in sup norm on [-1, 1] (1% of max abs y).\n\n")
                .append("| width | init | distinct J | distinct functions | max abs(f - P_J y) over seeds | sup distance to the widest width (seed 1) | kinks of the clusters (seed 1) |\n|---|---|---|---|---|---|---|\n");
        int[] widths = cfg.e4Widths();
        Map<String, double[]> reference = new LinkedHashMap<>();
        List<String[]> rows = new ArrayList<>();
        int maxSmallJ = 0;
        int minStdFunctions = Integer.MAX_VALUE;
        double maxSmallSup = 0;
        double[][][] seed1 = new double[2][widths.length][];
        for (int wi = widths.length - 1; wi >= 0; wi--) {
            for (int kind = 0; kind < 2; kind++) {
                double lambda = kind == 0 ? SMALL : 0;
                Set<String> patterns = new HashSet<>();
                List<double[]> functions = new ArrayList<>();
                double fit = 0;
                String kinks = "";
                for (int seed = 1; seed <= SEEDS; seed++) {
                    Quantized q = measure(data, true, att, widths[wi], lambda, seed);
                    patterns.add(key(q.patterns()));
                    double[] f = Neurons.of(q.run().end().parameters(), true).evaluate(grid);
                    if (seed == 1) {
                        seed1[kind][wi] = f;
                        kinks = kinkList(q);
                    }
                    functions.add(f);
                    fit = Math.max(fit, q.fitError());
                }
                int distinct = distinctFunctions(functions, 1e-2);
                double sup = supDistance(seed1[kind][wi], seed1[kind][widths.length - 1]);
                body.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %.2e | %.2e | %s |%n", widths[wi], kind == 0 ? "balanced lambda=1e-4" : "standard",
                        patterns.size(), distinct, fit, sup, kind == 0 ? kinks : "(spread)"));
                rows.add(new String[] {String.valueOf(widths[wi]), kind == 0 ? "small" : "standard", String.valueOf(patterns.size()),
                        String.valueOf(distinct), Figures.num(fit), Figures.num(sup)});
                if (kind == 0) {
                    maxSmallJ = Math.max(maxSmallJ, patterns.size());
                    maxSmallSup = Math.max(maxSmallSup, sup);
                } else {
                    minStdFunctions = Math.min(minStdFunctions, distinct);
                }
            }
        }
        rows.add(0, new String[] {"width", "init", "distinct_J", "distinct_functions", "max_fit_error", "sup_distance_to_widest"});
        Figures.table(out.resolve("e4_summary.csv"), rows);
        List<Figures.Series> lines = new ArrayList<>();
        for (int wi = 0; wi < widths.length; wi++) {
            lines.add(Figures.Series.line("small m=" + widths[wi], grid, seed1[0][wi]));
            lines.add(Figures.Series.line("standard m=" + widths[wi], grid, seed1[1][wi]));
        }
        lines.add(Figures.Series.points("data", data.inputs(), data.targets()));
        Figures.xy(out, "e4_functions", "Learned functions (seed 1), small vs standard init, all widths", "x", "f(x)", false, false, lines);
        body.append("\n![functions](e4_functions.png) (numbers: e4_summary.csv, e4_functions.csv)\n\n")
                .append("On the training points every small-init run fits P_J y with the same J. Between the points a cluster's kink is not "
                        + "pinned: once the fit on the training points has converged the residual is orthogonal to the span, the drive D_sigma "
                        + "vanishes and the kink stays where it was (kink list above: a kink in (0.5, 1) stops at a seed- and width-dependent "
                        + "distance from the boundary attractor at the data point x = 0.5). The sup distance between widths measures that "
                        + "spread, which shrinks with width. At standard init the seed-to-seed differences are O(1/sqrt m), and the stable "
                        + "learning rate (min(0.02, 1/trace of the a-block Hessian)) is ~1/m, so wide standard-init runs are far from "
                        + "converged after the same number of steps.\n\n");
        claims.add(new Claim("E4 finitely many functions: distinct J over " + SEEDS + " seeds at small init, widths " + fmt(toDoubles(widths)),
                "small (at most 3, the attractor count at init) at every width", "at most " + maxSmallJ + " distinct J per width", maxSmallJ <= 3));
        claims.add(new Claim("E4 standard init: a different function for every seed", SEEDS + " distinct functions per width",
                "at least " + minStdFunctions + " distinct per width", minStdFunctions == SEEDS));
        claims.add(new Claim("E4 width independence: sup distance of learned functions to the widest width (small init)", "<= 1e-2",
                String.format(Locale.ROOT, "max %.2e", maxSmallSup), maxSmallSup <= 1e-2));
    }

    // ---- E5: loss curves and escape time
    private void e5() {
        Dataset data = DataSets.fivePoint();
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        List<Attractor> att = Attractors.predict(xt, data.targets());
        double dMax = att.stream().mapToDouble(a -> Math.abs(a.potential())).max().orElseThrow();
        double[] lambdas = {1e-2, 1e-4, 1e-6, 1e-8};
        double[] logs = new double[lambdas.length];
        double[] tStar = new double[lambdas.length];
        List<Figures.Series> curves = new ArrayList<>();
        for (int k = 0; k < lambdas.length; k++) {
            Quantized q = measure(data, true, att, cfg.e5Width(), lambdas[k], SEED);
            logs[k] = Math.log(1 / lambdas[k]);
            tStar[k] = q.alignmentStep() * LR;
            double[] t = new double[q.run().curveSteps().length - 1];
            double[] l = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = q.run().curveSteps()[i + 1];
                l[i] = q.run().curveLoss()[i + 1];
            }
            curves.add(Figures.Series.line(String.format(Locale.ROOT, "lambda=%.0e", lambdas[k]), t, l));
        }
        Figures.xy(out, "e5_loss_vs_step", "Loss vs step (five-point, m=" + cfg.e5Width() + "): plateaus between saddles", "step", "loss", true, true, curves);
        // least-squares slope over lambda <= 1e-4, where ln(1/lambda) dominates the O(1) offset of t*
        double slope = slope(java.util.Arrays.copyOfRange(logs, 1, 4), java.util.Arrays.copyOfRange(tStar, 1, 4));
        double predicted = data.samples() / dMax;
        double[] line = new double[logs.length];
        for (int k = 0; k < logs.length; k++) {
            line[k] = tStar[1] + predicted * (logs[k] - logs[1]);
        }
        Figures.xy(out, "e5_tstar_vs_log", "Escape time t* = lr * (first step with L < 0.99 L0) vs ln(1/lambda)", "ln(1/lambda)", "t*", false, false,
                List.of(Figures.Series.points("measured", logs, tStar), Figures.Series.line("slope n/|D_max| = " + Figures.num(predicted), logs, line)));
        body.append("## E5: loss plateaus and escape time\n\n![loss](e5_loss_vs_step.png)\n\n![t*](e5_tstar_vs_log.png)\n\n")
                .append(String.format(Locale.ROOT, "t* = %s for ln(1/lambda) = %s; slope %.3f, predicted n/|D_max| = %.3f.%n%n", fmt(tStar), fmt(logs), slope, predicted));
        claims.add(new Claim("E5 escape time t* ~ n ln(1/lambda) / |D_max|", String.format(Locale.ROOT, "slope %.3f (within 10%%)", predicted),
                String.format(Locale.ROOT, "slope %.3f", slope), Math.abs(slope / predicted - 1) <= 0.1));
    }

    private void polar(String name, List<Attractor> att, Quantized q, int m, double lambda) {
        boolean small = lambda > 0;
        Neurons net = Neurons.of((small ? q.run().alignment() : q.run().end()).parameters(), true);
        String file = name + "_polar_" + (small ? "small" : "standard") + "_m" + m;
        String title = String.format(Locale.ROOT, "%s, m=%d, %s at %s", name, m, q.initLabel(), small ? "alignment" : "the end");
        boolean circle = net.dim() == 2;
        // aggregate the neurons into 0.5-degree bins per sign, marker area proportional to mass
        List<Figures.Series> series = new ArrayList<>();
        for (int sign = 1; sign >= -1; sign -= 2) {
            Map<Long, double[]> bins = new LinkedHashMap<>();
            double total = net.totalMass();
            for (int j = 0; j < net.width(); j++) {
                double[] u = net.direction(j);
                if (u == null || net.sign(j) != sign) {
                    continue;
                }
                double[] xy = circle ? new double[] {u[0], u[1]} : new double[] {Math.toDegrees(Math.atan2(u[1], u[0])), Math.toDegrees(Math.asin(u[2]))};
                double[] ang = circle ? new double[] {Math.toDegrees(Math.atan2(u[1], u[0])), 0} : xy;
                long key = Math.round(ang[0] * 2) * 100_000 + Math.round(ang[1] * 2);
                double[] acc = bins.computeIfAbsent(key, k -> new double[3]);
                double mass = net.mass(j) / total;
                acc[0] += mass * xy[0];
                acc[1] += mass * xy[1];
                acc[2] += mass;
            }
            double[] x = new double[bins.size()];
            double[] y = new double[bins.size()];
            double[] s = new double[bins.size()];
            int i = 0;
            for (double[] acc : bins.values()) {
                x[i] = acc[0] / acc[2];
                y[i] = acc[1] / acc[2];
                s[i] = 2 + 40 * Math.sqrt(acc[2]);
                i++;
            }
            series.add(Figures.Series.bubbles(sign > 0 ? "a > 0 (area ~ mass)" : "a < 0 (area ~ mass)", x, y, s));
        }
        double[] ax = new double[att.size()];
        double[] ay = new double[att.size()];
        double[] as = new double[att.size()];
        for (int k = 0; k < att.size(); k++) {
            double[] u = att.get(k).direction();
            ax[k] = circle ? u[0] : Math.toDegrees(Math.atan2(u[1], u[0]));
            ay[k] = circle ? u[1] : Math.toDegrees(Math.asin(u[2]));
            as[k] = 6;
        }
        series.add(Figures.Series.bubbles("predicted attractors", ax, ay, as));
        if (circle) {
            Figures.bubbles(out, file, title, "u_w = cos theta", "u_b = sin theta", new double[] {-1.2, 1.2}, new double[] {-1.2, 1.2}, series);
        } else {
            Figures.bubbles(out, file, title, "longitude of (w1, w2) [deg]", "latitude (bias) [deg]", new double[] {-180, 180}, new double[] {-90, 90}, series);
        }
        pendingImages.append("![").append(file).append("](").append(file).append(".png) ");
    }

    /** @return the kink positions of the clusters holding >= 0.1% of the mass, sorted */
    private static String kinkList(Quantized q) {
        double total = q.endClusters().stream().mapToDouble(Cluster::mass).sum();
        double[] k = q.endClusters().stream().filter(c -> c.mass() >= Quantized.PATTERN_SHARE * total)
                .mapToDouble(c -> c.direction()[0] == 0 ? Double.NaN : -c.direction()[1] / c.direction()[0])
                .filter(v -> Math.abs(v) < 1e3).sorted().toArray();
        return fmt(k);
    }

    private void flushImages() {
        if (pendingImages.length() > 0) {
            body.append('\n').append(pendingImages.toString().strip()).append("\n\n");
            pendingImages.setLength(0);
        }
    }

    private static void addFunction(List<Figures.Series> functions, List<Figures.Series> kinks, Quantized q, String label, Dataset data) {
        Neurons net = Neurons.of(q.run().end().parameters(), true);
        double[] grid = grid(-1.25, 1.25, 501);
        functions.add(Figures.Series.line(label, grid, net.evaluate(grid)));
        List<Double> kx = new ArrayList<>();
        double total = net.totalMass();
        for (Cluster c : q.endClusters()) {
            double[] u = c.direction();
            if (c.mass() >= Quantized.PATTERN_SHARE * total && u[0] != 0) {
                kx.add(-u[1] / u[0]);
            }
        }
        double[] x = kx.stream().mapToDouble(Double::doubleValue).filter(v -> Math.abs(v) <= 1.25).toArray();
        kinks.add(Figures.Series.points("kinks " + label, x, net.evaluate(x)));
    }

    private void write() {
        StringBuilder md = new StringBuilder();
        md.append("# The quantization effect, measured\n\n")
                .append("Generated by `bin/reluquant report").append(cfg.quick() ? " --quick" : "").append("` on ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append(", ")
                .append(cfg.threads()).append(" kernel threads, ").append(Runtime.getRuntime().availableProcessors()).append(" processors")
                .append(cfg.quick() ? " (quick variant: widths up to 1e4, fewer runs)" : "").append(".\n")
                .append("All training on the fast kernel (FUSED, float32) from fixed seeds; theory from docs/THEORY.md sections 2-6.\n\n")
                .append("## Claims\n\n| claim | prediction | measured | pass |\n|---|---|---|---|\n");
        for (Claim c : claims) {
            md.append("| ").append(c.claim()).append(" | ").append(c.prediction()).append(" | ").append(c.measured()).append(" | ")
                    .append(c.pass() ? "PASS" : "**FAIL**").append(" |\n");
        }
        md.append('\n').append(body);
        try {
            Files.writeString(out.resolve("report.md"), md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"claim", "prediction", "measured", "pass"});
        for (Claim c : claims) {
            rows.add(new String[] {quote(c.claim()), quote(c.prediction()), quote(c.measured()), String.valueOf(c.pass())});
        }
        Figures.table(out.resolve("claims.csv"), rows);
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "'") + '"';
    }

    private int[] endWidths(int[] widths) {
        return java.util.Arrays.stream(widths).filter(m -> m < cfg.alignmentOnlyWidth()).toArray();
    }

    private static List<Attractor> sortedByTheta(List<Attractor> list) {
        List<Attractor> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingDouble(Attractor::thetaDegrees));
        return copy;
    }

    private static String key(List<BitSet> patterns) {
        return patterns.stream().map(BitSet::toString).sorted().reduce("", (a, b) -> a + b);
    }

    static int distinctFunctions(List<double[]> functions, double tol) {
        List<double[]> reps = new ArrayList<>();
        for (double[] f : functions) {
            if (reps.stream().noneMatch(r -> supDistance(r, f) <= tol)) {
                reps.add(f);
            }
        }
        return reps.size();
    }

    static double supDistance(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    static double slope(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / x.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    private static double[] grid(double lo, double hi, int points) {
        double[] g = new double[points];
        for (int i = 0; i < points; i++) {
            g[i] = lo + (hi - lo) * i / (points - 1);
        }
        return g;
    }

    private static double spread(double[] values, int[] widths, int maxWidth) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] <= maxWidth) {
                lo = Math.min(lo, values[i]);
                hi = Math.max(hi, values[i]);
            }
        }
        return hi - lo;
    }

    private static int index(int[] widths, int width) {
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] == width) {
                return i;
            }
        }
        throw new IllegalStateException("width " + width + " is not among the report's widths");
    }

    private static double[] toDoubles(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return sb.append(']').toString();
    }
}
