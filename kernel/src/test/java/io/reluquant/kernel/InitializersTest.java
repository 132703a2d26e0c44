// Proves: the initializers are seeded, reproducible and have the distributions of docs/THEORY.md section 3.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** docs/THEORY.md section 3: seeded, reproducible, with the stated distributions. */
class InitializersTest {
    @Test
    void sameSeedSameParametersOtherSeedOthers() {
        Parameters p = Initializers.balanced(1000, 3, 1e-3, 42, true);
        Parameters q = Initializers.balanced(1000, 3, 1e-3, 42, true);
        assertArrayEquals(p.outputWeights(), q.outputWeights(), 0);
        assertArrayEquals(p.inputWeights(), q.inputWeights(), 0);
        assertArrayEquals(p.biases(), q.biases(), 0);
        assertTrue(p.a(0) != Initializers.balanced(1000, 3, 1e-3, 43, true).a(0));
        assertArrayEquals(Initializers.he(50, 2, 7).inputWeights(), Initializers.he(50, 2, 7).inputWeights(), 0);
    }

    @Test
    void balancedIsBalancedWithTheStatedScale() {
        int m = 200_000;
        int d = 2;
        double lambda = 1e-4;
        Parameters p = Initializers.balanced(m, d, lambda, 1, true);
        double sumSq = 0;
        int positive = 0;
        for (int j = 0; j < m; j++) {
            double v2 = p.b(j) * p.b(j);
            for (int k = 0; k < d; k++) {
                v2 += p.w(j, k) * p.w(j, k);
            }
            // |a| = |v| in real arithmetic; the two float64 evaluations (other summation order) each err by
            // at most gamma(3)/2 (sum of 3 squares, halved by the sqrt) + u (the sqrt): 2.5u each, 5u together
            assertEquals(Math.sqrt(v2), Math.abs(p.a(j)), 5 * 0x1p-53 * Math.sqrt(v2));
            sumSq += v2;
            positive += p.a(j) > 0 ? 1 : 0;
        }
        // E|v|^2 = (d+1) lambda^2/m per neuron; the mean over m neurons has relative sd sqrt(2/((d+1) m)) = 0.0018
        double meanCoordVar = sumSq / m / (d + 1);
        assertEquals(lambda * lambda / m, meanCoordVar, 5 * 0.0018 * lambda * lambda / m);
        // signs: binomial(m, 1/2), sd = sqrt(m)/2 = 224
        assertEquals(m / 2.0, positive, 5 * 224);
        Parameters noBias = Initializers.balanced(10, 3, 1, 1, false);
        assertArrayEquals(new double[10], noBias.biases(), 0);
    }

    @Test
    void heHasHeWeightsZeroBiasAndSmallOutputs() {
        int m = 100_000;
        int d = 4;
        Parameters p = Initializers.he(m, d, 9);
        double w2 = 0;
        double a2 = 0;
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < d; k++) {
                w2 += p.w(j, k) * p.w(j, k);
            }
            a2 += p.a(j) * p.a(j);
            assertEquals(0, p.b(j), 0);
        }
        // sample variances; relative sd of a variance estimate from N draws is sqrt(2/N)
        assertEquals(2.0 / d, w2 / (m * d), 5 * Math.sqrt(2.0 / (m * d)) * 2.0 / d);
        assertEquals(1.0 / m, a2 / m, 5 * Math.sqrt(2.0 / m) / m);
    }

    @Test
    @SuppressWarnings("deprecation")
    void theOldNameStandardDrawsExactlyHe() {
        // the deprecated alias must stay the same network, so code written against it keeps its results
        for (int k : new int[] {1, 3}) {
            Parameters he = Initializers.he(37, 5, k, 11);
            Parameters old = k == 1 ? Initializers.standard(37, 5, 11) : Initializers.standard(37, 5, k, 11);
            assertArrayEquals(he.outputWeights(), old.outputWeights(), 0);
            assertArrayEquals(he.inputWeights(), old.inputWeights(), 0);
            assertArrayEquals(he.biases(), old.biases(), 0);
        }
    }

    @Test
    void pytorchDefaultIsTheDrawOfNnLinearInItsOrder() {
        // the draw written out naively (per neuron: d weights, the bias, then the k output weights), as the report's
        // contrasts drew it before it moved into the kernel: the same seed must give the same bits
        int m = 29;
        int d = 3;
        for (int k : new int[] {1, 2}) {
            java.util.Random r = new java.util.Random(5);
            Parameters p = Initializers.pytorchDefault(m, d, k, 5);
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < d; i++) {
                    assertEquals((1 / Math.sqrt(d)) * (2 * r.nextDouble() - 1), p.w(j, i), 0);
                }
                assertEquals((1 / Math.sqrt(d)) * (2 * r.nextDouble() - 1), p.b(j), 0);
                for (int c = 0; c < k; c++) {
                    assertEquals((1 / Math.sqrt(m)) * (2 * r.nextDouble() - 1), p.outputWeights()[j * k + c], 0);
                }
            }
        }
        Parameters one = Initializers.pytorchDefault(m, d, 5);
        assertArrayEquals(Initializers.pytorchDefault(m, d, 1, 5).outputWeights(), one.outputWeights(), 0);
    }

    @Test
    void pytorchDefaultIsUniformWithItsFanInBoundsAndARandomBias() {
        int m = 100_000;
        int d = 4;
        Parameters p = Initializers.pytorchDefault(m, d, 3);
        double bw = 1 / Math.sqrt(d);
        double ba = 1 / Math.sqrt(m);
        double b2 = 0;
        double a2 = 0;
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < d; k++) {
                assertTrue(Math.abs(p.w(j, k)) <= bw, "w within 1/sqrt(d)");
            }
            assertTrue(Math.abs(p.b(j)) <= bw, "b within 1/sqrt(d)");
            assertTrue(Math.abs(p.a(j)) <= ba, "a within 1/sqrt(m)");
            b2 += p.b(j) * p.b(j);
            a2 += p.a(j) * p.a(j);
        }
        // U(-c, c) has variance c^2/3; the sample variance of N draws has relative sd sqrt(4/5 / N) (kurtosis 9/5)
        assertEquals(bw * bw / 3, b2 / m, 5 * Math.sqrt(0.8 / m) * bw * bw / 3);
        assertEquals(ba * ba / 3, a2 / m, 5 * Math.sqrt(0.8 / m) * ba * ba / 3);
    }
}
