package io.reluquant.validation.theory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A network of a few neurons in float64, trained by plain full-batch GD with the loss and gradient
 * of docs/THEORY.md section 1 (relu'(0) = 0). It stands for a wide network whose neurons have
 * gathered on a few directions: a cluster of balanced neurons sharing a direction u with total mass
 * M moves under gradient flow exactly like one balanced neuron with |a| = |v| = sqrt(M) (the mass of
 * each member grows at the rate 2 G(u) / n, linear in the mass, and the direction flow does not
 * depend on the mass). Used by {@link PhaseOracle} to relax the network between escapes and by the
 * reduced-model experiment to replay a wide network's trajectory with one neuron per cluster.
 */
public final class ReducedNetwork {
    private final AugmentedInputs xt;
    private final double[] y;
    private final List<double[]> v = new ArrayList<>();
    private final List<Double> a = new ArrayList<>();

    /**
     * @param xt the augmented training inputs
     * @param y the targets
     */
    public ReducedNetwork(AugmentedInputs xt, double[] y) {
        if (xt == null) {
            throw new IllegalArgumentException("xt must not be null");
        }
        xt.checkWeights(y);
        this.xt = xt;
        this.y = y.clone();
    }

    /**
     * Adds a balanced neuron: a = sign sqrt(mass), v = sqrt(mass) u / |u|.
     *
     * @param sign +1 or -1, the sign of a
     * @param direction u, nonzero, length k
     * @param mass |a| |v|, positive
     */
    public void addBalanced(int sign, double[] direction, double mass) {
        xt.checkVector("direction", direction);
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("sign must be +1 or -1, got " + sign);
        }
        if (!(mass > 0) || !Double.isFinite(mass)) {
            throw new IllegalArgumentException("mass must be finite and positive, got " + mass);
        }
        double nu = Vectors.norm(direction);
        if (!(nu > 0)) {
            throw new IllegalArgumentException("direction must be nonzero");
        }
        double s = Math.sqrt(mass);
        double[] vv = new double[direction.length];
        for (int c = 0; c < vv.length; c++) {
            vv[c] = s * direction[c] / nu;
        }
        v.add(vv);
        a.add(sign * s);
    }

    /** @return the number of neurons */
    public int width() {
        return a.size();
    }

    /** @return a_j */
    public double outputWeight(int j) {
        return a.get(j);
    }

    /** @return a copy of v_j */
    public double[] neuron(int j) {
        return v.get(j).clone();
    }

    /** @return |a_j| |v_j| */
    public double mass(int j) {
        return Math.abs(a.get(j)) * Vectors.norm(v.get(j));
    }

    /** @return f(x_i) on the training points */
    public double[] outputs() {
        int n = xt.samples();
        double[] f = new double[n];
        for (int j = 0; j < a.size(); j++) {
            double[] vj = v.get(j);
            double aj = a.get(j);
            for (int i = 0; i < n; i++) {
                double z = xt.dot(vj, i);
                if (z > 0) {
                    f[i] += aj * z;
                }
            }
        }
        return f;
    }

    /**
     * @param point an augmented input (x, 1) (or x without bias), length k
     * @return f there
     */
    public double evaluate(double[] point) {
        xt.checkVector("point", point);
        double f = 0;
        for (int j = 0; j < a.size(); j++) {
            double z = 0;
            double[] vj = v.get(j);
            for (int c = 0; c < vj.length; c++) {
                z += vj[c] * point[c];
            }
            if (z > 0) {
                f += a.get(j) * z;
            }
        }
        return f;
    }

    /** @return r_i = f(x_i) - y_i */
    public double[] residuals() {
        double[] f = outputs();
        for (int i = 0; i < f.length; i++) {
            f[i] -= y[i];
        }
        return f;
    }

    /** @return L = (1/(2n)) sum_i r_i^2 */
    public double loss() {
        return lossOf(residuals());
    }

    private static double lossOf(double[] r) {
        double s = 0;
        for (double e : r) {
            s += e * e;
        }
        return s / (2 * r.length);
    }

    /**
     * One GD step, every parameter moved by -lr times its gradient at the same point.
     *
     * @param lr learning rate, positive
     * @return the loss before the step
     */
    public double step(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("lr must be positive, got " + lr);
        }
        int n = xt.samples();
        int k = xt.dim();
        double[] r = residuals();
        for (int j = 0; j < a.size(); j++) {
            double[] vj = v.get(j);
            double aj = a.get(j);
            double ga = 0;
            double[] gv = new double[k];
            for (int i = 0; i < n; i++) {
                double z = xt.dot(vj, i);
                if (z > 0) {
                    ga += r[i] * z;
                    for (int c = 0; c < k; c++) {
                        gv[c] += r[i] * xt.x(i, c);
                    }
                }
            }
            a.set(j, aj - lr * ga / n);
            for (int c = 0; c < k; c++) {
                vj[c] -= lr * aj * gv[c] / n;
            }
        }
        return lossOf(r);
    }

    /**
     * The activation patterns of the neurons holding at least {@code minShare} of the total mass, a
     * sample counting as active only when u . x~_i &gt; margin |x~_i| (a neuron whose kink sits on a
     * data point, a boundary attractor, does not act there: relu(0) = 0).
     *
     * @param minShare share of the total mass below which a neuron is left out
     * @param margin the activation margin (cosine), non-negative
     * @return J, distinct patterns in order of the neurons
     */
    public List<BitSet> patterns(double minShare, double margin) {
        double total = 0;
        for (int j = 0; j < a.size(); j++) {
            total += mass(j);
        }
        List<BitSet> out = new ArrayList<>();
        for (int j = 0; j < a.size(); j++) {
            if (mass(j) >= minShare * total && mass(j) > 0) {
                BitSet s = activation(xt, v.get(j), margin);
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /**
     * @param xt the inputs
     * @param u a direction (any norm)
     * @param margin activation margin, a cosine
     * @return { i : u . x~_i &gt; margin |u| |x~_i| }
     */
    public static BitSet activation(AugmentedInputs xt, double[] u, double margin) {
        xt.checkVector("u", u);
        double nu = Vectors.norm(u);
        BitSet s = new BitSet(xt.samples());
        for (int i = 0; i < xt.samples(); i++) {
            double row = 0;
            for (int c = 0; c < xt.dim(); c++) {
                row += xt.x(i, c) * xt.x(i, c);
            }
            if (xt.dot(u, i) > margin * nu * Math.sqrt(row)) {
                s.set(i);
            }
        }
        return s;
    }
}
