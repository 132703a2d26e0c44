// Proves: on random data (k = 2, 3; d = 1, 2, 5; square-loss and softmax weights) every attractor the vector-output oracle reports is a strict local maximum of |g| with the reported rate and output direction, and an independent random-start ascent ends only at attractors the oracle reported, never above its fastest rate.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorAttractorsPropertyTest {
    // refined attractors are computed by the same closed formulas (an SVD of the same piece's matrix): equal to rounding
    private static final double SAME = 1e-9;
    private static final int ASCENT_STARTS = 96;
    private static final int ASCENT_STEPS = 3000;

    @ParameterizedTest(name = "k = {0}, d = {1}, n = {2}, {3}, seed {4}")
    @CsvSource({
        "2, 1, 8, square, 1", "2, 1, 12, square, 2", "3, 1, 10, softmax, 3", "3, 1, 9, square, 4",
        "2, 2, 9, square, 5", "2, 2, 12, softmax, 6", "3, 2, 10, square, 7", "3, 2, 12, softmax, 8",
        "2, 5, 12, square, 9", "3, 5, 12, square, 10", "3, 5, 15, softmax, 11", "2, 5, 10, softmax, 12"})
    void reportedAttractorsAreStrictMaximaAndAscentFindsNoOther(int k, int d, int n, String loss, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        OutputWeights c;
        if (loss.equals("softmax")) {
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rnd.nextInt(k);
            }
            c = OutputWeights.softmax(labels, k);
        } else {
            double[] y = new double[n * k];
            for (int i = 0; i < y.length; i++) {
                y[i] = rnd.nextGaussian();
            }
            c = OutputWeights.square(y, n, k);
        }
        AugmentedInputs xt = AugmentedInputs.of(x, d, true);
        long t0 = System.nanoTime();
        List<VectorAttractor> found = VectorAttractors.predict(xt, c);
        long t1 = System.nanoTime();
        assertTrue(!found.isEmpty(), "|g| has a maximum on the sphere, so at least one attractor");
        for (VectorAttractor a : found) {
            double[] u = a.direction();
            assertEquals(1, Vectors.norm(u), 1e-14, "unit direction");
            double[] g = VectorAttractors.g(xt, c, u);
            double ng = Vectors.norm(g);
            // the rate and output direction are |g(u)| and g/|g| at the reported u, to rounding of O(n) terms
            assertEquals(ng, a.rate(), 1e-12 * ng, "rate = |g(u)|");
            for (int o = 0; o < k; o++) {
                g[o] /= ng;
            }
            assertArrayEquals(g, a.output(), 1e-12, "output direction = g/|g|");
            assertTrue(VectorAttractors.isStrictMaximumByPerturbation(xt, c, u, seed * 31 + 5), "strict local maximum: " + a);
            java.util.BitSet strict = xt.activation(u);
            strict.andNot(a.kinks());
            assertEquals(strict, a.sector(), "sector = active samples off the kink");
            for (int i = a.kinks().nextSetBit(0); i >= 0; i = a.kinks().nextSetBit(i + 1)) {
                assertEquals(0, xt.dot(u, i), 1e-12 * Attractors.rowNorm(xt, i), "kink sample " + i + " on the kink");
            }
            if (!a.boundary()) {
                // interior: u = +-q of its own sector with s1 > s2, output +-p
                SmallSvd svd = SmallSvd.of(VectorAttractors.sectorMatrix(xt, c, a.sector()), k, xt.dim());
                assertEquals(svd.s1(), a.rate(), 1e-12 * svd.s1(), "interior rate = s1");
                assertTrue(svd.s1() > svd.s2(), "s1 > s2");
                assertEquals(1, Math.abs(Vectors.dot(svd.q(), u)), 1e-12, "u = +-q");
                assertEquals(1, Math.abs(Vectors.dot(svd.p(), a.output())), 1e-12, "output = +-p");
            }
        }
        // an independent ascent (other seed, its own starts) ends only at reported attractors
        Random starts = new Random(seed + 1000);
        double best = 0;
        int ends = 0;
        for (int s = 0; s < ASCENT_STARTS; s++) {
            double[] start = new double[xt.dim()];
            for (int q = 0; q < start.length; q++) {
                start[q] = starts.nextGaussian();
            }
            double[] end = VectorAttractors.climb(xt, c, start, ASCENT_STEPS);
            if (end == null) {
                continue;
            }
            ends++;
            double phi = Vectors.norm(VectorAttractors.g(xt, c, end));
            best = Math.max(best, phi);
            // the end lies on or next to a maximum (an ascent that reaches a kink creeps along it, so it may
            // stop short of the maximum along the kink): refined, every maximum it leads to is a reported one
            List<VectorAttractor> refined = VectorAttractors.refine(xt, c, end);
            assertTrue(!refined.isEmpty(), "the ascent's end " + java.util.Arrays.toString(end) + " refines to a strict maximum");
            for (VectorAttractor r : refined) {
                double nearest = found.stream().mapToDouble(a -> AugmentedInputs.angle(a.direction(), r.direction())).min().orElse(Math.PI);
                assertTrue(nearest < SAME, "the ascent found " + r + ", " + nearest + " rad from every reported attractor:\n"
                        + VectorAttractors.describe(found));
                best = Math.max(best, r.rate());
            }
        }
        double max = VectorAttractors.maxRate(found);
        assertTrue(best <= max * (1 + 1e-12), "ascent found |g| = " + best + " above the fastest rate " + max);
        long boundary = found.stream().filter(VectorAttractor::boundary).count();
        System.out.printf("k=%d d=%d n=%d %s seed %d: %d attractors (%d boundary), max|g| %.6f (%s), %d ascent ends all at them; oracle %.0f ms%n",
                k, d, n, loss, seed, found.size(), boundary, max, found.get(0).boundary() ? "boundary" : "interior", ends, (t1 - t0) / 1e6);
    }
}
