package io.reluquant.validation.match;

import java.util.Locale;

/**
 * How far an array B is from a reference A of the same length:
 * <ul>
 *   <li>{@code maxAbs} = max_i |A_i - B_i|;</li>
 *   <li>{@code relative} = maxAbs / max_i |A_i| (norm-wise: the error against the array's scale, so
 *       that a parameter that is tiny or zero in both runs cannot blow the measure up);</li>
 *   <li>{@code elementwise} = max_i |A_i - B_i| / max(|A_i|, |B_i|) over elements not both zero
 *       (strict, informative: large exactly where a value is tiny compared to the rest).</li>
 * </ul>
 * A NaN in one array but not the other at the same place counts as an infinite difference; two NaNs
 * are equal. An all-zero reference gives relative 0 when B is also zero, infinity otherwise.
 */
public final class Deviation {
    private final double maxAbs;
    private final double relative;
    private final double elementwise;

    private Deviation(double maxAbs, double relative, double elementwise) {
        this.maxAbs = maxAbs;
        this.relative = relative;
        this.elementwise = elementwise;
    }

    /** @param reference A; @param other B, of the same length */
    public static Deviation of(double[] reference, double[] other) {
        if (reference.length != other.length) {
            throw new IllegalArgumentException("lengths differ: " + reference.length + " vs " + other.length);
        }
        double maxAbs = 0;
        double scale = 0;
        double elementwise = 0;
        for (int i = 0; i < reference.length; i++) {
            double a = reference[i];
            double b = other[i];
            if (Double.isNaN(a) || Double.isNaN(b)) {
                if (Double.isNaN(a) != Double.isNaN(b)) {
                    maxAbs = Double.POSITIVE_INFINITY;
                    elementwise = Double.POSITIVE_INFINITY;
                }
                continue;
            }
            // equal infinities are equal; everything else is an ordinary difference
            double diff = a == b ? 0 : Math.abs(a - b);
            maxAbs = Math.max(maxAbs, diff);
            scale = Math.max(scale, Math.abs(a));
            double m = Math.max(Math.abs(a), Math.abs(b));
            if (m > 0) {
                elementwise = Math.max(elementwise, diff / m);
            }
        }
        double relative = maxAbs == 0 ? 0 : scale == 0 ? Double.POSITIVE_INFINITY : maxAbs / scale;
        return new Deviation(maxAbs, relative, elementwise);
    }

    /**
     * The same measures for integer arrays, with every difference taken exactly (int64 values past
     * 2^53 are not all doubles: as doubles, 2^62 and 2^62 + 1 would compare equal). A nonzero
     * difference therefore never reads as 0.
     *
     * @param reference A; @param other B, of the same length
     */
    public static Deviation of(long[] reference, long[] other) {
        if (reference.length != other.length) {
            throw new IllegalArgumentException("lengths differ: " + reference.length + " vs " + other.length);
        }
        double maxAbs = 0;
        double scale = 0;
        double elementwise = 0;
        for (int i = 0; i < reference.length; i++) {
            long a = reference[i];
            long b = other[i];
            if (a == b) {
                scale = Math.max(scale, Math.abs((double) a));
                continue;
            }
            // exact |a - b| (it may exceed a long), then rounded to a double, which keeps it nonzero
            double diff = java.math.BigInteger.valueOf(a).subtract(java.math.BigInteger.valueOf(b)).abs().doubleValue();
            maxAbs = Math.max(maxAbs, diff);
            scale = Math.max(scale, Math.abs((double) a));
            elementwise = Math.max(elementwise, diff / Math.max(Math.abs((double) a), Math.abs((double) b)));
        }
        double relative = maxAbs == 0 ? 0 : scale == 0 ? Double.POSITIVE_INFINITY : maxAbs / scale;
        return new Deviation(maxAbs, relative, elementwise);
    }

    /** @return max |A - B| */
    public double maxAbs() {
        return maxAbs;
    }

    /** @return max |A - B| / max |A| */
    public double relative() {
        return relative;
    }

    /** @return max over elements of |A - B| / max(|A|, |B|) */
    public double elementwise() {
        return elementwise;
    }

    /** @return the larger relative deviation of this and that */
    public double maxRelative(Deviation that) {
        return Math.max(relative, that.relative);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "max abs %.3e, rel %.3e, elementwise rel %.3e", maxAbs, relative, elementwise);
    }
}
