// Proves: the reduced model's small float64 GD takes the reference's step within the one-step bound, and relu'(0) = 0 exactly on a kink.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.reference.Reference;
import io.reluquant.testkit.OneStepBound;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reduced model's GD is the reference's GD: ReducedNetwork (a second small implementation, kept
 * because it trains a handful of float64 neurons without the kernel's padding) takes the same step as
 * {@link Reference#step}, within the one-step error bound of two float64 evaluations in any summation
 * order ({@link OneStepBound} at u = 2^-53 on both sides), from balanced neurons (how the reduced
 * model starts) and from the unbalanced ones a few steps later. (With a bias, sample 0 sits at the
 * origin and the first neuron has no bias component, its kink exactly on that sample; the bound admits
 * either side of an exact kink, so relu'(0) = 0 is checked exactly by its own case.)
 */
class ReducedNetworkTest {

    /** A neuron whose kink sits exactly on the only sample has relu = relu' = 0 there: nothing moves, on both sides. */
    @Test
    void kinkOnTheSampleMovesNothing() {
        double[] x = {0};
        double[] y = {0.7};
        ReducedNetwork net = new ReducedNetwork(AugmentedInputs.of(Dataset.of(x, y, 1), true), y);
        net.addBalanced(-1, new double[] {0.6, 0}, 0.25); // a = -0.5, v = (0.5, 0): z = 0.5 * 0 + 0 = 0
        double[] a = {net.outputWeight(0)};
        double[] w = {net.neuron(0)[0]};
        double[] b = {net.neuron(0)[1]};
        net.step(0.5);
        Reference.step(a, w, b, 1, x, y, 0.5, true);
        assertEquals(-0.5, net.outputWeight(0), 0.0);
        assertArrayEquals(new double[] {0.5, 0}, net.neuron(0), 0.0);
        assertArrayEquals(new double[] {-0.5, 0.5, 0}, new double[] {a[0], w[0], b[0]}, 0.0);
    }

    @ParameterizedTest(name = "n={0} d={1} width={2} bias={3}")
    @CsvSource({"5, 1, 1, true", "5, 1, 3, true", "7, 2, 4, true", "13, 2, 7, false", "11, 3, 5, true", "1, 1, 2, true"})
    void stepIsTheReferenceStep(int n, int d, int width, boolean bias) {
        SplittableRandom rnd = new SplittableRandom(31L * n + 7L * d + width + (bias ? 1 : 0));
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextDouble(-1, 1);
        }
        java.util.Arrays.fill(x, 0, d, 0.0); // sample 0 at the origin
        AugmentedInputs xt = AugmentedInputs.of(Dataset.of(x, y, d), bias);
        ReducedNetwork net = new ReducedNetwork(xt, y);
        int k = xt.dim();
        for (int j = 0; j < width; j++) {
            double[] u = new double[k];
            for (int c = 0; c < k; c++) {
                u[c] = rnd.nextDouble(-1, 1);
            }
            if (j == 0 && bias) {
                u[d] = 0; // with x_0 = 0 below: the first neuron's kink exactly on sample 0 (z = 0 at any scale)
            }
            net.addBalanced(rnd.nextBoolean() ? 1 : -1, u, rnd.nextDouble(0.01, 1));
        }
        double lr = 0.3;
        double worst = 0;
        double largest = 0;
        for (int step = 0; step < 6; step++) {
            // the reference's arrays from the reduced network's state
            double[] a = new double[width];
            double[] w = new double[width * d];
            double[] b = new double[width];
            for (int j = 0; j < width; j++) {
                a[j] = net.outputWeight(j);
                double[] v = net.neuron(j);
                System.arraycopy(v, 0, w, j * d, d);
                b[j] = bias ? v[d] : 0;
            }
            OneStepBound bounds = new OneStepBound(a, w, b, x, y, d, OneStepBound.U64, Loss.SQUARE, false);
            double[][] bound = bounds.stepBounds(lr, bias);
            double lossBefore = Reference.loss(a, w, b, d, x, y);
            Reference.step(a, w, b, d, x, y, lr, bias);
            double reducedLoss = net.step(lr);
            assertEquals(lossBefore, reducedLoss, bounds.lossBound(), "loss before step " + step);
            double[] gotA = new double[width];
            double[] gotW = new double[width * d];
            double[] gotB = new double[width];
            for (int j = 0; j < width; j++) {
                gotA[j] = net.outputWeight(j);
                double[] v = net.neuron(j);
                System.arraycopy(v, 0, gotW, j * d, d);
                gotB[j] = bias ? v[d] : 0;
            }
            worst = Math.max(worst, OneStepBound.worstRatio(gotA, a, bound[0]));
            worst = Math.max(worst, OneStepBound.worstRatio(gotW, w, bound[1]));
            if (bias) {
                worst = Math.max(worst, OneStepBound.worstRatio(gotB, b, bound[2]));
            }
            largest = Math.max(largest, Math.max(OneStepBound.maxAbsDiff(gotA, a), OneStepBound.maxAbsDiff(gotW, w)));
        }
        System.out.printf("reduced vs reference n=%d d=%d width=%d bias=%b: max |diff| %.3g, worst ratio to the bound %.3g%n",
                n, d, width, bias, largest, worst);
        assertTrue(worst <= 1, "a component of the reduced network's step lies outside the one-step bound: ratio " + worst);
    }
}
