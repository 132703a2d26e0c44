// Proves: the linear softmax baseline separates linearly separable classes, is wrong almost everywhere when trained on labels shifted by one class, and argmax accuracy counts ties as the lower class.
package io.reluquant.validation.measures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LinearClassifier#softmaxTestAccuracy} on three Gaussian blobs in the plane (centres 4 apart, unit spread):
 * test accuracy at least 0.95; trained on labels shifted by one class, below 0.05 on the true ones; and
 * {@link LinearClassifier#classAccuracy} on hand-made outputs.
 */
class LinearClassifierTest {
    @Test
    void separatesBlobsAndFailsOnPermutedLabels() {
        int k = 3;
        double[][] centres = {{0, 4}, {-3.5, -2}, {3.5, -2}};
        SplittableRandom random = new SplittableRandom(11);
        int n = 300;
        double[] x = new double[n * 2];
        int[] y = new int[n];
        double[] tx = new double[n * 2];
        int[] ty = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            ty[i] = (i + 1) % k;
            for (int c = 0; c < 2; c++) {
                x[i * 2 + c] = centres[y[i]][c] + gaussian(random);
                tx[i * 2 + c] = centres[ty[i]][c] + gaussian(random);
            }
        }
        double accuracy = LinearClassifier.softmaxTestAccuracy(x, y, 2, k, tx, ty, 500);
        int[] shifted = new int[n];
        for (int i = 0; i < n; i++) {
            shifted[i] = (y[i] + 1) % k;
        }
        // trained on labels shifted by one class it learns the shifted map, so on the true test labels it is wrong
        // almost everywhere (permuted labels would not do: on separated blobs each blob's majority label is luck)
        double control = LinearClassifier.softmaxTestAccuracy(x, shifted, 2, k, tx, ty, 500);
        System.out.printf("linear softmax on three blobs: test accuracy %.4f, trained on labels shifted by one class %.4f%n", accuracy, control);
        assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
        assertTrue(control < 0.05, "shifted-label control " + control);
    }

    @Test
    void argmaxAccuracyCountsTiesAsTheLowerClass() {
        double[] f = {0.1, 0.9, 0.0, /**/ 0.5, 0.5, 0.2, /**/ 0.0, 0.0, 1.0};
        assertEquals(1.0, LinearClassifier.classAccuracy(f, new int[] {1, 0, 2}, 3));
        assertEquals(1.0 / 3, LinearClassifier.classAccuracy(f, new int[] {1, 1, 0}, 3), 1e-15);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
