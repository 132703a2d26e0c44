package io.reluquant.validation.report;

import io.reluquant.io.plot.Csv;
import io.reluquant.io.plot.Plots;
import io.reluquant.validation.measures.Neurons;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BubbleChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Figures of the fair-contrast experiments that a reader can check by eye, each a PNG (XChart) with a
 * CSV of the plotted numbers beside it: the fan of learned functions over seeds with the data points,
 * mass-weighted histograms of neuron directions at snapshots over time, polar plots whose marker
 * AREA is proportional to mass (no minimum size, so a million light neurons stay faint), and the loss
 * curve with predicted plateau levels drawn on it.
 */
public final class ContrastFigures {
    /** Diameter in pixels of the heaviest marker of a polar plot (XChart bubble sizes are diameters in pixels). */
    public static final double POLAR_MAX_DIAMETER = 48;
    /** Bin width in degrees of the direction histograms and of the polar plots' mass aggregation. */
    public static final double ANGLE_BIN_DEGREES = 0.5;
    /** Radius of the ring of a &lt; 0 neurons in the polar plots (a &gt; 0 neurons sit on the unit circle). */
    public static final double NEGATIVE_RING = 0.8;

    // distinct colours for up to 8 series (XChart's default palette repeats a yellow)
    private static final Color[] PALETTE = {new Color(0, 0, 0), new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 158, 115),
        new Color(200, 30, 30), new Color(0, 114, 178), new Color(213, 94, 0), new Color(204, 121, 167)};

    private ContrastFigures() {}

    /**
     * The paper-style fan: every seed's learned function on a grid, thin lines of one colour, with the
     * training points as black markers. Writes NAME.png and NAME.csv (series, x, y).
     *
     * @param functions f of each seed on {@code gridX}
     */
    public static void fan(Path dir, String name, String title, double[] gridX, List<double[]> functions, double[] dataX, double[] dataY) {
        XYChart chart = xyChart(title, "x", "f(x)");
        chart.getStyler().setLegendVisible(false);
        StringBuilder csv = new StringBuilder("series,x,y\n");
        int s = 0;
        for (double[] f : functions) {
            requireLength("function " + s, f, gridX.length);
            XYSeries xs = chart.addSeries("seed " + (s + 1), gridX, f);
            xs.setMarker(SeriesMarkers.NONE);
            xs.setLineColor(new Color(0, 90, 200, 110));
            xs.setLineStyle(new BasicStroke(1f));
            rows(csv, "seed " + (s + 1), gridX, f);
            s++;
        }
        XYSeries data = chart.addSeries("data", dataX, dataY);
        data.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        data.setMarker(SeriesMarkers.CIRCLE);
        data.setMarkerColor(Color.BLACK);
        rows(csv, "data", dataX, dataY);
        save(chart, dir, name, csv);
    }

    /**
     * Mass-weighted histograms of the direction angle theta = atan2(b, w) in degrees (d = 1 with bias),
     * one line per snapshot: the share of the total mass in each bin of {@link #ANGLE_BIN_DEGREES},
     * positive for a &gt; 0 neurons and negative for a &lt; 0, so both signs show on one axis.
     *
     * @param labels one per snapshot, e.g. "step 3000"
     */
    public static void directionHistograms(Path dir, String name, String title, List<Neurons> snapshots, List<String> labels) {
        if (snapshots.size() != labels.size()) {
            throw new IllegalArgumentException("snapshots and labels differ in count: " + snapshots.size() + " vs " + labels.size());
        }
        XYChart chart = xyChart(title, "theta = atan2(b, w), degrees", "mass share per bin (a < 0 below zero)");
        StringBuilder csv = new StringBuilder("series,x,y\n");
        for (int k = 0; k < snapshots.size(); k++) {
            double[][] h = histogram(snapshots.get(k));
            XYSeries xs = chart.addSeries(labels.get(k), h[0], h[1]);
            xs.setMarker(SeriesMarkers.NONE);
            xs.setLineColor(PALETTE[k % PALETTE.length]);
            xs.setLineStyle(new BasicStroke(1.2f));
            rows(csv, labels.get(k), h[0], h[1]);
        }
        save(chart, dir, name, csv);
    }

    /** @return {bin centres in degrees, signed mass share}: the histogram of {@link #directionHistograms} */
    public static double[][] histogram(Neurons net) {
        requirePlane(net);
        int bins = (int) Math.round(360 / ANGLE_BIN_DEGREES);
        double[] pos = new double[bins];
        double[] neg = new double[bins];
        double total = net.totalMass();
        for (int j = 0; j < net.width(); j++) {
            double mj = net.mass(j);
            if (mj == 0) {
                continue;
            }
            int b = bin(net, j, bins);
            if (net.sign(j) > 0) {
                pos[b] += mj / total;
            } else {
                neg[b] += mj / total;
            }
        }
        double[] x = new double[bins];
        double[] y = new double[bins];
        for (int b = 0; b < bins; b++) {
            x[b] = -180 + (b + 0.5) * ANGLE_BIN_DEGREES;
            y[b] = pos[b] - neg[b];
        }
        return new double[][] {x, y};
    }

    /**
     * Polar plot of the neurons of a d = 1 network: mass summed per sign in bins of
     * {@link #ANGLE_BIN_DEGREES}, drawn at the bin's direction on the unit circle (a &gt; 0) or on the ring
     * of radius {@link #NEGATIVE_RING} (a &lt; 0), with marker area proportional to the bin's mass
     * (diameter {@link #POLAR_MAX_DIAMETER} sqrt(mass / largest bin mass), no minimum size: a bin of a
     * ten-thousandth of the largest mass is half a pixel across). Writes NAME.png and NAME.csv (series, x,
     * y, size = diameter in pixels, mass).
     */
    public static void polar(Path dir, String name, String title, Neurons net) {
        double[][][] b = polarBins(net);
        BubbleChart chart = Plots.bubbleChart(720, 760, title, "w direction", "b direction");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisMin(-1.15).setXAxisMax(1.15).setYAxisMin(-1.15).setYAxisMax(1.15);
        Color[] colours = {new Color(0, 90, 200, 150), new Color(220, 60, 20, 150)};
        String[] names = {"a > 0 (unit circle)", "a < 0 (ring of radius " + NEGATIVE_RING + ")"};
        StringBuilder csv = new StringBuilder("series,x,y,size,mass\n");
        for (int s = 0; s < 2; s++) {
            double[][] p = b[s];
            if (p[0].length > 0) {
                chart.addSeries(names[s], p[0], p[1], p[2]).setFillColor(colours[s]);
            }
            for (int i = 0; i < p[0].length; i++) {
                csv.append('"').append(names[s]).append("\",").append(num(p[0][i])).append(',').append(num(p[1][i])).append(',')
                        .append(num(p[2][i])).append(',').append(num(p[3][i])).append('\n');
            }
        }
        save(chart, dir, name, csv);
    }

    /**
     * @return per sign (0: a &gt; 0, 1: a &lt; 0) the nonempty bins as {x, y, diameter, mass}, diameter =
     *         {@link #POLAR_MAX_DIAMETER} sqrt(mass / largest bin mass of either sign)
     */
    public static double[][][] polarBins(Neurons net) {
        requirePlane(net);
        int bins = (int) Math.round(360 / ANGLE_BIN_DEGREES);
        double[][] mass = new double[2][bins];
        double max = 0;
        for (int j = 0; j < net.width(); j++) {
            double mj = net.mass(j);
            if (mj == 0) {
                continue;
            }
            int s = net.sign(j) > 0 ? 0 : 1;
            int b = bin(net, j, bins);
            mass[s][b] += mj;
            max = Math.max(max, mass[s][b]);
        }
        double[][][] out = new double[2][][];
        for (int s = 0; s < 2; s++) {
            int count = 0;
            for (double m : mass[s]) {
                count += m > 0 ? 1 : 0;
            }
            double[][] p = new double[4][count];
            int c = 0;
            double r = s == 0 ? 1 : NEGATIVE_RING;
            for (int b = 0; b < bins; b++) {
                if (mass[s][b] > 0) {
                    double theta = Math.toRadians(-180 + (b + 0.5) * ANGLE_BIN_DEGREES);
                    p[0][c] = r * Math.cos(theta);
                    p[1][c] = r * Math.sin(theta);
                    p[2][c] = POLAR_MAX_DIAMETER * Math.sqrt(mass[s][b] / max);
                    p[3][c] = mass[s][b];
                    c++;
                }
            }
            out[s] = p;
        }
        return out;
    }

    /**
     * The loss against the step on log-log axes, with each predicted plateau level drawn as a
     * horizontal dashed line. Writes NAME.png and NAME.csv (series, x, y; the levels as two-point lines).
     *
     * @param steps recorded steps (step 0 is drawn at 1 on the log axis: the CSV keeps 0)
     * @param plateauLevels predicted plateau losses (computed elsewhere, from the data alone)
     */
    public static void lossCurve(Path dir, String name, String title, long[] steps, double[] loss, double[] plateauLevels) {
        if (steps.length != loss.length) {
            throw new IllegalArgumentException("steps and loss differ in length: " + steps.length + " vs " + loss.length);
        }
        XYChart chart = xyChart(title, "step (step 0 drawn at 1)", "loss");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        double[] x = new double[steps.length];
        double[] xcsv = new double[steps.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(1, steps[i]);
            xcsv[i] = steps[i];
        }
        StringBuilder csv = new StringBuilder("series,x,y\n");
        XYSeries curve = chart.addSeries("loss", x, loss);
        curve.setMarker(SeriesMarkers.NONE);
        curve.setLineStyle(new BasicStroke(1.8f));
        rows(csv, "loss", xcsv, loss);
        double last = x.length == 0 ? 10 : Math.max(10, x[x.length - 1]);
        for (int k = 0; k < plateauLevels.length; k++) {
            String label = String.format(Locale.ROOT, "predicted plateau %.4g", plateauLevels[k]);
            double[] lx = {1, last};
            double[] ly = {plateauLevels[k], plateauLevels[k]};
            XYSeries level = chart.addSeries(label, lx, ly);
            level.setMarker(SeriesMarkers.NONE);
            level.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            rows(csv, label, new double[] {0, last}, ly);
        }
        save(chart, dir, name, csv);
    }

    /**
     * Lines (with markers) on log-log axes, e.g. error against n. Writes NAME.png and NAME.csv (series, x, y).
     *
     * @param names one per series
     */
    public static void logLog(Path dir, String name, String title, String xLabel, String yLabel, List<String> names, List<double[]> xs,
            List<double[]> ys) {
        if (names.size() != xs.size() || names.size() != ys.size()) {
            throw new IllegalArgumentException("names, xs and ys differ in count: " + names.size() + ", " + xs.size() + ", " + ys.size());
        }
        XYChart chart = xyChart(title, xLabel, yLabel);
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        StringBuilder csv = new StringBuilder("series,x,y\n");
        for (int s = 0; s < names.size(); s++) {
            XYSeries xy = chart.addSeries(names.get(s), xs.get(s), ys.get(s));
            xy.setLineStyle(new BasicStroke(1.5f));
            xy.setLineColor(PALETTE[s % PALETTE.length]);
            xy.setMarkerColor(PALETTE[s % PALETTE.length]);
            rows(csv, names.get(s), xs.get(s), ys.get(s));
        }
        save(chart, dir, name, csv);
    }

    private static XYChart xyChart(String title, String xLabel, String yLabel) {
        XYChart chart = Plots.xyChart(860, 600, title, xLabel, yLabel);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    private static int bin(Neurons net, int j, int bins) {
        double theta = Math.toDegrees(Math.atan2(net.coordinate(j, 1), net.coordinate(j, 0)));
        return Math.min(bins - 1, Math.max(0, (int) Math.floor((theta + 180) / ANGLE_BIN_DEGREES)));
    }

    private static void requirePlane(Neurons net) {
        if (net.dim() != 2) {
            throw new IllegalArgumentException("direction plots need a 2-dimensional neuron space (d = 1 with bias), got " + net.dim());
        }
    }

    private static void requireLength(String what, double[] v, int n) {
        if (v.length != n) {
            throw new IllegalArgumentException(what + " has length " + v.length + ", the grid " + n);
        }
    }

    private static void rows(StringBuilder csv, String series, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            csv.append('"').append(series).append("\",").append(num(x[i])).append(',').append(num(y[i])).append('\n');
        }
    }

    // through the project's plot package: the PNG and the CSV each written atomically (a temporary file moved into place)
    private static void save(Chart<?, ?> chart, Path dir, String name, StringBuilder csv) {
        try {
            Files.createDirectories(dir);
            Plots.png(chart, dir.resolve(name + ".png"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Csv.write(dir.resolve(name + ".csv"), csv);
    }

    private static String num(double v) {
        return Csv.num(v);
    }
}
