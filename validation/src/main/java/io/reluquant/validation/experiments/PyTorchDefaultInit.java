package io.reluquant.validation.experiments;

import io.reluquant.kernel.Parameters;
import java.util.Random;

/**
 * The standard contrast of docs/THEORY.md section 3 as PyTorch's nn.Linear draws it by default:
 * w_jk, b_j ~ U(-1/sqrt(d), 1/sqrt(d)) (fan-in d of the first layer) and a_j ~ U(-1/sqrt(m),
 * 1/sqrt(m)) (fan-in m of the output layer, whose own bias this model does not have). The bias is
 * random: with b = 0 in d = 1 every neuron would start at 0 or 180 degrees in the (w, b) plane
 * ({@code Initializers.standard} draws He weights with b = 0, kept only as the degenerate row).
 * Seeded through {@link Random}, so a seed gives the same network on every JDK and thread count.
 * Per neuron j, in order: the d input weights, the bias, the output weight.
 */
public final class PyTorchDefaultInit {
    private PyTorchDefaultInit() {}

    /**
     * @param width m, positive
     * @param inputDim d, positive
     * @param seed seed of the draws
     * @return the parameters, float64
     */
    public static Parameters draw(int width, int inputDim, long seed) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (inputDim <= 0) {
            throw new IllegalArgumentException("inputDim must be positive, got " + inputDim);
        }
        Random random = new Random(seed);
        double bound = 1 / Math.sqrt(inputDim);
        double outBound = 1 / Math.sqrt(width);
        double[] a = new double[width];
        double[] w = new double[width * inputDim];
        double[] b = new double[width];
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < inputDim; k++) {
                w[j * inputDim + k] = bound * (2 * random.nextDouble() - 1);
            }
            b[j] = bound * (2 * random.nextDouble() - 1);
            a[j] = outBound * (2 * random.nextDouble() - 1);
        }
        return Parameters.of(a, w, b, inputDim);
    }
}
