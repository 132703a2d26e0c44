// Proves: the race's pieces behave as docs/THEORY.md section 2 derives them: a flipped group's copies lie SPLIT_ANGLE from its extremum on every side, bad input is refused by name, the escape order follows deficits over rates (not the largest rate), a mutated prediction differs only in the constant moved, and a transition slower than the next escape is flagged, with the kernel's GD growing the next group at the sliding network's rate, not the plateau's.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.validation.experiments.ClaimCriteria;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaceTest {
    @Test
    void splitsSitSplitAngleAwayOnEverySide() {
        for (double[] u : List.of(new double[] {0.6, 0.8}, new double[] {0, 0, 1}, new double[] {1 / Math.sqrt(3), -1 / Math.sqrt(3), 1 / Math.sqrt(3)})) {
            List<double[]> copies = Race.splits(u);
            assertEquals(u.length == 2 ? 2 : 8, copies.size(), "copies of a direction in dimension " + u.length);
            double[] mean = new double[u.length];
            for (double[] c : copies) {
                assertEquals(1, Vectors.norm(c), 1e-12, "unit copies");
                assertEquals(Race.SPLIT_ANGLE, AugmentedInputs.angle(c, u), 1e-9, "angle to the extremum");
                for (int i = 0; i < u.length; i++) {
                    mean[i] += c[i] / copies.size();
                }
            }
            // symmetric on every side: the copies' mean points back along u
            assertTrue(AugmentedInputs.angle(mean, u) < 1e-9, "the copies surround u");
        }
    }

    @Test
    void refusesBadInputByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Race.predict(DataSets.fivePoint(), true, 0, ClaimCriteria.race()));
        assertTrue(e.getMessage().contains("lr") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Race.predict(DataSets.fivePoint(), true, Double.NaN, ClaimCriteria.race()));
        assertThrows(IllegalArgumentException.class, () -> Race.predict(null, true, 0.02, ClaimCriteria.race()));
    }

    /** The race's first constant is 1 / rho of the fastest group; every later one is larger by deficit / rate, and each escape lowers the loss. */
    @Test
    void constantsIncreaseAndTheFirstIsTheFastestRate() {
        Dataset d = DataSets.random1d(12, 11);
        double lr = 0.05;
        Race.Prediction p = Race.predict(d, true, lr, ClaimCriteria.race());
        AugmentedInputs xt = AugmentedInputs.of(d, true);
        double top = 0;
        for (Attractor a : Attractors.predict(xt, d.targets())) {
            top = Math.max(top, Math.log1p(lr * a.sign() * a.potential() / d.samples()) / lr);
        }
        // the race lets each tracer settle under the discrete direction map first; on a boundary attractor it jitters across
        // the boundary by O(lr |D_perp| / n), which moves the rate by ~3e-5 relative on this set
        assertEquals(1 / top, p.jumps()[0], 1e-4 / top, "c_1 = 1 / the largest initial rate");
        for (int k = 1; k < p.jumps().length; k++) {
            assertTrue(p.jumps()[k] >= p.jumps()[k - 1], "c_k increase: " + java.util.Arrays.toString(p.jumps()));
        }
        for (int k = 1; k < p.plateauLosses().length; k++) {
            assertTrue(p.plateauLosses()[k] < p.plateauLosses()[k - 1] * (1 + 1e-9), "plateau losses fall: " + java.util.Arrays.toString(p.plateauLosses()));
        }
        Race.Prediction moved = p.withJump(1, 1.1);
        assertEquals(1.1 * p.jumps()[0], moved.jumps()[0], 1e-12);
        for (int k = 1; k < p.jumps().length; k++) {
            assertEquals(p.jumps()[k], moved.jumps()[k], 0);
        }
    }

    /**
     * The race is the lambda -&gt; 0 limit, where transitions are instantaneous. On random1d(80, 7100026) the network slides
     * after the second escape for longer than the whole time to the third escape at lambda = 1e-14, and the
     * kernel's float64 GD (width 2000, lambda = 1e-8) grows the third group during that slide at a rate well below the one
     * the race computes at the settled plateau: the measured c_3 is late by about the ratio of the two rates. On the
     * five-point data the transition is short and the plateau is reached long before the next escape.
     */
    @Test
    void aTransitionSlowerThanTheNextEscapeIsFlaggedAndSlowsIt() {
        Race.Prediction five = Race.predict(DataSets.fivePoint(), true, 0.02, ClaimCriteria.race());
        assertTrue(five.settlesBeforeNextEscape(1, 1e-8, 0.25), "five-point plateau 1: slide " + five.phases().get(0).slideTime());
        Dataset d = DataSets.random1d(80, 7100026);
        double lr = io.reluquant.validation.experiments.RaceSequence.lrFor(d);
        Race.Prediction p = Race.predict(d, true, lr, ClaimCriteria.race());
        assertEquals(3, p.phases().size(), "three escapes: " + java.util.Arrays.toString(p.jumps()));
        assertTrue(!p.settlesBeforeNextEscape(2, 1e-14, 1), "plateau 2's slide " + p.phases().get(1).slideTime()
                + " against the time to escape 3 at 1e-14: " + (p.jumps()[2] - p.jumps()[1]) * Math.log(1e14));
        assertTrue(p.settlesBeforeNextEscape(3, 1e-14, 1), "the last plateau has no next escape");
        double settledRate = p.phases().get(2).escapingRates()[0];
        double[] u = p.phases().get(2).escaping().get(0);
        // the third group (a > 0 here) grows its mass abs(a) abs(v) like exp(2 rho t) on plateau 2; measured between two moments of the slide
        double lambda = 1e-8;
        double t1 = 10 * Math.log(1 / lambda);
        double t2 = 20 * Math.log(1 / lambda);
        double[] mass = new double[2];
        io.reluquant.kernel.Parameters init = io.reluquant.kernel.Initializers.balanced(2000, 1, lambda, 1, true);
        try (io.reluquant.kernel.Trainer t = io.reluquant.kernel.Trainer.builder(d, init).precision(io.reluquant.kernel.Precision.FLOAT64).bias(true)
                .threads(1).build()) {
            t.steps(lr, Math.round(t1 / lr), 1000, null);
            mass[0] = massNear(t.parameters(), u, 1);
            t.steps(lr, Math.round(t2 / lr) - Math.round(t1 / lr), 1000, null);
            mass[1] = massNear(t.parameters(), u, 1);
        }
        double measuredRate = Math.log(mass[1] / mass[0]) / (2 * (t2 - t1));
        System.out.printf(java.util.Locale.ROOT, "random1d(80, 7100026): plateau 2 slide %.0f units (time to escape 3 at 1e-14: %.0f); third group's rate "
                + "settled %.4f, measured on the slide %.4f; c_3 with the slide's rate %.2f (race %.2f)%n", p.phases().get(1).slideTime(),
                (p.jumps()[2] - p.jumps()[1]) * Math.log(1e14), settledRate, measuredRate,
                p.jumps()[1] + (p.jumps()[2] - p.jumps()[1]) * settledRate / measuredRate, p.jumps()[2]);
        assertTrue(measuredRate > 0 && measuredRate < 0.85 * settledRate, "the slide's rate " + measuredRate + " against the settled " + settledRate);
    }

    /** Mass |a| |v| of the neurons of this sign within 0.2 rad of u (the group grows around its attractor). */
    private static double massNear(io.reluquant.kernel.Parameters q, double[] u, int sign) {
        double total = 0;
        for (int j = 0; j < q.width(); j++) {
            double w = q.w(j, 0);
            double b = q.b(j);
            double norm = Math.hypot(w, b);
            double cos = (w * u[0] + b * u[1]) / norm;
            if (Math.signum(q.a(j)) == sign && cos > Math.cos(0.2)) {
                total += Math.abs(q.a(j)) * norm;
            }
        }
        return total;
    }
}
