package io.reluquant.validation.measures;

import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.AugmentedInputs;
import io.reluquant.validation.theory.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Basins of the predicted attractors and the alignment inside each (docs/THEORY.md sections 2 and 4).
 *
 * <p>The basin of an attractor A of sign s is the set of directions u that the direction flow of a
 * neuron of sign s, du/dt = (s / n) (D_sigma(u) - (u . D_sigma(u)) u) with the residual held at -y
 * (D_sigma = sum_{i in sigma} y_i x~_i), carries to A. A neuron of sign s belongs to the basin of A when
 * its direction at the measurement does. Inside A's own sector (an interior attractor) the flow runs
 * along the great circle towards A without leaving the sector (sectors are convex cones), so a
 * direction whose activation set equals sigma(A) is in A's basin at once; any other direction is
 * followed by the normalized Euler flow until it enters such a sector or comes within
 * {@link #BOUNDARY_CAPTURE} radians of a boundary attractor of its sign (near which the step shrinks,
 * because the drive does not vanish across a sector boundary). Directions on which the flow
 * stops (an empty sector, D = 0: the neuron does not move and does not grow) or that reach no
 * predicted attractor within {@link #MAX_FLOW_STEPS} steps belong to no basin; their mass is reported
 * as unassigned, so an attractor the prediction missed shows up there rather than vanishing.
 */
public final class Basins {
    /** Angle (radians) within which a followed direction counts as captured by a boundary attractor. */
    public static final double BOUNDARY_CAPTURE = 1e-4;
    /** Most Euler steps of the followed flow (step 0.02 of the tangent of the normalized drive). */
    public static final int MAX_FLOW_STEPS = 50_000;
    private static final double FLOW_STEP = 0.02;
    /** Within this angle of a boundary attractor the Euler step shrinks in proportion, so it settles there instead of hopping across. */
    private static final double SLOWDOWN = 0.05;

    private final AugmentedInputs xt;
    private final double[] y;
    private final List<Attractor> attractors;
    private final int maxFlowSteps;

    /**
     * @param xt the augmented training inputs
     * @param y the targets (the residual is held at -y)
     * @param attractors the predicted attractors at initialization
     */
    public Basins(AugmentedInputs xt, double[] y, List<Attractor> attractors) {
        this(xt, y, attractors, MAX_FLOW_STEPS);
    }

    /**
     * @param xt the augmented training inputs
     * @param y the targets (the residual is held at -y)
     * @param attractors the predicted attractors at initialization
     * @param maxFlowSteps most Euler steps of one followed direction; one that is not captured by then is in no basin
     */
    public Basins(AugmentedInputs xt, double[] y, List<Attractor> attractors, int maxFlowSteps) {
        if (maxFlowSteps < 1) {
            throw new IllegalArgumentException("maxFlowSteps must be >= 1, got " + maxFlowSteps);
        }
        this.maxFlowSteps = maxFlowSteps;
        if (xt == null || y == null || attractors == null || attractors.isEmpty()) {
            throw new IllegalArgumentException("xt, y and a nonempty attractor list are required");
        }
        if (y.length != xt.samples()) {
            throw new IllegalArgumentException("y must have length n = " + xt.samples() + ", got " + y.length);
        }
        this.xt = xt;
        this.y = y.clone();
        this.attractors = List.copyOf(attractors);
    }

    /** @return the attractors, in the order of the indices {@link #basin} returns */
    public List<Attractor> attractors() {
        return attractors;
    }

    /**
     * @param u a direction (need not be unit)
     * @param sign the neuron's sign, +1 or -1
     * @return the index of the attractor whose basin holds u, or -1 if none does
     */
    public int basin(double[] u, int sign) {
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("sign must be +1 or -1, got " + sign);
        }
        double[] p = normalized(u);
        for (int step = 0; step <= maxFlowSteps; step++) {
            BitSet sigma = xt.activation(p);
            int hit = captured(p, sigma, sign);
            if (hit >= 0) {
                return hit;
            }
            double[] d = xt.drive(sigma, y);
            double dn = Vectors.norm(d);
            if (dn == 0) {
                return -1;
            }
            double ud = 0;
            for (int c = 0; c < p.length; c++) {
                ud += p[c] * d[c];
            }
            double tangent = 0;
            double[] t = new double[p.length];
            for (int c = 0; c < p.length; c++) {
                t[c] = sign * (d[c] - ud * p[c]) / dn;
                tangent += t[c] * t[c];
            }
            if (tangent == 0) {
                // a fixed point of the flow that is not a predicted attractor of this sign (a repeller or saddle)
                return -1;
            }
            // across a boundary attractor the drive does not vanish: shrink the step near one of this sign
            double h = FLOW_STEP;
            for (Attractor at : attractors) {
                if (at.boundary() && at.sign() == sign) {
                    h = Math.min(h, FLOW_STEP * AugmentedInputs.angle(p, at.direction()) / SLOWDOWN);
                }
            }
            for (int c = 0; c < p.length; c++) {
                p[c] += h * t[c];
            }
            p = normalized(p);
        }
        return -1;
    }

    private int captured(double[] p, BitSet sigma, int sign) {
        for (int a = 0; a < attractors.size(); a++) {
            Attractor at = attractors.get(a);
            if (at.sign() != sign) {
                continue;
            }
            if (at.boundary() ? AugmentedInputs.angle(p, at.direction()) <= BOUNDARY_CAPTURE : sigma.equals(at.sector())) {
                return a;
            }
        }
        return -1;
    }

    /**
     * Alignment of one attractor's basin.
     *
     * @param attractor the attractor
     * @param basinMass the mass of the neurons in its basin
     * @param basinShare that mass over the total mass
     * @param within the share of the basin mass within {@code eps} of the attractor
     * @param medianAngle the mass-weighted median angle (radians) of the basin's neurons to the attractor
     * @param q99Angle the mass-weighted 99% quantile of that angle (radians)
     * @param spread the mass-weighted median angle (radians) of the basin's neurons to their own mass-weighted mean
     *        direction: the cluster's width, free of the slow drift of its center as the residual starts to move
     * @param neurons how many neurons the basin holds
     */
    public record Alignment(Attractor attractor, double basinMass, double basinShare, double within, double medianAngle, double q99Angle,
            double spread, int neurons) {}

    /**
     * The alignment of every attractor's basin.
     *
     * @param perAttractor one entry per attractor, in the order of {@link #attractors()}
     * @param unassignedShare the share of the total mass in no basin
     */
    public record Report(List<Alignment> perAttractor, double unassignedShare) {}

    /**
     * @param net the network at the measurement
     * @param eps the angle (radians) of "within"
     * @return the alignment of each basin
     */
    public Report measure(Neurons net, double eps) {
        if (net.dim() != xt.dim()) {
            throw new IllegalArgumentException("network has neuron-space dimension " + net.dim() + ", data " + xt.dim());
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be positive, got " + eps);
        }
        int na = attractors.size();
        List<List<double[]>> members = new ArrayList<>();
        for (int a = 0; a < na; a++) {
            members.add(new ArrayList<>());
        }
        double total = 0;
        double unassigned = 0;
        for (int j = 0; j < net.width(); j++) {
            double mj = net.mass(j);
            if (mj == 0) {
                continue;
            }
            total += mj;
            double[] u = net.direction(j);
            int a = basin(u, net.sign(j));
            if (a < 0) {
                unassigned += mj;
            } else {
                double[] row = new double[2 + u.length];
                row[0] = AugmentedInputs.angle(u, attractors.get(a).direction());
                row[1] = mj;
                System.arraycopy(u, 0, row, 2, u.length);
                members.get(a).add(row);
            }
        }
        List<Alignment> out = new ArrayList<>();
        for (int a = 0; a < na; a++) {
            List<double[]> rows = members.get(a);
            rows.sort((p, q) -> Double.compare(p[0], q[0]));
            double mass = 0;
            double near = 0;
            double[] center = new double[xt.dim()];
            for (double[] r : rows) {
                mass += r[1];
                if (r[0] <= eps) {
                    near += r[1];
                }
                for (int c = 0; c < center.length; c++) {
                    center[c] += r[1] * r[2 + c];
                }
            }
            double spread = Double.NaN;
            if (!rows.isEmpty() && Vectors.norm(center) > 0) {
                List<double[]> around = new ArrayList<>();
                for (double[] r : rows) {
                    around.add(new double[] {AugmentedInputs.angle(Arrays.copyOfRange(r, 2, r.length), center), r[1]});
                }
                around.sort((p, q) -> Double.compare(p[0], q[0]));
                spread = quantile(around, mass, 0.5);
            }
            out.add(new Alignment(attractors.get(a), mass, total == 0 ? Double.NaN : mass / total, mass == 0 ? Double.NaN : near / mass,
                    quantile(rows, mass, 0.5), quantile(rows, mass, 0.99), spread, rows.size()));
        }
        return new Report(List.copyOf(out), total == 0 ? Double.NaN : unassigned / total);
    }

    /** The smallest angle at which the cumulative mass reaches q of the basin mass (rows sorted by angle). */
    private static double quantile(List<double[]> rows, double mass, double q) {
        double acc = 0;
        for (double[] r : rows) {
            acc += r[1];
            if (acc >= q * mass) {
                return r[0];
            }
        }
        return Double.NaN;
    }

    private static double[] normalized(double[] v) {
        double n = Vectors.norm(v);
        if (!(n > 0)) {
            throw new IllegalArgumentException("direction must be nonzero, got " + Arrays.toString(v));
        }
        double[] p = new double[v.length];
        for (int c = 0; c < v.length; c++) {
            p[c] = v[c] / n;
        }
        return p;
    }
}
