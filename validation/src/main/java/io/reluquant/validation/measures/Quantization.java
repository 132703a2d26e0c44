package io.reluquant.validation.measures;

import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measures of quantization of docs/THEORY.md section 4, as plain functions of a network
 * ({@link Neurons}) and, where needed, the data and the predicted attractors.
 */
public final class Quantization {
    // the cell index of a direction coordinate is packed into 16 bits per coordinate of a hash key
    private static final int MAX_CELLS = 30_000;
    private static final int MAX_HASHED_DIM = 4;

    private Quantization() {}

    /**
     * Clusters of neurons of equal sign whose directions are within eps: leader clustering, neurons
     * taken by decreasing mass, each joining the first cluster of its sign whose leader (heaviest
     * neuron) is within eps, else founding a new one. Zero-mass neurons are left out. Candidate leaders
     * are found through a grid of cells of side 2 sin(eps/2) over the unit sphere (neighbouring
     * cells only), so the cost is near O(m log m) in low dimension.
     *
     * @param eps angle in radians, positive
     * @return clusters by decreasing mass
     */
    public static List<Cluster> clusters(Neurons net, double eps) {
        if (!(eps > 0) || eps >= Math.PI) {
            throw new IllegalArgumentException("eps must be in (0, pi) radians, got " + eps);
        }
        int m = net.width();
        int k = net.dim();
        Integer[] order = new Integer[m];
        int live = 0;
        for (int j = 0; j < m; j++) {
            if (net.mass(j) > 0) {
                order[live++] = j;
            }
        }
        Integer[] byMass = java.util.Arrays.copyOf(order, live);
        java.util.Arrays.sort(byMass, (p, q) -> Double.compare(net.mass(q), net.mass(p)));
        double cell = 2 * Math.sin(eps / 2);
        boolean hashed = k <= MAX_HASHED_DIM && 1 / cell < MAX_CELLS;
        Map<Long, List<Integer>> grid = new HashMap<>();
        List<double[]> leaders = new ArrayList<>();
        List<Integer> signs = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        double cosEps = Math.cos(eps);
        for (int j : byMass) {
            double[] u = net.direction(j);
            int s = net.sign(j);
            int found = -1;
            if (hashed) {
                int[] idx = cellOf(u, cell);
                found = searchNeighbours(grid, idx, 0, new int[k], leaders, signs, u, s, cosEps, eps);
            } else {
                for (int c = 0; c < leaders.size() && found < 0; c++) {
                    if (signs.get(c) == s && within(leaders.get(c), u, cosEps, eps)) {
                        found = c;
                    }
                }
            }
            if (found < 0) {
                found = leaders.size();
                leaders.add(u);
                signs.add(s);
                members.add(new ArrayList<>());
                if (hashed) {
                    grid.computeIfAbsent(key(cellOf(u, cell)), key -> new ArrayList<>()).add(found);
                }
            }
            members.get(found).add(j);
        }
        List<Cluster> out = new ArrayList<>();
        for (int c = 0; c < leaders.size(); c++) {
            double[] mean = new double[k];
            double mass = 0;
            int[] idx = members.get(c).stream().mapToInt(Integer::intValue).toArray();
            for (int j : idx) {
                double mj = net.mass(j);
                double[] u = net.direction(j);
                for (int q = 0; q < k; q++) {
                    mean[q] += mj * u[q];
                }
                mass += mj;
            }
            double norm = 0;
            for (double e : mean) {
                norm += e * e;
            }
            norm = Math.sqrt(norm);
            for (int q = 0; q < k; q++) {
                mean[q] /= norm;
            }
            out.add(new Cluster(signs.get(c), mean, mass, idx));
        }
        out.sort((p, q) -> Double.compare(q.mass(), p.mass()));
        return out;
    }

