package io.reluquant.validation.report;

import io.reluquant.io.data.FashionMnist;
import io.reluquant.io.plot.Csv;
import io.reluquant.io.plot.Plots.Series;
import io.reluquant.io.plot.Plots;
import io.reluquant.kernel.Parameters;
import io.reluquant.validation.experiments.Claims;
import io.reluquant.validation.experiments.Format;
import io.reluquant.validation.experiments.VectorAlignment;
import io.reluquant.validation.experiments.VectorRealProbe;
import io.reluquant.validation.theory.VectorAttractor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's section on vector outputs (docs/THEORY.md section 10): runs {@link VectorAlignment}, appends its tables to
 * the report's markdown and writes its CSV and the neuron-and-output-direction figure of the k = 2 set, then the reduced-size
 * ten-class Fashion-MNIST probe ({@link VectorRealProbe}) with its cluster images.
 */
public final class VectorSection {
    private VectorSection() {}

    /**
     * Runs the experiment and writes the section.
     *
     * @param quick the CI-size variant (fewer seeds)
     * @param threads kernel threads
     * @param out the report directory
     * @param body the report's markdown, appended to
     * @return the verdicts of the section's claims
     */
    public static List<Claims.Verdict> run(boolean quick, int threads, Path out, StringBuilder body) {
        VectorAlignment.Result r = VectorAlignment.run(quick, threads);
        write(r, out, body);
        probe(quick ? VectorRealProbe.Size.quick(threads) : VectorRealProbe.Size.full(threads), FashionMnist.DEFAULT_DIR, out, body);
        return r.verdicts();
    }

    /**
     * Runs the section on its own and writes OUT_DIR/vector.md with its figures beside it (the full report takes
     * over an hour; this section alone a few minutes).
     *
     * @param args OUT_DIR [--quick] [--threads K]
     */
    public static void main(String[] args) {
        ReportWriter.runAlone(args, "VectorSection", "vector.md", VectorSection::run);
    }

    /**
     * Runs the ten-class Fashion-MNIST probe and writes its part of the section (a line saying why when the data cannot be read).
     *
     * @param size the probe's size
     * @param dataDir folder of the Fashion-MNIST IDX files
     * @param out the report directory
     * @param body the markdown, appended to
     * @return the probe's result, null when the data could not be read
     */
    public static VectorRealProbe.Result probe(VectorRealProbe.Size size, Path dataDir, Path out, StringBuilder body) {
        body.append("### Vector outputs on real data: ten-class Fashion-MNIST, softmax cross-entropy (reduced size)\n\n");
        FashionMnist fm;
        try {
            fm = FashionMnist.load(dataDir);
        } catch (IOException e) {
            body.append("Not run: Fashion-MNIST not readable in ").append(dataDir).append(" (").append(e.getMessage()).append(").\n\n");
            return null;
        }
        VectorRealProbe.Result r = VectorRealProbe.run(fm, size);
        body.append(Format.of("n = %d training images (an equal share per class), d = 784, k = 10, widths %s, balanced init lambda = %.0e, "
                + "float32, lr = %.2f, bias on; read at the end of alignment (the first step with L0 - L >= 1e-4 L0) and after %d steps. A "
                + "reduced size (the full probe would take n up to 1e4 and widths up to 1e4), %.0f s in all. Clusters join directions at "
                + "cosine > 0.99; self-consistency at the residuals of the reading step: abs(cos(u, q)) with q the top right singular "
                + "vector of the cluster's sector matrix, cos(a, g(u)) of its mean output direction; \"votes\" is the class of the "
                + "largest coordinate of that output direction. Beside each width, the contrast: PyTorch's default draw (a random f0 of "
                + "size O(1)), the same lr, trained until its loss is at most the small-init run's end loss (at most %d times its steps) and "
                + "read there; L / L0 is its own L0. Descriptive: no claim is judged here.\n\n",
                size.samples(), java.util.Arrays.toString(size.widths()), size.lambda(), size.lr(), size.maxSteps(), r.seconds(),
                VectorRealProbe.CONTRAST_STEP_FACTOR));
        body.append("| m | moment | step | L | L / L0 | N_eff | clusters | test accuracy | heaviest clusters: share, votes, abs(cos(u, q)), cos(a, g) |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (VectorRealProbe.Reading q : r.readings()) {
            StringBuilder top = new StringBuilder();
            for (int c = 0; c < Math.min(4, q.drawn().size()); c++) {
                VectorRealProbe.HeavyCluster h = q.drawn().get(c);
                top.append(c == 0 ? "" : "; ").append(Format.of("%.1f%% %s %.4f %.4f", 100 * h.share(), FashionMnist.CLASSES.get(h.votes()),
                        h.directionCos(), h.outputCos()));
            }
            String moment = q.reached() ? q.moment() : q.moment() + " NOT REACHED (read at its step cap)";
            body.append(Format.of("| %d | %s | %d | %.6f | %.6f | %.3f | %d | %.4f | %s |\n", q.width(), moment, q.step(), q.loss(), q.loss() / q.l0(),
                    q.neff(), q.clusters(), q.testAccuracy(), top));
        }
        body.append(Format.of("\nTest accuracy on %d test images (argmax of the ten outputs). Beside it, the linear softmax classifier on the same "
                + "%d training images (float64, full-batch gradient descent from zero, step 1 / L, %d steps, ridge 1e-4): %.4f.\n\n",
                r.testImages(), size.samples(), VectorRealProbe.LINEAR_STEPS, r.linearAccuracy()));
        for (VectorRealProbe.Reading q : r.readings()) {
            String name = "vector-fashion-m" + q.width() + switch (q.moment()) {
                case VectorRealProbe.END -> "-end";
                case VectorRealProbe.CONTRAST -> "-contrast";
                default -> "-alignment";
            };
            VectorClusterImages.write(out, name, Format.of("Fashion-MNIST, 10 classes, m = %d, %s (step %d): the %d heaviest clusters",
                    q.width(), q.moment(), q.step(), q.drawn().size()), q.drawn());
            body.append("![").append(name).append("](").append(name).append(".png)\n\n");
        }
        return r;
    }

