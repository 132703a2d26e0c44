package io.reluquant.validation.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The theory oracle for k-output networks (docs/THEORY.md section 10), from the data alone: inputs x~_i
 * and k-vector sample weights c_i = -r_i ({@link OutputWeights}: y_i for the square loss at
 * initialization, e_{c_i} - (1/k) 1 for softmax cross-entropy). With the sector matrix
 * M_sigma = sum_{i in sigma} c_i x~_i^T (k x dim) and g(u) = M_sigma(u) u = sum_i c_i relu(u . x~_i),
 * the attractors are the strict local maxima of |g(u)| over the unit sphere of neuron space:
 * <ul>
 *   <li>interior: u = +-q_sigma (top right singular vector of M_sigma) strictly inside its own sector
 *       with s1 &gt; s2; output direction +-p_sigma, rate s1;</li>
 *   <li>boundary: a kink exactly at data points (u . x~_i = 0 for i in a set S); there u is the top
 *       right singular vector of M_sigma restricted to the directions orthogonal to x~_S, output
 *       direction g(u)/|g(u)|, rate |g(u)|.</li>
 * </ul>
 *
 * <p><b>Candidates.</b> Every local maximum of |g| is a candidate (S, sigma0): the samples S on the kink
 * and the samples sigma0 strictly active. On the piece of the sphere where both are fixed, |g(u)| =
 * |M_sigma0 u| with u orthogonal to x~_S, whose maxima are +-q of M_sigma0 P_S (P_S the projection onto
 * x~_S^perp); a candidate is kept when one of the two signs is consistent (active where sigma0 says,
 * negative elsewhere). The methods differ only in how the pairs (S, sigma0) are enumerated:
 * {@link #circle} (neuron space of dimension 2: every arc and every boundary angle, exact),
 * {@link #arrangement} (dimension 3: every sector, every edge and every vertex of the arrangement of
 * the planes u . x~_i = 0, exact), {@link #ascent} (any dimension: small-step projected ascent of |g|
 * from random starts; the samples near the kink at the end are tried as S, every subset of them).
 *
 * <p><b>Check.</b> A candidate is an attractor when it is a strict local maximum. The first-order test
 * is exact: with g^ = g/|g|, the tangent part of M_sigma0^T g^ written as sum_{i in S} alpha_i x~_i and
 * beta_i = g^ . c_i, the directional derivative of |g| in a tangent direction w is
 * sum_{i in S} (alpha_i z_i + beta_i relu(z_i)), z_i = x~_i . w, negative for every w leaving the kink
 * exactly when alpha_i &gt; 0 and alpha_i + beta_i &lt; 0 for every i in S (x~_S linearly independent);
 * along the kink (all z_i = 0) the maximum is strict when s1 &gt; s2 of M_sigma0 P_S. Cases on the edge
 * of these inequalities (within a relative {@value #STRICT}) or with dependent x~_S are decided by the
 * perturbation check alone; every accepted candidate also passes the perturbation check
 * ({@link #isStrictMaximumByPerturbation}): |g| falls in 2 (dim - 1) axis directions, the directions
 * off each kink and 64 + 16 dim random ones, at a radius below a tenth of the distance to the nearest
 * other kink. Candidates within 1e-9 rad of one already found are merged.
 *
 * <p>For k = 1, |g| = |G| of section 2: the maxima of G with G &gt; 0 (a &gt; 0 attractors) and the minima
 * with G &lt; 0 (a &lt; 0 attractors) are both maxima of |g|, with output direction +1 and -1.
 */
public final class VectorAttractors {
    /** Random starts of {@link #predict}'s ascent (neuron space of dimension 4 and more). */
    public static final int DEFAULT_STARTS = 256;
    /** Ascent steps per start. */
    public static final int DEFAULT_STEPS = 3000;
    /** Seed of {@link #predict}'s ascent. */
    public static final long DEFAULT_SEED = 1;
    /** Relative margin of the exact strictness test; closer cases go to the perturbation check. */
    public static final double STRICT = 1e-9;
    // u . x~_i within this fraction of |x~_i| counts as on the kink for an enumerated vertex or boundary angle
    static final double ON_KINK = 1e-10;
    // first and last angular step of the ascent (radians), geometric in between
    static final double FIRST_STEP = 0.05;
    static final double LAST_STEP = 1e-10;
    // the ascent's end point tries as kink samples those within these cosines of the kink, smallest first
    private static final double[] NEAR = {1e-8, 1e-6, 1e-4, 1e-3, 1e-2};
    private static final int MAX_NEAR = 10;
    private static final double MERGE = 1e-9;

    private VectorAttractors() {}

    /**
     * Attractors by the method that fits the neuron space: exact for dimension 1 to 3 (d = 1, 2 with
     * bias), projected ascent from {@value #DEFAULT_STARTS} seeded random starts beyond. Sorted by rate,
     * fastest first.
     */
    public static List<VectorAttractor> predict(AugmentedInputs xt, OutputWeights c) {
        check(xt, c);
        return switch (xt.dim()) {
            case 1, 2 -> circle(xt, c);
            case 3 -> arrangement(xt, c);
            default -> ascent(xt, c, DEFAULT_STARTS, DEFAULT_STEPS, DEFAULT_SEED);
        };
    }

    /**
     * Exact enumeration in a neuron space of dimension 2 (d = 1 with bias, or d = 2 without): every arc
     * between consecutive kink angles (its interior candidate +-q) and every kink angle (a boundary
     * candidate). Dimension 1 (d = 1 without bias) has the two directions +-1.
     */
    public static List<VectorAttractor> circle(AugmentedInputs xt, OutputWeights c) {
        check(xt, c);
        List<VectorAttractor> found = new ArrayList<>();
        if (xt.dim() == 1) {
            for (double s : new double[] {1, -1}) {
                addCandidates(xt, c, new BitSet(), xt.activation(new double[] {s}), found);
            }
            return sorted(found);
        }
        if (xt.dim() != 2) {
            throw new IllegalArgumentException("circle needs a neuron space of dimension 1 or 2, got " + xt.dim());
        }
        double[] angles = kinkAngles(xt);
        for (double t : angles) {
            double[] u = {Math.cos(t), Math.sin(t)};
            addCandidates(xt, c, onKink(xt, u), strictlyActive(xt, u, onKink(xt, u)), found);
        }
        if (angles.length == 0) {
            return found;
        }
        for (int a = 0; a < angles.length; a++) {
            double lo = angles[a];
            double hi = a + 1 < angles.length ? angles[a + 1] : angles[0] + 2 * Math.PI;
            double mid = (lo + hi) / 2;
            addCandidates(xt, c, new BitSet(), xt.activation(new double[] {Math.cos(mid), Math.sin(mid)}), found);
        }
        return sorted(found);
    }

    /**
     * Exact enumeration in a neuron space of dimension 3 (d = 2 with bias): every sector of the
     * arrangement of planes u . x~_i = 0 (interior candidates), every pair (plane, adjacent sector)
     * (edge candidates, a kink line through one data point) and every vertex (through two or more).
     */
    public static List<VectorAttractor> arrangement(AugmentedInputs xt, OutputWeights c) {
        check(xt, c);
        if (xt.dim() != 3) {
            throw new IllegalArgumentException("arrangement needs a neuron space of dimension 3, got " + xt.dim());
        }
        List<VectorAttractor> found = new ArrayList<>();
        List<BitSet> sectors = PlaneArrangement.sectors(xt);
        for (BitSet sigma : sectors) {
            addCandidates(xt, c, new BitSet(), sigma, found);
        }
        for (int i = 0; i < xt.samples(); i++) {
            if (Attractors.rowNorm(xt, i) == 0) {
                continue;
            }
            BitSet s = new BitSet();
            s.set(i);
            for (BitSet sigma : sectors) {
                BitSet active = (BitSet) sigma.clone();
                active.clear(i);
                addCandidates(xt, c, s, active, found);
            }
        }
        for (double[] p : PlaneArrangement.vertices(PlaneArrangement.rows3(xt))) {
            BitSet s = onKink(xt, p);
            addCandidates(xt, c, s, strictlyActive(xt, p, s), found);
        }
        return sorted(found);
    }

    /**
     * Small-step projected ascent of |g| on the sphere from {@code starts} random directions (seeded),
     * each run for {@code steps} steps of an angle falling geometrically from 0.05 to
     * 1e-10 rad along the tangent part of the gradient M_sigma^T g^ (a subgradient at a
     * kink: the zig-zag across a kink moves along it, slowly); the end point is refined to exact
     * candidates by {@link #refine} and checked. Any dimension; exact methods exist for dimensions 1 to 3.
     * Complete only with high probability: an attractor whose basin no start falls into is missed.
     */
    public static List<VectorAttractor> ascent(AugmentedInputs xt, OutputWeights c, int starts, int steps, long seed) {
        check(xt, c);
        if (starts < 1 || steps < 2) {
            throw new IllegalArgumentException("starts must be >= 1 and steps >= 2, got starts = " + starts + ", steps = " + steps);
        }
        Random rnd = new Random(seed);
        List<VectorAttractor> found = new ArrayList<>();
        for (int s = 0; s < starts; s++) {
            double[] u = climb(xt, c, randomUnit(xt.dim(), rnd), steps);
            if (u != null) {
                for (VectorAttractor a : refine(xt, c, u)) {
                    merge(found, a);
                }
            }
        }
        return sorted(found);
    }

    /**
     * The ascent of {@link #ascent} from one start.
     *
     * @return the end point, or null when the start lies where g = 0 (an empty sector: nothing grows)
     */
    public static double[] climb(AugmentedInputs xt, OutputWeights c, double[] start, int steps) {
        check(xt, c);
        xt.checkVector("start", start);
        if (!(Vectors.norm(start) > 0) || !Double.isFinite(Vectors.norm(start))) {
            throw new IllegalArgumentException("start must be a nonzero finite vector, got " + Arrays.toString(start));
        }
        double[] u = start.clone();
        normalize(u);
        int dim = xt.dim();
        double[] grad = new double[dim];
        for (int step = 0; step < steps; step++) {
            double theta = FIRST_STEP * Math.pow(LAST_STEP / FIRST_STEP, step / (double) (steps - 1));
            double[] g = g(xt, c, u);
            double ng = Vectors.norm(g);
            if (ng == 0) {
                return step == 0 ? null : u;
            }
            Arrays.fill(grad, 0);
            for (int i = 0; i < xt.samples(); i++) {
                if (xt.dot(u, i) > 0) {
                    double beta = 0;
                    for (int o = 0; o < c.outputs(); o++) {
                        beta += g[o] * c.c(i, o);
                    }
                    beta /= ng;
                    for (int q = 0; q < dim; q++) {
                        grad[q] += beta * xt.x(i, q);
                    }
                }
            }
            double along = Vectors.dot(grad, u);
            for (int q = 0; q < dim; q++) {
                grad[q] -= along * u[q];
            }
            double nt = Vectors.norm(grad);
            if (nt == 0) {
                return u;
            }
            for (int q = 0; q < dim; q++) {
                u[q] = Math.cos(theta) * u[q] + Math.sin(theta) * grad[q] / nt;
            }
            normalize(u);
        }
        return u;
    }

    /**
     * The exact attractors next to an approximate maximum u (an ascent's end point): samples within a
     * cosine of 1e-8, then 1e-6, ... 1e-2 of the kink are tried as kink samples (every subset of at most
     * 10 samples; beyond, all of them or none), the others keep their side; the first cosine that gives a
     * checked candidate wins.
     * The candidates are the maxima of the pieces of the sphere next to u, which need not be close to u:
     * an ascent that reaches a kink creeps along it (its steps cross the kink back and forth), so its end
     * can lie short of the maximum along the kink; every candidate kept is checked, wherever it lies.
     */
    public static List<VectorAttractor> refine(AugmentedInputs xt, OutputWeights c, double[] u) {
        check(xt, c);
        xt.checkVector("u", u);
        for (double eps : NEAR) {
            int[] near = java.util.stream.IntStream.range(0, xt.samples())
                    .filter(i -> Attractors.rowNorm(xt, i) > 0 && Math.abs(xt.dot(u, i)) <= eps * Attractors.rowNorm(xt, i)).toArray();
            // beyond MAX_NEAR samples only the two extreme subsets: all of them on the kink, or none
            boolean every = near.length <= MAX_NEAR;
            List<VectorAttractor> here = new ArrayList<>();
            int subsets = every ? 1 << near.length : 2;
            for (int mask = 0; mask < subsets; mask++) {
                BitSet s = new BitSet();
                for (int b = 0; b < near.length; b++) {
                    if (every ? (mask & (1 << b)) != 0 : mask == 1) {
                        s.set(near[b]);
                    }
                }
                List<VectorAttractor> cands = new ArrayList<>();
                addCandidates(xt, c, s, strictlyActive(xt, u, s), cands);
                for (VectorAttractor a : cands) {
                    merge(here, a);
                }
            }
            if (!here.isEmpty()) {
                return here;
            }
        }
        return List.of();
    }

    /** @return g(u) = sum_i c_i relu(u . x~_i), a k-vector */
    public static double[] g(AugmentedInputs xt, OutputWeights c, double[] u) {
        check(xt, c);
        xt.checkVector("u", u);
        double[] g = new double[c.outputs()];
        for (int i = 0; i < xt.samples(); i++) {
            double z = xt.dot(u, i);
            if (z > 0) {
                for (int o = 0; o < g.length; o++) {
                    g[o] += c.c(i, o) * z;
                }
            }
        }
        return g;
    }

    /** @return M_sigma = sum_{i in sigma} c_i x~_i^T, k x dim row-major */
    public static double[] sectorMatrix(AugmentedInputs xt, OutputWeights c, BitSet sigma) {
        check(xt, c);
        int k = c.outputs();
        int dim = xt.dim();
        double[] m = new double[k * dim];
        for (int i = sigma.nextSetBit(0); i >= 0 && i < xt.samples(); i = sigma.nextSetBit(i + 1)) {
            for (int o = 0; o < k; o++) {
                for (int q = 0; q < dim; q++) {
                    m[o * dim + q] += c.c(i, o) * xt.x(i, q);
                }
            }
        }
        return m;
    }

    /**
     * The largest s1 of M_sigma over every sector sigma (dimension 2 or 3): an upper bound of max |g|,
     * attained only when that sector's q lies inside it, so NOT the escape rate in general.
     */
    public static double largestSectorS1(AugmentedInputs xt, OutputWeights c) {
        check(xt, c);
        List<BitSet> sectors;
        if (xt.dim() == 3) {
            sectors = PlaneArrangement.sectors(xt);
        } else if (xt.dim() == 2) {
            sectors = new ArrayList<>();
            double[] angles = kinkAngles(xt);
            for (int a = 0; a < angles.length; a++) {
                double hi = a + 1 < angles.length ? angles[a + 1] : angles[0] + 2 * Math.PI;
                double mid = (angles[a] + hi) / 2;
                sectors.add(xt.activation(new double[] {Math.cos(mid), Math.sin(mid)}));
            }
        } else {
            throw new IllegalArgumentException("sectors are enumerated for a neuron space of dimension 2 or 3, got " + xt.dim());
        }
        double best = 0;
        for (BitSet sigma : sectors) {
            best = Math.max(best, SmallSvd.of(sectorMatrix(xt, c, sigma), c.outputs(), xt.dim()).s1());
        }
        return best;
    }

    /** @return max |g| over the attractors (the fastest rate), 0 when there are none */
    public static double maxRate(List<VectorAttractor> attractors) {
        return attractors.stream().mapToDouble(VectorAttractor::rate).max().orElse(0);
    }

    /**
     * The end of the alignment phase in gradient-flow time, t* ~ n ln(1/lambda) / max |g| (docs/THEORY.md
     * section 10): the fastest group's norm grows like lambda exp(max|g| t / n) and reaches O(1) there.
     */
    public static double escapeTime(int n, double lambda, double maxRate) {
        checkEscape(n, lambda, maxRate);
        return n * Math.log(1 / lambda) / maxRate;
    }

    /** The same for GD with step lr: ln(1/lambda) / ln(1 + lr max|g| / n) steps (the norm grows by that factor a step). */
    public static double escapeSteps(int n, double lambda, double lr, double maxRate) {
        checkEscape(n, lambda, maxRate);
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr must be positive and finite, got " + lr);
        }
        return Math.log(1 / lambda) / Math.log1p(lr * maxRate / n);
    }

    private static void checkEscape(int n, double lambda, double maxRate) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (!(lambda > 0 && lambda < 1)) {
            throw new IllegalArgumentException("lambda must be in (0, 1), got " + lambda);
        }
        if (!(maxRate > 0) || !Double.isFinite(maxRate)) {
            throw new IllegalArgumentException("maxRate must be positive and finite, got " + maxRate);
        }
    }

    /**
     * The perturbation check of a strict local maximum of |g| at u (any candidate, also one found by
     * other means): |g| falls strictly in every probed tangent direction at a radius of min(1e-3, a tenth
     * of the angular distance to the nearest sample whose kink does not pass through u), so only the
     * kinks through u are crossed. Probed: +-(the tangent basis), +-(the tangent part of x~_i for every
     * kink sample) and 64 + 16 dim random tangent directions (seeded).
     */
    public static boolean isStrictMaximumByPerturbation(AugmentedInputs xt, OutputWeights c, double[] u, long seed) {
        check(xt, c);
        xt.checkVector("u", u);
        int dim = xt.dim();
        double nu = Vectors.norm(u);
        double[] v = u.clone();
        for (int q = 0; q < dim; q++) {
            v[q] /= nu;
        }
        double here = Vectors.norm(g(xt, c, v));
        if (here == 0) {
            return false;
        }
        if (dim == 1) {
            return true;
        }
        double radius = 1e-3;
        List<double[]> dirs = new ArrayList<>();
        for (int i = 0; i < xt.samples(); i++) {
            double nr = Attractors.rowNorm(xt, i);
            if (nr == 0) {
                continue;
            }
            double cos = Math.abs(xt.dot(v, i)) / nr;
            if (cos <= ON_KINK) {
                double[] t = new double[dim];
                for (int q = 0; q < dim; q++) {
                    t[q] = xt.x(i, q);
                }
                dirs.add(t);
                dirs.add(scaled(t, -1));
            } else {
                radius = Math.min(radius, 0.1 * Math.asin(Math.min(1, cos)));
            }
        }
        for (int q = 0; q < dim; q++) {
            double[] e = new double[dim];
            e[q] = 1;
            dirs.add(e);
            dirs.add(scaled(e, -1));
        }
        Random rnd = new Random(seed);
        for (int r = 0; r < 64 + 16 * dim; r++) {
            dirs.add(randomUnit(dim, rnd));
        }
        for (double[] t : dirs) {
            double along = Vectors.dot(t, v);
            double[] w = new double[dim];
            for (int q = 0; q < dim; q++) {
                w[q] = t[q] - along * v[q];
            }
            double nw = Vectors.norm(w);
            if (nw <= 1e-12 * Vectors.norm(t)) {
                continue;
            }
            double[] p = new double[dim];
            for (int q = 0; q < dim; q++) {
                p[q] = Math.cos(radius) * v[q] + Math.sin(radius) * w[q] / nw;
            }
            if (!(Vectors.norm(g(xt, c, p)) < here)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Self-consistency of a learned neuron (any dimension; docs/THEORY.md section 10), with the weights c of
     * that moment (-r, the residuals): how far its direction u is from the top right singular vector q of
     * its own sector's matrix, and its output vector a from g(u)/|g(u)|.
     *
     * @param direction cos = |u . q| / |u| with q of M_sigma(u), sigma(u) the samples strictly active at u
     *        (near 1 at an interior attractor; at a boundary one q of a neighbouring sector is meant only
     *        approximately)
     * @param output cos(a, g(u)), near 1 at any attractor once a has turned
     */
    public record Consistency(double direction, double output) {}

    /**
     * @param u the neuron's direction (w, b), any nonzero length
     * @param a its output vector (k)
     * @return the two cosines of {@link Consistency}; NaN where g(u) = 0 or a = 0
     */
    public static Consistency selfConsistency(AugmentedInputs xt, OutputWeights c, double[] u, double[] a) {
        check(xt, c);
        xt.checkVector("u", u);
        if (a == null || a.length != c.outputs()) {
            throw new IllegalArgumentException("a must have length k = " + c.outputs() + ", got " + (a == null ? "null" : String.valueOf(a.length)));
        }
        double nu = Vectors.norm(u);
        if (!(nu > 0)) {
            throw new IllegalArgumentException("u must be nonzero, got " + Arrays.toString(u));
        }
        SmallSvd svd = SmallSvd.of(sectorMatrix(xt, c, xt.activation(u)), c.outputs(), xt.dim());
        double cosU = svd.s1() == 0 ? Double.NaN : Math.abs(Vectors.dot(svd.q(), u)) / nu;
        double[] g = g(xt, c, u);
        double ng = Vectors.norm(g);
        double na = Vectors.norm(a);
        double cosA = ng == 0 || na == 0 ? Double.NaN : Vectors.dot(a, g) / (na * ng);
        return new Consistency(cosU, cosA);
    }

    /** @return one line per attractor: direction, output direction, rate, sector, kink samples */
    public static String describe(List<VectorAttractor> attractors) {
        StringBuilder sb = new StringBuilder();
        for (VectorAttractor a : attractors) {
            sb.append(a.boundary() ? "boundary " : "interior ").append(a).append('\n');
        }
        return sb.toString();
    }

    // --- candidates and their check ---

    /**
     * The candidates of the piece where the samples S sit on the kink and exactly {@code active} are
     * strictly active: +-q of M_active P_S, each kept when consistent and checked strict.
     */
    static void addCandidates(AugmentedInputs xt, OutputWeights c, BitSet s, BitSet active, List<VectorAttractor> found) {
        int dim = xt.dim();
        int k = c.outputs();
        double[] m = sectorMatrix(xt, c, active);
        double[][] basis = orthonormalRows(xt, s);
        double[] a = m.clone();
        // A = M P_S = M - sum_e (M e) e^T over an orthonormal basis e of span x~_S
        for (double[] e : basis) {
            for (int o = 0; o < k; o++) {
                double me = 0;
                for (int q = 0; q < dim; q++) {
                    me += m[o * dim + q] * e[q];
                }
                for (int q = 0; q < dim; q++) {
                    a[o * dim + q] -= me * e[q];
                }
            }
        }
        SmallSvd svd = SmallSvd.of(a, k, dim);
        if (svd.s1() == 0) {
            return;
        }
        double[] q = svd.q();
        for (int sign = 1; sign >= -1; sign -= 2) {
            double[] u = scaled(q, sign);
            normalize(u);
            if (!consistent(xt, u, s, active)) {
                continue;
            }
            Verdict v = firstOrder(xt, c, u, s, active, m, svd, basis.length);
            if (v == Verdict.NOT) {
                continue;
            }
            if (!isStrictMaximumByPerturbation(xt, c, u, 12345)) {
                continue;
            }
            double[] g = new double[k];
            for (int o = 0; o < k; o++) {
                for (int r = 0; r < dim; r++) {
                    g[o] += m[o * dim + r] * u[r];
                }
            }
            double ng = Vectors.norm(g);
            merge(found, new VectorAttractor(u, scaled(g, 1 / ng), ng, active, s, svd.s1(), svd.s2()));
        }
    }

    private enum Verdict { STRICT, NOT, DEGENERATE }

    /** The exact first- and second-order test of the class comment. */
    private static Verdict firstOrder(AugmentedInputs xt, OutputWeights c, double[] u, BitSet s, BitSet active, double[] m, SmallSvd svd,
            int rankS) {
        int dim = xt.dim();
        int k = c.outputs();
        double[] g = new double[k];
        for (int o = 0; o < k; o++) {
            for (int q = 0; q < dim; q++) {
                g[o] += m[o * dim + q] * u[q];
            }
        }
        double ng = Vectors.norm(g);
        if (ng == 0) {
            return Verdict.NOT;
        }
        // along the kink: the restricted quadratic form must have a simple top singular value
        boolean secondOrder = dim - rankS <= 1 || svd.s1() - svd.s2() > STRICT * svd.s1();
        if (s.isEmpty()) {
            return secondOrder ? Verdict.STRICT : Verdict.DEGENERATE;
        }
        int[] idx = s.stream().toArray();
        if (rankS < idx.length) {
            return Verdict.DEGENERATE;
        }
        // a = M^T g^, tangent part written in the rows x~_S (they are tangent: u . x~_i = 0)
        double[] a = new double[dim];
        for (int q = 0; q < dim; q++) {
            for (int o = 0; o < k; o++) {
                a[q] += m[o * dim + q] * g[o] / ng;
            }
        }
        double au = Vectors.dot(a, u);
        for (int q = 0; q < dim; q++) {
            a[q] -= au * u[q];
        }
        int r = idx.length;
        double[] gram = new double[r * r];
        double[] rhs = new double[r];
        for (int x = 0; x < r; x++) {
            for (int y = 0; y < r; y++) {
                double sum = 0;
                for (int q = 0; q < dim; q++) {
                    sum += xt.x(idx[x], q) * xt.x(idx[y], q);
                }
                gram[x * r + y] = sum;
            }
            for (int q = 0; q < dim; q++) {
                rhs[x] += xt.x(idx[x], q) * a[q];
            }
        }
        double[] alpha = solve(gram, rhs, r);
        if (alpha == null) {
            return Verdict.DEGENERATE;
        }
        double scale = ng;
        for (int i : idx) {
            scale = Math.max(scale, c.rowNorm(i) * Attractors.rowNorm(xt, i));
        }
        double tol = STRICT * scale;
        Verdict verdict = secondOrder ? Verdict.STRICT : Verdict.DEGENERATE;
        for (int x = 0; x < r; x++) {
            int i = idx[x];
            double beta = 0;
            for (int o = 0; o < k; o++) {
                beta += g[o] / ng * c.c(i, o);
            }
            double len = Attractors.rowNorm(xt, i);
            // alpha_i z_i + beta_i relu(z_i) < 0 for z_i < 0 and for z_i > 0 (units of |g|: scale by |x~_i|)
            double below = alpha[x] * len;
            double above = (alpha[x] + beta) * len;
            if (below < -tol || above > tol) {
                return Verdict.NOT;
            }
            if (below <= tol || above >= -tol) {
                verdict = Verdict.DEGENERATE;
            }
        }
        return verdict;
    }

    /** Gaussian elimination with partial pivoting; null when the matrix is singular to working precision. */
    private static double[] solve(double[] a, double[] b, int r) {
        double[] m = a.clone();
        double[] x = b.clone();
        double norm = 0;
        for (double v : m) {
            norm = Math.max(norm, Math.abs(v));
        }
        for (int col = 0; col < r; col++) {
            int piv = col;
            for (int row = col + 1; row < r; row++) {
                if (Math.abs(m[row * r + col]) > Math.abs(m[piv * r + col])) {
                    piv = row;
                }
            }
            if (Math.abs(m[piv * r + col]) <= 1e-12 * norm) {
                return null;
            }
            if (piv != col) {
                for (int q = 0; q < r; q++) {
                    double t = m[col * r + q];
                    m[col * r + q] = m[piv * r + q];
                    m[piv * r + q] = t;
                }
                double t = x[col];
                x[col] = x[piv];
                x[piv] = t;
            }
            for (int row = col + 1; row < r; row++) {
                double f = m[row * r + col] / m[col * r + col];
                for (int q = col; q < r; q++) {
                    m[row * r + q] -= f * m[col * r + q];
                }
                x[row] -= f * x[col];
            }
        }
        for (int row = r - 1; row >= 0; row--) {
            double sum = x[row];
            for (int q = row + 1; q < r; q++) {
                sum -= m[row * r + q] * x[q];
            }
            x[row] = sum / m[row * r + row];
        }
        return x;
    }

    /** An orthonormal basis of span{x~_i : i in S} (Gram-Schmidt twice; dependent rows dropped). */
    private static double[][] orthonormalRows(AugmentedInputs xt, BitSet s) {
        int dim = xt.dim();
        List<double[]> basis = new ArrayList<>();
        for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
            double[] v = new double[dim];
            for (int q = 0; q < dim; q++) {
                v[q] = xt.x(i, q);
            }
            double len = Vectors.norm(v);
            for (int pass = 0; pass < 2; pass++) {
                for (double[] e : basis) {
                    double p = Vectors.dot(v, e);
                    for (int q = 0; q < dim; q++) {
                        v[q] -= p * e[q];
                    }
                }
            }
            double nv = Vectors.norm(v);
            if (nv > 1e-9 * len) {
                basis.add(scaled(v, 1 / nv));
            }
        }
        return basis.toArray(new double[0][]);
    }

    private static boolean consistent(AugmentedInputs xt, double[] u, BitSet s, BitSet active) {
        for (int i = 0; i < xt.samples(); i++) {
            double nr = Attractors.rowNorm(xt, i);
            if (nr == 0) {
                continue;
            }
            double z = xt.dot(u, i);
            double tol = ON_KINK * nr;
            boolean ok = s.get(i) ? Math.abs(z) <= tol : active.get(i) ? z > tol : z < -tol;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** @return the samples whose kink passes through u (within {@link #ON_KINK}) */
    static BitSet onKink(AugmentedInputs xt, double[] u) {
        BitSet s = new BitSet();
        for (int i = 0; i < xt.samples(); i++) {
            double nr = Attractors.rowNorm(xt, i);
            if (nr > 0 && Math.abs(xt.dot(u, i)) <= ON_KINK * nr) {
                s.set(i);
            }
        }
        return s;
    }

    private static BitSet strictlyActive(AugmentedInputs xt, double[] u, BitSet s) {
        BitSet active = new BitSet();
        for (int i = 0; i < xt.samples(); i++) {
            if (!s.get(i) && xt.dot(u, i) > 0) {
                active.set(i);
            }
        }
        return active;
    }

    /** The kink angles of a 2-dimensional neuron space, sorted in [-pi, pi), equal ones (within 1e-13) merged. */
    private static double[] kinkAngles(AugmentedInputs xt) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < xt.samples(); i++) {
            double p = xt.x(i, 0);
            double q = xt.x(i, 1);
            if (p != 0 || q != 0) {
                double t = Math.atan2(-p, q);
                out.add(t);
                out.add(t >= 0 ? t - Math.PI : t + Math.PI);
            }
        }
        double[] sorted = out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        List<Double> merged = new ArrayList<>();
        for (double t : sorted) {
            if (merged.isEmpty() || t - merged.get(merged.size() - 1) > 1e-13) {
                merged.add(t);
            }
        }
        if (merged.size() > 1 && merged.get(0) + 2 * Math.PI - merged.get(merged.size() - 1) <= 1e-13) {
            merged.remove(merged.size() - 1);
        }
        return merged.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void merge(List<VectorAttractor> found, VectorAttractor a) {
        for (VectorAttractor f : found) {
            if (AugmentedInputs.angle(f.direction(), a.direction()) < MERGE) {
                return;
            }
        }
        found.add(a);
    }

    private static List<VectorAttractor> sorted(List<VectorAttractor> found) {
        List<VectorAttractor> out = new ArrayList<>(found);
        out.sort(Comparator.comparingDouble(VectorAttractor::rate).reversed());
        return out;
    }

    private static double[] randomUnit(int dim, Random rnd) {
        double[] u = new double[dim];
        double n;
        do {
            for (int q = 0; q < dim; q++) {
                u[q] = rnd.nextGaussian();
            }
            n = Vectors.norm(u);
        } while (n == 0);
        return scaled(u, 1 / n);
    }

    private static double[] scaled(double[] v, double f) {
        double[] out = new double[v.length];
        for (int q = 0; q < v.length; q++) {
            out[q] = v[q] * f;
        }
        return out;
    }

    private static void normalize(double[] u) {
        double n = Vectors.norm(u);
        for (int q = 0; q < u.length; q++) {
            u[q] /= n;
        }
    }

    private static void check(AugmentedInputs xt, OutputWeights c) {
        if (xt == null || c == null) {
            throw new IllegalArgumentException((xt == null ? "xt" : "c") + " must not be null");
        }
        if (c.samples() != xt.samples()) {
            throw new IllegalArgumentException("weights have n = " + c.samples() + " samples, the inputs " + xt.samples());
        }
    }
}
