// Proves: at k = 1 the vector-output oracle finds exactly the scalar oracle's attractors (maxima of |G|) on the project's data sets, with the same directions, rates and output direction sign(G).
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VectorAttractorsScalarTest {
    // both oracles compute a direction by a closed formula (D/|D|, the SVD of a 1 x dim matrix, or an
    // atan2 of a data point): they agree to rounding, far inside 1e-9 rad and a relative 1e-12 of the rate
    private static final double ANGLE = 1e-9;
    private static final double RATE = 1e-12;
    // g/|g| of a 1-vector is +-1 to one rounding of the division
    private static final double UNIT = 1e-15;

    @Test
    void fivePoint() {
        compare("five-point", DataSets.fivePoint(), true);
    }

    @Test
    void random1d() {
        compare("random 1-D (15, 11)", DataSets.random1d(15, 11), true);
        compare("random 1-D (6, 3)", DataSets.random1d(6, 3), true);
    }

    @Test
    void twoD() {
        compare("2-D (20, 3)", DataSets.twoD(20, 3), true);
        compare("2-D (10, 1)", DataSets.twoD(10, 1), true);
        compare("2-D (8, 4)", DataSets.twoD(8, 4), true);
    }

    /** Neuron space of dimension 4: the scalar oracle's subset test against the vector oracle's ascent. */
    @Test
    void orthogonalByAscent() {
        compare("orthogonal", DataSets.orthogonal(), false);
    }

    /**
     * Dimension 4 with bias (d = 3): every fixed point of the scalar subset test with G &gt; 0 (or a &lt; 0 and
     * G &lt; 0) is found by the ascent; the ascent may find more, on a kink (the subset test sees only u || D).
     */
    @Test
    void kinkedByAscent() {
        Dataset data = DataSets.kinked(12, 3, 5);
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        List<Attractor> scalar = Attractors.bySubsets(xt, data.targets()).stream().filter(a -> a.sign() * a.potential() > 0).toList();
        List<VectorAttractor> vector = VectorAttractors.predict(xt, OutputWeights.square(data.targets(), data.samples(), 1));
        System.out.print("kinked(12, 3, 5): scalar\n" + Attractors.describe(scalar) + "vector\n" + VectorAttractors.describe(vector));
        assertTrue(!scalar.isEmpty(), "the scalar oracle finds attractors here");
        for (Attractor s : scalar) {
            VectorAttractor v = match(vector, s).orElseThrow(() -> new AssertionError("scalar attractor not found by the ascent: " + s));
            assertEquals(Math.abs(s.potential()), v.rate(), RATE * Math.abs(s.potential()));
            assertEquals(s.sign(), v.output()[0], UNIT);
        }
        for (VectorAttractor v : vector) {
            assertTrue(v.boundary() || scalar.stream().anyMatch(s -> AugmentedInputs.angle(s.direction(), v.direction()) < ANGLE),
                    "an interior attractor of the ascent is a fixed point of the subset test: " + v);
        }
    }

    private static void compare(String name, Dataset data, boolean bias) {
        AugmentedInputs xt = AugmentedInputs.of(data, bias);
        // the scalar oracle's a > 0 maxima with G > 0 and a < 0 minima with G < 0 are the maxima of |G|
        List<Attractor> scalar = Attractors.predict(xt, data.targets()).stream().filter(a -> a.sign() * a.potential() > 0).toList();
        List<VectorAttractor> vector = VectorAttractors.predict(xt, OutputWeights.square(data.targets(), data.samples(), 1));
        System.out.print(name + ": scalar\n" + Attractors.describe(scalar) + "vector\n" + VectorAttractors.describe(vector));
        assertTrue(!scalar.isEmpty(), name + ": attractors exist");
        assertEquals(scalar.size(), vector.size(), name + ": number of attractors");
        double worstAngle = 0;
        double worstRate = 0;
        for (Attractor s : scalar) {
            VectorAttractor v = match(vector, s).orElseThrow(() -> new AssertionError(name + ": scalar attractor missing: " + s));
            worstAngle = Math.max(worstAngle, AugmentedInputs.angle(s.direction(), v.direction()));
            worstRate = Math.max(worstRate, Math.abs(Math.abs(s.potential()) - v.rate()) / Math.abs(s.potential()));
            assertEquals(s.sign(), v.output()[0], UNIT, name + ": output direction is sign(G)");
            assertEquals(s.boundary(), v.boundary(), name + ": boundary flag of " + s);
        }
        System.out.printf("%s: %d attractors, worst angle %.2e rad, worst relative rate %.2e%n", name, scalar.size(), worstAngle, worstRate);
        assertTrue(worstAngle < ANGLE && worstRate < RATE, name);
    }

    private static Optional<VectorAttractor> match(List<VectorAttractor> vector, Attractor s) {
        return vector.stream().filter(v -> AugmentedInputs.angle(s.direction(), v.direction()) < ANGLE).findFirst();
    }
}
