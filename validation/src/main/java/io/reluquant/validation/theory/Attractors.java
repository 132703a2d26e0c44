package io.reluquant.validation.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The theory oracle: attractor directions of neurons computed from the data alone, with no training
 * (docs/THEORY.md section 2). The sample weights c are y at initialization (residuals r ~ -y) and -r in
 * later phases, so G(u) = sum_i c_i relu(u . x~_i) and D_sigma = sum_{i in sigma} c_i x~_i.
 *
 * <ul>
 *   <li>Neuron space of dimension 2 (d = 1 with bias, or d = 2 without): {@link #scanCircle} scans
 *       G(theta) on a fine grid for strict local extrema, boundary attractors included, and refines
 *       each to the exact candidate next to it.</li>
 *   <li>Dimension 3 (d = 2 with bias): {@link #planeArrangement} enumerates the sectors of the plane
 *       arrangement {u : u . x~_i = 0} and keeps the sectors whose drive D_sigma, as a direction,
 *       lies strictly inside the sector (the fixed-point test u || D_sigma).</li>
 *   <li>Any dimension with n &lt;= 20: {@link #bySubsets} applies the fixed-point test to every subset
 *       of the samples (a fixed point must lie in some sector, and a subset that is no sector fails the test).</li>
 * </ul>
 *
 * The fixed-point tests find attractors with u parallel to D_sigma (also when u lies on the boundary
 * of samples outside sigma whose weights push it away); in dimension 2 the scan also finds boundary
 * attractors where u is not parallel to any D_sigma (a kink exactly at a data point).
 */
public final class Attractors {
    /** Grid of the circle scan: 2^18 points, a step of 0.0014 degrees. */
    public static final int DEFAULT_GRID = 1 << 18;
    /** Largest n for {@link #bySubsets} (2^20 subsets). */
    public static final int MAX_SUBSET_SAMPLES = 20;
    // a dot product below this fraction of |x~_i| counts as zero: the direction lies on the boundary of sector i
    static final double ON_BOUNDARY = 1e-12;

    private Attractors() {}

    /**
     * Attractors at initialization (c = y), by the method that fits the neuron space dimension.
     *
     * @throws IllegalArgumentException when k &gt; 3 and n &gt; {@value #MAX_SUBSET_SAMPLES}: use
     *         {@link #selfConsistency} there
     */
    public static List<Attractor> predict(AugmentedInputs xt, double[] c) {
        if (xt == null) {
            throw new IllegalArgumentException("xt must not be null");
        }
        if (xt.dim() == 2) {
            return scanCircle(xt, c, DEFAULT_GRID);
        }
        if (xt.dim() == 3) {
            return planeArrangement(xt, c);
        }
        return bySubsets(xt, c);
    }

    /**
     * Strict local maxima (sign +1) and minima (sign -1) of G(theta), u = (cos theta, sin theta), found
     * on a grid of {@code gridPoints} angles and refined: of the exact candidates within two grid steps
     * (interior fixed points of the nearby sectors, and sector-boundary angles) the one with the
     * extreme G wins. Flat stretches (an empty sector, G = 0) are not strict extrema.
     */
    public static List<Attractor> scanCircle(AugmentedInputs xt, double[] c, int gridPoints) {
        return CircleScan.attractors(xt, c, gridPoints);
    }

    /**
     * Attractors in a 3-dimensional neuron space (d = 2 with bias): sector enumeration and the
     * fixed-point test u || D_sigma for interior ones, plus those on an edge (kink line through one
     * data point) or a vertex (through two) of the arrangement, which are common in d = 2.
     */
    public static List<Attractor> planeArrangement(AugmentedInputs xt, double[] c) {
        return PlaneArrangement.attractors(xt, c);
    }

    /**
     * The sectors (activation sets of the open regions) of the arrangement of planes u . x~_i = 0 in
     * R^3, read off around each vertex of the arrangement on the sphere.
     */
    public static List<BitSet> sectorsR3(AugmentedInputs xt) {
        return PlaneArrangement.sectors(xt);
    }

    /** Attractors u || D_sigma in any dimension, the fixed-point test on every subset of at most 20 samples. */
    public static List<Attractor> bySubsets(AugmentedInputs xt, double[] c) {
        xt.checkWeights(c);
        int n = xt.samples();
        if (n > MAX_SUBSET_SAMPLES) {
            throw new IllegalArgumentException("bySubsets enumerates 2^n subsets; n = " + n + " exceeds " + MAX_SUBSET_SAMPLES);
        }
        List<BitSet> subsets = new ArrayList<>();
        for (long mask = 1; mask < (1L << n); mask++) {
            subsets.add(BitSet.valueOf(new long[] {mask}));
        }
        return fixedPoints(xt, subsets, c);
    }

    /**
     * Self-consistency of a learned direction u (any dimension): sign * cos(u, D_sigma(u)) with
     * D_sigma = -sum_{i in sigma(u)} r_i x~_i and the residuals r of that moment. Near 1 for a neuron
     * sitting on an attractor of the current phase; NaN when D_sigma = 0.
     *
     * @param sign the sign of the neuron's output weight a
     */
    public static double selfConsistency(AugmentedInputs xt, double[] u, int sign, double[] residuals) {
        xt.checkVector("u", u);
        xt.checkWeights(residuals);
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("sign must be +1 or -1, got " + sign);
        }
        double[] minusR = new double[residuals.length];
        for (int i = 0; i < residuals.length; i++) {
            minusR[i] = -residuals[i];
        }
        double[] d = xt.drive(xt.activation(u), minusR);
        double nd = Vectors.norm(d);
        double nu = Vectors.norm(u);
        if (nd == 0 || nu == 0) {
            return Double.NaN;
        }
        double dot = 0;
        for (int k = 0; k < d.length; k++) {
            dot += u[k] * d[k];
        }
        return sign * dot / (nd * nu);
    }

    static List<Attractor> fixedPoints(AugmentedInputs xt, List<BitSet> sectors, double[] c) {
        List<Attractor> found = new ArrayList<>();
        for (BitSet sigma : sectors) {
            for (int sign = 1; sign >= -1; sign -= 2) {
                double[] u = fixedPoint(xt, sigma, c, sign);
                if (u != null) {
                    found.add(new Attractor(sign, u, sigma, xt.potential(u, c), onBoundary(xt, u)));
                }
            }
        }
        return found;
    }

    /** @return u = sign * D_sigma / |D_sigma| when it lies in sector sigma and is a strict extremum there, else null */
    static double[] fixedPoint(AugmentedInputs xt, BitSet sigma, double[] c, int sign) {
        double[] d = xt.drive(sigma, c);
        double nd = Vectors.norm(d);
        if (nd == 0) {
            return null;
        }
        double[] u = new double[d.length];
        for (int k = 0; k < d.length; k++) {
            u[k] = sign * d[k] / nd;
        }
        for (int i = 0; i < xt.samples(); i++) {
            double z = xt.dot(u, i);
            double tol = ON_BOUNDARY * rowNorm(xt, i);
            // a sample outside sigma may sit on the boundary (z = 0) if activating it moves G the
            // wrong way to first order (sign * c_i <= 0): then u is still a strict extremum, as for the
            // orthogonal inputs of docs/THEORY.md section 6
            boolean inside = sigma.get(i) ? z > tol : z < -tol || (Math.abs(z) <= tol && sign * c[i] <= 0);
            if (!inside) {
                return null;
            }
        }
        return u;
    }

    static double rowNorm(AugmentedInputs xt, int i) {
        double s = 0;
        for (int k = 0; k < xt.dim(); k++) {
            s += xt.x(i, k) * xt.x(i, k);
        }
        return Math.sqrt(s);
    }

    static boolean onBoundary(AugmentedInputs xt, double[] u) {
        for (int i = 0; i < xt.samples(); i++) {
            double nr = rowNorm(xt, i);
            if (nr > 0 && Math.abs(xt.dot(u, i)) <= 1e-9 * nr) {
                return true;
            }
        }
        return false;
    }

    static boolean containsDirection(List<Attractor> found, int sign, double[] u) {
        for (Attractor a : found) {
            if (a.sign() == sign && AugmentedInputs.angle(a.direction(), u) < 1e-9) {
                return true;
            }
        }
        return false;
    }

    static void requireDim(AugmentedInputs xt, int dim, String method) {
        if (xt == null) {
            throw new IllegalArgumentException("xt must not be null");
        }
        if (xt.dim() != dim) {
            throw new IllegalArgumentException(method + " needs a neuron space of dimension " + dim + ", got k = " + xt.dim());
        }
    }

    /** @return one line per attractor: sign, direction, G, sector */
    public static String describe(List<Attractor> attractors) {
        StringBuilder sb = new StringBuilder();
        for (Attractor a : attractors) {
            sb.append(a.sign() > 0 ? "+ " : "- ").append(Arrays.toString(a.direction())).append(" G=").append(a.potential())
                    .append(" sector=").append(a.sector()).append(a.boundary() ? " (boundary)" : "").append('\n');
        }
        return sb.toString();
    }
}
