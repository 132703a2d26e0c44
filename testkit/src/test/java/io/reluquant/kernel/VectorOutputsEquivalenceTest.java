// Proves: with k outputs (k = 1, 2, 3, 10, 17), both losses, every path, provider, precision and thread count match the float64 reference within the derived k-output bound: loss, gradient, one step, forward.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.reference.Reference;
import io.reluquant.testkit.Fixtures;
import io.reluquant.testkit.OneStepBound;
import io.reluquant.testkit.OutputsStepBound;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every variant of {@link Kernels} (both requested paths: at k &gt; 1 the fused one runs the fused
 * k-output sweep at d &lt;= 2 and the mask-bit engine above, the mask-bit one the mask-bit engine at every
 * d, which the plan must say) against {@link Reference}'s k-output methods, at awkward shapes:
 * d = 1, 2 (the fused path's dimensions; n = 1, 7, 37, 70, 97 and m up to 1100, more than one
 * chunk of the fused sweep), 3, 5 and 33 (padded to the feature tile), m not a multiple
 * of 64, n not a multiple of any vector length or of the 6-sample row tile. Each tolerance is
 * {@link OutputsStepBound} (k &gt; 1) or {@link OneStepBound} (k = 1, the one-output engines) per
 * component; the largest |difference| and its ratio to the bound are printed.
 */
