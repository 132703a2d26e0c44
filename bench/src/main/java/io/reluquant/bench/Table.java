package io.reluquant.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The summary table's columns and its three renderings: aligned text, CSV and Markdown. A measured
 * number shows JMH's score error (99.9% confidence interval) beside it as "value ± error" in text
 * and Markdown, and as a separate "... ±99.9%" column in the CSV; "± ?" where JMH gives none.
 */
final class Table {
    /** what the error beside a number means, for the notes under the table */
    static final String ERROR_NOTE = "± is JMH's score error, the half-width of the 99.9% confidence interval of the"
            + " mean (? where JMH gives none: one iteration); rates carry the relative error of the mean step time,"
            + " ratios of two measured rates add their relative errors in quadrature, the peak counts as exact;"
            + " JMH gives no interval for percentiles";

    /**
     * A column: its header, its value as text for people, and its CSV header(s) and cell(s).
     * A measured column has two CSV cells: the value and its error.
     */
    record Column(String header, Function<Row, String> text, List<String> csvHeaders, Function<Row, List<String>> csv) {
        static Column label(String header, Function<Row, String> value) {
            return new Column(header, value, List.of(header), r -> List.of(value.apply(r)));
        }

        static Column number(String header, ToDoubleFunction<Row> value, String format) {
            return new Column(header, r -> formatted(format, value.applyAsDouble(r)), List.of(header),
                    r -> List.of(raw(value.applyAsDouble(r))));
        }

        /** a number with its 99.9% CI half-width */
        static Column measured(String header, ToDoubleFunction<Row> value, ToDoubleFunction<Row> error, String format) {
            return new Column(header, r -> withError(format, value.applyAsDouble(r), error.applyAsDouble(r)),
                    List.of(header, header + " ±99.9%"),
                    r -> List.of(raw(value.applyAsDouble(r)), raw(error.applyAsDouble(r))));
        }
    }

    /** the outputs column, shown only when a row has k &gt; 1 (see {@link #columns}) */
    static final Column OUTPUTS = Column.label("k", r -> Integer.toString(r.outputs));

    /** every column of a run whose rows all have one output, in order */
    static final List<Column> COLUMNS = List.of(
            Column.label("group", r -> r.group),
            Column.label("benchmark", r -> r.benchmark),
            Column.label("precision", r -> r.precision),
            Column.label("n", r -> Integer.toString(r.samples)),
            Column.label("d", r -> Integer.toString(r.inputDim)),
            Column.label("m", r -> Integer.toString(r.width)),
            Column.label("threads", r -> Integer.toString(r.threads)),
            Column.label("JDK", r -> r.jdk),
            Column.measured("us/step", Row::microsPerStep, Row::microsPerStepError, "%.4g"),
            Column.measured("pairs/s", Row::pairsPerSecond, Row::pairsPerSecondError, "%.3g"),
            Column.measured("GFLOP/s", Row::gflops, Row::gflopsError, "%.1f"),
            Column.measured("% peak", r -> r.percentOfPeak, r -> r.percentOfPeakError, "%.1f"),
            Column.measured("% BW limit", r -> r.percentOfBandwidth, r -> r.percentOfBandwidthError, "%.1f"),
            Column.measured("x ref", r -> r.speedupOverReference, r -> r.speedupOverReferenceError, "%.1f"),
            Column.measured("x best peer", r -> r.ratioToBestPeer, r -> r.ratioToBestPeerError, "%.1f"),
            Column.label("best peer", r -> r.bestPeer),
            Column.measured("% GEMM limit", r -> r.percentOfGemmLimit, r -> r.percentOfGemmLimitError, "%.0f"),
            Column.number("p50 us", r -> r.p50Us, "%.4g"),
            Column.number("p99 us", r -> r.p99Us, "%.4g"),
            Column.number("p99.9 us", r -> r.p999Us, "%.4g"),
            Column.measured("B/step", r -> r.allocBytesPerStep, r -> r.allocBytesPerStepError, "%.3g"),
            Column.measured("peak RSS MiB", r -> r.peakRssMiB, r -> r.peakRssMiBError, "%.0f"));

    private Table() {}

    /** @return the columns for these rows: {@link #COLUMNS}, with k after m when any row has k &gt; 1 */
    static List<Column> columns(List<Row> rows) {
        if (rows.stream().noneMatch(r -> r.outputs > 1)) {
            return COLUMNS;
        }
        List<Column> out = new java.util.ArrayList<>(COLUMNS);
        out.add(out.indexOf(out.stream().filter(c -> c.header().equals("m")).findFirst().orElseThrow()) + 1, OUTPUTS);
        return List.copyOf(out);
    }

    static String formatted(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    /** "value ± error" in the value's format; "value ± ?" without an error; "-" without a value */
    static String withError(String format, double value, double error) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return formatted(format, value) + " ± " + (Double.isNaN(error) ? "?" : String.format(Locale.ROOT, format, error));
    }

    static String raw(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    /** @return the rows as an aligned text table, numbers right-aligned */
    static String text(List<Row> rows) {
        List<Column> cols = columns(rows);
        int[] widths = new int[cols.size()];
        String[][] cells = new String[rows.size()][cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            widths[c] = cols.get(c).header().length();
            for (int r = 0; r < rows.size(); r++) {
                cells[r][c] = cols.get(c).text().apply(rows.get(r));
                widths[c] = Math.max(widths[c], cells[r][c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < cols.size(); c++) {
            out.append(c == 0 ? "" : "  ").append(pad(cols.get(c).header(), widths[c], c >= 3));
        }
        out.append('\n');
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                out.append(c == 0 ? "" : "  ").append(pad(line[c], widths[c], c >= 3));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** @return RFC 4180 CSV with a header line; empty cells where a column does not apply */
    static String csv(List<Row> rows) {
        List<Column> cols = columns(rows);
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", cols.stream().flatMap(c -> c.csvHeaders().stream()).map(Table::csvCell).toList()))
                .append("\r\n");
        for (Row row : rows) {
            out.append(String.join(",", cols.stream().flatMap(c -> c.csv().apply(row).stream()).map(Table::csvCell)
                    .toList())).append("\r\n");
        }
        return out.toString();
    }

    /** @return a GitHub-flavoured Markdown table */
    static String markdown(List<Row> rows) {
        List<Column> cols = columns(rows);
        StringBuilder out = new StringBuilder("|");
        for (Column c : cols) {
            out.append(' ').append(c.header()).append(" |");
        }
        out.append("\n|");
        for (int c = 0; c < cols.size(); c++) {
            out.append(c >= 3 ? "---:|" : "---|");
        }
        out.append('\n');
        for (Row row : rows) {
            out.append('|');
            for (Column c : cols) {
                out.append(' ').append(c.text().apply(row).replace("|", "\\|")).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String csvCell(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
