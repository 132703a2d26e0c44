// Proves: the basins of the five-point data's attractors under the direction flow.
package io.reluquant.validation.measures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Basins of the five-point data's attractors (docs/THEORY.md section 5) under the direction flow with the residual at -y. */
class BasinsTest {
    private final Dataset five = DataSets.fivePoint();
    private final AugmentedInputs xt = AugmentedInputs.of(five, true);
    private final List<Attractor> att = Attractors.predict(xt, five.targets());
    private final Basins basins = new Basins(xt, five.targets(), att);

    private int index(int sign, double thetaDeg) {
        for (int a = 0; a < att.size(); a++) {
            if (att.get(a).sign() == sign && Math.abs(att.get(a).thetaDegrees() - thetaDeg) < 1e-2) {
                return a;
            }
        }
        throw new AssertionError("no attractor " + sign + " at " + thetaDeg + " in " + Attractors.describe(att));
    }

    private static double[] at(double deg) {
        return new double[] {Math.cos(Math.toRadians(deg)), Math.sin(Math.toRadians(deg))};
    }

    @Test
    void directionsFlowToTheAttractorOfTheirSign() {
        // inside the kink-at-+2/7 sector (kink between 0.5 and 1: active at x = 1 only ... and x = 0.5)
        assertEquals(index(1, -15.945), basins.basin(at(-10), 1));
        assertEquals(index(1, -164.055), basins.basin(at(-170), 1));
        // a < 0 neurons descend G to the constant attractor from both sides of it
        assertEquals(index(-1, 90), basins.basin(at(60), -1));
        assertEquals(index(-1, 90), basins.basin(at(120), -1));
        // the all-active sector seen by an a > 0 neuron: G = u . (0, -1) has no maximum inside it, the flow leaves it
        // towards a kink attractor (theta = 30 deg descends in b towards the +2/7 sector side)
        int from30 = basins.basin(at(30), 1);
        assertEquals(index(1, -15.945), from30);
    }

    @Test
    void anEmptySectorIsInNoBasin() {
        // theta = -90 deg: w = 0, b = -1, inactive at every point: D = 0, the neuron never moves
        assertEquals(-1, basins.basin(at(-90), 1));
        assertEquals(-1, basins.basin(at(-90), -1));
    }

    @Test
    void alignmentIsMeasuredPerBasin() {
        // a hand-made network: two a > 0 neurons in the +2/7 basin, one exactly on it, one 2 deg off; a heavy a < 0 neuron on the constant
        double t = Math.toRadians(-15.945);
        double off = t + Math.toRadians(2);
        io.reluquant.kernel.Parameters p = io.reluquant.kernel.Parameters.of(new double[] {1, 1, -10},
                new double[] {Math.cos(t), Math.cos(off), 0}, new double[] {Math.sin(t), Math.sin(off), 10}, 1);
        Basins.Report r = basins.measure(Neurons.of(p, true), Math.toRadians(1));
        Basins.Alignment plus = r.perAttractor().get(index(1, -15.945));
        assertEquals(2, plus.neurons());
        assertEquals(0.5, plus.within(), 1e-3);
        assertEquals(1.0, r.perAttractor().get(index(-1, 90)).within(), 0);
        assertEquals(0, r.perAttractor().get(index(1, -164.055)).neurons());
        assertEquals(0, r.unassignedShare(), 0);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> basins.basin(at(0), 0));
        assertThrows(IllegalArgumentException.class, () -> basins.basin(new double[] {0, 0}, 1));
        assertThrows(IllegalArgumentException.class, () -> new Basins(xt, new double[] {1}, att));
    }
}
