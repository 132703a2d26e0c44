package io.reluquant.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The summary table's columns and its three renderings: aligned text, CSV and Markdown. */
final class Table {
    /** A column: its header, its value as text for people and as text for the CSV. */
    record Column(String header, Function<Row, String> text, Function<Row, String> csv) {
        static Column label(String header, Function<Row, String> value) {
            return new Column(header, value, value);
        }

        static Column number(String header, ToDoubleFunction<Row> value, String format) {
            return new Column(header, r -> formatted(format, value.applyAsDouble(r)), r -> raw(value.applyAsDouble(r)));
        }
    }

    static final List<Column> COLUMNS = List.of(
            Column.label("group", r -> r.group),
            Column.label("benchmark", r -> r.benchmark),
            Column.label("precision", r -> r.precision),
            Column.label("n", r -> Integer.toString(r.samples)),
            Column.label("d", r -> Integer.toString(r.inputDim)),
            Column.label("m", r -> Integer.toString(r.width)),
            Column.label("threads", r -> Integer.toString(r.threads)),
            Column.label("JDK", r -> r.jdk),
            Column.number("pairs/s", Row::pairsPerSecond, "%.3g"),
            Column.number("GFLOP/s", Row::gflops, "%.1f"),
            Column.number("% peak", r -> r.percentOfPeak, "%.1f"),
            Column.number("x ref", r -> r.speedupOverReference, "%.1f"),
            Column.number("x best peer", r -> r.ratioToBestPeer, "%.1f"),
            Column.label("best peer", r -> r.bestPeer),
            Column.number("p50 us", r -> r.p50Us, "%.4g"),
            Column.number("p99 us", r -> r.p99Us, "%.4g"),
            Column.number("p99.9 us", r -> r.p999Us, "%.4g"),
            Column.number("B/step", r -> r.allocBytesPerStep, "%.3g"),
            Column.number("peak RSS MiB", r -> r.peakRssMiB, "%.0f"));

    private Table() {}

    static String formatted(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    static String raw(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    /** @return the rows as an aligned text table, numbers right-aligned */
    static String text(List<Row> rows) {
        int[] widths = new int[COLUMNS.size()];
        String[][] cells = new String[rows.size()][COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            widths[c] = COLUMNS.get(c).header().length();
            for (int r = 0; r < rows.size(); r++) {
                cells[r][c] = COLUMNS.get(c).text().apply(rows.get(r));
                widths[c] = Math.max(widths[c], cells[r][c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < COLUMNS.size(); c++) {
            out.append(c == 0 ? "" : "  ").append(pad(COLUMNS.get(c).header(), widths[c], c >= 3));
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
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", COLUMNS.stream().map(c -> csvCell(c.header())).toList())).append("\r\n");
        for (Row row : rows) {
            out.append(String.join(",", COLUMNS.stream().map(c -> csvCell(c.csv().apply(row))).toList())).append("\r\n");
        }
        return out.toString();
    }

    /** @return a GitHub-flavoured Markdown table */
    static String markdown(List<Row> rows) {
        StringBuilder out = new StringBuilder("|");
        for (Column c : COLUMNS) {
            out.append(' ').append(c.header()).append(" |");
        }
        out.append("\n|");
        for (int c = 0; c < COLUMNS.size(); c++) {
            out.append(c >= 3 ? "---:|" : "---|");
        }
        out.append('\n');
        for (Row row : rows) {
            out.append('|');
            for (Column c : COLUMNS) {
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
