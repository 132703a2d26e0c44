package io.reluquant.validation.report;

import io.reluquant.kernel.Precision;
import io.reluquant.validation.data.FashionMnist;
import io.reluquant.validation.experiments.Claims;
import io.reluquant.validation.experiments.RealDataProbe;
import io.reluquant.validation.experiments.RealDataProbe.Moment;
import io.reluquant.validation.experiments.RealDataProbe.Run;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.plot.Csv;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The report's real-data section: the quantization effect on two-class cuts of Fashion-MNIST
 * (d = 784), small init against the contrast regimes, with a table, the cluster directions as
 * images and the claims with pass/fail. Written into the report folder as realdata_*.csv/png.
 */
public final class RealDataReport {
    private RealDataReport() {}

    /** The section: its claims and its Markdown. */
    public record Section(List<Claims.Verdict> claims, String markdown) {}

    /**
     * The sizes of the section.
     *
     * @param pairs class pairs {A, B}
     * @param trainSize training images per pair
     * @param testSize test images per pair (0 = all 2000)
     * @param settings the probe's settings (widths, lambda, loss, learning rates, steps, contrast width)
     */
    public record Sizes(int[][] pairs, int trainSize, int testSize, RealDataProbe.Settings settings) {
        /** The CI variant (report --quick): the easy pair, n = 200, widths 200 and 600, about a minute on 2 cores today. */
        public static Sizes quick(int threads) {
            return new Sizes(new int[][] {{0, 1}}, 200, 400, settings(new int[] {200, 600}, 500, 600, threads));
        }

        /**
         * The full report: the easy pair (t-shirt/top vs trouser) and a hard one (shirt vs pullover), n = 1000, the
         * whole test split, widths 1e3..1e4 and the contrasts at 1e4.
         */
        public static Sizes full(int threads) {
            return new Sizes(new int[][] {{0, 1}, {6, 2}}, 1000, 0, settings(new int[] {1_000, 3_000, 10_000}, 1_000, 10_000, threads));
        }

        /**
         * lambda = 1e-6, square loss, lr = 0.05 for both blocks (measured: stable at d = 784 with pixels in [0, 1], lr = 0.1
         * is not), float32, seed 1.
         */
        static RealDataProbe.Settings settings(int[] widths, long steps, int contrastWidth, int threads) {
            return new RealDataProbe.Settings(widths, 1e-6, RealDataProbe.Objective.SQUARE, RealDataProbe.LearningRates.single(0.05), steps,
                    contrastWidth, steps, 1, Precision.FLOAT32, threads);
        }
    }

    /**
     * Runs the section. When the data cannot be read the section says so and carries one failing claim.
     *
     * @param dataDir folder of the Fashion-MNIST IDX files
     * @param out the report folder
     */
    public static Section run(Sizes sizes, Path dataDir, Path out, PrintStream log) {
        List<Claims.Verdict> claims = new ArrayList<>();
        StringBuilder md = new StringBuilder("## Real data: Fashion-MNIST, d = 784\n\n");
        FashionMnist fm;
        try {
            fm = FashionMnist.load(dataDir);
        } catch (IOException e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            claims.add(Claims.REAL_DATA_READABLE.predicting(dataDir).judge(why, false));
            md.append("Not run: ").append(why).append(" (`apt-get install dataset-fashion-mnist`).\n\n");
            return new Section(claims, md.toString());
        }
        RealDataProbe.Settings s = sizes.settings();
        md.append(String.format(Locale.ROOT, "Two-class cuts of Fashion-MNIST (class A -> +1, B -> -1; pixels / 255; `bin/reluquant data "
                + "fashion-mnist` writes the same sets): n = %d training images (half per class), %s test images; widths %s; balanced small "
                + "init lambda = %.0e against the contrasts of THEORY.md section 3 at m = %d; %s loss; lr = %.3g; %d steps; float32 fast "
                + "kernel, %d threads, seed %d. Clusters join directions with cosine > %.2f; self-consistency is |cos(u, D_sigma(u))| with "
                + "the residuals of that moment, over the clusters holding >= %.0f%% of the mass; stable rank is ||W||_F^2 / ||W||_2^2 of "
                + "the first layer (biases left out). The contrasts run until their loss reaches the small-init end loss at the same width "
                + "(equal loss) or %d steps, at the largest rate 1/trace(Gauss-Newton) allows with one rate for all parameters.%n%n",
                sizes.trainSize(), sizes.testSize() == 0 ? "all 2000" : String.valueOf(sizes.testSize()), Arrays.toString(s.widths()),
                s.smallLambda(), s.contrastWidth(), s.loss().name().toLowerCase(Locale.ROOT), s.lr().output(), s.steps(), s.threads(), s.seed(),
                RealDataProbe.CLUSTER_COSINE, 100 * Claims.HEAVY_SHARE, s.contrastSteps()));
        for (int[] pair : sizes.pairs()) {
            FashionMnist.Pair p = fm.pair(pair[0], pair[1], sizes.trainSize(), sizes.testSize(), s.seed());
            log.println("real data: " + p.label());
            RealDataProbe.Result r = RealDataProbe.probe(p.train(), p.test(), s, line -> log.println("  " + line));
            section(md, claims, p, r, s, out);
        }
        md.append("The large balanced init (lambda = 1) needs rate ~1/(sum_j a_j^2 |x|^2), of order 1/(d |x|^2), with one rate for both "
                + "blocks, so it barely trains in the steps given: comparing it at equal loss needs per-block learning rates "
                + "(lr_a = eta/m, lr_v = eta, the NTK scaling of THEORY.md section 3), as does the standard contrast at large m, and so "
                + "does training either with the logistic loss.\n\n");
        return new Section(claims, md.toString());
    }

