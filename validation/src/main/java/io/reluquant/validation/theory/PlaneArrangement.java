package io.reluquant.validation.theory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Attractors in a 3-dimensional neuron space (d = 2 with bias): the sectors of the arrangement of planes u . x~_i = 0,
 * and the attractors inside a sector, on an edge (a kink line through one data point) or at a vertex (through two).
 */
final class PlaneArrangement {
    private PlaneArrangement() {}

    /**
     * Attractors in a 3-dimensional neuron space (d = 2 with bias): sector enumeration and the
     * fixed-point test u || D_sigma for interior ones, plus those on an edge (kink line through one
     * data point) or a vertex (through two) of the arrangement, which are common in d = 2.
     */
    static List<Attractor> attractors(AugmentedInputs xt, double[] c) {
        Attractors.requireDim(xt, 3, "planeArrangement");
        xt.checkWeights(c);
        List<BitSet> sectors = sectors(xt);
        List<Attractor> found = Attractors.fixedPoints(xt, sectors, c);
        for (Attractor a : edgeAttractors(xt, sectors, c)) {
            if (!Attractors.containsDirection(found, a.sign(), a.direction())) {
                found.add(a);
            }
        }
        for (Attractor a : vertexAttractors(xt, c)) {
            if (!Attractors.containsDirection(found, a.sign(), a.direction())) {
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
            double len = Vectors.norm(normal);
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
                double dn = Vectors.dot(d, normal);
                double[] pd = {d[0] - dn * normal[0], d[1] - dn * normal[1], d[2] - dn * normal[2]};
                double npd = Vectors.norm(pd);
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
                            double tol = Attractors.ON_BOUNDARY * Attractors.rowNorm(xt, k);
                            onEdge = sigma.get(k) ? z > tol : z < -tol;
                        }
                    }
                    if (onEdge && !Attractors.containsDirection(found, sign, u)) {
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
                if (vertexIsExtremum(rows, p, c, sign) && !Attractors.containsDirection(found, sign, p)) {
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
            if (!star.through()[k] && Vectors.dot(p, rows[k]) > 0) {
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
                if (star.through()[k] && Vectors.dot(tm, rows[k]) > 0) {
                    for (int q = 0; q < 3; q++) {
                        drive[q] += c[k] * rows[k][q];
                    }
                }
            }
            // sign * h(t) = sign * drive . t on this wedge: its largest value over the wedge is at an end
            // or, if the direction of sign * drive (in the tangent plane) lies inside the wedge, there
            double de1 = sign * Vectors.dot(drive, star.e1());
            double de2 = sign * Vectors.dot(drive, star.e2());
            double worst = Math.max(de1 * Math.cos(lo) + de2 * Math.sin(lo), de1 * Math.cos(hi) + de2 * Math.sin(hi));
            double peak = CircleScan.wrap(Math.atan2(de2, de1));
            if ((peak > lo && peak < hi) || (peak + 2 * Math.PI > lo && peak + 2 * Math.PI < hi)) {
                worst = Math.hypot(de1, de2);
            }
            if (worst >= -Attractors.ON_BOUNDARY * Math.max(1, Math.hypot(de1, de2))) {
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
            double[] e2 = Vectors.cross(p, e1);
            boolean[] through = new boolean[rows.length];
            List<Double> angles = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                double len = Vectors.norm(rows[i]);
                if (len > 0 && Math.abs(Vectors.dot(p, rows[i])) <= Attractors.ON_BOUNDARY * len) {
                    through[i] = true;
                    double[] t = Vectors.cross(p, rows[i]);
                    double alpha = Math.atan2(Vectors.dot(t, e2), Vectors.dot(t, e1));
                    angles.add(CircleScan.wrap(alpha));
                    angles.add(CircleScan.wrap(alpha + Math.PI));
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

    /**
     * The sectors (activation sets of the open regions) of the arrangement of planes u . x~_i = 0 in
     * R^3. Every region of a central arrangement with two non-parallel planes touches a vertex
     * +-(x~_i x x~_j) of the sphere, so the regions are read off around each vertex: the planes
     * through the vertex cut its tangent plane into wedges, one region per wedge.
     */
    static List<BitSet> sectors(AugmentedInputs xt) {
        Attractors.requireDim(xt, 3, "sectorsR3");
        double[][] rows = rows3(xt);
        Set<BitSet> sectors = new LinkedHashSet<>();
        List<double[]> vertices = vertices(rows);
        for (double[] p : vertices) {
            wedges(rows, p, sectors);
        }
        if (vertices.isEmpty()) {
            // all planes coincide (or there are none): two hemispheres
            for (double[] r : rows) {
                double nr = Vectors.norm(r);
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

    private static void wedges(double[][] rows, double[] p, Set<BitSet> sectors) {
        VertexStar star = VertexStar.around(rows, p);
        for (int a = 0; a < star.wedges(); a++) {
            double[] dir = star.direction((star.lo(a) + star.hi(a)) / 2);
            BitSet sigma = new BitSet(rows.length);
            for (int i = 0; i < rows.length; i++) {
                double z = star.through()[i] ? Vectors.dot(dir, rows[i]) : Vectors.dot(p, rows[i]);
                if (z > 0 && Vectors.norm(rows[i]) > 0) {
                    sigma.set(i);
                }
            }
            sectors.add(sigma);
        }
    }

    /** @return the vertices +-(x~_i x x~_j)/|.| of the arrangement on the sphere, for every non-parallel pair */
    static List<double[]> vertices(double[][] rows) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            for (int j = i + 1; j < rows.length; j++) {
                double[] cr = Vectors.cross(rows[i], rows[j]);
                double nc = Vectors.norm(cr);
                if (nc > Attractors.ON_BOUNDARY * Vectors.norm(rows[i]) * Vectors.norm(rows[j])) {
                    out.add(new double[] {cr[0] / nc, cr[1] / nc, cr[2] / nc});
                    out.add(new double[] {-cr[0] / nc, -cr[1] / nc, -cr[2] / nc});
                }
            }
        }
        return out;
    }

    static double[][] rows3(AugmentedInputs xt) {
        double[][] rows = new double[xt.samples()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {xt.x(i, 0), xt.x(i, 1), xt.x(i, 2)};
        }
        return rows;
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
        double[] e = Vectors.cross(p, axis);
        double ne = Vectors.norm(e);
        return new double[] {e[0] / ne, e[1] / ne, e[2] / ne};
    }
}
