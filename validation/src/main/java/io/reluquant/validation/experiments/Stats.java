package io.reluquant.validation.experiments;

import java.util.ArrayList;
import java.util.List;

/** Small statistics of the experiments: spreads, slopes, sup distances. */
public final class Stats {
    private Stats() {}

    /** @return max - min of the values whose width is at most {@code maxWidth} */
    public static double spread(double[] values, int[] widths, int maxWidth) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] <= maxWidth) {
                lo = Math.min(lo, values[i]);
                hi = Math.max(hi, values[i]);
            }
        }
        return hi - lo;
    }

    /** @return max - min of the values (NaN for none) */
    public static double range(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(Double.NaN) - java.util.Arrays.stream(values).min().orElse(Double.NaN);
    }

    /** @return the index of {@code width} in {@code widths} */
    public static int index(int[] widths, int width) {
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] == width) {
                return i;
            }
        }
        throw new IllegalStateException("width " + width + " is not among the report's widths");
    }

    /** @return how many groups the functions fall into when those at sup distance &lt;= tol are one */
    public static int distinctFunctions(List<double[]> functions, double tol) {
        List<double[]> reps = new ArrayList<>();
        for (double[] f : functions) {
            if (reps.stream().noneMatch(r -> supDistance(r, f) <= tol)) {
                reps.add(f);
            }
        }
        return reps.size();
    }

    public static double supDistance(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /** @return the least-squares slope of y on x */
    public static double slope(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / x.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    /** @return {@code points} evenly spaced values from lo to hi */
    public static double[] grid(double lo, double hi, int points) {
        double[] g = new double[points];
        for (int i = 0; i < points; i++) {
            g[i] = lo + (hi - lo) * i / (points - 1);
        }
        return g;
    }

    /**
     * A percentile bootstrap interval.
     *
     * @param estimate the statistic on the sample itself
     * @param lo lower end ({@link Claims#CONFIDENCE} two-sided)
     * @param hi upper end
     */
    public record Interval(double estimate, double lo, double hi) {
        /** @return "estimate [lo, hi]" */
        public String describe(String format) {
            return Format.of(format + " [" + format + ", " + format + "]", estimate, lo, hi);
        }
    }

    /** @return the mean of the values */
    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /**
     * The percentile bootstrap of the mean: {@link Claims#BOOTSTRAP_RESAMPLES} resamples with replacement, seeded by
     * {@link Claims#BOOTSTRAP_SEED}, so one sample gives one interval on every JDK.
     *
     * @param v the sample, at least one value
     * @return the mean and its {@link Claims#CONFIDENCE} interval (one value: both ends equal it)
     */
    public static Interval bootstrapMean(double[] v) {
        if (v.length == 0) {
            throw new IllegalArgumentException("bootstrap of an empty sample");
        }
        java.util.Random r = new java.util.Random(Claims.BOOTSTRAP_SEED);
        double[] means = new double[Claims.BOOTSTRAP_RESAMPLES];
        for (int b = 0; b < means.length; b++) {
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                s += v[r.nextInt(v.length)];
            }
            means[b] = s / v.length;
        }
        java.util.Arrays.sort(means);
        double tail = (1 - Claims.CONFIDENCE) / 2;
        int lo = (int) Math.floor(tail * (means.length - 1));
        int hi = (int) Math.ceil((1 - tail) * (means.length - 1));
        return new Interval(mean(v), means[lo], means[hi]);
    }
}