    /**
     * Writes the section of a result already measured.
     *
     * @param r the runs
     * @param out the report directory
     * @param body the markdown, appended to
     */
    public static void write(VectorAlignment.Result r, Path out, StringBuilder body) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int seeds = r.quick() ? Claims.VECTOR_SEEDS_QUICK : Claims.VECTOR_SEEDS;
        body.append("## Vector outputs: alignment of u and of a/abs(a) with the predicted attractors\n\n")
                .append(Format.of("k-output networks trained by the kernel (float64, balanced init lambda = %.0e, lr = %.2f, bias on), read at the first "
                        + "step with L0 - L >= 1e-4 L0; widths %s, seeds 1..%d. Each neuron belongs to the cell of the nearest predicted attractor; "
                        + "within 1 and 5 deg are shares of the cell's mass abs(a) abs(v), output cos is the cosine of the mean a/abs(a) of the "
                        + "neurons within 5 deg with the predicted output direction. Worst over the seeds at m = %d; the control reads the same "
                        + "networks against the attractors of the data with the targets permuted among the samples (docs/THEORY.md section 10).\n\n",
                        Claims.VECTOR_LAMBDA, Claims.VECTOR_LR, java.util.Arrays.toString(Claims.VECTOR_WIDTHS), seeds, Claims.VECTOR_JUDGED_WIDTH))
                .append("| data | attractor | kind | u = (w, b) | predicted a/abs(a) | rate abs(g) | cell mass share (median) | within 1 deg | "
                        + "within 5 deg | output cos | control within 1 deg (best) | control output cos (best) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"data", "width", "seed", "step", "predicted_escape_steps", "loss_drop", "neff", "direction_consistency",
            "output_consistency", "which", "attractor", "within1", "within5", "output_cos", "cell_share"});
        for (VectorAlignment.Data d : r.data()) {
            List<VectorAlignment.Run> judged = r.runs(d.name(), Claims.VECTOR_JUDGED_WIDTH);
            for (int a = 0; a < d.attractors().size(); a++) {
                VectorAttractor at = d.attractors().get(a);
                double w1 = 1;
                double w5 = 1;
                double cos = 1;
                double[] shares = new double[judged.size()];
                for (int s = 0; s < judged.size(); s++) {
                    VectorAlignment.PerAttractor p = judged.get(s).attractors().get(a);
                    w1 = Math.min(w1, p.within1());
                    w5 = Math.min(w5, p.within5());
                    cos = Math.min(cos, p.outputCos());
                    shares[s] = p.cellShare();
                }
                java.util.Arrays.sort(shares);
                String control = "";
                String controlCos = "";
                if (a < d.control().size()) {
                    double c1 = 0;
                    double cc = -1;
                    for (VectorAlignment.Run run : judged) {
                        for (VectorAlignment.PerAttractor p : run.control()) {
                            c1 = Math.max(c1, p.within1());
                            cc = Double.isNaN(p.outputCos()) ? cc : Math.max(cc, p.outputCos());
                        }
                    }
                    control = a == 0 ? Format.of("%.4f", c1) : "";
                    controlCos = a == 0 ? Format.of("%.4f", cc) : "";
                }
                body.append(Format.of("| %s | %d | %s | %s | %s | %.4f | %.2e | %.4f | %.5f | %.6f | %s | %s |\n", d.name(), a + 1,
                        at.boundary() ? "boundary" : "interior", Format.list(at.direction()), Format.list(at.output()), at.rate(),
                        shares.length == 0 ? Double.NaN : shares[shares.length / 2], w1, w5, cos, control, controlCos));
            }
        }
        body.append("\nThe control's attractors (permuted targets, seed ").append(Claims.VECTOR_CONTROL_PERMUTATION_SEED)
                .append(") are other directions; its columns give the best of all its attractors and seeds.\n\n");
        body.append("| data | m | N_eff (median over seeds) | measurement step (median) | predicted escape steps ln(1/lambda)/ln(1 + lr max abs(g)/n) "
                + "| self-consistency abs(cos(u, q)), cos(a, g(u)) (worst seed, clusters >= 1% of the mass) |\n|---|---|---|---|---|---|\n");
        for (VectorAlignment.Data d : r.data()) {
            double[] neff = r.medianNeff(d.name());
            for (int w = 0; w < Claims.VECTOR_WIDTHS.length; w++) {
                List<VectorAlignment.Run> runs = r.runs(d.name(), Claims.VECTOR_WIDTHS[w]);
                long[] steps = runs.stream().mapToLong(VectorAlignment.Run::step).sorted().toArray();
                double cu = runs.stream().mapToDouble(VectorAlignment.Run::directionConsistency).min().orElse(Double.NaN);
                double ca = runs.stream().mapToDouble(VectorAlignment.Run::outputConsistency).min().orElse(Double.NaN);
                body.append(Format.of("| %s | %d | %.3f | %d | %.0f | %.5f, %.5f |\n", d.name(), Claims.VECTOR_WIDTHS[w], neff[w],
                        steps.length == 0 ? -1 : steps[steps.length / 2], runs.isEmpty() ? Double.NaN : runs.get(0).predictedSteps(), cu, ca));
            }
        }
        for (VectorAlignment.Run run : r.runs()) {
            for (int which = 0; which < 2; which++) {
                List<VectorAlignment.PerAttractor> list = which == 0 ? run.attractors() : run.control();
                for (int a = 0; a < list.size(); a++) {
                    VectorAlignment.PerAttractor p = list.get(a);
                    rows.add(new String[] {run.data(), "" + run.width(), "" + run.seed(), "" + run.step(), Csv.num(run.predictedSteps()),
                        Csv.num(run.lossDrop()), Csv.num(run.neff()), Csv.num(run.directionConsistency()), Csv.num(run.outputConsistency()),
                        which == 0 ? "predicted" : "control", "" + (a + 1), Csv.num(p.within1()), Csv.num(p.within5()), Csv.num(p.outputCos()),
                        Csv.num(p.cellShare())});
                }
            }
        }
        Csv.write(out.resolve("vector-alignment.csv"), rows);
        body.append("\nEvery run, attractor and control: vector-alignment.csv.\n\n");
        hinges2Figure(r, out, body);
    }

    /** k = 2, d = 1: each neuron as the angle of its u = (w, b) against the angle of its a, bubble area ~ mass, with the predicted pairs. */
    private static void hinges2Figure(VectorAlignment.Result r, Path out, StringBuilder body) {
        VectorAlignment.Data d = r.data().stream().filter(x -> x.name().equals("hinges2")).findFirst().orElse(null);
        List<VectorAlignment.Run> runs = d == null ? List.of() : r.runs("hinges2", Claims.VECTOR_JUDGED_WIDTH);
        if (runs.isEmpty()) {
            return;
        }
        Parameters p = runs.get(0).parameters();
        Map<Long, double[]> bins = new LinkedHashMap<>();
        double total = 0;
        double[] mass = new double[p.width()];
        for (int j = 0; j < p.width(); j++) {
            mass[j] = Math.hypot(p.w(j, 0), p.b(j)) * Math.hypot(p.a(j, 0), p.a(j, 1));
            total += mass[j];
        }
        for (int j = 0; j < p.width(); j++) {
            if (mass[j] == 0) {
                continue;
            }
            double theta = Math.toDegrees(Math.atan2(p.b(j), p.w(j, 0)));
            double phi = Math.toDegrees(Math.atan2(p.a(j, 1), p.a(j, 0)));
            long key = Math.round(theta * 2) * 100_000 + Math.round(phi * 2);
            double[] acc = bins.computeIfAbsent(key, k -> new double[3]);
            double share = mass[j] / total;
            acc[0] += share * theta;
            acc[1] += share * phi;
            acc[2] += share;
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
        List<Series> series = new ArrayList<>();
        series.add(Series.bubbles("neurons, m = " + p.width() + ", seed " + runs.get(0).seed() + " (area ~ mass)", x, y, s));
        double[] ax = new double[d.attractors().size()];
        double[] ay = new double[ax.length];
        double[] as = new double[ax.length];
        for (int a = 0; a < ax.length; a++) {
            VectorAttractor at = d.attractors().get(a);
            ax[a] = Math.toDegrees(Math.atan2(at.direction()[1], at.direction()[0]));
            ay[a] = Math.toDegrees(Math.atan2(at.output()[1], at.output()[0]));
            as[a] = 6;
        }
        series.add(Series.bubbles("predicted (u, a/abs(a))", ax, ay, as));
        Plots.bubbles(out, "vector-hinges2", "hinges2 (k = 2) at the end of alignment", "angle of u = (w, b) [deg]", "angle of a = (a1, a2) [deg]",
                new double[] {-180, 180}, new double[] {-180, 180}, series);
        body.append("![vector-hinges2](vector-hinges2.png)\n\nEach neuron of one hinges2 network as (angle of its u, angle of its output vector a), "
                + "binned by half a degree, with the predicted pairs: both halves of an attractor are predicted from the data.\n\n");
    }
}
