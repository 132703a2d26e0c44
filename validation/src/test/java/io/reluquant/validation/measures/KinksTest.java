// Proves: the kink count of a 1-D network's function merges groups that bend f at one point, drops kinks at or beyond the interval's ends, light clusters and cancelling slope changes.
package io.reluquant.validation.measures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reluquant.kernel.Parameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class KinksTest {
    @Test
    void countsDistinctBendsInside() {
        // neurons: kink at 0.3 (w > 0, a = 2) and at 0.3 from the other side (w < 0, a = 1): one kink, slope change 2*1 + 1*1 = 3;
        // a kink at -0.5 (a = -1, w = 2: change -2); a constant neuron (w = 0); a kink at 1.0 (the end: no kink on [-1, 1]);
        // a kink at 0.8 of a tiny neuron (mass share 1e-6: dropped); two neurons at -0.2 whose changes cancel (dropped)
        double[] a = {2, 1, -1, 0.5, 1, 1e-3, 1, -1};
        double[] w = {1, -1, 2, 0, 1, 1e-3, 1, 1};
        double[] b = {-0.3, 0.3, 1, 1, -1, -0.8e-3, 0.2, 0.2};
        List<Kinks.Kink> k = Kinks.of(Neurons.of(Parameters.of(a, w, b, 1), true), -1, 1);
        assertEquals(2, k.size(), k.toString());
        assertEquals(-0.5, k.get(0).position(), 1e-12);
        assertEquals(-2, k.get(0).slopeChange(), 1e-12);
        assertEquals(0.3, k.get(1).position(), 1e-12);
        assertEquals(3, k.get(1).slopeChange(), 1e-12);
    }

    @Test
    void refusesOtherShapes() {
        Neurons twoD = Neurons.of(Parameters.of(new double[] {1}, new double[] {1, 1}, new double[] {0}, 2), true);
        assertThrows(IllegalArgumentException.class, () -> Kinks.of(twoD, -1, 1));
        Neurons oneD = Neurons.of(Parameters.of(new double[] {1}, new double[] {1}, new double[] {0}, 1), true);
        assertThrows(IllegalArgumentException.class, () -> Kinks.of(oneD, 1, -1));
    }
}