    private static void section(StringBuilder md, List<Claims.Verdict> claims, FashionMnist.Pair p, RealDataProbe.Result r,
            RealDataProbe.Settings s, Path out) {
        String tag = FashionMnist.CLASSES.get(p.classA()).replace('/', '-') + "_vs_" + FashionMnist.CLASSES.get(p.classB()).replace('/', '-');
        md.append("### ").append(p.label()).append(String.format(Locale.ROOT,
                "%n%nLinear classifier (ridge least squares, same split): test accuracy %.3f. Probe wall time %.0f s.%n%n", r.linearAccuracy(),
                r.seconds()));
        md.append("| init | m | lr | align. step | N_eff align. | min abs(cos) align. | stable rank align. | end step | end loss | N_eff end "
                + "| clusters >= 1% end | stable rank end | train acc. | test acc. | wall s |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"init", "m", "lr", "alignment_step", "neff_alignment", "min_abs_cos_alignment", "stable_rank_alignment", "end_step",
            "end_loss", "neff_end", "heavy_clusters_end", "stable_rank_end", "train_accuracy", "test_accuracy", "wall_s"});
        List<Run> all = new ArrayList<>(r.small());
        all.addAll(r.contrasts());
        for (Run run : all) {
            Moment a = run.alignment();
            Moment e = run.end();
            String[] row = {run.regime().label(), String.valueOf(run.width()), fmt("%.3g", run.lr().output()), a == null ? "-" : String.valueOf(a.step()),
                a == null ? "-" : fmt("%.2f", a.neff()), a == null ? "-" : fmt("%.4f", a.worstSelfConsistency(Claims.HEAVY_SHARE)),
                a == null ? "-" : fmt("%.2f", a.stableRank()), String.valueOf(e.step()), fmt("%.4g", e.loss()), fmt("%.2f", e.neff()),
                String.valueOf(e.heavyClusters(Claims.HEAVY_SHARE)), fmt("%.2f", e.stableRank()), fmt("%.3f", run.trainAccuracy()),
                fmt("%.3f", run.testAccuracy()), fmt("%.1f", run.seconds())};
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
            rows.add(row);
        }
        md.append('\n');
        Csv.write(out.resolve("realdata_" + tag + ".csv"), rows);
        Run widest = r.small().get(r.small().size() - 1);
        String img = "realdata_" + tag + "_clusters_small_m" + widest.width();
        ClusterImages.write(out, img, String.format(Locale.ROOT, "%s, small init, m = %d, end: clusters (cos > 0.99), share of mass", p.label(),
                widest.width()), shown(widest.end()), widest.end().totalMass(), FashionMnist.SIDE, 16);
        md.append("Cluster directions (input weights as 28x28 images; red > 0, blue < 0, each scaled to its largest |weight|), with their share "
                + "of the mass, the clusters holding >= 0.1% of it at the end of the small-init run at m = ").append(widest.width()).append(":\n\n![").append(img).append("](")
                .append(img).append(".png)\n\n");
        for (Run c : r.contrasts()) {
            if (c.regime() == RealDataProbe.Regime.STANDARD) {
                String ci = "realdata_" + tag + "_clusters_standard_m" + c.width();
                ClusterImages.write(out, ci, String.format(Locale.ROOT, "%s, standard init, m = %d, end: heaviest clusters", p.label(), c.width()),
                        c.end().clusters(), c.end().totalMass(), FashionMnist.SIDE, 16);
                md.append("The same for the standard contrast (the heaviest of its ").append(c.end().clusters().size())
                        .append(" clusters):\n\n![").append(ci).append("](").append(ci).append(".png)\n\n");
            }
        }
        claims.addAll(r.verdicts("Real data (" + p.label() + "): ", s.widths()));
    }

    // the clusters worth a picture: those with >= 0.1% of the mass (the rest are stray neurons), at least the heaviest one
    private static List<Cluster> shown(Moment m) {
        List<Cluster> heavy = m.clusters().stream().filter(c -> c.mass() >= 1e-3 * m.totalMass()).toList();
        return heavy.isEmpty() ? m.clusters().subList(0, Math.min(1, m.clusters().size())) : heavy;
    }

    private static String fmt(String f, Object... v) {
        return String.format(Locale.ROOT, f, v);
    }
}
