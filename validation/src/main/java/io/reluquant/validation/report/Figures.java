package io.reluquant.validation.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BubbleChart;
import org.knowm.xchart.BubbleChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots (XChart) of the report, each written with a CSV of the plotted numbers beside it. */
final class Figures {
    private Figures() {}

    /** One plotted series: a line, or markers only; {@code size} only for bubble plots (marker diameter, pixels). */
    record Series(String name, double[] x, double[] y, double[] size, boolean markersOnly) {
        static Series line(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, false);
        }

        static Series points(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, true);
        }

        static Series bubbles(String name, double[] x, double[] y, double[] size) {
            return new Series(name, x, y, size, true);
        }
    }

    /** An XY plot: writes NAME.png and NAME.csv (columns series, x, y). */
    static void xy(Path dir, String name, String title, String xLabel, String yLabel, boolean logX, boolean logY,
            List<Series> series) {
        XYChart chart = new XYChartBuilder().width(800).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(6);
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
        save(chart, dir, name);
        csv(dir, name, series);
    }

    /** A bubble plot (marker area by mass): writes NAME.png and NAME.csv (columns series, x, y, size). */
    static void bubbles(Path dir, String name, String title, String xLabel, String yLabel, double[] xRange, double[] yRange,
            List<Series> series) {
        BubbleChart chart = new BubbleChartBuilder().width(700).height(700).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisMin(xRange[0]).setXAxisMax(xRange[1]).setYAxisMin(yRange[0]).setYAxisMax(yRange[1]);
        Color[] colors = {new Color(0, 90, 200, 140), new Color(220, 60, 20, 140), new Color(0, 0, 0, 255), new Color(0, 150, 0, 200)};
        int c = 0;
        for (Series s : series) {
            if (s.x().length == 0) {
                c++;
                continue;
            }
            chart.addSeries(s.name(), s.x(), s.y(), s.size()).setFillColor(colors[c % colors.length]);
            c++;
        }
        save(chart, dir, name);
        csv(dir, name, series);
    }

    private static void save(Chart<?, ?> chart, Path dir, String name) {
        try (OutputStream out = Files.newOutputStream(dir.resolve(name + ".png"))) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the rows of a table as CSV (the first row is the header). */
    static void table(Path file, List<String[]> rows) {
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            sb.append(String.join(",", row)).append('\n');
        }
        try {
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void csv(Path dir, String name, List<Series> series) {
        StringBuilder sb = new StringBuilder(series.stream().anyMatch(s -> s.size() != null) ? "series,x,y,size\n" : "series,x,y\n");
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                sb.append('"').append(s.name()).append('"').append(',').append(num(s.x()[i])).append(',').append(num(s.y()[i]));
                if (s.size() != null) {
                    sb.append(',').append(num(s.size()[i]));
                }
                sb.append('\n');
            }
        }
        try {
            Files.writeString(dir.resolve(name + ".csv"), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }
}
