package io.reluquant.validation.theory;

import io.reluquant.kernel.Dataset;
import io.reluquant.validation.measures.Plateaus;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The phase-by-phase oracle of docs/THEORY.md section 2 (saddle to saddle), computed before any wide
 * network is trained: the sequence of activation-pattern sets J that small-init GD passes through and
 * the loss of every plateau, ||(I - P_J) y||^2 / (2n).
 *
 * <p><b>The rule.</b> Compute the attractors at initialization from the data ({@link Attractors#predict}
 * with c = y). Put one balanced neuron on each, with the mass a basin holds at init (the total
 * lambda^2 k of the balanced init shared equally), and train this few-neuron {@link ReducedNetwork}
 * by the same GD (same lr, same horizon). Its plateaus (found by the same detector as the measured
 * curves, {@link Plateaus}) give J (patterns of its neurons with at least {@link Criteria#patternShare} of
 * the mass; a sample exactly on a kink is inactive) and P_J y. In the small-lambda limit this
 * reduces to the rule of THEORY: at each plateau the attractors recomputed with the current residual
 * decide, and the group of largest rate |D_sigma| grows next. Why the reduced network and not that
 * rule applied literally (each finding was measured on wide runs, m = 300..1e3, lambda = 1e-6):
 * <ol>
 *   <li><b>Groups move after their escape.</b> On the five-point data, after the constant group fits
 *       the mean, the two attractors of the new residual sit on the boundary x = 0 (patterns {0.5, 1}
 *       and {-1, -0.5}); adding those patterns to J spans R^5 and predicts P_J y = y, loss 0. The
 *       wide network instead grows these groups with the kink pinned at 0 (a boundary group has no
 *       free bias) and they then slide to +-0.5, ending at J = {all, {1}, {-1}}, L = 1/1500.
 *       Relaxing the groups by GD captures this (a cluster of balanced neurons moves exactly like one
 *       neuron of the summed mass).</li>
 *   <li><b>Only attractors whose basin holds mass can escape.</b> After the alignment every neuron
 *       sits at an attractor of the initial residual or inside a grown group. On the five-point data
 *       at L = 1/1500 the residual has a negative attractor (kink at 0, rate 0.0167) that would fit
 *       the data exactly, but every negative neuron sits in the constant group, where D = 0, so
 *       nothing flows there: measured, m = 300, the loss stays at 1/1500 for 6e5 steps (12000 units
 *       of time, 700 times the escape time of that rate). Greedy "largest rate of the recomputed
 *       attractors" predicts a third phase that never comes. In the reduced network tiny neurons are
 *       exactly where the mass is, so this is automatic.</li>
 *   <li><b>Near-ties.</b> At the escape of a group of rate rho1 a group of rate rho2 has grown from
 *       lambda to lambda^(1 - rho2/rho1) in norm, negligible only when (1 - rho2/rho1) ln(1/lambda)
 *       is large; the reduced network starts at the init's mass scale, so it carries this effect.</li>
 * </ol>
 */
public final class PhaseOracle {
    /** Loss samples of the reduced run are taken every this many steps. */
    public static final int SAMPLE_EVERY = 10;

    private PhaseOracle() {}

    /**
     * The thresholds of the oracle, the caller's (the experiments take theirs from their claims, the same ones their
     * measurement uses).
     *
     * @param plateaus what counts as a plateau of the reduced run (the detector of the measured curves)
     * @param patternShare neurons with a smaller share of the reduced network's mass are left out of J
     * @param activationMargin a sample is active for a direction u when u . x~_i &gt; this cosine |u| |x~_i|
     */
    public record Criteria(Plateaus.Criteria plateaus, double patternShare, double activationMargin) {
        public Criteria {
            if (plateaus == null) {
                throw new IllegalArgumentException("plateaus must not be null");
            }
            if (!(patternShare >= 0 && patternShare < 1) || !(activationMargin >= 0 && activationMargin < 1)) {
                throw new IllegalArgumentException("patternShare and activationMargin must be in [0, 1), got " + patternShare + ", "
                        + activationMargin);
            }
        }
    }

    /**
     * One predicted plateau.
     *
     * @param step the flattest step of the reduced run's plateau
     * @param patterns J of this plateau
     * @param fitted P_J y
     * @param loss ||(I - P_J) y||^2 / (2n), the predicted plateau loss
     * @param reducedLoss the reduced network's loss there (equal to loss at a stationary point of its J)
     */
    public record Phase(long step, List<BitSet> patterns, double[] fitted, double loss, double reducedLoss) {}

    /**
     * @param initialLoss L0 = |y|^2 / (2n), the plateau at f = 0
     * @param attractors the attractors at initialization, one reduced neuron each
     * @param phases the plateaus after each escape, in order
     */
    public record Prediction(double initialLoss, List<Attractor> attractors, List<Phase> phases) {
        /** @return the predicted plateau losses after each escape, in order (for figures) */
        public double[] plateauLosses() {
            return phases.stream().mapToDouble(Phase::loss).toArray();
        }

        /** @return the predicted J of each plateau, in order */
        public List<List<BitSet>> patternSequence() {
            List<List<BitSet>> out = new ArrayList<>();
            for (Phase p : phases) {
                out.add(p.patterns());
            }
            return out;
        }
    }

    /**
     * @param data the training set
     * @param bias whether neurons carry a bias
     * @param lambda the init scale of the balanced init, positive
     * @param lr the learning rate of the training to be predicted
     * @param steps its number of steps (the horizon: plateaus later than this are not predicted)
     * @param criteria the thresholds
     * @return the predicted phases
     */
    public static Prediction predict(Dataset data, boolean bias, double lambda, double lr, long steps, Criteria criteria) {
        if (data == null || criteria == null) {
            throw new IllegalArgumentException("data and criteria must not be null, got " + data + ", " + criteria);
        }
        if (!(lambda > 0) || !(lr > 0) || steps <= 0) {
            throw new IllegalArgumentException("lambda, lr, steps must be positive, got " + lambda + ", " + lr + ", " + steps);
        }
        AugmentedInputs xt = AugmentedInputs.of(data, bias);
        double[] y = data.targets();
        List<Attractor> attractors = Attractors.predict(xt, y);
        ReducedNetwork net = reservoir(xt, y, attractors, lambda);
        double l0 = new ReducedNetwork(xt, y).loss();
        Plateaus<List<BitSet>> detector = new Plateaus<>(lr, l0, criteria.plateaus());
        for (long s = 1; s <= steps; s++) {
            net.step(lr);
            if (s % SAMPLE_EVERY == 0 || s == steps) {
                detector.offer(s, net.loss(), () -> net.patterns(criteria.patternShare(), criteria.activationMargin()));
            }
        }
        List<Phase> phases = new ArrayList<>();
        for (Plateaus.Plateau<List<BitSet>> p : detector.plateaus()) {
            double[] fitted = FinalFit.project(xt, p.snapshot(), y);
            double loss = 0;
            for (int i = 0; i < y.length; i++) {
                loss += (y[i] - fitted[i]) * (y[i] - fitted[i]);
            }
            phases.add(new Phase(p.step(), List.copyOf(p.snapshot()), fitted, loss / (2 * y.length), p.loss()));
        }
        return new Prediction(l0, List.copyOf(attractors), List.copyOf(phases));
    }

    /**
     * One balanced neuron per attractor, each with mass lambda^2 k / (number of attractors): the
     * balanced init has E|v_j|^2 = lambda^2 k / m, so the total mass is lambda^2 k, shared here
     * equally among the basins (a basin's share changes its escape time only by ln(share)).
     */
    static ReducedNetwork reservoir(AugmentedInputs xt, double[] y, List<Attractor> attractors, double lambda) {
        ReducedNetwork net = new ReducedNetwork(xt, y);
        double mass = lambda * lambda * xt.dim() / attractors.size();
        for (Attractor a : attractors) {
            net.addBalanced(a.sign(), a.direction(), mass);
        }
        return net;
    }
}
