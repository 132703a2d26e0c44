package io.reluquant.validation.report;

import io.reluquant.io.plot.Plots.Series;
import io.reluquant.io.plot.Plots;
import io.reluquant.kernel.Dataset;
import io.reluquant.validation.experiments.Quantized;
import io.reluquant.validation.experiments.Stats;
import io.reluquant.validation.experiments.Sweep;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.theory.Attractor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * The figures of single training runs, drawn as the experiments measure them (the networks are not kept): the polar
 * plots of the directions at the widest and narrowest widths, and E1's learned functions with their kinks. Steps the
 * progress bar.
 */
final class RunFigures implements Sweep.Observer {
    private final Path out;
    private final ProgressBar progress;
    private Sweep sweep;
    private final Map<String, List<String>> images = new LinkedHashMap<>();
    private final Map<String, List<Series>> functions = new LinkedHashMap<>();
    private final Map<String, List<Series>> kinks = new LinkedHashMap<>();
    private final Map<String, Dataset> data = new LinkedHashMap<>();

    RunFigures(Path out, ProgressBar progress) {
        this.out = out;
        this.progress = progress;
    }

    void sweep(Sweep s) {
        this.sweep = s;
    }

    @Override
    public void measured(String name, List<Attractor> attractors, Quantized q) {
        progress.step();
        int m = q.width();
        double lambda = q.lambda();
        boolean drawn = lambda == Sweep.SMALL || lambda == 0;
        if (name.equals("five") || name.equals("random")) {
            int[] widths = name.equals("five") ? sweep.e1Widths() : sweep.randomWidths();
            if (drawn && (m == widths[0] || m == widths[widths.length - 1])) {
                polar(name, attractors, q);
            }
            if (lambda == Sweep.SMALL && m < sweep.alignmentOnlyWidth()) {
                addFunction(name, q);
            }
        } else if (name.equals("twod") && drawn && m == 10_000) {
            polar(name, attractors, q);
        }
    }

    /** @return the Markdown image links of the polar plots of {@code name}, in the order drawn, on one line */
    String images(String name) {
        return String.join(" ", images.getOrDefault(name, List.of()));
    }

    /** Writes e1_NAME_functions: the learned functions at lambda = 1e-4, the data and the kinks. */
    void functions(String name, Dataset set) {
        List<Series> all = new ArrayList<>(functions.getOrDefault(name, List.of()));
        all.add(Series.points("data", set.inputs(), set.targets()));
        all.addAll(kinks.getOrDefault(name, List.of()));
        Plots.xy(out, "e1_" + name + "_functions", "Learned functions, balanced init lambda=1e-4, all widths", "x", "f(x)", false, false, all);
    }

    private void addFunction(String name, Quantized q) {
        String label = "m=" + q.width();
        Neurons net = Neurons.of(q.run().end().parameters(), true);
        double[] grid = Stats.grid(-1.25, 1.25, 501);
        functions.computeIfAbsent(name, k -> new ArrayList<>()).add(Series.line(label, grid, net.evaluate(grid)));
        List<Double> kx = new ArrayList<>();
        double total = net.totalMass();
        for (Cluster c : q.endClusters()) {
            double[] u = c.direction();
            if (c.mass() >= Quantized.PATTERN_SHARE * total && u[0] != 0) {
                kx.add(-u[1] / u[0]);
            }
        }
        double[] x = kx.stream().mapToDouble(Double::doubleValue).filter(v -> Math.abs(v) <= 1.25).toArray();
        kinks.computeIfAbsent(name, k -> new ArrayList<>()).add(Series.points("kinks " + label, x, net.evaluate(x)));
    }

    private void polar(String name, List<Attractor> att, Quantized q) {
        int m = q.width();
        boolean small = q.lambda() > 0;
        Neurons net = Neurons.of((small ? q.run().alignment() : q.run().end()).parameters(), true);
        String file = name + "_polar_" + (small ? "small" : "standard") + "_m" + m;
        String title = String.format(Locale.ROOT, "%s, m=%d, %s at %s", name, m, q.initLabel(), small ? "alignment" : "the end");
        boolean circle = net.dim() == 2;
        // aggregate the neurons into 0.5-degree bins per sign, marker area proportional to mass
        List<Series> series = new ArrayList<>();
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
            series.add(Series.bubbles(sign > 0 ? "a > 0 (area ~ mass)" : "a < 0 (area ~ mass)", x, y, s));
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
        series.add(Series.bubbles("predicted attractors", ax, ay, as));
        if (circle) {
            Plots.bubbles(out, file, title, "u_w = cos theta", "u_b = sin theta", new double[] {-1.2, 1.2}, new double[] {-1.2, 1.2}, series);
        } else {
            Plots.bubbles(out, file, title, "longitude of (w1, w2) [deg]", "latitude (bias) [deg]", new double[] {-180, 180}, new double[] {-90, 90},
                    series);
        }
        images.computeIfAbsent(name, k -> new ArrayList<>()).add("![" + file + "](" + file + ".png)");
    }
}
