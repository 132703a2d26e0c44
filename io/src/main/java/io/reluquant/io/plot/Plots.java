package io.reluquant.io.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import io.reluquant.io.AtomicFiles;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BubbleChart;
import org.knowm.xchart.BubbleChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The project's one wrapper of XChart (headless PNG plots), used by the report, by {@code reluquant match} and by the
 * bench: chart builders with the project's sizes, PNG writing, and the report's figures, which are written with a CSV of
 * the plotted numbers beside them.
 */
public final class Plots {
    private static final Color[] BUBBLE_COLORS = {new Color(0, 90, 200, 140), new Color(220, 60, 20, 140), new Color(0, 0, 0, 255),
        new Color(0, 150, 0, 200)};

    private Plots() {}

    /** One plotted series: a line, or markers only; {@code size} only for bubble plots (marker diameter, pixels). */
    public record Series(String name, double[] x, double[] y, double[] size, boolean markersOnly) {
        /** @return a line through the points */
        public static Series line(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, false);
        }

        /** @return markers at the points */
        public static Series points(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, true);
        }

        /** @return bubbles of the given diameters at the points */
        public static Series bubbles(String name, double[] x, double[] y, double[] size) {
            return new Series(name, x, y, size, true);
        }

        /** @return the points with a positive finite y only: a log axis cannot show 0 (exact agreement, say) */
        public Series positive() {
            List<double[]> kept = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (y[i] > 0 && Double.isFinite(y[i])) {
                    kept.add(new double[] {x[i], y[i]});
                }
            }
            return new Series(name, kept.stream().mapToDouble(p -> p[0]).toArray(), kept.stream().mapToDouble(p -> p[1]).toArray(), null,
                    markersOnly);
        }
    }

    /** @return an empty XY chart of the given size and titles */
    public static XYChart xyChart(int width, int height, String title, String xLabel, String yLabel) {
        return new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    }

    /** @return an empty bubble chart of the given size and titles (bubble sizes are diameters in pixels) */
    public static BubbleChart bubbleChart(int width, int height, String title, String xLabel, String yLabel) {
        return new BubbleChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    }

    /** Writes {@code chart} as a PNG file. */
    public static void png(Chart<?, ?> chart, Path file) throws IOException {
        // atomically, like every other output: a reader never sees half a PNG, a link is written through
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Adds the non-empty series to {@code chart}: lines without markers, or scatter markers. */
    public static XYChart add(XYChart chart, List<Series> series) {
        for (Series s : series) {
            if (s.x().length == 0) {
                continue;
            }
            XYSeries xs = chart.addSeries(s.name(), s.x(), s.y());
            if (s.markersOnly()) {
                xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else {
                xs.setMarker(SeriesMarkers.NONE);
                xs.setLineStyle(new BasicStroke(1.5f));
            }
        }
        return chart;
    }

    /** A report figure, an XY plot: writes DIR/NAME.png and DIR/NAME.csv (columns series, x, y). */
    public static void xy(Path dir, String name, String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
        XYChart chart = xyChart(800, 560, title, xLabel, yLabel);
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(6);
        add(chart, series);
        figure(chart, dir, name, series);
    }

    /** A report figure, a bubble plot (marker area by mass): writes DIR/NAME.png and DIR/NAME.csv (columns series, x, y, size). */
    public static void bubbles(Path dir, String name, String title, String xLabel, String yLabel, double[] xRange, double[] yRange,
            List<Series> series) {
        BubbleChart chart = bubbleChart(700, 700, title, xLabel, yLabel);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisMin(xRange[0]).setXAxisMax(xRange[1]).setYAxisMin(yRange[0]).setYAxisMax(yRange[1]);
        int c = 0;
        for (Series s : series) {
            if (s.x().length > 0) {
                chart.addSeries(s.name(), s.x(), s.y(), s.size()).setFillColor(BUBBLE_COLORS[c % BUBBLE_COLORS.length]);
            }
            c++;
        }
        figure(chart, dir, name, series);
    }

    private static void figure(Chart<?, ?> chart, Path dir, String name, List<Series> series) {
        List<String[]> rows = new ArrayList<>();
        boolean sized = series.stream().anyMatch(s -> s.size() != null);
        rows.add(sized ? new String[] {"series", "x", "y", "size"} : new String[] {"series", "x", "y"});
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                String label = '"' + s.name() + '"';
                rows.add(s.size() != null ? new String[] {label, Csv.num(s.x()[i]), Csv.num(s.y()[i]), Csv.num(s.size()[i])}
                        : new String[] {label, Csv.num(s.x()[i]), Csv.num(s.y()[i])});
            }
        }
        try {
            png(chart, dir.resolve(name + ".png"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Csv.write(dir.resolve(name + ".csv"), rows);
    }
}
