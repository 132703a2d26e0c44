package io.reluquant.validation.measures;

import java.util.ArrayList;
import java.util.List;

/**
 * The kinks of a trained 1-D network's function on an interval (docs/THEORY.md sections 4 and 8), counted the way the
 * project reads its groups: the 1-degree clusters of {@link Quantization#clusters}, those with at least
 * {@link #MIN_MASS_SHARE} of the total mass (the share the phases use for J), each bending f at x = -b/w of its mean
 * direction. Kinks within {@link #MERGE_DISTANCE} of each other are one kink (a group with w &gt; 0 and one with
 * w &lt; 0 at one point bend f once), and a kink counts only if it lies inside the interval by more than
 * {@link #EDGE_MARGIN} and its net slope change, sum of a_j abs(w_j) over the clusters' neurons, is at least
 * {@link #MIN_SLOPE_SHARE} of the total slope change of the kinks inside: a kink on or beyond an end of the interval
 * only adds a linear piece there, and groups whose slope changes cancel do not bend f.
 */
public final class Kinks {
    /** Cluster angle, radians (1 degree, as every cluster measure of the report). */
    public static final double CLUSTER_ANGLE = Math.toRadians(1);
    /** Smallest mass share of a cluster that counts. */
    public static final double MIN_MASS_SHARE = 1e-3;
    /** Kinks closer than this are one. */
    public static final double MERGE_DISTANCE = 1e-3;
    /** A kink within this of an end of the interval (or beyond it) is not a kink of f on the interval. */
    public static final double EDGE_MARGIN = 1e-3;
    /** Smallest share of the total slope change for a kink to count. */
    public static final double MIN_SLOPE_SHARE = 1e-3;

    private Kinks() {}

    /**
     * @param position x of the kink
     * @param slopeChange f'(x+) - f'(x-)
     */
    public record Kink(double position, double slopeChange) {}

    /**
     * @param net a network with d = 1 and bias
     * @param lo left end of the interval
     * @param hi right end
     * @return the kinks inside (lo, hi), by position
     */
    public static List<Kink> of(Neurons net, double lo, double hi) {
        if (net.inputDim() != 1 || !net.bias()) {
            throw new IllegalArgumentException("kinks need d = 1 with bias, got d = " + net.inputDim() + (net.bias() ? "" : " without bias"));
        }
        if (!(hi > lo)) {
            throw new IllegalArgumentException("need lo < hi, got " + lo + ", " + hi);
        }
        List<Cluster> clusters = Quantization.clusters(net, CLUSTER_ANGLE);
        double total = 0;
        for (Cluster c : clusters) {
            total += c.mass();
        }
        List<double[]> raw = new ArrayList<>();
        for (Cluster c : clusters) {
            double w = c.direction()[0];
            if (c.mass() < MIN_MASS_SHARE * total || w == 0) {
                continue;
            }
            double x = -c.direction()[1] / w;
            if (!(x > lo + EDGE_MARGIN && x < hi - EDGE_MARGIN)) {
                continue;
            }
            // the slope change of a_j relu(w_j x + b_j) at its kink is a_j abs(w_j), whichever the sign of w_j
            double change = 0;
            for (int j : c.members()) {
                change += net.outputWeight(j) * Math.abs(net.coordinate(j, 0));
            }
            raw.add(new double[] {x, change});
        }
        raw.sort((p, q) -> Double.compare(p[0], q[0]));
        List<double[]> merged = new ArrayList<>();
        for (double[] k : raw) {
            double[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && k[0] - last[2] <= MERGE_DISTANCE) {
                // weighted position by abs(change); last[2] keeps the rightmost raw position so chains merge
                double wa = Math.abs(last[1]);
                double wb = Math.abs(k[1]);
                last[0] = wa + wb > 0 ? (last[0] * wa + k[0] * wb) / (wa + wb) : 0.5 * (last[0] + k[0]);
                last[1] += k[1];
                last[2] = k[0];
            } else {
                merged.add(new double[] {k[0], k[1], k[0]});
            }
        }
        double sum = 0;
        for (double[] k : merged) {
            sum += Math.abs(k[1]);
        }
        List<Kink> out = new ArrayList<>();
        for (double[] k : merged) {
            if (Math.abs(k[1]) >= MIN_SLOPE_SHARE * sum && k[1] != 0) {
                out.add(new Kink(k[0], k[1]));
            }
        }
        return out;
    }

    /** @return the kink positions */
    public static double[] positions(List<Kink> kinks) {
        return kinks.stream().mapToDouble(Kink::position).toArray();
    }
}
