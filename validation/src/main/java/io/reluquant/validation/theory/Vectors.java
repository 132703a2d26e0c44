package io.reluquant.validation.theory;

/** The few vector operations of the theory code: dot product, Euclidean norm, cross product in R^3. */
public final class Vectors {
    private Vectors() {}

    /** @return a . b over the length of {@code a} */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** @return |v| */
    public static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    /** @return a x b (both in R^3) */
    public static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
