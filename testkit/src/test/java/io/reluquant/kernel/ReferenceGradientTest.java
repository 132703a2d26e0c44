// Proves: the reference's gradient equals central finite differences of its loss within derived truncation + roundoff bounds.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.reference.Reference;
import io.reluquant.testkit.Fixtures;
import io.reluquant.testkit.OneStepBound;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference.gradient against central finite differences of Reference.loss, in float64, for both
 * losses with and without bias. Per parameter theta with step h (a power of two, and for w and b at
 * most half the distance to the nearest kink, so no ReLU changes sign between theta - h and theta + h,
 * and L restricted to that coordinate is smooth: f_i(t) = f_i + c_i t with c_i = relu(z_ij) for a_j,
 * a_j x_ik [z_ij > 0] for w_jk, a_j [z_ij > 0] for b_j), the difference of the two is at most
 * <pre>
 *   truncation  h^2/6 max|L'''|,   L''' = (1/n) sum_i loss'''(f_i) c_i^3: 0 for the square loss (L is
 *               quadratic in t), |loss'''| &lt;= 1/(6 sqrt 3) for the logistic one
 *   roundoff    (dL(theta+h) + dL(theta-h)) / (2h'), dL the float64 evaluation error of the loss
 *               (OneStepBound.lossBound at u = u64, which exceeds one evaluation's error), h' the
 *               half-width actually formed; the midpoint's offset e from theta (rounding of
 *               theta +- h) adds |e| max|L''|, L'' = (1/n) sum_i loss''(f_i) c_i^2, loss'' &lt;= 1 (square)
 *               or 1/4 (logistic); the subtraction and division add 4 u64 |fd|
 *   gradient    Reference.gradient's own rounding: OneStepBound.gradientBounds at u = u64
 * </pre>
 */
class ReferenceGradientTest {
    private static final double THIRD = 1 / (6 * Math.sqrt(3)); // max |sigma (1 - sigma)(1 - 2 sigma)|

    @ParameterizedTest(name = "{0} bias={1}")
    @CsvSource({"SQUARE, true", "SQUARE, false", "LOGISTIC, true", "LOGISTIC, false"})
    void gradientMatchesCentralDifferencesOfTheLoss(Loss loss, boolean bias) {
        int n = 24;
        int d = 3;
        int m = 6;
        Dataset data = loss == Loss.LOGISTIC ? Fixtures.classes(n, d, 17) : Fixtures.data(n, d, 17);
        Parameters p = Fixtures.params(m, d, 19);
        double[] x = data.inputs();
        double[] y = data.targets();
        double[] a = p.outputWeights();
        double[] w = p.inputWeights();
        double[] b = bias ? p.biases() : new double[m];
        double[] ga = new double[m];
        double[] gw = new double[m * d];
        double[] gb = new double[m];
        Reference.gradient(a, w, b, d, x, y, loss, ga, gw, gb);
        double[][] gradBound = new OneStepBound(a, w, b, x, y, d, OneStepBound.U64, loss, false).gradientBounds();

        double worst = 0;
        double maxDiff = 0;
        double maxTol = 0;
        double maxGrad = 0;
        for (int j = 0; j < m; j++) {
            // [array, index, coefficient of each sample, kink distance] per parameter of neuron j
            for (int q = -1; q <= d; q++) {
                if (q == d && !bias) {
                    continue; // b stays 0 without bias: no gradient of it is used
                }
                double[] target = q < 0 ? a : q < d ? w : b;
                int index = q < 0 ? j : q < d ? j * d + q : j;
                double want = q < 0 ? ga[j] : q < d ? gw[index] : gb[j];
                double gradTol = q < 0 ? gradBound[0][j] : q < d ? gradBound[1][index] : gradBound[2][j];
                double[] c = new double[n];
                double kink = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double z = Reference.preActivation(w, b, d, j, x, i);
                    double slope = q < 0 ? 0 : q < d ? x[i * d + q] : 1; // dz_ij / dtheta
                    c[i] = q < 0 ? Math.max(z, 0) : z > 0 ? a[j] * slope : 0;
                    if (slope != 0) {
                        kink = Math.min(kink, Math.abs(z / slope));
                    }
                }
                double h = 0x1p-12;
                while (h > kink / 2) {
                    h /= 2;
                }
                double theta = target[index];
                double plus = theta + h;
                double minus = theta - h;
                target[index] = plus;
                double lossPlus = Reference.loss(a, w, b, d, x, y, loss);
                double evalPlus = new OneStepBound(a, w, b, x, y, d, OneStepBound.U64, loss, false).lossBound();
                target[index] = minus;
                double lossMinus = Reference.loss(a, w, b, d, x, y, loss);
                double evalMinus = new OneStepBound(a, w, b, x, y, d, OneStepBound.U64, loss, false).lossBound();
                target[index] = theta;
                double fd = (lossPlus - lossMinus) / (plus - minus);

                double[] f = Reference.forward(a, w, b, d, x);
                double third = 0;
                double second = 0;
                for (int i = 0; i < n; i++) {
                    double c2 = c[i] * c[i];
                    third += (loss == Loss.SQUARE ? 0 : THIRD) * Math.abs(c2 * c[i]);
                    second += (loss == Loss.SQUARE ? 1 : 0.25) * c2;
                }
                third /= n;
                second /= n;
                double half = (plus - minus) / 2;
                double offset = Math.abs((plus + minus) / 2 - theta);
                double tol = half * half / 6 * third + (evalPlus + evalMinus) / (plus - minus) + offset * second
                        + 4 * OneStepBound.U64 * Math.abs(fd) + gradTol;
                double diff = Math.abs(fd - want);
                double limit = tol;
                assertTrue(diff <= limit, () -> loss + " bias=" + bias + " parameter " + index
                        + ": gradient " + want + ", central difference " + fd + ", |diff| " + diff + " > bound " + limit);
                worst = Math.max(worst, diff / tol);
                maxDiff = Math.max(maxDiff, diff);
                maxTol = Math.max(maxTol, tol);
                maxGrad = Math.max(maxGrad, Math.abs(want));
                // the bound must be a real check: far below the gradient it checks
                double bound = tol;
                assertTrue(bound <= 1e-6 * Math.max(Math.abs(want), 1e-3), () -> "bound " + bound + " at " + index
                        + " is too loose to check anything");
            }
        }
        System.out.printf("reference gradient vs central differences, %s bias=%s: max |diff| %.3g, worst ratio to the "
                + "bound %.3g, largest bound %.3g, largest |gradient| %.3g%n", loss, bias, maxDiff, worst, maxTol, maxGrad);
        assertTrue(Arrays.stream(ga).anyMatch(g -> g != 0), "a non-trivial gradient");
    }
}
