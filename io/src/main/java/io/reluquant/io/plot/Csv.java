package io.reluquant.io.plot;

import io.reluquant.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The CSV files beside the plots and tables: comma-separated rows, the first the header, written atomically. */
public final class Csv {
    private Csv() {}

    /** Writes the rows (the first is the header), each cell as given (quote a cell that may hold a comma). */
    public static void write(Path file, List<String[]> rows) {
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            sb.append(String.join(",", row)).append('\n');
        }
        write(file, sb);
    }

    /** Writes {@code text} (whole CSV lines) to {@code file} atomically. */
    public static void write(Path file, CharSequence text) {
        try {
            AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code v} with 9 significant digits, the precision of every number in the report's CSVs */
    public static String num(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }

    /** @return {@code s} in double quotes, its own double quotes turned into single ones */
    public static String quote(String s) {
        return '"' + s.replace("\"", "'") + '"';
    }
}
