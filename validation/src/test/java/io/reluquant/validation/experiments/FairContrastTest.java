// Proves: claims at CI size over two init seeds: the PyTorch-default contrast's N_eff at equal loss is >= 10x small init's and grows with the width; the controls fail.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fair contrast at CI size (widths 1e2 and 1e4): N_eff of the PyTorch-default contrast at equal
 * loss at least 10x small init's in d = 1 and d = 2 and growing 3x with the width; small init does
 * not grow (docs/THEORY.md sections 3-4); the controls fail the same criteria. Thresholds: {@link Claims}.
 */
@Tag("claims")
class FairContrastTest {
    @Test
    void contrastAtEqualLossIsNotQuantizedAndSmallInitIs() {
        List<FairContrast.Result> seeds = FairContrast.runSeeds(FairContrast.Config.quick(), Claims.FAIR_CONTRAST_SEEDS_QUICK);
        assertEquals(Claims.FAIR_CONTRAST_SEEDS_QUICK, seeds.size());
        assertEquals(2, seeds.get(1).config().seed());
        FairContrast.Result r = seeds.get(0);
        List<Claims.Verdict> verdicts = FairContrast.judge(seeds);
        System.out.printf("fair contrast (quick, %d seeds): %.1f s%n", seeds.size(), seeds.stream().mapToDouble(FairContrast.Result::seconds).sum());
        for (Claims.Verdict v : verdicts) {
            System.out.println((v.pass() ? "PASS " : "FAIL ") + v.claim() + ": " + v.measured());
        }
        // ratio (PyTorch default and f0 = 0) and growth, 1-D and 2-D; each passes only if its control (the draw scaled by lambda, small init's growth) fails
        assertEquals(6, verdicts.size());
        for (Claims.Verdict v : verdicts) {
            assertTrue(v.pass(), v.claim() + " [" + v.prediction() + "]: " + v.measured());
        }
        for (String data : new String[] {FairContrast.ONE_D, FairContrast.TWO_D}) {
            double control = r.row(data, FairContrast.Init.PYTORCH_SMALL, Claims.WIDE).neff() / r.row(data, FairContrast.Init.SMALL, Claims.WIDE).neff();
            assertTrue(control < Claims.CONTRAST_RATIO, data + ": the control's ratio " + control + " must fail the criterion");
        }
    }

    /**
     * The control of the "N_eff independent of the width" rows, run as the report runs it: the PyTorch-default contrast at widths 1e2,
     * 1e3, 1e4 trained to small init's end loss on the five-point data (the 1/1500 plateau) and on the 2-D set; its N_eff must not be
     * flat, or the small-init rows could not pass.
     */
    @Test
    void widthControlReachesSmallInitsLossAndIsNotFlat() {
        int[] widths = {100, 1_000, 10_000};
        Dataset five = io.reluquant.io.data.DataSets.fivePoint();
        WidthControl c = WidthControl.run("five", five, widths, new double[] {1.0 / 1500, 1.0 / 1500, 1.0 / 1500}, 1);
        Claims.Verdict v = c.judge(Claims.NEFF_WIDTH_FIVE_POINT, widths, new double[] {2.6, 2.6, 2.6});
        System.out.println("width control, five-point: " + v.measured() + " [" + v.moment().describe() + "]");
        assertTrue(c.fails(), v.measured());
        assertTrue(v.pass(), v.measured());
        Dataset twoD = E2TwoDimensional.data();
        WidthControl c2 = WidthControl.run("twod", twoD, widths, new double[] {2.74e-3, 2.74e-3, 2.74e-3}, 1);
        System.out.println("width control, 2-D: N_eff " + java.util.Arrays.toString(c2.neff()) + ", spread " + c2.spread());
        assertTrue(c2.fails(), "2-D control spread " + c2.spread());
    }

    /** PyTorch's default draws the bias at random in U(-1/sqrt(d), 1/sqrt(d)), not 0. */
    @Test
    void pytorchDefaultDrawsARandomBiasInItsBounds() {
        Parameters p = Initializers.pytorchDefault(1000, 2, 7);
        double bound = 1 / Math.sqrt(2);
        int nonzero = 0;
        for (int j = 0; j < 1000; j++) {
            assertTrue(Math.abs(p.b(j)) <= bound && Math.abs(p.w(j, 0)) <= bound && Math.abs(p.a(j)) <= 1 / Math.sqrt(1000));
            nonzero += p.b(j) != 0 ? 1 : 0;
        }
        assertEquals(1000, nonzero);
        assertEquals(p.b(3), Initializers.pytorchDefault(1000, 2, 7).b(3));
    }

    /** The tangent kernel of a one-neuron network by hand, its largest eigenvalue, and eta = 1 / lambda_max (half the limit). */
    @Test
    void tangentKernelEigenvalueOfAKnownNetwork() {
        // one neuron a = 2, v = (1, 0) active at x = 1 only (x = -1 gives z = -1): K = (1/n)[z^2/m + a^2 (1 + x^2)] at (1,1)
        Dataset data = Dataset.of(new double[] {-1, 1}, new double[] {0, 1}, 1);
        Parameters p = Parameters.of(new double[] {2}, new double[] {1}, new double[] {0}, 1);
        double expected = (1.0 / 2) * (1 + 4 * 2);
        assertEquals(expected, NtkScaling.largestEigenvalue(NtkScaling.tangentKernel(data, p)), 1e-12);
        assertEquals(1 / expected, NtkScaling.rates(data, p).eta(), 1e-12);
    }
}
