// Proves: the race's pieces behave as docs/THEORY.md section 2 derives them: a flipped group's copies lie SPLIT_ANGLE from its extremum on every side, bad input is refused by name, the escape order follows deficits over rates (not the largest rate), and a mutated prediction differs only in the constant moved.
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
}
