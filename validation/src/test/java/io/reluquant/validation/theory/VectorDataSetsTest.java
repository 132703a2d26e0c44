// Proves: the synthetic k-output data sets have the predicted attractors docs/THEORY.md section 10 lists (count, kind, rates, output directions) and they are well separated: far apart in neuron and output space, rates within 2x, interior ones with s2/s1 <= 0.3 and their kink away from the data.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.data.VectorDataSets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class VectorDataSetsTest {
    @Test
    void hinges2() {
        List<VectorAttractor> f = check(VectorDataSets.hinges2(), 2, 0);
        // the table of docs/THEORY.md section 10 gives these to 4 digits
        assertEquals(5.5060, f.get(0).rate(), 5e-5);
        assertEquals(3.5986, f.get(1).rate(), 5e-5);
    }

    @Test
    void hinges3() {
        List<VectorAttractor> f = check(VectorDataSets.hinges3(), 2, 0);
        assertEquals(5.5256, f.get(0).rate(), 5e-5);
        assertEquals(3.6373, f.get(1).rate(), 5e-5);
    }

    /** Three boundary attractors, each voting for its own class: output direction (2, -1, -1)/sqrt6 up to the order of the classes, within 3 deg. */
    @Test
    void blobs3() {
        VectorDataSets.VectorSet set = VectorDataSets.blobs3();
        List<VectorAttractor> f = check(set, 3, 3);
        BitSet voted = new BitSet();
        for (VectorAttractor a : f) {
            double[] out = a.output();
            int c = 0;
            for (int o = 1; o < 3; o++) {
                if (out[o] > out[c]) {
                    c = o;
                }
            }
            voted.set(c);
            double[] vote = {-1, -1, -1};
            vote[c] = 2;
            assertTrue(Math.toDegrees(AugmentedInputs.angle(out, vote)) < 3, "attractor votes for class " + c + ": " + Arrays.toString(out));
        }
        assertEquals(3, voted.cardinality(), "each class has its feature");
        assertEquals(4.3575, f.get(0).rate(), 5e-5);
        assertEquals(4.2070, f.get(1).rate(), 5e-5);
        assertEquals(3.9019, f.get(2).rate(), 5e-5);
    }

    /**
     * Prints the predictions and checks the separation: {@code count} attractors, {@code boundary} of them on a
     * kink, pairwise angles >= 60 deg between directions and between output directions, slowest rate >= half
     * the fastest; interior ones with s2/s1 <= 0.3 and every sample's kink >= 1 deg away.
     */
    private static List<VectorAttractor> check(VectorDataSets.VectorSet set, int count, int boundary) {
        AugmentedInputs xt = AugmentedInputs.of(set.x(), set.d(), true);
        List<VectorAttractor> f = VectorAttractors.predict(xt, OutputWeights.of(set));
        System.out.println(set.name() + ":");
        for (VectorAttractor a : f) {
            double margin = Math.PI;
            for (int i = 0; i < xt.samples(); i++) {
                if (!a.kinks().get(i)) {
                    double len = 0;
                    for (int q = 0; q < xt.dim(); q++) {
                        len += xt.x(i, q) * xt.x(i, q);
                    }
                    margin = Math.min(margin, Math.asin(Math.min(1, Math.abs(xt.dot(a.direction(), i)) / Math.sqrt(len))));
                }
            }
            System.out.printf(Locale.ROOT, "  %s u %s rate %.4f s2/s1 %.3f output %s kinks %s, nearest other kink %.2f deg%n",
                    a.boundary() ? "boundary" : "interior", fmt(a.direction()), a.rate(), a.s2() / a.s1(), fmt(a.output()), a.kinks(),
                    Math.toDegrees(margin));
            if (!a.boundary()) {
                assertTrue(a.s2() / a.s1() <= 0.3, "s2/s1 " + a.s2() / a.s1());
                assertTrue(Math.toDegrees(margin) >= 1, "kink of a sample within 1 deg of an interior attractor");
            }
        }
        assertEquals(count, f.size(), "attractors");
        assertEquals(boundary, f.stream().filter(VectorAttractor::boundary).count(), "boundary attractors");
        for (int a = 0; a < f.size(); a++) {
            for (int b = a + 1; b < f.size(); b++) {
                assertTrue(Math.toDegrees(AugmentedInputs.angle(f.get(a).direction(), f.get(b).direction())) >= 60, "directions apart");
                assertTrue(Math.toDegrees(AugmentedInputs.angle(f.get(a).output(), f.get(b).output())) >= 60, "output directions apart");
            }
        }
        assertTrue(f.get(f.size() - 1).rate() >= 0.5 * f.get(0).rate(), "rates within 2x");
        return f;
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", v[i]));
        }
        return sb.append(')').toString();
    }
}