@Tag("per-provider")
class VectorOutputsEquivalenceTest {
    static final int[] OUTPUTS = {1, 2, 3, 10, 17};
    /** (n, d, m) */
    static final int[][] SHAPES = {{7, 1, 17}, {97, 2, 65}, {13, 3, 130}, {97, 5, 1}, {25, 33, 70},
        {1, 1, 3}, {37, 2, 131}, {70, 1, 1100}};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Loss loss : new Loss[] {Loss.SQUARE, Loss.SOFTMAX_CROSS_ENTROPY}) {
            for (int k : OUTPUTS) {
                if (loss == Loss.SOFTMAX_CROSS_ENTROPY && k == 1) {
                    continue; // one class: the loss is identically 0 and the trainer refuses it (BadInputTest)
                }
                for (int[] s : SHAPES) {
                    // k > 1: relu(z) both ways the plan can get it for ga (k = 1 has neither)
                    for (String relu : k == 1 ? new String[] {"auto"} : new String[] {"store", "recompute"}) {
                        out.add(Arguments.of(loss, k, s[0], s[1], s[2], relu));
                    }
                }
            }
        }
        return out.stream();
    }

    static Dataset data(Loss loss, int n, int d, int k, long seed) {
        return loss == Loss.SQUARE ? Fixtures.data(n, d, k, seed) : Fixtures.labelled(n, d, k, seed);
    }

    static double[] targets(Loss loss, Dataset data) {
        if (loss == Loss.SQUARE) {
            return data.targets();
        }
        int[] labels = data.labels();
        double[] y = new double[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        return y;
    }

    @ParameterizedTest(name = "{0} k={1} n={2} d={3} m={4} relu(z) {5}")
    @MethodSource("cases")
    void lossGradientStepAndForwardMatchTheReference(Loss loss, int k, int n, int d, int m, String relu) {
        String before = System.getProperty(RELU);
        System.setProperty(RELU, relu);
        try {
            check(loss, k, n, d, m, relu);
        } finally {
            if (before == null) {
                System.clearProperty(RELU);
            } else {
                System.setProperty(RELU, before);
            }
        }
    }

    /** the plan reads it when a trainer is built */
    static final String RELU = "reluquant.outputs.relu";

    private static void check(Loss loss, int k, int n, int d, int m, String relu) {
        long seed = 1000L * m + 100L * d + 10L * n + k;
        Dataset data = data(loss, n, d, k, seed);
        Parameters p = Fixtures.params(m, d, k, seed + 1);
        double[] a = p.outputWeights();
        double[] w = p.inputWeights();
        double[] b = p.biases();
        double[] x = data.inputs();
        double[] y = targets(loss, data);
        double lrOut = 0.3;
        double lrHid = 0.2;
        double[] ra = new double[m * k];
        double[] rw = new double[m * d];
        double[] rb = new double[m];
        double[] sa = a.clone();
        double[] sw = w.clone();
        double[] sb = b.clone();
        double[] rf;
        if (k == 1) {
            Reference.gradient(a, w, b, d, x, y, loss, ra, rw, rb);
            Reference.step(sa, sw, sb, d, x, y, loss, lrOut, lrHid, true);
            rf = Reference.forward(a, w, b, d, x);
        } else {
            Reference.gradient(a, w, b, d, k, x, y, loss, ra, rw, rb);
            Reference.step(sa, sw, sb, d, k, x, y, loss, lrOut, lrHid, true);
            rf = Reference.forward(a, w, b, d, k, x);
        }
        StringBuilder line = new StringBuilder("outputs " + loss + " k=" + k + " n=" + n + " d=" + d + " m=" + m
                + " relu(z) " + relu + ":");
        for (Kernels.Variant v : Kernels.variants()) {
            double u = OneStepBound.unitRoundoff(v.precision());
            double[] ga = new double[m * k];
            double[] gw = new double[m * d];
            double[] gb = new double[m];
            double[] f = new double[n * k];
            double[] fTol;
            double[][] gradTol;
            double[][] stepTol;
            double lossTol;
            double refLoss;
            double gotLoss;
            Parameters after;
            try (Trainer t = v.build(data, p, true, loss)) {
                assertEquals(k, t.outputs());
                if (k > 1) {
                    // d <= 2 asked for the fused path runs the fused k-output sweep; everything else the mask-bit engine
                    Path expected = v.path() == Path.FUSED && d <= 2 ? Path.FUSED : Path.MASKBIT;
                    assertEquals(expected, t.kernelInfo().path(), v + " at d = " + d + " runs the " + expected + " k-output engine");
                    if (expected == Path.MASKBIT) {
                        assertEquals(relu.equals("store"), t.planStoresRelu(), "the plan keeps relu(z) as asked");
                    }
                    OutputsStepBound bound = new OutputsStepBound(a, w, b, x, y, d, k, u, loss);
                    fTol = bound.forwardBounds();
                    gradTol = bound.gradientBounds();
                    stepTol = bound.stepBounds(lrOut, lrHid, true);
                    lossTol = bound.lossBound();
                    refLoss = bound.referenceLoss();
                } else {
                    OneStepBound bound = OneStepBound.forTrainer(t, a, w, b, data, u);
                    fTol = new double[n];
                    for (int i = 0; i < n; i++) {
                        fTol[i] = bound.df(i, u) + bound.df(i, OneStepBound.U64);
                    }
                    gradTol = bound.gradientBounds();
                    stepTol = bound.stepBounds(lrOut, lrHid, true);
                    lossTol = bound.lossBound();
                    refLoss = bound.referenceLoss();
                }
                gotLoss = t.gradient(ga, gw, gb);
                t.forward(x, f);
                t.step(lrOut, lrHid);
                after = t.parameters();
            }
            double gradRatio = Math.max(OneStepBound.worstRatio(ga, ra, gradTol[0]),
                    Math.max(OneStepBound.worstRatio(gw, rw, gradTol[1]), OneStepBound.worstRatio(gb, rb, gradTol[2])));
            double stepRatio = Math.max(OneStepBound.worstRatio(after.outputWeights(), sa, stepTol[0]),
                    Math.max(OneStepBound.worstRatio(after.inputWeights(), sw, stepTol[1]),
                            OneStepBound.worstRatio(after.biases(), sb, stepTol[2])));
            double lossDiff = Math.abs(gotLoss - refLoss);
            double fDiff = OneStepBound.maxAbsDiff(f, rf);
            double fRatio = OneStepBound.worstRatio(f, rf, fTol);
            double gradDiff = Math.max(OneStepBound.maxAbsDiff(ga, ra),
                    Math.max(OneStepBound.maxAbsDiff(gw, rw), OneStepBound.maxAbsDiff(gb, rb)));
            line.append(String.format(" %s max|dg|=%.3g (%.3g of bound), step %.3g of bound, |dL|=%.3g (%.3g), max|df|=%.3g (%.3g);",
                    v, gradDiff, gradRatio, stepRatio, lossDiff, lossDiff / lossTol, fDiff, fRatio));
            assertTrue(fRatio <= 1, v + ": forward off by " + fRatio + " of its bound");
            assertTrue(gradRatio <= 1, v + ": gradient off by " + gradRatio + " of its bound");
            assertTrue(stepRatio <= 1, v + ": step off by " + stepRatio + " of its bound");
            assertTrue(lossDiff <= lossTol, v + ": loss off by " + lossDiff + " > bound " + lossTol);
        }
        System.out.println(line);
    }
}
