package io.reluquant.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/** The PNG plots of one bench run (XChart through validation's plot package, headless). A plot without data is not written. */
final class Plots {
    private Plots() {}

    /** @return the files written */
    static List<Path> write(List<Row> rows, Path folder, int cores, List<Peers.Result> peers,
                            List<ScalingModel.Calibration> models) throws IOException {
        List<Path> written = new ArrayList<>();
        // width sweep: one thread, n = 256, d = 1 (the width group and the headline's m = 1e6)
        Predicate<Row> widthSweep = r -> r.isFused() && r.threads == 1 && r.samples == 256 && r.inputDim == 1 && r.outputs == 1
                && !r.group.equals(Suite.FOOTPRINT) && !r.group.equals(Suite.WEAK) && !r.group.equals(Suite.STRONG);
        save(widthChart(rows, widthSweep, Row::gflops, "GFLOP/s", "Fused step throughput vs width (n=256, d=1, 1 thread)"),
                folder.resolve("throughput-vs-width.png"), written);
        save(widthChart(rows, widthSweep, r -> r.percentOfPeak, "% of measured FMA peak",
                "Fused step, % of the peak measured in the same run"), folder.resolve("percent-peak-vs-width.png"), written);
        save(dimsChart(rows, peers, false), folder.resolve("pairs-vs-dimension.png"), written);
        save(dimsChart(rows, peers, true), folder.resolve("percent-peak-vs-dimension.png"), written);
        save(threadChart(rows, cores), folder.resolve("scaling-vs-threads.png"), written);
        save(latencyChart(rows), folder.resolve("latency.png"), written);
        save(modelChart(rows, models, cores), folder.resolve("scaling-model.png"), written);
        return written;
    }

    /**
     * The scaling model's speed-up on 1..64 cores for each calibrated shape, between its pessimistic
     * (no more bandwidth than this machine's cores have) and optimistic (bandwidth per core) curves,
     * with the measured speed-ups of the same shapes as points.
     */
    static XYChart modelChart(List<Row> rows, List<ScalingModel.Calibration> models, int cores) {
        if (models.isEmpty()) {
            return null;
        }
        XYChart chart = io.reluquant.io.plot.Plots.xyChart(1000, 640,
                "Speed-up over one core: model (calibrated here) and measured points", "cores", "speed-up");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double[] x = java.util.Arrays.stream(ScalingModel.CORES).asDoubleStream().toArray();
        chart.addSeries("ideal", x, x.clone());
        for (ScalingModel.Calibration c : models) {
            chart.addSeries(c.label() + " (bandwidth as here)", x,
                    java.util.Arrays.stream(ScalingModel.CORES).mapToDouble(c::speedupPessimistic).toArray());
            if (c.bytes() > 0) {
                chart.addSeries(c.label() + " (bandwidth per core)", x,
                        java.util.Arrays.stream(ScalingModel.CORES).mapToDouble(c::speedupOptimistic).toArray());
            }
            List<double[]> measured = new ArrayList<>();
            for (Row r : rows) {
                if (r.isFused() && r.threads > 1 && r.threads <= cores && c.label().equals(String.format(java.util.Locale.ROOT,
                        "%s n=%d d=%d m=%d", r.precision, r.samples, r.inputDim, r.width))) {
                    rows.stream().filter(o -> o.isFused() && o.threads == 1 && o.precision.equals(r.precision)
                                    && o.samples == r.samples && o.inputDim == r.inputDim && o.width == r.width
                                    && !o.group.equals(Suite.FOOTPRINT)).findFirst()
                            .ifPresent(o -> measured.add(new double[] {r.threads, o.secondsPerStep / r.secondsPerStep}));
                }
            }
            if (!measured.isEmpty()) {
                chart.addSeries(c.label() + " measured", measured.stream().mapToDouble(q -> q[0]).toArray(),
                        measured.stream().mapToDouble(q -> q[1]).toArray())
                        .setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            }
        }
        return chart;
    }

    private static XYChart widthChart(List<Row> rows, Predicate<Row> keep, ToDoubleFunction<Row> y, String yTitle,
                                      String title) {
        XYChart chart = io.reluquant.io.plot.Plots.xyChart(900, 560, title, "width m (neurons)", yTitle);
        chart.getStyler().setXAxisLogarithmic(true);
        for (String precision : List.of("float32", "float64")) {
            List<Row> series = rows.stream().filter(keep).filter(r -> r.precision.equals(precision))
                    .filter(r -> !Double.isNaN(y.applyAsDouble(r))).sorted(Comparator.comparingInt(r -> r.width)).toList();
            if (!series.isEmpty()) {
                chart.addSeries(precision, series.stream().mapToDouble(r -> r.width).toArray(),
                        series.stream().mapToDouble(y).toArray());
            }
        }
        return chart.getSeriesCollection().isEmpty() ? null : chart;
    }

