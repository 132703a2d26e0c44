package io.reluquant.io.npy;

import java.util.Arrays;

/**
 * An n-dimensional array as NumPy stores it: element type, shape and C-order (row-major) values.
 * Floating-point values are held as double[] (float32 values widen exactly), integers and booleans
 * as long[], unicode strings as String[]. A shape of length 0 is a scalar (one element).
 * Immutable: the factories and accessors copy.
 */
public final class NdArray {
    private final DType dtype;
    private final int[] shape;
    private final double[] doubles;
    private final long[] longs;
    private final String[] strings;

    private NdArray(DType dtype, int[] shape, double[] doubles, long[] longs, String[] strings) {
        this.dtype = dtype;
        this.shape = shape;
        this.doubles = doubles;
        this.longs = longs;
        this.strings = strings;
    }

    /** A float64 array of the given shape (C order). */
    public static NdArray ofDoubles(double[] values, int... shape) {
        return ofFloating(DType.FLOAT64, values, shape);
    }

    /**
     * A floating-point array written with {@code dtype} (FLOAT32 or FLOAT64).
     *
     * @throws IllegalArgumentException if FLOAT32 is asked and a value is not exactly a float
     */
    public static NdArray ofFloating(DType dtype, double[] values, int... shape) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("dtype " + dtype + " is not a floating-point type");
        }
        int[] s = checkShape(shape, values.length);
        double[] copy = values.clone();
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < copy.length; i++) {
                if ((double) (float) copy[i] != copy[i] && !Double.isNaN(copy[i])) {
                    throw new IllegalArgumentException("value[" + i + "] = " + copy[i] + " is not exactly representable as float32");
                }
            }
        }
        return new NdArray(dtype, s, copy, null, null);
    }

    /**
     * A float64 array that takes {@code values} without copying (for arrays of gigabytes that are
     * about to be written): the caller hands them over and must not change them afterwards.
     */
    public static NdArray wrapDoubles(double[] values, int... shape) {
        return new NdArray(DType.FLOAT64, checkShape(shape, values.length), values, null, null);
    }

    /** An int64 array of the given shape. */
    public static NdArray ofLongs(long[] values, int... shape) {
        return new NdArray(DType.INT64, checkShape(shape, values.length), null, values.clone(), null);
    }

    /** A float64 scalar (shape ()). */
    public static NdArray scalar(double value) {
        return ofDoubles(new double[] {value});
    }

    /** An int64 scalar (shape ()). */
    public static NdArray scalar(long value) {
        return ofLongs(new long[] {value});
    }

    /** A boolean scalar (shape ()). */
    public static NdArray scalar(boolean value) {
        return new NdArray(DType.BOOL, new int[0], null, new long[] {value ? 1 : 0}, null);
    }

    /** A unicode string scalar (shape ()), NumPy dtype '&lt;U{length}'. */
    public static NdArray scalar(String value) {
        return ofStrings(new String[] {value});
    }

    /** A unicode string array of the given shape. */
    public static NdArray ofStrings(String[] values, int... shape) {
        int[] s = checkShape(shape, values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("values[" + i + "] is null");
            }
        }
        return new NdArray(DType.UNICODE, s, null, null, values.clone());
    }

    /** Package-private: adopts arrays built by the reader. */
    static NdArray adopt(DType dtype, int[] shape, double[] doubles, long[] longs, String[] strings) {
        return new NdArray(dtype, shape, doubles, longs, strings);
    }

    private static int[] checkShape(int[] shape, int length) {
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("shape[" + i + "] = " + shape[i] + " is negative");
            }
            count *= shape[i];
        }
        if (count != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count + " elements but " + length + " values were given");
        }
        return shape.clone();
    }

    /** @return the element type */
    public DType dtype() {
        return dtype;
    }

    /** @return the shape (a copy); length 0 for a scalar */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions */
    public int ndim() {
        return shape.length;
    }

    /** @return the number of elements */
    public int size() {
        return dtype.isFloating() ? doubles.length : dtype.isIntegral() ? longs.length : strings.length;
    }

    /** @return whether the values are numbers (floating, integer or boolean) */
    public boolean isNumeric() {
        return dtype != DType.UNICODE;
    }

    /**
     * @return the values as doubles (a copy); integers convert with Java's widening rules
     * @throws IllegalArgumentException for a string array
     */
    public double[] toDoubles() {
        if (doubles != null) {
            return doubles.clone();
        }
        if (longs != null) {
            double[] out = new double[longs.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = longs[i];
            }
            return out;
        }
        throw new IllegalArgumentException("array of dtype " + dtype + " holds strings, not numbers");
    }

    /**
     * @return the values of a float32 array as floats (a copy at half the size of {@link #toDoubles},
     *         for data of gigabytes)
     * @throws IllegalArgumentException for any other dtype
     */
    public float[] toFloats() {
        if (dtype != DType.FLOAT32) {
            throw new IllegalArgumentException("array of dtype " + dtype + " is not float32");
        }
        float[] out = new float[doubles.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) doubles[i]; // exact: every value was read as a float32
        }
        return out;
    }

    /**
     * @return the values as longs (a copy)
     * @throws IllegalArgumentException for a floating-point or string array
     */
    public long[] toLongs() {
        if (longs == null) {
            throw new IllegalArgumentException("array of dtype " + dtype + " does not hold integers");
        }
        return longs.clone();
    }

    /** @return the strings (a copy) @throws IllegalArgumentException for a numeric array */
    public String[] toStrings() {
        if (strings == null) {
            throw new IllegalArgumentException("array of dtype " + dtype + " does not hold strings");
        }
        return strings.clone();
    }

    /** Package-private zero-copy access for the writer. */
    double[] rawDoubles() {
        return doubles;
    }

    long[] rawLongs() {
        return longs;
    }

    String[] rawStrings() {
        return strings;
    }

    /** Same type, shape and values bit for bit (NaNs equal when their bits are). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NdArray)) {
            return false;
        }
        NdArray other = (NdArray) o;
        if (dtype != other.dtype || !Arrays.equals(shape, other.shape)) {
            return false;
        }
        if (doubles != null) {
            for (int i = 0; i < doubles.length; i++) {
                if (Double.doubleToRawLongBits(doubles[i]) != Double.doubleToRawLongBits(other.doubles[i])) {
                    return false;
                }
            }
            return true;
        }
        return longs != null ? Arrays.equals(longs, other.longs) : Arrays.equals(strings, other.strings);
    }

    @Override
    public int hashCode() {
        return 31 * dtype.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NdArray(" + dtype + ", shape " + Arrays.toString(shape) + ")";
    }
}
