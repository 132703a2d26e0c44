// Proves: the phase oracle reproduces the worked example of docs/THEORY.md section 5 from the data alone.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reluquant.io.data.DataSets;
import io.reluquant.validation.experiments.ClaimCriteria;
import java.util.BitSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The oracle reproduces the worked example of docs/THEORY.md section 5 from the data alone. */
class PhaseOracleTest {
    static BitSet set(int... idx) {
        BitSet b = new BitSet();
        for (int i : idx) {
            b.set(i);
        }
        return b;
    }

    @Test
    void fivePointPhases() {
        PhaseOracle.Prediction p = PhaseOracle.predict(DataSets.fivePoint(), true, 1e-6, 0.02, 200_000, ClaimCriteria.phases());
        for (PhaseOracle.Phase ph : p.phases()) {
            System.out.printf("step %d J %s loss %.8f reduced %.8f%n", ph.step(), ph.patterns(), ph.loss(), ph.reducedLoss());
        }
        assertEquals(0.354, p.initialLoss(), 1e-12);
        assertEquals(2, p.phases().size());
        PhaseOracle.Phase first = p.phases().get(0);
        assertEquals(Set.of(set(0, 1, 2, 3, 4)), Set.copyOf(first.patterns()));
        assertEquals(0.334, first.loss(), 1e-12);
        for (double f : first.fitted()) {
            assertEquals(-0.2, f, 1e-12);
        }
        PhaseOracle.Phase second = p.phases().get(1);
        assertEquals(Set.of(set(0, 1, 2, 3, 4), set(4), set(0)), Set.copyOf(second.patterns()));
        assertEquals(1.0 / 1500, second.loss(), 1e-12);
        double[] expected = {0.8, -13.0 / 15, -13.0 / 15, -13.0 / 15, 0.8};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], second.fitted()[i], 1e-9);
        }
        assertEquals(second.loss(), second.reducedLoss(), 1e-3 * second.loss());
        assertEquals(first.loss(), first.reducedLoss(), 1e-3 * first.loss());
    }
}