    /**
     * The dims group (float32, one thread): pairs/s or % of the peak against d for the kernel and for
     * every peer on the same shapes (a peer's % of peak uses the same flop count and the same peak).
     */
    static XYChart dimsChart(List<Row> rows, List<Peers.Result> peers, boolean percent) {
        List<Row> kernel = rows.stream().filter(r -> r.group.equals(Suite.DIMS) && r.isFused() && r.threads == 1
                && r.precision.equals("float32")).sorted(Comparator.comparingInt(r -> r.inputDim)).toList();
        if (kernel.isEmpty()) {
            return null;
        }
        XYChart chart = io.reluquant.io.plot.Plots.xyChart(900, 560,
                percent ? "% of the measured FMA peak vs input dimension (float32, 1 thread)" : "Throughput vs input dimension (float32, 1 thread)",
                "input dimension d", percent ? "% of peak" : "neuron-sample pairs per second");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(!percent);
        // the peak per pair: a row's % of peak over its GFLOP/s, the same for a peer at that row's d
        chart.addSeries("reluquant", kernel.stream().mapToDouble(r -> r.inputDim).toArray(),
                kernel.stream().mapToDouble(r -> percent ? r.percentOfPeak : r.pairsPerSecond()).toArray());
        for (String impl : Peers.IMPLS) {
            List<double[]> points = new ArrayList<>();
            for (Row r : kernel) {
                peers.stream().filter(p -> p.impl().equals(impl) && p.mode().equals("step") && p.outputs() == r.outputs
                        && p.samples() == r.samples && p.inputDim() == r.inputDim
                        && p.width() == r.width && p.threads() == 1).findFirst().ifPresent(p -> points.add(new double[] {
                            r.inputDim, percent ? r.percentOfPeak * p.pairsPerSecond() / r.pairsPerSecond() : p.pairsPerSecond()}));
            }
            if (!points.isEmpty()) {
                chart.addSeries(impl, points.stream().mapToDouble(q -> q[0]).toArray(),
                        points.stream().mapToDouble(q -> q[1]).toArray());
            }
        }
        // the GEMM limit as a rate: a step that took only the time of its two products with the best BLAS
        List<Row> limited = kernel.stream().filter(r -> !Double.isNaN(r.gemmLimitSeconds)).toList();
        if (!limited.isEmpty()) {
            chart.addSeries("GEMM limit (best BLAS)", limited.stream().mapToDouble(r -> r.inputDim).toArray(),
                    limited.stream().mapToDouble(r -> percent ? r.percentOfPeak * r.secondsPerStep / r.gemmLimitSeconds
                            : r.samples * (double) r.width / r.gemmLimitSeconds).toArray());
        }
        return chart;
    }

    /** strong scaling: speed-up over one thread and parallel efficiency; weak scaling: efficiency */
    private static XYChart threadChart(List<Row> rows, int cores) {
        XYChart chart = io.reluquant.io.plot.Plots.xyChart(900, 560, "Thread scaling of the fused step", "threads",
                "speed-up / efficiency");
        for (String group : List.of(Suite.STRONG, Suite.WEAK)) {
            for (String precision : List.of("float32", "float64")) {
                for (int width : rows.stream().filter(r -> r.group.equals(group) && r.precision.equals(precision))
                        .mapToInt(r -> group.equals(Suite.WEAK) ? 0 : r.width).distinct().toArray()) {
                    List<Row> series = rows.stream().filter(r -> r.group.equals(group) && r.precision.equals(precision)
                            && (group.equals(Suite.WEAK) || r.width == width))
                            .sorted(Comparator.comparingInt(r -> r.threads)).toList();
                    if (series.size() < 2 || series.get(0).threads != 1) {
                        continue;
                    }
                    double t1 = series.get(0).secondsPerStep;
                    double[] threads = series.stream().mapToDouble(r -> r.threads).toArray();
                    String label = precision + (group.equals(Suite.WEAK) ? " weak" : " m=" + width);
                    if (group.equals(Suite.STRONG)) {
                        chart.addSeries("speed-up " + label, threads,
                                series.stream().mapToDouble(r -> t1 / r.secondsPerStep).toArray());
                    }
                    chart.addSeries("efficiency " + label, threads, series.stream().mapToDouble(r -> Summary.efficiency(
                            series.get(0), r, cores)).toArray());
                }
            }
        }
        return chart.getSeriesCollection().isEmpty() ? null : chart;
    }

    private static CategoryChart latencyChart(List<Row> rows) {
        List<Row> shown = rows.stream().filter(r -> r.group.equals(Suite.HEADLINE) || r.group.equals(Suite.CUSTOM)).toList();
        if (shown.isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(600)
                .title("Step latency percentiles (JMH SampleTime, after warm-up)").xAxisTitle("shape")
                .yAxisTitle("microseconds").build();
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> labels = shown.stream().map(r -> r.precision + " n=" + r.samples + " m=" + r.width
                + " t=" + r.threads).toList();
        chart.addSeries("p50", labels, shown.stream().map(r -> (Number) r.p50Us).toList());
        chart.addSeries("p99", labels, shown.stream().map(r -> (Number) r.p99Us).toList());
        chart.addSeries("p99.9", labels, shown.stream().map(r -> (Number) r.p999Us).toList());
        return chart;
    }

    private static void save(Chart<?, ?> chart, Path file, List<Path> written) throws IOException {
        if (chart == null) {
            return;
        }
        io.reluquant.io.plot.Plots.png(chart, file);
        written.add(file);
    }
}
