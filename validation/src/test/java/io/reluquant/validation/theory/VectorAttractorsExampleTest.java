// Proves: the vector-output oracle reproduces the hand-computed worked example of docs/THEORY.md section 10 (attractors, output directions, rates, escape rate), by the exact scan and by the ascent, and the top singular pair it rests on.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorAttractorsExampleTest {
    /** docs/THEORY.md section 10, worked example: x = (0, 1, 2), k = 2, y = ((-1, 0), (2, 2), (-1, -1)), square loss. */
    static final double[] X = {0, 1, 2};
    static final double[] Y = {-1, 0, 2, 2, -1, -1};
    static final double R = Math.sqrt(0.5);
    // the oracle's numbers come from 2 x 2 Jacobi eigenproblems and a few dot products of O(1) numbers: a
    // few ulps of 1 (the interior attractor's sector matrix has s2 = 0, so its singular vector is well conditioned)
    private static final double TOL = 1e-14;

    @Test
    void workedExample() {
        AugmentedInputs xt = AugmentedInputs.of(X, 1, true);
        OutputWeights c = OutputWeights.square(Y, 3, 2);
        List<VectorAttractor> found = VectorAttractors.predict(xt, c);
        System.out.print(VectorAttractors.describe(found));
        assertEquals(3, found.size(), "three attractors");
        // the hand values of docs/THEORY.md section 10
        double[][] u = {{0, 1}, {R, -R}, {-R, R}};
        double[][] out = {{0, 1}, {-R, -R}, {-1, 0}};
        double[] rate = {1, 1, R};
        double[] kink = {Double.NaN, 1, 1};
        BitSet[] sector = {bits(0, 1, 2), bits(2), bits(0)};
        BitSet[] kinks = {bits(), bits(1), bits(1)};
        for (int a = 0; a < 3; a++) {
            VectorAttractor at = find(found, u[a]);
            assertArrayEquals(u[a], at.direction(), TOL, "direction " + a);
            assertArrayEquals(out[a], at.output(), TOL, "output direction " + a);
            assertEquals(rate[a], at.rate(), TOL, "rate " + a);
            assertEquals(kink[a], at.kink(), TOL, "kink " + a);
            assertEquals(sector[a], at.sector(), "sector " + a);
            assertEquals(kinks[a], at.kinks(), "kink samples " + a);
            System.out.printf("attractor %d: theta %.4f deg, kink %.6f, rate %.15f, output %s%n", a, at.thetaDegrees(), at.kink(), at.rate(),
                    java.util.Arrays.toString(at.output()));
        }
        // the interior one is q = (0, 1) of the all-sample sector, M = [[0, 0], [0, 1]]: s1 = 1, s2 = 0, p = (0, 1)
        SmallSvd all = SmallSvd.of(VectorAttractors.sectorMatrix(xt, c, bits(0, 1, 2)), 2, 2);
        assertArrayEquals(new double[] {0, 0, 0, 1}, VectorAttractors.sectorMatrix(xt, c, bits(0, 1, 2)), 0);
        assertEquals(1, all.s1(), TOL);
        assertEquals(0, all.s2(), TOL);
        // the escape rate is max |g| = 1, not the largest s1 of a sector: (3 + sqrt17)/2 = 3.56 of M = [[2, 1], [2, 2]]
        // (sector {x = 0, x = 1}), whose q = +-(0.788, 0.615) lies outside that sector
        assertEquals(1, VectorAttractors.maxRate(found), TOL);
        assertEquals((3 + Math.sqrt(17)) / 2, VectorAttractors.largestSectorS1(xt, c), TOL);
        assertArrayEquals(new double[] {2, 1, 2, 2}, VectorAttractors.sectorMatrix(xt, c, bits(0, 1)), 0);
        assertEquals(3 * Math.log(1e6), VectorAttractors.escapeTime(3, 1e-6, 1), 1e-12);
        assertEquals(Math.log(1e6) / Math.log1p(0.05 / 3), VectorAttractors.escapeSteps(3, 1e-6, 0.05, 1), 1e-9);
        // the ascent (the method of large d) finds the same three
        List<VectorAttractor> byAscent = VectorAttractors.ascent(xt, c, 64, 2000, 7);
        assertEquals(3, byAscent.size(), VectorAttractors.describe(byAscent));
        for (double[] v : u) {
            assertArrayEquals(v, find(byAscent, v).direction(), TOL);
        }
    }

    /** The boundary attractors are maxima of |g| that no sector's singular vector gives, and a point beside one is no maximum. */
    @Test
    void boundaryAttractorsAreNoSingularVectors() {
        AugmentedInputs xt = AugmentedInputs.of(X, 1, true);
        OutputWeights c = OutputWeights.square(Y, 3, 2);
        // the sectors on either side of the kink at x = 1: {x = 2}, {x = 1, 2} (theta -45 deg) and {x = 0, 1}, {x = 0} (theta 135 deg)
        for (BitSet sigma : List.of(bits(2), bits(1, 2), bits(0, 1), bits(0))) {
            SmallSvd svd = SmallSvd.of(VectorAttractors.sectorMatrix(xt, c, sigma), 2, 2);
            double angle = AugmentedInputs.angle(svd.q(), new double[] {R, -R});
            assertTrue(angle > 0.1 && Math.PI - angle > 0.1, "sector " + sigma + ": q " + java.util.Arrays.toString(svd.q()));
        }
        assertTrue(VectorAttractors.isStrictMaximumByPerturbation(xt, c, new double[] {R, -R}, 1));
        assertTrue(!VectorAttractors.isStrictMaximumByPerturbation(xt, c, new double[] {R, -R + 0.01}, 1), "a point beside it is not a maximum");
    }

    /** SmallSvd on matrices with known singular values, both Gram sides. */
    @Test
    void smallSvd() {
        // [[1, -1], [0, -1]]: F = 3, det = -1, s = (sqrt5 +- 1)/2
        double phi = (1 + Math.sqrt(5)) / 2;
        SmallSvd a = SmallSvd.of(new double[] {1, -1, 0, -1}, 2, 2);
        assertEquals(phi, a.s1(), TOL);
        assertEquals(1 / phi, a.s2(), TOL);
        // 2 x 3 and its transpose: rows (3, 0, 4) and (0, 2, 0) are orthogonal, s = 5 and 2
        double[] m = {3, 0, 4, 0, 2, 0};
        double[] mt = {3, 0, 0, 2, 4, 0};
        for (SmallSvd s : List.of(SmallSvd.of(m, 2, 3), SmallSvd.of(mt, 3, 2))) {
            assertEquals(5, s.s1(), TOL);
            assertEquals(2, s.s2(), TOL);
        }
        SmallSvd s = SmallSvd.of(m, 2, 3);
        assertEquals(1, Math.abs(s.p()[0]), TOL);
        assertArrayEquals(new double[] {0.6, 0, 0.8}, scale(s.q(), Math.signum(s.q()[0])), TOL);
        assertEquals(0, SmallSvd.of(new double[4], 2, 2).s1());
        assertThrows(IllegalArgumentException.class, () -> SmallSvd.of(new double[3], 2, 2));
    }

    @Test
    void rejectsBadInput() {
        AugmentedInputs xt = AugmentedInputs.of(X, 1, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorAttractors.predict(xt, OutputWeights.square(Y, 2, 3)));
        assertTrue(e.getMessage().contains("n = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OutputWeights.square(new double[] {1, Double.NaN}, 1, 2));
        assertTrue(e.getMessage().contains("y[0][1] = NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OutputWeights.softmax(new int[] {0, 3}, 3));
        assertTrue(e.getMessage().contains("label[1] = 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputWeights.softmax(new int[] {0}, 1));
        assertThrows(IllegalArgumentException.class, () -> VectorAttractors.escapeTime(3, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> VectorAttractors.escapeSteps(3, 1e-6, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> VectorAttractors.arrangement(xt, OutputWeights.square(Y, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> AugmentedInputs.of(new double[] {1, 2, 3}, 2, true));
        e = assertThrows(IllegalArgumentException.class, () -> VectorAttractors.climb(xt, OutputWeights.square(Y, 3, 2), new double[2], 10));
        assertTrue(e.getMessage().contains("start must be a nonzero finite vector"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VectorAttractors.ascent(xt, OutputWeights.square(Y, 3, 2), 0, 10, 1));
    }

    static VectorAttractor find(List<VectorAttractor> found, double[] u) {
        return found.stream().filter(a -> AugmentedInputs.angle(a.direction(), u) < 1e-9).findFirst()
                .orElseThrow(() -> new AssertionError("no attractor at " + java.util.Arrays.toString(u) + " in\n" + VectorAttractors.describe(found)));
    }

    static BitSet bits(int... i) {
        BitSet b = new BitSet();
        for (int k : i) {
            b.set(k);
        }
        return b;
    }

    private static double[] scale(double[] v, double f) {
        double[] o = v.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] *= f;
        }
        return o;
    }
}
