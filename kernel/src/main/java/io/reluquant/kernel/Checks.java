package io.reluquant.kernel;


/**
 * Argument checks shared by the public types; every message names the argument and the bad value.
 * A null argument throws NullPointerException (the JDK's convention, {@link Objects#requireNonNull});
 * every other bad value throws IllegalArgumentException.
 */
final class Checks {
    private Checks() {}

    static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    static void notNull(String name, Object value) {
        // not requireNonNull(value, () -> ...): where C2 does not inline it, the capturing lambda is
        // allocated on every call (32 bytes per predict call, seen by PredictorScratchTest in a full run)
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
    }

    static void length(String name, double[] array, long expected) {
        notNull(name, array);
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " has length " + array.length + ", expected " + expected);
        }
    }

    static void length(String name, float[] array, long expected) {
        notNull(name, array);
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " has length " + array.length + ", expected " + expected);
        }
    }

    static void finite(String name, float[] array) {
        for (int i = 0; i < array.length; i++) {
            if (!Float.isFinite(array[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + array[i]);
            }
        }
    }

    static void finite(String name, double[] array) {
        for (int i = 0; i < array.length; i++) {
            if (!Double.isFinite(array[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + array[i]);
            }
        }
    }

    static void learningRate(double lr) {
        learningRate("lr", lr);
    }

    static void learningRate(String name, double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException(name + " must be finite and positive, got " + lr);
        }
    }

    /** Product of sizes that must index a Java array (with room for padding). */
    static int indexable(String what, long product) {
        if (product > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException(what + " = " + product + " overflows int array indexing");
        }
        return (int) product;
    }
}
