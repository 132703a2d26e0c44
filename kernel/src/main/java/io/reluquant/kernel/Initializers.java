package io.reluquant.kernel;

import java.util.Random;

/**
 * Seeded initializations of docs/THEORY.md section 3 (in the source repository, not in the jar). Draws come from {@link java.util.Random}, whose
 * algorithm (including nextGaussian) is fixed by its specification, so a seed gives the same
 * parameters on every JDK, machine and thread count. Per neuron j, in order: the d input weights,
 * then the bias (balanced init with bias only), then the sign or output weight.
 */
public final class Initializers {
    private Initializers() {}

    /**
     * Balanced small init: each coordinate of v_j = (w_j, b_j) ~ N(0, lambda^2 / m), and
     * a_j = s_j |v_j| with s_j = +1 or -1 with probability 1/2, so a_j^2 = |v_j|^2 exactly in real
     * arithmetic. Without bias v_j = w_j and b_j = 0.
     *
     * @param width m
     * @param inputDim d
     * @param scale lambda, finite and positive, small enough that every |v_j|^2 is finite in float64
     * @param seed seed of the draws
     * @param bias whether the network has biases
     * @return the parameters, float64
     * @throws IllegalArgumentException if a shape or the scale is invalid, or a drawn |v_j|^2 overflows
     */
    public static Parameters balanced(int width, int inputDim, double scale, long seed, boolean bias) {
        checkShape(width, inputDim);
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and positive, got " + scale);
        }
        Random random = new Random(seed);
        double sigma = scale / Math.sqrt(width);
        double[] a = new double[width];
        double[] w = new double[width * inputDim];
        double[] b = new double[width];
        for (int j = 0; j < width; j++) {
            double norm2 = 0;
            for (int k = 0; k < inputDim; k++) {
                double v = sigma * random.nextGaussian();
                w[j * inputDim + k] = v;
                norm2 += v * v;
            }
            if (bias) {
                b[j] = sigma * random.nextGaussian();
                norm2 += b[j] * b[j];
            }
            a[j] = (random.nextBoolean() ? 1 : -1) * Math.sqrt(norm2);
            if (!Double.isFinite(norm2)) {
                // |v_j|^2 overflowed float64: a_j would be infinite and every loss NaN
                throw new IllegalArgumentException("scale " + scale + " is too large for width " + width + " and inputDim " + inputDim
                        + ": |v_" + j + "|^2 overflows float64 (a_" + j + " = " + a[j] + ")");
            }
        }
        return Parameters.adopt(a, w, b, inputDim);
    }

    /**
     * Balanced small init of a network with k outputs: v_j = (w_j, b_j) as in
     * {@link #balanced(int, int, double, long, boolean)}, then a_j = |v_j| u_j with u_j a uniform random
     * unit vector of R^k (k Gaussians, normalized), so |a_j| = |v_j| in real arithmetic. Per neuron the
     * draws are the d input weights, the bias (with bias), then the k Gaussians of u_j. For k = 1 this
     * is exactly {@link #balanced(int, int, double, long, boolean)}.
     *
     * @param width m
     * @param inputDim d
     * @param outputs k, positive
     * @param scale lambda, finite and positive
     * @param seed seed of the draws
     * @param bias whether the network has biases
     * @return the parameters, float64, a of shape (m, k)
     * @throws IllegalArgumentException if a shape or the scale is invalid, or a drawn |v_j|^2 overflows
     */
    public static Parameters balanced(int width, int inputDim, int outputs, double scale, long seed, boolean bias) {
        Checks.positive("outputs", outputs);
        if (outputs == 1) {
            return balanced(width, inputDim, scale, seed, bias);
        }
        checkShape(width, inputDim);
        Checks.indexable("width*outputs", (long) width * outputs);
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and positive, got " + scale);
        }
        Random random = new Random(seed);
        double sigma = scale / Math.sqrt(width);
        double[] a = new double[width * outputs];
        double[] w = new double[width * inputDim];
        double[] b = new double[width];
        double[] u = new double[outputs];
        for (int j = 0; j < width; j++) {
            double norm2 = 0;
            for (int k = 0; k < inputDim; k++) {
                double v = sigma * random.nextGaussian();
                w[j * inputDim + k] = v;
                norm2 += v * v;
            }
            if (bias) {
                b[j] = sigma * random.nextGaussian();
                norm2 += b[j] * b[j];
            }
            if (!Double.isFinite(norm2)) {
                throw new IllegalArgumentException("scale " + scale + " is too large for width " + width + " and inputDim "
                        + inputDim + ": |v_" + j + "|^2 overflows float64");
            }
            double u2 = 0;
            for (int c = 0; c < outputs; c++) {
                u[c] = random.nextGaussian();
                u2 += u[c] * u[c];
            }
            double scaleA = Math.sqrt(norm2 / u2);
            for (int c = 0; c < outputs; c++) {
                a[j * outputs + c] = scaleA * u[c];
            }
        }
        return Parameters.adopt(a, w, b, inputDim, outputs);
    }

    /**
     * He init with b = 0, a contrast to small init: w_j ~ N(0, 2/d) per coordinate (He), b_j = 0,
     * a_j ~ N(0, 1/m). In d = 1 every neuron then starts at 0 or 180 degrees in the (w, b) plane, so
     * this is a degenerate contrast there; {@link #pytorchDefault(int, int, long)} is the usual one.
     *
     * @param width m
     * @param inputDim d
     * @param seed seed of the draws
     * @return the parameters, float64
     */
    public static Parameters he(int width, int inputDim, long seed) {
        return he(width, inputDim, 1, seed);
    }

    /**
     * {@link #he(int, int, long)} with k outputs: each output weight a_jc ~ N(0, 1/m). At k = 1 the
     * draws are those of the one-output init, in the same order.
     *
     * @param width m
     * @param inputDim d
     * @param outputs k, at least 1
     * @param seed seed of the draws
     * @return the parameters, float64, with a of shape (m, k)
     */
    public static Parameters he(int width, int inputDim, int outputs, long seed) {
        Checks.positive("outputs", outputs);
        checkShape(width, inputDim);
        Checks.indexable("width*outputs", (long) width * outputs);
        Random random = new Random(seed);
        double sw = Math.sqrt(2.0 / inputDim);
        double sa = 1 / Math.sqrt(width);
        double[] a = new double[width * outputs];
        double[] w = new double[width * inputDim];
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < inputDim; k++) {
                w[j * inputDim + k] = sw * random.nextGaussian();
            }
            for (int c = 0; c < outputs; c++) {
                a[j * outputs + c] = sa * random.nextGaussian();
            }
        }
        return Parameters.adopt(a, w, new double[width], inputDim, outputs);
    }

    /**
     * The old name of {@link #he(int, int, long)} (He weights, b = 0), which is not the "standard"
     * contrast of docs/THEORY.md section 3 (that is {@link #pytorchDefault(int, int, long)}).
     *
     * @param width m
     * @param inputDim d
     * @param seed seed of the draws
     * @return {@link #he(int, int, long)}
     * @deprecated use {@link #he(int, int, long)}, the same draws
     */
    @Deprecated
    public static Parameters standard(int width, int inputDim, long seed) {
        return he(width, inputDim, seed);
    }

    /**
     * The old name of {@link #he(int, int, int, long)}.
     *
     * @param width m
     * @param inputDim d
     * @param outputs k, at least 1
     * @param seed seed of the draws
     * @return {@link #he(int, int, int, long)}
     * @deprecated use {@link #he(int, int, int, long)}, the same draws
     */
    @Deprecated
    public static Parameters standard(int width, int inputDim, int outputs, long seed) {
        return he(width, inputDim, outputs, seed);
    }

    /**
     * The standard contrast of docs/THEORY.md section 3 as PyTorch's nn.Linear draws it by default:
     * w_jk, b_j ~ U(-1/sqrt(d), 1/sqrt(d)) (fan-in d of the first layer) and a_j ~ U(-1/sqrt(m),
     * 1/sqrt(m)) (fan-in m of the output layer, whose own bias this model does not have). The bias is
     * random: with b = 0 in d = 1 every neuron would start at 0 or 180 degrees in the (w, b) plane
     * ({@link #he(int, int, long)}). Per neuron j, in order: the d input weights, the bias, the output
     * weight. For a network without biases set b to 0 after the draw.
     *
     * @param width m
     * @param inputDim d
     * @param seed seed of the draws
     * @return the parameters, float64
     */
    public static Parameters pytorchDefault(int width, int inputDim, long seed) {
        return pytorchDefault(width, inputDim, 1, seed);
    }

    /**
     * {@link #pytorchDefault(int, int, long)} with k outputs: each output weight a_jc ~ U(-1/sqrt(m),
     * 1/sqrt(m)), drawn after the neuron's bias. At k = 1 the draws are those of the one-output init,
     * in the same order.
     *
     * @param width m
     * @param inputDim d
     * @param outputs k, at least 1
     * @param seed seed of the draws
     * @return the parameters, float64, with a of shape (m, k)
     */
    public static Parameters pytorchDefault(int width, int inputDim, int outputs, long seed) {
        Checks.positive("outputs", outputs);
        checkShape(width, inputDim);
        Checks.indexable("width*outputs", (long) width * outputs);
        Random random = new Random(seed);
        double bound = 1 / Math.sqrt(inputDim);
        double outBound = 1 / Math.sqrt(width);
        double[] a = new double[width * outputs];
        double[] w = new double[width * inputDim];
        double[] b = new double[width];
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < inputDim; k++) {
                w[j * inputDim + k] = bound * (2 * random.nextDouble() - 1);
            }
            b[j] = bound * (2 * random.nextDouble() - 1);
            for (int c = 0; c < outputs; c++) {
                a[j * outputs + c] = outBound * (2 * random.nextDouble() - 1);
            }
        }
        return Parameters.adopt(a, w, b, inputDim, outputs);
    }

    private static void checkShape(int width, int inputDim) {
        Checks.positive("width", width);
        Checks.positive("inputDim", inputDim);
        Checks.indexable("width*inputDim", (long) width * inputDim);
        Memory.require("width " + width + " * inputDim " + inputDim + " parameters (a, w, b in float64)",
                Memory.doubles(width, width, (long) width * inputDim));
    }
}
