// Proves: the attractor computations: section 5's known answer, self-consistency, boundary attractors, orthogonal inputs, the sector arrangement in R^3 and 2-D.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttractorsTest {
    static final double[] FIVE_X = {-1, -0.5, 0, 0.5, 1};
    static final double[] FIVE_Y = {0.8, -0.9, -0.8, -0.9, 0.8};

    /** docs/THEORY.md section 5: the three attractors at initialization of the five-point data, to 1e-4 degrees. */
    @Test
    void fivePointKnownAnswer() {
        AugmentedInputs xt = AugmentedInputs.of(Dataset.of(FIVE_X, FIVE_Y, 1), true);
        List<Attractor> found = new ArrayList<>(Attractors.scanCircle(xt, FIVE_Y, Attractors.DEFAULT_GRID));
        found.sort(Comparator.comparingDouble(Attractor::thetaDegrees));
        System.out.print(Attractors.describe(found));
        assertEquals(3, found.size(), "number of attractors");
        double[] theta = {-164.055, -15.945, 90};
        int[] sign = {1, 1, -1};
        double[] kink = {-2.0 / 7, 2.0 / 7, Double.NaN};
        double[] rate = {Math.hypot(0.35, 0.1), Math.hypot(0.35, 0.1), 1.0};
        // the table gives theta to 3 decimals; the exact values are atan2 of the drive (+-0.35, -0.1)
        double[] exact = {Math.toDegrees(Math.atan2(-0.1, -0.35)), Math.toDegrees(Math.atan2(-0.1, 0.35)), 90};
        for (int a = 0; a < 3; a++) {
            Attractor at = found.get(a);
            double err = Math.abs(at.thetaDegrees() - exact[a]);
            System.out.printf("attractor %d: theta %.6f deg, exact %.6f, error %.2e deg%n", a, at.thetaDegrees(), exact[a], err);
            assertEquals(exact[a], at.thetaDegrees(), 1e-4, "theta");
            // the table rounds to 1e-3 degrees: half a unit of its last digit
            assertEquals(theta[a], at.thetaDegrees(), 5e-4, "theta vs the table");
            assertEquals(sign[a], at.sign());
            assertEquals(sign[a] * rate[a], at.potential(), 1e-12, "G = sign |D_sigma|");
            if (a < 2) {
                assertEquals(kink[a], at.kink(), 1e-12);
            } else {
                assertEquals(0, at.direction()[0], 1e-12);
            }
            assertTrue(!at.boundary());
        }
        // the fixed-point test on every subset agrees with the scan on interior attractors
        List<Attractor> subsets = Attractors.bySubsets(xt, FIVE_Y);
        assertEquals(3, subsets.size(), Attractors.describe(subsets));
        for (Attractor s : subsets) {
            assertTrue(found.stream().anyMatch(f -> f.sign() == s.sign()
                    && AugmentedInputs.angle(f.direction(), s.direction()) < 1e-12), "subset attractor found by the scan");
        }
    }

    /** Self-consistency at an attractor with residuals -y is exactly 1. */
    @Test
    void attractorsAreSelfConsistent() {
        AugmentedInputs xt = AugmentedInputs.of(Dataset.of(FIVE_X, FIVE_Y, 1), true);
        double[] minusY = new double[5];
        for (int i = 0; i < 5; i++) {
            minusY[i] = -FIVE_Y[i];
        }
        for (Attractor a : Attractors.scanCircle(xt, FIVE_Y, 4096)) {
            assertEquals(1, Attractors.selfConsistency(xt, a.direction(), a.sign(), minusY), 1e-12);
            assertEquals(-1, Attractors.selfConsistency(xt, a.direction(), -a.sign(), minusY), 1e-12);
        }
    }

    /** A boundary attractor: G has its maximum at a kink exactly on a data point. */
    @Test
    void boundaryAttractorFoundByScan() {
        // y = (1, -1) at x = (1, 0): for u with w > 0 the drive of sector {x = 1} is (1, 1), pointing at
        // a kink x = -1 < 0, outside the sector, and the sector {both} has drive (1, 0): the maximum sits on
        // the boundary through x = 0 (b = 0), direction (1, 0)
        double[] y = {1, -1};
        AugmentedInputs xt = AugmentedInputs.of(Dataset.of(new double[] {1, 0}, y, 1), true);
        List<Attractor> found = Attractors.scanCircle(xt, y, Attractors.DEFAULT_GRID);
        System.out.print(Attractors.describe(found));
        Attractor max = found.stream().filter(a -> a.sign() > 0).findFirst().orElseThrow();
        assertTrue(max.boundary());
        assertEquals(0, max.thetaDegrees(), 1e-9);
        assertEquals(1, max.potential(), 1e-12);
        assertTrue(Attractors.bySubsets(xt, y).stream().noneMatch(a -> a.sign() > 0), "no interior maximum");
    }

    /** docs/THEORY.md section 6: orthogonal inputs without bias. */
    @Test
    void orthogonalInputs() {
        double[] x = new double[16];
        for (int i = 0; i < 4; i++) {
            x[i * 4 + i] = 1;
        }
        double[] y = {1, 1, -1, -1};
        AugmentedInputs xt = AugmentedInputs.of(Dataset.of(x, y, 4), false);
        List<Attractor> found = Attractors.predict(xt, y);
        System.out.print(Attractors.describe(found));
        assertEquals(2, found.size());
        double r = Math.sqrt(0.5);
        for (Attractor a : found) {
            double[] expected = a.sign() > 0 ? new double[] {r, r, 0, 0} : new double[] {0, 0, r, r};
            assertArrayEquals(expected, a.direction(), 1e-15);
            assertEquals(a.sign() * Math.sqrt(2), a.potential(), 1e-15);
        }
    }

    /** The sector enumeration in R^3 finds exactly the realisable activation sets, checked by dense sampling. */
    @Test
    void planeArrangementSectorsAndFixedPoints() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            int n = 8 + trial;
            double[] x = new double[2 * n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[2 * i] = rnd.nextGaussian();
                x[2 * i + 1] = rnd.nextGaussian();
                y[i] = rnd.nextGaussian();
            }
            AugmentedInputs xt = AugmentedInputs.of(Dataset.of(x, y, 2), true);
            Set<BitSet> sectors = new HashSet<>(Attractors.sectorsR3(xt));
            // a central arrangement of n generic planes in R^3 has n(n-1) + 2 regions
            assertEquals(n * (n - 1) + 2, sectors.size(), "regions of " + n + " generic planes");
            Set<BitSet> sampled = new HashSet<>();
            for (int s = 0; s < 200_000; s++) {
                double[] u = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
                sampled.add(xt.activation(u));
            }
            assertTrue(sectors.containsAll(sampled), "every sampled sector is enumerated");
            List<Attractor> byArrangement = Attractors.planeArrangement(xt, y);
            List<Attractor> bySubsets = Attractors.bySubsets(xt, y);
            for (Attractor b : bySubsets) {
                assertTrue(byArrangement.stream().anyMatch(a -> a.sign() == b.sign() && a.sector().equals(b.sector())),
                        "fixed point of the subset test found by the arrangement");
            }
            // the others lie on an edge or vertex, not parallel to their drive: check them as strict local extrema
            for (Attractor a : byArrangement) {
                assertTrue(bySubsets.stream().anyMatch(b -> b.sign() == a.sign() && b.sector().equals(a.sector())) || a.boundary());
                assertStrictLocalExtremum(xt, y, a, rnd);
            }
            System.out.printf("n = %d: %d sectors, %d attractors (%d with u || D_sigma)%n", n, sectors.size(),
                    byArrangement.size(), bySubsets.size());
        }
    }

    /** sign * (G(u') - G(u)) < 0 for 2000 random u' at angle 1e-5 from u (G is Lipschitz, so 1e-5 probes the first-order cone). */
    private static void assertStrictLocalExtremum(AugmentedInputs xt, double[] c, Attractor a, Random rnd) {
        double[] u = a.direction();
        double g = xt.potential(u, c);
        for (int s = 0; s < 2000; s++) {
            double[] t = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            double dot = t[0] * u[0] + t[1] * u[1] + t[2] * u[2];
            double len = 0;
            for (int q = 0; q < 3; q++) {
                t[q] -= dot * u[q];
                len += t[q] * t[q];
            }
            len = Math.sqrt(len);
            double[] v = new double[3];
            for (int q = 0; q < 3; q++) {
                v[q] = Math.cos(1e-5) * u[q] + Math.sin(1e-5) * t[q] / len;
            }
            double change = a.sign() * (xt.potential(v, c) - g);
            assertTrue(change < 0, "G does not fall away from attractor " + java.util.Arrays.toString(u) + ": " + change);
        }
    }

    /** Edge and vertex attractors of the 2-D experiment data are found (the learned clusters sit there, see E2). */
    @Test
    void planeArrangementFindsBoundaryAttractors() {
        Random rnd = new Random(3);
        Dataset data = DataSets.twoD(20, 3);
        double[] y = data.targets();
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        List<Attractor> found = Attractors.planeArrangement(xt, y);
        System.out.print(Attractors.describe(found));
        assertTrue(found.stream().anyMatch(Attractor::boundary), "boundary attractors exist on this data");
        for (Attractor a : found) {
            assertStrictLocalExtremum(xt, y, a, rnd);
        }
    }

    @Test
    void rejectsBadInput() {
        AugmentedInputs xt = AugmentedInputs.of(Dataset.of(FIVE_X, FIVE_Y, 1), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Attractors.scanCircle(xt, new double[4], 1024));
        assertTrue(e.getMessage().contains("n = 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Attractors.planeArrangement(xt, FIVE_Y));
        assertThrows(IllegalArgumentException.class, () -> Attractors.scanCircle(xt, new double[] {0, 0, Double.NaN, 0, 0}, 1024));
        assertThrows(IllegalArgumentException.class, () -> Attractors.selfConsistency(xt, new double[] {1, 0}, 0, FIVE_Y));
    }
}
