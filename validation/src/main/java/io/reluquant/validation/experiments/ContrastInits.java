package io.reluquant.validation.experiments;

import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;

/**
 * The contrasts of the fair-contrast experiment built from PyTorch's default draw
 * ({@link Initializers#pytorchDefault(int, int, long)}, the report's "standard" init): the f0 = 0 doubling and the draw at
 * a small scale.
 */
public final class ContrastInits {
    private ContrastInits() {}

    /**
     * The f0 = 0 contrast (the antisymmetric doubling trick): {@link Initializers#pytorchDefault(int, int, long)} of m/2 neurons, each followed by its twin with the
     * same (w, b) and a -&gt; -a, so the network computes f = 0 at the start with the same per-neuron scales; the a-scale is
     * that of width m (1/sqrt(m)), as PyTorch would draw it for the doubled layer.
     *
     * @param width m, positive and even
     * @param inputDim d, positive
     * @param seed seed of the draws
     * @return the parameters, float64
     */
    public static Parameters antisymmetric(int width, int inputDim, long seed) {
        if (width <= 0 || width % 2 != 0) {
            throw new IllegalArgumentException("width must be positive and even, got " + width);
        }
        return doubled(Initializers.pytorchDefault(width / 2, inputDim, seed), Math.sqrt(0.5));
    }

    /**
     * Balanced init at scale lambda with f0 = 0: {@link Initializers#balanced(int, int, double, long, boolean)} of m/2 neurons at
     * scale lambda / sqrt 2 (each v_j then has the variance lambda^2 / m of width m), each followed by its twin with the same v and
     * a -&gt; -a. The network computes f = 0 at the start, so its L0 is small init's however large lambda is.
     *
     * @param width m, positive and even
     * @param inputDim d, positive
     * @param lambda the scale
     * @param seed seed of the draws
     * @return the parameters, float64, biases on
     */
    public static Parameters balancedAntisymmetric(int width, int inputDim, double lambda, long seed) {
        if (width <= 0 || width % 2 != 0) {
            throw new IllegalArgumentException("width must be positive and even, got " + width);
        }
        return doubled(Initializers.balanced(width / 2, inputDim, lambda / Math.sqrt(2), seed, true), 1);
    }

    // each neuron of half followed by its twin (same w, b; a -> -a), every a times rescale
    private static Parameters doubled(Parameters half, double rescale) {
        int width = 2 * half.width();
        int inputDim = half.inputDim();
        double[] a = new double[width];
        double[] w = new double[width * inputDim];
        double[] b = new double[width];
        for (int j = 0; j < width / 2; j++) {
            for (int twin = 0; twin < 2; twin++) {
                int t = 2 * j + twin;
                a[t] = (twin == 0 ? 1 : -1) * half.a(j) * rescale;
                b[t] = half.b(j);
                for (int k = 0; k < inputDim; k++) {
                    w[t * inputDim + k] = half.w(j, k);
                }
            }
        }
        return Parameters.of(a, w, b, inputDim);
    }

    /**
     * @param init parameters
     * @param factor the common factor
     * @return every parameter of {@code init} times {@code factor} (the PyTorch draw at a small scale: the fair contrast's control)
     */
    public static Parameters scaled(Parameters init, double factor) {
        int m = init.width();
        int d = init.inputDim();
        double[] a = new double[m];
        double[] w = new double[m * d];
        double[] b = new double[m];
        for (int j = 0; j < m; j++) {
            a[j] = factor * init.a(j);
            b[j] = factor * init.b(j);
            for (int k = 0; k < d; k++) {
                w[j * d + k] = factor * init.w(j, k);
            }
        }
        return Parameters.of(a, w, b, d);
    }
}
