// Proves: the real-data probe's measures give the known answers on constructed inputs.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import io.reluquant.validation.measures.LinearClassifier;
import io.reluquant.validation.measures.StableRank;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The probe's own measures on known answers (the probe on real data runs in RealDataReportTest). */
class RealDataProbeTest {
    private static Parameters firstLayer(double[] w, int m, int d) {
        return Parameters.of(new double[m], w, new double[m], d);
    }

    @Test
    void stableRankKnownAnswers() {
        // rank one: every row a multiple of one vector -> 1, through both Gram sides (m <= d and m > d)
        for (int[] md : new int[][] {{3, 7}, {9, 4}}) {
            int m = md[0];
            int d = md[1];
            double[] w = new double[m * d];
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < d; k++) {
                    w[j * d + k] = (j + 1) * (k - 1.5);
                }
            }
            assertEquals(1, StableRank.of(firstLayer(w, m, d)), 1e-9, "rank one " + m + "x" + d);
        }
        // singular values 3 and 1: (9 + 1) / 9; as 2x5 and as its 5x2 transpose pattern
        double[] w = new double[10];
        w[0] = 3;
        w[5 + 1] = 1;
        assertEquals(10.0 / 9, StableRank.of(firstLayer(w, 2, 5)), 1e-12);
        double[] wt = new double[10];
        wt[0] = 3;
        wt[2 + 1] = 1;
        assertEquals(10.0 / 9, StableRank.of(firstLayer(wt, 5, 2)), 1e-12);
        // equal orthogonal rows: min(m, d)
        double[] eye = new double[4 * 6];
        for (int j = 0; j < 4; j++) {
            eye[j * 6 + j] = 2;
        }
        assertEquals(4, StableRank.of(firstLayer(eye, 4, 6)), 1e-9);
    }

    @Test
    void linearClassifierOnSeparableData() {
        // two well-separated blobs (centres +-(1, -2, 0.5, ...), noise 0.1): least squares separates them, in both the
        // dual (n <= d+1) and the primal (n > d+1) solve
        for (int n : new int[] {4, 400}) {
            Random rnd = new Random(n);
            int d = n == 4 ? 8 : 3;
            double[] x = new double[n * d];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % 2 == 0 ? 1 : -1;
                for (int k = 0; k < d; k++) {
                    double centre = k == 0 ? 1 : k == 1 ? -2 : 0.5;
                    x[i * d + k] = 0.2 + y[i] * centre + 0.1 * rnd.nextGaussian();
                }
            }
            Dataset train = Dataset.of(x, y, d);
            assertEquals(1.0, LinearClassifier.testAccuracy(train, train), "n = " + n + ": fits its own training set");
            double[] flipped = y.clone();
            for (int i = 0; i < n; i++) {
                flipped[i] = -y[i];
            }
            assertEquals(0.0, LinearClassifier.testAccuracy(train, Dataset.of(x, flipped, d)), "n = " + n + ": all wrong on flipped labels");
        }
    }

    @Test
    void accuracyCountsSignAgreement() {
        assertEquals(0.5, LinearClassifier.accuracy(new double[] {1, -2, 0, 3}, new double[] {1, -1, 1, -1}));
    }

    @Test
    void learningRatesPerBlock() {
        assertEquals(0.05, LearningRates.single(0.05).hidden());
        LearningRates ntk = new LearningRates(1e-4, 0.05);
        assertEquals(1e-4, ntk.output());
        assertEquals(0.05, ntk.hidden());
        assertEquals("0.000100 / 0.0500", ntk.describe());
        String m = assertThrows(IllegalArgumentException.class, () -> LearningRates.single(0)).getMessage();
        assertTrue(m.contains("finite and positive"), m);
    }

    @Test
    void gaussNewtonBlockTracesKnownAnswer() {
        // d = 1, x = (1, -2), x~ = (x, 1): |x~|^2 = 2 and 5. Neuron 1 (w 1, b 0.5, a 2): z = 1.5, -1.5, active on x_1 only;
        // neuron 2 (w -1, b 0, a -1): z = -1, 2, active on x_2 only.
        // T_a = (1/2)(1.5^2 + 2^2) = 3.125; T_v = (1/2)(2^2 * 2 + (-1)^2 * 5) = 6.5
        Dataset data = Dataset.of(new double[] {1, -2}, new double[] {1, -1}, 1);
        Parameters p = Parameters.of(new double[] {2, -1}, new double[] {1, -1}, new double[] {0.5, 0}, 1);
        double[] t = LearningRates.gaussNewtonBlockTraces(data, p);
        assertEquals(3.125, t[0], 1e-15);
        assertEquals(6.5, t[1], 1e-15);
        // the logistic loss's curvature in f is at most 1/4: rates four times the square loss's
        LearningRates lr = LearningRates.fromGaussNewtonTraces(data, p, 0.25);
        assertEquals(4 / 3.125, lr.output(), 1e-15);
        assertEquals(4 / 6.5, lr.hidden(), 1e-15);
        String m = assertThrows(IllegalArgumentException.class, () -> LearningRates.fromGaussNewtonTraces(data, p, 0)).getMessage();
        assertTrue(m.contains("maxLossCurvature"), m);
    }

    private static RealDataMoment moment(long step, double loss, double... shares) {
        java.util.List<io.reluquant.validation.measures.Cluster> cl = new java.util.ArrayList<>();
        for (double share : shares) {
            cl.add(new io.reluquant.validation.measures.Cluster(1, new double[] {1, 0}, share, new int[] {cl.size()}));
        }
        double[] cos = new double[shares.length];
        java.util.Arrays.fill(cos, 0.999);
        double[] control = new double[shares.length];
        java.util.Arrays.fill(control, 0.5);
        return new RealDataMoment(step, loss, cl, io.reluquant.validation.measures.Quantization.effectiveCount(cl), cos, 1, 1, control);
    }

    private static RealDataResult.Run run(RealDataProbe.Regime regime, int m, double target, long reached, RealDataMoment end) {
        RealDataMoment a = regime == RealDataProbe.Regime.SMALL ? moment(40, 0.49, 0.6, 0.4) : null;
        if (regime == RealDataProbe.Regime.CONTROL) {
            double[] hundred = new double[100];
            java.util.Arrays.fill(hundred, 0.01);
            a = moment(40, 0.4, hundred);
        }
        return new RealDataResult.Run(regime, m, 1e-6, LearningRates.single(0.05), 0.5, target, reached, a, a, end, 1, 1, 1);
    }

    @Test
    void contrastPassesOnlyAtEqualLoss() {
        // small init: two clusters (N_eff 1.92) at both widths; the contrast: 100 equal clusters (N_eff 100, 52x), once at L*
        // and once stopped short of it
        double[] hundred = new double[100];
        java.util.Arrays.fill(hundred, 0.01);
        java.util.List<RealDataResult.Run> small = java.util.List.of(run(RealDataProbe.Regime.SMALL, 100, 0.05, 300, moment(300, 0.05, 0.6, 0.4)),
                run(RealDataProbe.Regime.SMALL, 1000, Double.NaN, -1, moment(500, 0.05, 0.6, 0.4)));
        RealDataResult.Run reached = run(RealDataProbe.Regime.STANDARD, 1000, 0.05, 120, moment(120, 0.0499, hundred));
        RealDataResult.Run shortOf = run(RealDataProbe.Regime.LARGE, 1000, 0.05, -1, moment(600, 0.2, hundred));
        // the N_eff rows' control: lambda = 1e-1 at both widths, 100 clusters at the end of alignment and at L*
        java.util.List<RealDataResult.Run> controls = java.util.List.of(run(RealDataProbe.Regime.CONTROL, 100, 0.05, 200, moment(200, 0.0499, hundred)),
                run(RealDataProbe.Regime.CONTROL, 1000, 0.05, 200, moment(200, 0.0499, hundred)));
        java.util.List<Claims.Verdict> v = new RealDataResult(small, java.util.List.of(reached, shortOf), 0.05, 0.9, 1, java.util.List.of(), controls)
                .verdicts("t: ");
        assertEquals(5, v.size(), v.toString());
        assertTrue(v.get(0).pass() && v.get(1).pass() && v.get(2).pass(), v.toString());
        assertTrue(v.get(3).pass() && v.get(3).measured().contains("reached at step 120"), v.get(3).toString());
        assertTrue(!v.get(4).pass() && v.get(4).measured().contains("NOT reached in 600 steps"), v.get(4).toString());
        // a narrower width that missed L* is no comparison across widths either
        java.util.List<RealDataResult.Run> missed = java.util.List.of(run(RealDataProbe.Regime.SMALL, 100, 0.05, -1, moment(1000, 0.07, 0.6, 0.4)),
                small.get(1));
        assertTrue(!new RealDataResult(missed, java.util.List.of(), 0.05, 0.9, 1).verdicts("t: ").get(2).pass());
    }
}