    /** @return N_eff = exp(entropy of the clusters' mass shares); 1 for one cluster, C for C equal clusters */
    public static double effectiveCount(List<Cluster> clusters) {
        double total = 0;
        for (Cluster c : clusters) {
            total += c.mass();
        }
        if (total == 0) {
            return Double.NaN;
        }
        double h = 0;
        for (Cluster c : clusters) {
            double p = c.mass() / total;
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return Math.exp(h);
    }

    /**
     * @param eps angle in radians
     * @return the share of the total mass carried by neurons whose direction is within eps of a
     *         predicted attractor of the same sign
     */
    public static double massWithin(Neurons net, List<Attractor> attractors, double eps) {
        double total = 0;
        double near = 0;
        for (int j = 0; j < net.width(); j++) {
            double mj = net.mass(j);
            if (mj == 0) {
                continue;
            }
            total += mj;
            double[] u = net.direction(j);
            for (Attractor a : attractors) {
                if (a.sign() == net.sign(j) && AugmentedInputs.angle(a.direction(), u) <= eps) {
                    near += mj;
                    break;
                }
            }
        }
        return total == 0 ? Double.NaN : near / total;
    }

    /**
     * Kinks for d = 1 with bias: neuron j bends f at x = -b_j / w_j.
     *
     * @return rows {position, mass} for every neuron with w_j != 0 and nonzero mass
     */
    public static double[][] kinks(Neurons net) {
        if (net.inputDim() != 1 || !net.bias()) {
            throw new IllegalArgumentException("kinks are defined for d = 1 with bias, got d = " + net.inputDim()
                    + (net.bias() ? "" : " without bias"));
        }
        List<double[]> rows = new ArrayList<>();
        for (int j = 0; j < net.width(); j++) {
            double w = net.coordinate(j, 0);
            if (w != 0 && net.mass(j) > 0) {
                rows.add(new double[] {-net.coordinate(j, 1) / w, net.mass(j)});
            }
        }
        return rows.toArray(new double[0][]);
    }

    /**
     * @param minShare clusters with a smaller share of the total mass are left out
     * @return the distinct activation patterns sigma(u) on the data of the clusters' directions: J
     */
    public static List<BitSet> patterns(List<Cluster> clusters, AugmentedInputs xt, double minShare) {
        double total = 0;
        for (Cluster c : clusters) {
            total += c.mass();
        }
        List<BitSet> out = new ArrayList<>();
        for (Cluster c : clusters) {
            if (c.mass() >= minShare * total) {
                BitSet s = xt.activation(c.direction());
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** @return sign * cos(u, D_sigma(u)) per cluster, with the residuals r = f - y of the network now */
    public static double[] selfConsistency(List<Cluster> clusters, AugmentedInputs xt, double[] residuals) {
        double[] out = new double[clusters.size()];
        for (int c = 0; c < out.length; c++) {
            Cluster cl = clusters.get(c);
            out[c] = Attractors.selfConsistency(xt, cl.direction(), cl.sign(), residuals);
        }
        return out;
    }

    /** @return r_i = f(x_i) - y_i */
    public static double[] residuals(Neurons net, AugmentedInputs xt, double[] y) {
        double[] f = net.outputs(xt);
        for (int i = 0; i < f.length; i++) {
            f[i] -= y[i];
        }
        return f;
    }

    private static boolean within(double[] leader, double[] u, double cosEps, double eps) {
        double dot = 0;
        for (int q = 0; q < u.length; q++) {
            dot += leader[q] * u[q];
        }
        // the cosine test is exact enough away from eps; near it, decide by the stable angle
        if (Math.abs(dot - cosEps) > 1e-9) {
            return dot > cosEps;
        }
        return AugmentedInputs.angle(leader, u) <= eps;
    }

    private static int[] cellOf(double[] u, double cell) {
        int[] idx = new int[u.length];
        for (int q = 0; q < u.length; q++) {
            idx[q] = (int) Math.floor(u[q] / cell);
        }
        return idx;
    }

    private static long key(int[] idx) {
        long key = 0;
        for (int q : idx) {
            key = (key << 16) | ((q + 32768) & 0xFFFF);
        }
        return key;
    }

    // depth-first over the 3^k neighbouring cells; returns the lowest-numbered matching cluster there
    private static int searchNeighbours(Map<Long, List<Integer>> grid, int[] idx, int depth, int[] probe,
            List<double[]> leaders, List<Integer> signs, double[] u, int s, double cosEps, double eps) {
        if (depth == idx.length) {
            List<Integer> cands = grid.get(key(probe));
            int best = -1;
            if (cands != null) {
                for (int c : cands) {
                    if (signs.get(c) == s && (best < 0 || c < best) && within(leaders.get(c), u, cosEps, eps)) {
                        best = c;
                    }
                }
            }
            return best;
        }
        int best = -1;
        for (int off = -1; off <= 1; off++) {
            probe[depth] = idx[depth] + off;
            int c = searchNeighbours(grid, idx, depth + 1, probe, leaders, signs, u, s, cosEps, eps);
            if (c >= 0 && (best < 0 || c < best)) {
                best = c;
            }
        }
        return best;
    }
}
