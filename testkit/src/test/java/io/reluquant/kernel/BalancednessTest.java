// Proves: the float64 kernel keeps balancedness a_j^2 - |v_j|^2 as GD does: each step changes it by lr^2 (g_a^2 - |g_v|^2) to rounding, and its drift over a fixed time is linear in lr.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Balancedness (docs/THEORY.md section 2) as an invariant of the float64 kernel. For one GD step,
 * Delta_j = a_j^2 - |v_j|^2 changes by exactly lr^2 (g_a^2 - |g_v|^2), because a_j g_a = v_j . g_v.
 * In float64: each Delta is a sum of d + 2 squares (error <= (d+2) u (a^2 + |v|^2)), and the stored
 * parameters after the step carry one rounding each (u |theta'|, so 2u (a'^2 + |v'|^2) in Delta'),
 * and g enters through lr^2 g^2 and through the cancelling 2 lr (a g_a - v . g_v), whose rounding is
 * again O(u (a^2 + |v|^2)) for lr |g| <= |theta|. So |residual_j| <= 4 (d + 3) u S_j with
 * S_j = a^2 + |v|^2 + a'^2 + |v'|^2. Over a fixed time tau = lr T the drift sums T steps of O(lr^2),
 * i.e. lr tau mean(g_a^2 - |g_v|^2) + O(lr^2): halving lr halves it up to O(lr) (checked to 10 %).
 * Both bounds hold for any summation order, so every provider runs it.
 */
@Tag("per-provider")
class BalancednessTest {
    private static final double U = 0x1p-53;

    @Test
    void perStepIdentityHoldsToRounding() {
        Dataset data = kinked(20, 2, 1);
        int m = 64;
        int d = 2;
        Parameters init = Initializers.he(m, d, 1);
        double lr = 0.01;
        double worst = 0;
        try (Trainer t = Trainer.builder(data, init).precision(Precision.FLOAT64).threads(2).build()) {
            double[] a0 = new double[m], w0 = new double[m * d], b0 = new double[m];
            double[] a1 = new double[m], w1 = new double[m * d], b1 = new double[m];
            double[] ga = new double[m], gw = new double[m * d], gb = new double[m];
            for (int step = 0; step < 2000; step++) {
                t.copyParameters(a0, w0, b0);
                t.gradient(ga, gw, gb);
                t.step(lr);
                t.copyParameters(a1, w1, b1);
                for (int j = 0; j < m; j++) {
                    double v0 = b0[j] * b0[j];
                    double v1 = b1[j] * b1[j];
                    double gv = gb[j] * gb[j];
                    for (int k = 0; k < d; k++) {
                        v0 += w0[j * d + k] * w0[j * d + k];
                        v1 += w1[j * d + k] * w1[j * d + k];
                        gv += gw[j * d + k] * gw[j * d + k];
                    }
                    double residual = (a1[j] * a1[j] - v1) - (a0[j] * a0[j] - v0) - lr * lr * (ga[j] * ga[j] - gv);
                    double bound = 4 * (d + 3) * U * (a0[j] * a0[j] + v0 + a1[j] * a1[j] + v1);
                    worst = Math.max(worst, Math.abs(residual) / bound);
                }
            }
        }
        System.out.printf("balancedness per-step identity: max |residual| / bound = %.3f%n", worst);
        assertTrue(worst <= 1, "residual exceeds its rounding bound by " + worst);
    }

    @Test
    void driftOverFixedTimeIsLinearInLr() {
        Dataset data = fivePoint();
        Parameters init = Initializers.he(32, 1, 2);
        double tau = 20;
        double[] lrs = {0.02, 0.01, 0.005};
        double[] drift = new double[lrs.length];
        for (int q = 0; q < lrs.length; q++) {
            try (Trainer t = Trainer.builder(data, init).precision(Precision.FLOAT64).threads(1).build()) {
                t.steps(lrs[q], Math.round(tau / lrs[q]), Long.MAX_VALUE, null);
                Parameters p = t.parameters();
                for (int j = 0; j < 32; j++) {
                    double before = init.a(j) * init.a(j) - init.w(j, 0) * init.w(j, 0) - init.b(j) * init.b(j);
                    double after = p.a(j) * p.a(j) - p.w(j, 0) * p.w(j, 0) - p.b(j) * p.b(j);
                    drift[q] += Math.abs(after - before);
                }
            }
        }
        System.out.printf("balancedness drift over time %.0f: lr 0.02 -> %.4e, 0.01 -> %.4e, 0.005 -> %.4e (ratios %.4f, %.4f)%n",
                tau, drift[0], drift[1], drift[2], drift[0] / drift[1], drift[1] / drift[2]);
        for (int q = 0; q + 1 < lrs.length; q++) {
            double ratio = drift[q] / drift[q + 1];
            assertTrue(Math.abs(ratio - 2) <= 0.2, "drift ratio " + ratio + " for lr " + lrs[q] + " / " + lrs[q + 1]);
        }
    }

    /** docs/THEORY.md section 5: x = (-1, -0.5, 0, 0.5, 1), y = (0.8, -0.9, -0.8, -0.9, 0.8). */
    private static Dataset fivePoint() {
        return Dataset.of(new double[] {-1, -0.5, 0, 0.5, 1}, new double[] {0.8, -0.9, -0.8, -0.9, 0.8}, 1);
    }

    /**
     * n points uniform in [-1, 1]^d, y = |x_1| - 0.5 sum_{k>1} x_k / sqrt(d) + 0.1 noise: the same numbers
     * as validation's DataSets.kinked (this module cannot depend on validation, which depends on it).
     */
    private static Dataset kinked(int n, int d, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int k = 0; k < d; k++) {
                x[i * d + k] = 2 * random.nextDouble() - 1;
                t += k == 0 ? Math.abs(x[i * d]) : -0.5 * x[i * d + k] / Math.sqrt(d);
            }
            y[i] = t + 0.1 * random.nextGaussian();
        }
        return Dataset.of(x, y, d);
    }
}
