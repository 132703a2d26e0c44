package io.reluquant.kernel.engine;

/**
 * Read-only values handed to an engine at set-up, in the storage the caller chose (float64 or
 * float32): an engine copies them into its own layout and precision once, so float32 data is never
 * widened into a float64 copy on the way.
 */
public final class Values {
    private final double[] wide;
    private final float[] narrow;

    private Values(double[] wide, float[] narrow) {
        this.wide = wide;
        this.narrow = narrow;
    }

    /** @param values float64 storage (shared, not copied) @return the view */
    public static Values of(double[] values) {
        return new Values(values, null);
    }

    /** @param values float32 storage (shared, not copied) @return the view */
    public static Values of(float[] values) {
        return new Values(null, values);
    }

    /** @param i index @return value i */
    public double get(int i) {
        return wide != null ? wide[i] : narrow[i];
    }

    /** @return the values in float64: the storage itself when it is float64, else a widened copy */
    public double[] toDoubles() {
        if (wide != null) {
            return wide;
        }
        double[] out = new double[narrow.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = narrow[i];
        }
        return out;
    }

    /** @return the number of values */
    public int length() {
        return wide != null ? wide.length : narrow.length;
    }
}
