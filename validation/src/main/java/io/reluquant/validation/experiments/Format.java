package io.reluquant.validation.experiments;

import java.util.Locale;

/** How the numbers of the claims and of the report read: one place, so a table and a claim show a value alike. */
public final class Format {
    private Format() {}

    /** @return "[v0, v1, ...]" with 4 significant digits each */
    public static String list(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return sb.append(']').toString();
    }

    /** @return {@code String.format} in the root locale */
    public static String of(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** @return the values as doubles */
    public static double[] toDoubles(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
