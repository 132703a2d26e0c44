package io.reluquant.validation.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
    private static final double ON_BOUNDARY = 1e-12;

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
        requireDim(xt, 2, "scanCircle");
        xt.checkWeights(c);
        if (gridPoints < 16) {
            throw new IllegalArgumentException("gridPoints must be >= 16, got " + gridPoints);
        }
        double step = 2 * Math.PI / gridPoints;
        double[] g = new double[gridPoints];
        for (int k = 0; k < gridPoints; k++) {
            g[k] = xt.potential(unit(-Math.PI + k * step), c);
        }
        double[] boundaries = boundaryAngles(xt);
        List<Attractor> found = new ArrayList<>();
        for (int k = 0; k < gridPoints; k++) {
            double prev = g[(k - 1 + gridPoints) % gridPoints];
            double next = g[(k + 1) % gridPoints];
            int sign = g[k] > prev && g[k] > next ? 1 : g[k] < prev && g[k] < next ? -1 : 0;
            if (sign == 0) {
                continue;
            }
            double theta = -Math.PI + k * step;
            double bestTheta = theta;
            double bestG = g[k];
            List<Double> candidates = new ArrayList<>();
            for (int dk = -2; dk <= 2; dk++) {
                double[] u = unit(theta + dk * step);
                double[] fixed = fixedPoint(xt, xt.activation(u), c, sign);
                if (fixed != null) {
                    candidates.add(Math.atan2(fixed[1], fixed[0]));
                }
            }
            for (double b : boundaries) {
                candidates.add(b);
            }
            for (double cand : candidates) {
                if (circularDistance(cand, theta) <= 2.5 * step) {
                    double gc = xt.potential(unit(cand), c);
                    if (sign * (gc - bestG) > 0) {
                        bestG = gc;
                        bestTheta = cand;
                    }
                }
            }
            double[] u = unit(bestTheta);
            if (!containsDirection(found, sign, u)) {
                found.add(new Attractor(sign, u, xt.activation(u), bestG, onBoundary(xt, u)));
            }
        }
        return found;
    }

    /**
     * Attractors in a 3-dimensional neuron space (d = 2 with bias): sector enumeration and the
     * fixed-point test u || D_sigma for interior ones, plus those on an edge (kink line through one
     * data point) or a vertex (through two) of the arrangement, which are common in d = 2.
     */
    public static List<Attractor> planeArrangement(AugmentedInputs xt, double[] c) {
        requireDim(xt, 3, "planeArrangement");
        xt.checkWeights(c);
        List<BitSet> sectors = sectorsR3(xt);
        List<Attractor> found = fixedPoints(xt, sectors, c);
        for (Attractor a : edgeAttractors(xt, sectors, c)) {
            if (!containsDirection(found, a.sign(), a.direction())) {
                found.add(a);
            }
        }
        for (Attractor a : vertexAttractors(xt, c)) {
            if (!containsDirection(found, a.sign(), a.direction())) {
                found.add(a);
            }
        }
        return found;
    }

    /**
     * Attractors on an edge of the arrangement in R^3 (u on exactly one plane u . x~_i = 0: a kink line
     * through data point i). Along the plane G is linear with gradient D = D_sigma' (sigma' the samples
     * strictly active there), so u = sign * P D / |P D| with P the projection onto the plane. Off the
     * plane by t along n = x~_i / |x~_i| the first-order change of G is t (D.n + c_i |x~_i|) for t &gt; 0
     * (sample i switches on) and t D.n for t &lt; 0; u is an extremum when both sides go the same way:
     * sign (D.n + c_i |x~_i|) &lt;= 0 &lt;= sign D.n (a ridge for a maximum, a valley for a minimum).
     */
    static List<Attractor> edgeAttractors(AugmentedInputs xt, List<BitSet> sectors, double[] c) {
        List<Attractor> found = new ArrayList<>();
        int n = xt.samples();
        for (int i = 0; i < n; i++) {
            double[] normal = {xt.x(i, 0), xt.x(i, 1), xt.x(i, 2)};
            double len = AugmentedInputs.norm(normal);
            if (len == 0) {
                continue;
            }
            for (int q = 0; q < 3; q++) {
                normal[q] /= len;
            }
            for (BitSet region : sectors) {
                BitSet sigma = (BitSet) region.clone();
                sigma.clear(i);
                double[] d = xt.drive(sigma, c);
                double dn = dot(d, normal);
                double[] pd = {d[0] - dn * normal[0], d[1] - dn * normal[1], d[2] - dn * normal[2]};
                double npd = AugmentedInputs.norm(pd);
                if (npd == 0) {
                    continue;
                }
                for (int sign = 1; sign >= -1; sign -= 2) {
                    if (!(sign * (dn + c[i] * len) <= 0 && sign * dn >= 0)) {
                        continue;
                    }
                    double[] u = {sign * pd[0] / npd, sign * pd[1] / npd, sign * pd[2] / npd};
                    boolean onEdge = true;
                    for (int k = 0; k < n && onEdge; k++) {
                        if (k != i) {
                            double z = xt.dot(u, k);
                            double tol = ON_BOUNDARY * rowNorm(xt, k);
                            onEdge = sigma.get(k) ? z > tol : z < -tol;
                        }
                    }
                    if (onEdge && !containsDirection(found, sign, u)) {
                        found.add(new Attractor(sign, u, sigma, xt.potential(u, c), true));
                    }
                }
            }
        }
        return found;
    }

    /**
     * Attractors at a vertex of the arrangement in R^3 (u = +-x~_i x x~_j, a kink line through two
     * data points). The first-order change of G in tangent direction t is h(t) = D_sigma0 . t +
     * sum_{k through the vertex} c_k relu(x~_k . t), linear on each wedge between the planes through
     * the vertex; u is a strict maximum (minimum) when sign * h &lt; 0 in every tangent direction.
     */
    static List<Attractor> vertexAttractors(AugmentedInputs xt, double[] c) {
        double[][] rows = rows3(xt);
        List<Attractor> found = new ArrayList<>();
        for (double[] p : vertices(rows)) {
            for (int sign = 1; sign >= -1; sign -= 2) {
                if (vertexIsExtremum(rows, p, c, sign) && !containsDirection(found, sign, p)) {
                    found.add(new Attractor(sign, p, xt.activation(p), xt.potential(p, c), true));
                }
            }
        }
        return found;
    }

    private static boolean vertexIsExtremum(double[][] rows, double[] p, double[] c, int sign) {
        VertexStar star = VertexStar.around(rows, p);
        if (star.wedges() == 0) {
            return false;
        }
        double[] base = new double[3];
        for (int k = 0; k < rows.length; k++) {
            if (!star.through()[k] && dot(p, rows[k]) > 0) {
                for (int q = 0; q < 3; q++) {
                    base[q] += c[k] * rows[k][q];
                }
            }
        }
        for (int a = 0; a < star.wedges(); a++) {
            double lo = star.lo(a);
            double hi = star.hi(a);
            double[] tm = star.direction((lo + hi) / 2);
            double[] drive = base.clone();
            for (int k = 0; k < rows.length; k++) {
                if (star.through()[k] && dot(tm, rows[k]) > 0) {
                    for (int q = 0; q < 3; q++) {
                        drive[q] += c[k] * rows[k][q];
                    }
                }
            }
            // sign * h(t) = sign * drive . t on this wedge: its largest value over the wedge is at an end
            // or, if the direction of sign * drive (in the tangent plane) lies inside the wedge, there
            double de1 = sign * dot(drive, star.e1());
            double de2 = sign * dot(drive, star.e2());
            double worst = Math.max(de1 * Math.cos(lo) + de2 * Math.sin(lo), de1 * Math.cos(hi) + de2 * Math.sin(hi));
            double peak = wrap(Math.atan2(de2, de1));
            if ((peak > lo && peak < hi) || (peak + 2 * Math.PI > lo && peak + 2 * Math.PI < hi)) {
                worst = Math.hypot(de1, de2);
            }
            if (worst >= -ON_BOUNDARY * Math.max(1, Math.hypot(de1, de2))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The planes through a vertex p of the arrangement on the sphere, seen in the tangent plane at p
     * (basis e1, e2): each plane through p cuts it along the line p x x~_i, so the tangent directions
     * fall into wedges between consecutive cut angles, one region of the arrangement per wedge.
     *
     * @param through which planes pass through p
     * @param cuts sorted cut angles in [0, 2 pi); wedge a runs from cuts[a] to the next cut
     */
    private record VertexStar(double[] e1, double[] e2, boolean[] through, double[] cuts) {
        static VertexStar around(double[][] rows, double[] p) {
            double[] e1 = perpendicular(p);
            double[] e2 = cross(p, e1);
            boolean[] through = new boolean[rows.length];
            List<Double> angles = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                double len = AugmentedInputs.norm(rows[i]);
                if (len > 0 && Math.abs(dot(p, rows[i])) <= ON_BOUNDARY * len) {
                    through[i] = true;
                    double[] t = cross(p, rows[i]);
                    double alpha = Math.atan2(dot(t, e2), dot(t, e1));
                    angles.add(wrap(alpha));
                    angles.add(wrap(alpha + Math.PI));
                }
            }
            // cuts closer than 1e-12 bound no wedge worth a region: merge them
            List<Double> cuts = new ArrayList<>();
            for (double a : angles.stream().mapToDouble(Double::doubleValue).sorted().toArray()) {
                if (cuts.isEmpty() || a - cuts.get(cuts.size() - 1) >= 1e-12) {
                    cuts.add(a);
                }
            }
            if (cuts.size() > 1 && cuts.get(0) + 2 * Math.PI - cuts.get(cuts.size() - 1) < 1e-12) {
                cuts.remove(cuts.size() - 1);
            }
            return new VertexStar(e1, e2, through, cuts.stream().mapToDouble(Double::doubleValue).toArray());
        }

        int wedges() {
            return cuts.length;
        }

        double lo(int a) {
            return cuts[a];
        }

        double hi(int a) {
            return a + 1 < cuts.length ? cuts[a + 1] : cuts[0] + 2 * Math.PI;
        }

        double[] direction(double phi) {
            return tangent(e1, e2, phi);
        }
    }

    private static double[] tangent(double[] e1, double[] e2, double phi) {
        return new double[] {Math.cos(phi) * e1[0] + Math.sin(phi) * e2[0],
                Math.cos(phi) * e1[1] + Math.sin(phi) * e2[1],
                Math.cos(phi) * e1[2] + Math.sin(phi) * e2[2]};
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
     * The sectors (activation sets of the open regions) of the arrangement of planes u . x~_i = 0 in
     * R^3. Every region of a central arrangement with two non-parallel planes touches a vertex
     * +-(x~_i x x~_j) of the sphere, so the regions are read off around each vertex: the planes
     * through the vertex cut its tangent plane into wedges, one region per wedge.
     */
    public static List<BitSet> sectorsR3(AugmentedInputs xt) {
        requireDim(xt, 3, "sectorsR3");
        double[][] rows = rows3(xt);
        Set<BitSet> sectors = new LinkedHashSet<>();
        List<double[]> vertices = vertices(rows);
        for (double[] p : vertices) {
            wedges(rows, p, sectors);
        }
        if (vertices.isEmpty()) {
            // all planes coincide (or there are none): two hemispheres
            for (double[] r : rows) {
                double nr = AugmentedInputs.norm(r);
                if (nr > 0) {
                    sectors.add(xt.activation(new double[] {r[0] / nr, r[1] / nr, r[2] / nr}));
                    sectors.add(xt.activation(new double[] {-r[0] / nr, -r[1] / nr, -r[2] / nr}));
                    break;
                }
            }
            if (sectors.isEmpty()) {
                sectors.add(new BitSet());
            }
        }
        return new ArrayList<>(sectors);
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
        double nd = AugmentedInputs.norm(d);
        double nu = AugmentedInputs.norm(u);
        if (nd == 0 || nu == 0) {
            return Double.NaN;
        }
        double dot = 0;
        for (int k = 0; k < d.length; k++) {
            dot += u[k] * d[k];
        }
        return sign * dot / (nd * nu);
    }

    private static List<Attractor> fixedPoints(AugmentedInputs xt, List<BitSet> sectors, double[] c) {
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
    private static double[] fixedPoint(AugmentedInputs xt, BitSet sigma, double[] c, int sign) {
        double[] d = xt.drive(sigma, c);
        double nd = AugmentedInputs.norm(d);
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

    private static void wedges(double[][] rows, double[] p, Set<BitSet> sectors) {
        VertexStar star = VertexStar.around(rows, p);
        for (int a = 0; a < star.wedges(); a++) {
            double[] dir = star.direction((star.lo(a) + star.hi(a)) / 2);
            BitSet sigma = new BitSet(rows.length);
            for (int i = 0; i < rows.length; i++) {
                double z = star.through()[i] ? dot(dir, rows[i]) : dot(p, rows[i]);
                if (z > 0 && AugmentedInputs.norm(rows[i]) > 0) {
                    sigma.set(i);
                }
            }
            sectors.add(sigma);
        }
    }

    /** @return the vertices +-(x~_i x x~_j)/|.| of the arrangement on the sphere, for every non-parallel pair */
    private static List<double[]> vertices(double[][] rows) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            for (int j = i + 1; j < rows.length; j++) {
                double[] cr = cross(rows[i], rows[j]);
                double nc = AugmentedInputs.norm(cr);
                if (nc > ON_BOUNDARY * AugmentedInputs.norm(rows[i]) * AugmentedInputs.norm(rows[j])) {
                    out.add(new double[] {cr[0] / nc, cr[1] / nc, cr[2] / nc});
                    out.add(new double[] {-cr[0] / nc, -cr[1] / nc, -cr[2] / nc});
                }
            }
        }
        return out;
    }

    private static double[][] rows3(AugmentedInputs xt) {
        double[][] rows = new double[xt.samples()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {xt.x(i, 0), xt.x(i, 1), xt.x(i, 2)};
        }
        return rows;
    }

    private static double rowNorm(AugmentedInputs xt, int i) {
        double s = 0;
        for (int k = 0; k < xt.dim(); k++) {
            s += xt.x(i, k) * xt.x(i, k);
        }
        return Math.sqrt(s);
    }

    private static double[] boundaryAngles(AugmentedInputs xt) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < xt.samples(); i++) {
            double p = xt.x(i, 0);
            double q = xt.x(i, 1);
            if (p != 0 || q != 0) {
                // u . x~_i = p cos(theta) + q sin(theta) = 0
                double t = Math.atan2(-p, q);
                out.add(t);
                out.add(t > 0 ? t - Math.PI : t + Math.PI);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean onBoundary(AugmentedInputs xt, double[] u) {
        for (int i = 0; i < xt.samples(); i++) {
            double nr = rowNorm(xt, i);
            if (nr > 0 && Math.abs(xt.dot(u, i)) <= 1e-9 * nr) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsDirection(List<Attractor> found, int sign, double[] u) {
        for (Attractor a : found) {
            if (a.sign() == sign && AugmentedInputs.angle(a.direction(), u) < 1e-9) {
                return true;
            }
        }
        return false;
    }

    private static void requireDim(AugmentedInputs xt, int dim, String method) {
        if (xt == null) {
            throw new IllegalArgumentException("xt must not be null");
        }
        if (xt.dim() != dim) {
            throw new IllegalArgumentException(method + " needs a neuron space of dimension " + dim + ", got k = " + xt.dim());
        }
    }

    private static double circularDistance(double a, double b) {
        double d = Math.abs(wrap(a) - wrap(b));
        return Math.min(d, 2 * Math.PI - d);
    }

    private static double wrap(double a) {
        double t = a % (2 * Math.PI);
        return t < 0 ? t + 2 * Math.PI : t;
    }

    static double[] unit(double theta) {
        return new double[] {Math.cos(theta), Math.sin(theta)};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] perpendicular(double[] p) {
        // cross with the axis least aligned with p
        double[] axis = new double[3];
        int k = 0;
        for (int c = 1; c < 3; c++) {
            if (Math.abs(p[c]) < Math.abs(p[k])) {
                k = c;
            }
        }
        axis[k] = 1;
        double[] e = cross(p, axis);
        double ne = AugmentedInputs.norm(e);
        return new double[] {e[0] / ne, e[1] / ne, e[2] / ne};
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
