package io.reluquant.validation.theory;

import io.reluquant.kernel.Dataset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The race of docs/THEORY.md section 2: the whole saddle-to-saddle sequence of small-init GD predicted
 * from the data alone in the limit lambda -&gt; 0 at a fixed learning rate. Every neuron group carries a
 * deficit delta (its log-norm is -delta ln(1/lambda)); on plateau k a group at an attractor with
 * G^(k)(u) grows at rate rho = ln(1 + lr s G / n) / lr per unit of time t = lr * steps, so
 * escape k+1 comes at c_{k+1} = c_k + min delta / rho over groups with rho &gt; 0, and every deficit falls
 * by rho (c_{k+1} - c_k). The output: every jump constant c_k = lim t_k / ln(1/lambda), every J_k and
 * every plateau loss, and whether the last plateau is an early-alignment trap.
 *
 * <p>What the bare recursion leaves open is computed, not assumed:
 * <ul>
 *   <li><b>Transitions.</b> The escaping group(s) enter a small GD (the same lr) beside the groups grown
 *       before, with a norm {@link #ENTRY_NORM} that is negligible against the loss; the GD runs to the
 *       next stationary point, whose loss is the plateau loss (this includes a kink pinned on a data
 *       point, which contributes one hinge column, and groups that slide, merge or die on the way).
 *       The small groups ride along as tracers: balanced, their norm held at a size that cannot touch
 *       f, their direction moved by exactly the map u &lt;- (u + lr s D(u) / n) / |.| of a small
 *       balanced neuron under GD, so each ends in the basin the time-varying residual sends it to.
 *       Their log-norm changes by O(1) on the way, nothing against ln(1/lambda).</li>
 *   <li><b>Sign flips.</b> A small group whose rate is negative (s G &lt; 0) flips the sign of a
 *       after a time n ln(1/lr) / |G| independent of lambda (the O(lr^2) drift of a^2 - |v|^2 grows
 *       relative to the shrinking |v|^2), so in this limit it flips at once, keeps its deficit and,
 *       now sitting on an extremum of the wrong kind, splits into copies that flow to the attractors of
 *       the other sign around it ({@link #SPLIT_ANGLE}).</li>
 *   <li><b>Who may escape.</b> Only tracers exist: directions that held neurons at initialization and
 *       were carried since. A tracer with no active sample is dead; one that points along a grown group of its
 *       sign (within 1e-4 rad) has joined it (D = 0 there) and moves with it; both are dropped. A rate at most
 *       {@link Criteria#rateFloor} times the first escape's counts as zero (the tracer stays and may escape on a later
 *       plateau). A plateau is final
 *       when no tracer has a positive rate; when the residual there still has an attractor with a
 *       positive rate (the largest s G over the sphere is positive), the plateau is an early-alignment trap
 *       (Boursier &amp; Flammarion 2024): one neuron placed there would escape, none is there.</li>
 * </ul>
 */
public final class Race {
    /**
     * The thresholds of the race, the caller's (the experiments take theirs from their claims).
     *
     * @param rateFloor rates at most this fraction of the first escape's rate count as zero: a group inside a grown group
     *        (D = 0 up to the transition GD's own residual motion), or an escape later than about 1/this times the first,
     *        beyond any float64 lambda
     * @param tie escape times delta / rho within this relative distance of the smallest tie: those groups escape together
     * @param patternShare neurons with a smaller share of the mass are left out of a phase's J
     * @param activationMargin a sample is active for a direction u when u . x~_i &gt; this cosine |u| |x~_i|
     * @param kinkMargin a sample is on a group's kink when |u . x~_i| is at most this cosine |u| |x~_i| ({@link Phase#onKink})
     */
    public record Criteria(double rateFloor, double tie, double patternShare, double activationMargin, double kinkMargin) {
        public Criteria {
            if (!(rateFloor >= 0 && rateFloor < 1) || !(tie >= 0 && tie < 1) || !(patternShare >= 0 && patternShare < 1)
                    || !(activationMargin >= 0 && activationMargin < 1) || !(kinkMargin >= 0 && kinkMargin < 1)) {
                throw new IllegalArgumentException("race criteria must be in [0, 1), got " + rateFloor + ", " + tie + ", " + patternShare
                        + ", " + activationMargin + ", " + kinkMargin);
            }
        }
    }

    /** Norm |v| = |a| with which an escaping group enters the transition GD (its mass 1e-12 is far below any plateau loss). */
    public static final double ENTRY_NORM = 1e-6;
    /** The norm at which tracers are held (their contribution to f, 1e-100, is nothing). */
    static final double TRACER_NORM = 1e-50;
    /** A flipped group splits into copies this far (radians) from the extremum it sat on. */
    public static final double SPLIT_ANGLE = 1e-3;
    /** A transition ends when the loss changed by less than this (relative) over {@link #WINDOW_TIME} (a kink on a data point makes GD jitter across it: measured 1e-7..5e-6 relative at lr = 0.16). */
    public static final double SETTLED = 1e-5;
    /** ... or when it fell below this fraction of L0 (an exact fit). */
    public static final double FIT = 1e-12;
    /** The window of the settling test, in units of time. */
    public static final double WINDOW_TIME = 200;
    /** Cap of one transition, in units of time (a transition that reaches it is flagged unsettled). */
    public static final double MAX_TRANSITION_TIME = 40_000;
    /** Largest number of phases followed. */
    public static final int MAX_PHASES = 12;
    /** A rate within this relative distance of its settled value counts as settled (the slide time of a plateau). */
    public static final double SLIDE_TOLERANCE = 0.05;
    /**
     * A plateau is settled when the transition GD's loss stays within this relative distance of its end loss (half the 1% of the
     * claims' plateau-loss criterion, so that a plateau read after its settle time is read at its level).
     */
    public static final double SETTLE_TOLERANCE = 5e-3;
    /** The transition GD keeps its residual every this many units of time, to measure the slide afterwards. */
    static final double TRACE_TIME = 5;
    /** Tracers of the same sign closer than this angle (radians) are one group (the one of smaller deficit survives). */
    static final double SAME_DIRECTION = 1e-6;
    /** A tracer this close (radians) to a grown neuron of its sign has joined it (D = 0 there, so it moves with the group). */
    static final double MERGED = 1e-4;

    private static final boolean DEBUG = Boolean.getBoolean("reluquant.race.debug");

    private Race() {}

    /**
     * A small group: sign of a, unit direction, deficit.
     */
    private static final class Tracer {
        int sign;
        double[] u;
        double deficit;

        Tracer(int sign, double[] u, double deficit) {
            this.sign = sign;
            this.u = u;
            this.deficit = deficit;
        }
    }

    /**
     * One escape and the plateau after it.
     *
     * @param index k = 1, 2, ...
     * @param jump c_k: the k-th escape comes at t_k ~ c_k ln(1/lambda), t = lr * steps
     * @param escaping the escaping groups: sign and unit direction (d+1 coordinates), at the moment of escape
     * @param escapingRates their rates rho
     * @param loss the plateau loss after this escape (the stationary loss of the transition GD)
     * @param patterns J of that plateau (groups with at least {@link Criteria#patternShare} of the mass,
     *        active where u . x~_i &gt; {@link Criteria#activationMargin} |u| |x~_i|)
     * @param fitted the fitted values there
     * @param settled whether the transition GD reached a stationary point within its cap
     * @param slideTime how long after escape k (read, as measured, where the loss passes the midpoint of the levels around
     *        it; in units of time t = lr * steps, independent of lambda) the group escaping
     *        next still grows at a rate more than {@link #SLIDE_TOLERANCE} away from its rate on the settled plateau (0 after
     *        the last escape). The race is the limit lambda -&gt; 0, where every transition is instantaneous against
     *        ln(1/lambda); at a finite lambda a slide longer than the time to the next escape means the next group grows at
     *        the rate of the sliding network, not at the plateau's, and escapes at another time
     * @param onKink the data points lying on a kink of a group of that plateau (|u . x~_i| at most {@link Criteria#kinkMargin}
     *        |u| |x~_i| for a group holding at least {@link Criteria#patternShare} of the mass): the function and the loss are the
     *        same whichever side such a point is counted on, and GD jitters across it, so its bit in J is not determined
     * @param settleTime how long after escape k (read at the same midpoint as the slide time; units of time, independent of
     *        lambda) the transition GD's loss stays within {@link #SETTLE_TOLERANCE} of this plateau's loss: the time a run needs
     *        before the plateau can be read at its level (a final approach can take thousands of units)
     */
    public record Phase(int index, double jump, List<double[]> escaping, double[] escapingRates, double loss, List<BitSet> patterns,
            double[] fitted, boolean settled, double slideTime, BitSet onKink, double settleTime) {}

    /**
     * @param initialLoss L0 = |y|^2 / (2n)
     * @param lr the learning rate the constants are for
     * @param phases every escape, in order
     * @param trap whether the last plateau is an early-alignment trap
     * @param unheld the attractors of the last plateau's residual with a positive rate that hold no group
     * @param greedyLoss what the greedy rule predicts next from the last plateau: the loss the transition GD reaches with
     *        one group added on the strongest unheld attractor (NaN without a trap)
     */
    public record Prediction(double initialLoss, double lr, List<Phase> phases, boolean trap, List<Attractor> unheld, double greedyLoss) {
        /** @return c_1, c_2, ... */
        public double[] jumps() {
            return phases.stream().mapToDouble(Phase::jump).toArray();
        }

        /** @return the plateau loss after each escape */
        public double[] plateauLosses() {
            return phases.stream().mapToDouble(Phase::loss).toArray();
        }

        /**
         * Whether plateau k (the one after escape k) is reached before escape k + 1 at this lambda: its slide time is at
         * most the given share of the time between the two escapes, (c_{k+1} - c_k) ln(1/lambda). The last plateau has no
         * next escape and is always reached.
         *
         * @param k the plateau, 1-based
         * @param lambda the init scale
         * @param share the largest share of the gap the transition may take
         * @return whether the plateau settles before the next escape comes
         */
        public boolean settlesBeforeNextEscape(int k, double lambda, double share) {
            if (k >= phases.size()) {
                return true;
            }
            double gap = (phases.get(k).jump() - phases.get(k - 1).jump()) * Math.log(1 / lambda);
            return phases.get(k - 1).slideTime() <= share * gap;
        }

        /** @return the loss of the plateau before escape k (k = 1: L0) */
        public double levelBefore(int k) {
            return k == 1 ? initialLoss : phases.get(k - 2).loss();
        }

        /** @return this prediction with c_k multiplied by factor (the mutation a judge must catch) */
        public Prediction withJump(int k, double factor) {
            List<Phase> out = new ArrayList<>(phases);
            Phase p = out.get(k - 1);
            out.set(k - 1, new Phase(p.index(), p.jump() * factor, p.escaping(), p.escapingRates(), p.loss(), p.patterns(), p.fitted(), p.settled(),
                    p.slideTime(), p.onKink(), p.settleTime()));
            return new Prediction(initialLoss, lr, List.copyOf(out), trap, unheld, greedyLoss);
        }
    }

    /**
     * @param data the training set
     * @param bias whether neurons carry a bias
     * @param lr the learning rate of the GD to be predicted
     * @param criteria the thresholds
     * @return the race's prediction
     */
    public static Prediction predict(Dataset data, boolean bias, double lr, Criteria criteria) {
        if (data == null || criteria == null) {
            throw new IllegalArgumentException("data and criteria must not be null, got " + data + ", " + criteria);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and positive, got " + lr);
        }
        AugmentedInputs xt = AugmentedInputs.of(data, bias);
        double[] y = data.targets();
        int n = xt.samples();
        double l0 = 0;
        for (double v : y) {
            l0 += v * v;
        }
        l0 /= 2 * n;
        List<Tracer> tracers = new ArrayList<>();
        for (Attractor a : Attractors.predict(xt, y)) {
            tracers.add(new Tracer(a.sign(), a.direction(), 1));
        }
        Grown grown = new Grown(xt, y);
        double c = 0;
        List<Phase> phases = new ArrayList<>();
        double floor = Double.NaN;
        for (int k = 1; k <= MAX_PHASES; k++) {
            double[] minusR = grown.minusResiduals();
            if (k == 1) {
                double top = 0;
                for (Tracer t : tracers) {
                    top = Math.max(top, rate(xt, t, minusR, lr));
                }
                floor = criteria.rateFloor() * top;
            }
            settle(xt, grown, tracers, minusR, lr, floor);
            double best = Double.POSITIVE_INFINITY;
            double[] rates = new double[tracers.size()];
            for (int g = 0; g < tracers.size(); g++) {
                rates[g] = rate(xt, tracers.get(g), minusR, lr);
                if (rates[g] > floor) {
                    best = Math.min(best, tracers.get(g).deficit / rates[g]);
                }
            }
            if (best == Double.POSITIVE_INFINITY) {
                break;
            }
            c += best;
            List<Tracer> escaping = new ArrayList<>();
            List<Double> escRates = new ArrayList<>();
            List<Tracer> rest = new ArrayList<>();
            for (int g = 0; g < tracers.size(); g++) {
                Tracer t = tracers.get(g);
                if (rates[g] > floor && t.deficit / rates[g] <= best * (1 + criteria.tie())) {
                    escaping.add(t);
                    escRates.add(rates[g]);
                } else {
                    t.deficit -= Math.max(rates[g], 0) * best;
                    rest.add(t);
                }
            }
            if (k > 1) {
                Phase prev = phases.get(k - 2);
                double slide = 0;
                for (int e = 0; e < escaping.size(); e++) {
                    slide = Math.max(slide, grown.slideTime(escaping.get(e), escRates.get(e), lr));
                }
                phases.set(k - 2, new Phase(prev.index(), prev.jump(), prev.escaping(), prev.escapingRates(), prev.loss(), prev.patterns(),
                        prev.fitted(), prev.settled(), slide, prev.onKink(), prev.settleTime()));
            }
            List<double[]> dirs = new ArrayList<>();
            for (Tracer t : escaping) {
                dirs.add(t.u.clone());
                grown.add(t.sign, t.u, ENTRY_NORM);
            }
            boolean settled = grown.transition(rest, lr, l0);
            tracers = rest;
            double[] f = grown.outputs();
            phases.add(new Phase(k, c, List.copyOf(dirs), escRates.stream().mapToDouble(Double::doubleValue).toArray(), grown.loss(),
                    grown.patterns(criteria.patternShare(), criteria.activationMargin()), f, settled, 0,
                    grown.onKink(criteria.patternShare(), criteria.kinkMargin()), grown.settleTime(SETTLE_TOLERANCE)));
        }
        double[] minusR = grown.minusResiduals();
        List<Attractor> unheld = new ArrayList<>();
        boolean fit = grown.loss() <= FIT * l0;
        if (!fit) {
            unheld.addAll(escapable(xt, minusR, lr, floor));
        }
        double greedy = Double.NaN;
        if (!unheld.isEmpty()) {
            Attractor best = unheld.get(0);
            for (Attractor a : unheld) {
                if (a.sign() * a.potential() > best.sign() * best.potential()) {
                    best = a;
                }
            }
            grown.add(best.sign(), best.direction(), ENTRY_NORM);
            grown.transition(new ArrayList<>(), lr, l0);
            greedy = grown.loss();
        }
        return new Prediction(l0, lr, List.copyOf(phases), !unheld.isEmpty(), List.copyOf(unheld), greedy);
    }

    /**
     * Attractors of a residual with a positive rate. At a stationary point G vanishes on whole sectors up to
     * rounding, where a scan for strict extrema would find one at every grid point; but the largest s G over
     * the sphere, when positive, is always such an attractor, so in the plane the circle is scanned for the
     * largest and the smallest G (2^16 angles), and in higher dimension the fixed-point attractors are
     * filtered by rate.
     */
    static List<Attractor> escapable(AugmentedInputs xt, double[] minusR, double lr, double floor) {
        int n = xt.samples();
        List<Attractor> out = new ArrayList<>();
        if (xt.dim() == 2) {
            int grid = 1 << 16;
            double[] best = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            double[][] arg = new double[2][];
            for (int q = 0; q < grid; q++) {
                double th = 2 * Math.PI * q / grid;
                double[] u = {Math.cos(th), Math.sin(th)};
                double g = xt.potential(u, minusR);
                for (int s = 0; s < 2; s++) {
                    double sg = s == 0 ? g : -g;
                    if (sg > best[s]) {
                        best[s] = sg;
                        arg[s] = u;
                    }
                }
            }
            for (int s = 0; s < 2; s++) {
                if (Math.log1p(lr * best[s] / n) / lr > floor) {
                    int sign = s == 0 ? 1 : -1;
                    out.add(new Attractor(sign, arg[s], xt.activation(arg[s]), sign * best[s], Attractors.onBoundary(xt, arg[s])));
                }
            }
            return out;
        }
        for (Attractor a : Attractors.predict(xt, minusR)) {
            if (Math.log1p(lr * a.sign() * a.potential() / n) / lr > floor) {
                out.add(a);
            }
        }
        return out;
    }

    /** Rate of a small balanced group per unit of time: ln(1 + lr s G(u) / n) / lr (NaN-free: -inf below the pole). */
    static double rate(AugmentedInputs xt, Tracer t, double[] minusR, double lr) {
        double g = xt.potential(t.u, minusR);
        double q = 1 + lr * t.sign * g / xt.samples();
        return q > 0 ? Math.log(q) / lr : Double.NEGATIVE_INFINITY;
    }

    /**
     * Brings the tracers to rest under a fixed residual (the grown groups sit at a stationary point): flow,
     * flip and split those with a negative rate, flow again; drop the dead and merge duplicates.
     */
    static void settle(AugmentedInputs xt, Grown grown, List<Tracer> tracers, double[] minusR, double lr, double floor) {
        for (int round = 0; round < 4; round++) {
            flow(xt, tracers, minusR, lr);
            List<Tracer> next = new ArrayList<>();
            boolean flipped = false;
            for (Tracer t : tracers) {
                double r = rate(xt, t, minusR, lr);
                if (xt.activation(t.u).isEmpty() || grown.holds(t)) {
                    continue; // dead, or inside a grown group (moves with it): never escapes
                }
                if (r < -floor) {
                    flipped = true;
                    for (double[] u : splits(t.u)) {
                        next.add(new Tracer(-t.sign, u, t.deficit));
                    }
                } else {
                    next.add(t);
                }
            }
            tracers.clear();
            tracers.addAll(dedupe(next));
            if (!flipped) {
                return;
            }
        }
    }

    private static List<Tracer> dedupe(List<Tracer> in) {
        List<Tracer> out = new ArrayList<>();
        for (Tracer t : in) {
            Tracer same = null;
            for (Tracer o : out) {
                if (o.sign == t.sign && AugmentedInputs.angle(o.u, t.u) < SAME_DIRECTION) {
                    same = o;
                    break;
                }
            }
            if (same == null) {
                out.add(t);
            } else {
                // the larger of two clouds dominates the log-norm: the smaller deficit survives
                same.deficit = Math.min(same.deficit, t.deficit);
            }
        }
        return out;
    }

    /** Copies of u moved by {@link #SPLIT_ANGLE} along +- each of (dim - 1) tangent directions (and the diagonals in dim 3). */
    static List<double[]> splits(double[] u) {
        int k = u.length;
        List<double[]> tangents = new ArrayList<>();
        for (int e = 0; e < k && tangents.size() < k - 1; e++) {
            double[] t = new double[k];
            t[e] = 1;
            double p = Vectors.dot(t, u);
            for (int i = 0; i < k; i++) {
                t[i] -= p * u[i];
            }
            for (double[] q : tangents) {
                double pq = Vectors.dot(t, q);
                for (int i = 0; i < k; i++) {
                    t[i] -= pq * q[i];
                }
            }
            double nt = Vectors.norm(t);
            if (nt > 1e-6) {
                for (int i = 0; i < k; i++) {
                    t[i] /= nt;
                }
                tangents.add(t);
            }
        }
        if (tangents.size() == 2) {
            double[] a = tangents.get(0);
            double[] b = tangents.get(1);
            double[] p = new double[k];
            double[] m = new double[k];
            for (int i = 0; i < k; i++) {
                p[i] = (a[i] + b[i]) / Math.sqrt(2);
                m[i] = (a[i] - b[i]) / Math.sqrt(2);
            }
            tangents.add(p);
            tangents.add(m);
        }
        List<double[]> out = new ArrayList<>();
        for (double[] t : tangents) {
            for (int s = -1; s <= 1; s += 2) {
                double[] v = new double[k];
                for (int i = 0; i < k; i++) {
                    v[i] = u[i] + s * SPLIT_ANGLE * t[i];
                }
                double nv = Vectors.norm(v);
                for (int i = 0; i < k; i++) {
                    v[i] /= nv;
                }
                out.add(v);
            }
        }
        return out;
    }

    /** The direction map of small balanced neurons under a fixed residual, until no direction moves by more than 1e-10 rad in 1000 steps. */
    static void flow(AugmentedInputs xt, List<Tracer> tracers, double[] minusR, double lr) {
        int n = xt.samples();
        long cap = (long) (MAX_TRANSITION_TIME / lr);
        // a tracer on a sector boundary jitters across it step by step, so rest is judged over a window
        long window = 1000;
        for (Tracer t : tracers) {
            double[] ref = t.u.clone();
            for (long s = 1; s <= cap; s++) {
                t.u = moved(xt, t, minusR, lr, n);
                if (s % window == 0) {
                    if (!(AugmentedInputs.angle(ref, t.u) > 1e-10)) {
                        break;
                    }
                    ref = t.u.clone();
                }
            }
        }
    }

    static double[] moved(AugmentedInputs xt, Tracer t, double[] minusR, double lr, int n) {
        double[] d = xt.drive(xt.activation(t.u), minusR);
        double[] v = t.u.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += lr * t.sign * d[i] / n;
        }
        double nv = Vectors.norm(v);
        for (int i = 0; i < v.length; i++) {
            v[i] /= nv;
        }
        return v;
    }

    /** The grown groups: a small GD on (a, v), exactly the step of docs/THEORY.md section 1. */
    static final class Grown {
        final AugmentedInputs xt;
        final double[] y;
        final List<double[]> v = new ArrayList<>();
        final List<double[]> a = new ArrayList<>(); // one-element boxes, updated in place
        /** The residual (as -r) of the last {@link #transition}, every {@link #TRACE_TIME} units of time from its start. */
        final List<double[]> trace = new ArrayList<>();

        /**
         * @return the time from the middle of the last transition (the first moment its loss is below the midpoint of its
         *         start and end, where an escape's time is read) after which this tracer's rate (at its present direction)
         *         stays within {@link #SLIDE_TOLERANCE} of the settled rate given
         */
        double slideTime(Tracer t, double settledRate, double lr) {
            if (trace.isEmpty()) {
                return 0;
            }
            int start = middle(traceSquares());
            int last = start - 1;
            for (int q = start; q < trace.size(); q++) {
                if (Math.abs(rate(xt, t, trace.get(q), lr) - settledRate) > SLIDE_TOLERANCE * Math.abs(settledRate)) {
                    last = q;
                }
            }
            return (last + 1 - start) * TRACE_TIME;
        }

        /**
         * @return the time from the middle of the last transition after which its loss stays within {@code tolerance} (relative) of
         *         the loss it ended at
         */
        double settleTime(double tolerance) {
            if (trace.isEmpty()) {
                return 0;
            }
            double[] loss = traceSquares();
            double end = 0;
            for (double r : minusResiduals()) {
                end += r * r;
            }
            int start = middle(loss);
            int last = start - 1;
            for (int q = start; q < trace.size(); q++) {
                if (Math.abs(loss[q] - end) > tolerance * end) {
                    last = q;
                }
            }
            return (last + 1 - start) * TRACE_TIME;
        }

        // the first trace sample whose loss (of traceSquares) is at or below the midpoint of the transition's first and last samples
        // (where a run's escape time is read)
        private int middle(double[] loss) {
            double mid = 0.5 * (loss[0] + loss[trace.size() - 1]);
            int start = 0;
            while (start < trace.size() - 1 && loss[start] > mid) {
                start++;
            }
            return start;
        }

        // sum of squared residuals of each trace sample (the loss up to the factor 1 / 2n)
        private double[] traceSquares() {
            double[] loss = new double[trace.size()];
            for (int q = 0; q < trace.size(); q++) {
                for (double r : trace.get(q)) {
                    loss[q] += r * r;
                }
            }
            return loss;
        }

        Grown(AugmentedInputs xt, double[] y) {
            this.xt = xt;
            this.y = y;
        }

        void add(int sign, double[] u, double norm) {
            double[] vv = u.clone();
            double nu = Vectors.norm(vv);
            for (int i = 0; i < vv.length; i++) {
                vv[i] *= norm / nu;
            }
            v.add(vv);
            a.add(new double[] {sign * norm});
        }

        double[] outputs() {
            int n = xt.samples();
            double[] f = new double[n];
            for (int j = 0; j < v.size(); j++) {
                for (int i = 0; i < n; i++) {
                    double z = xt.dot(v.get(j), i);
                    if (z > 0) {
                        f[i] += a.get(j)[0] * z;
                    }
                }
            }
            return f;
        }

        double[] minusResiduals() {
            double[] f = outputs();
            double[] c = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                c[i] = y[i] - f[i];
            }
            return c;
        }

        double loss() {
            double[] c = minusResiduals();
            double s = 0;
            for (double e : c) {
                s += e * e;
            }
            return s / (2 * c.length);
        }

        /** One GD step of the grown groups and the tracers, from the same residual. */
        void step(List<Tracer> tracers, double lr) {
            int n = xt.samples();
            int k = xt.dim();
            double[] c = minusResiduals();
            for (int j = 0; j < v.size(); j++) {
                double[] vj = v.get(j);
                double aj = a.get(j)[0];
                double ga = 0;
                double[] gv = new double[k];
                for (int i = 0; i < n; i++) {
                    double z = xt.dot(vj, i);
                    if (z > 0) {
                        ga -= c[i] * z;
                        for (int q = 0; q < k; q++) {
                            gv[q] -= c[i] * xt.x(i, q);
                        }
                    }
                }
                a.get(j)[0] = aj - lr * ga / n;
                for (int q = 0; q < k; q++) {
                    vj[q] -= lr * aj * gv[q] / n;
                }
            }
            for (Tracer t : tracers) {
                t.u = moved(xt, t, c, lr, n);
            }
        }

        /** GD until the loss settles (true) or the cap (false); its residual every {@link #TRACE_TIME} is left in {@link #trace}. */
        boolean transition(List<Tracer> tracers, double lr, double l0) {
            trace.clear();
            long traceSteps = Math.max(1, Math.round(TRACE_TIME / lr));
            long window = Math.max(1, Math.round(WINDOW_TIME / lr));
            long cap = (long) (MAX_TRANSITION_TIME / lr);
            double start = loss();
            double ref = start;
            boolean dropped = false;
            for (long s = 1; s <= cap; s++) {
                if ((s - 1) % traceSteps == 0) {
                    trace.add(minusResiduals());
                }
                step(tracers, lr);
                if (s % window == 0) {
                    double l = loss();
                    if (!Double.isFinite(l)) {
                        throw new IllegalStateException("the transition GD diverged at lr = " + lr + ": lower lr");
                    }
                    if (l <= FIT * l0) {
                        return true;
                    }
                    dropped |= l < start * (1 - 1e-3);
                    if (dropped && Math.abs(ref - l) <= SETTLED * ref) {
                        return true;
                    }
                    if (DEBUG && s % (window * 20) == 0) {
                        System.err.printf("  transition t=%.0f L=%.12g rel=%.2e grown=%d%n", s * lr, l, Math.abs(ref - l) / ref, v.size());
                    }
                    ref = l;
                }
            }
            return false;
        }

        /** @return whether a tracer points along a grown neuron of its sign (within {@link #MERGED} rad): it has joined that group */
        boolean holds(Tracer t) {
            for (int j = 0; j < v.size(); j++) {
                if (Math.signum(a.get(j)[0]) == t.sign && AugmentedInputs.angle(v.get(j), t.u) < MERGED) {
                    return true;
                }
            }
            return false;
        }

        /** @return the points within margin (relative) of a kink of a group holding at least minShare of the mass */
        BitSet onKink(double minShare, double margin) {
            double total = 0;
            double[] mass = new double[v.size()];
            for (int j = 0; j < v.size(); j++) {
                mass[j] = Math.abs(a.get(j)[0]) * Vectors.norm(v.get(j));
                total += mass[j];
            }
            BitSet out = new BitSet();
            for (int j = 0; j < v.size(); j++) {
                if (mass[j] >= minShare * total && mass[j] > 0) {
                    for (int i = 0; i < xt.samples(); i++) {
                        double row = 0;
                        for (int c = 0; c < xt.dim(); c++) {
                            row += xt.x(i, c) * xt.x(i, c);
                        }
                        if (Math.abs(xt.dot(v.get(j), i)) <= margin * Vectors.norm(v.get(j)) * Math.sqrt(row)) {
                            out.set(i);
                        }
                    }
                }
            }
            return out;
        }

        List<BitSet> patterns(double minShare, double margin) {
            double total = 0;
            double[] mass = new double[v.size()];
            for (int j = 0; j < v.size(); j++) {
                mass[j] = Math.abs(a.get(j)[0]) * Vectors.norm(v.get(j));
                total += mass[j];
            }
            List<BitSet> out = new ArrayList<>();
            for (int j = 0; j < v.size(); j++) {
                if (mass[j] >= minShare * total && mass[j] > 0) {
                    BitSet s = ReducedNetwork.activation(xt, v.get(j), margin);
                    if (!s.isEmpty() && !out.contains(s)) {
                        out.add(s);
                    }
                }
            }
            return out;
        }
    }
}
