package io.reluquant.validation.measures;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Plateaus of a measured loss curve (docs/THEORY.md section 2, phases). A sample is flat when the
 * loss fell since the previous sample by at most {@link Criteria#flatLogSlope} in ln L, or
 * by at most {@link Criteria#flatAbsSlope} L0, per unit of time t = lr * steps. A plateau
 * is a run of flat samples lasting at least {@link Criteria#minPlateauTime}, below the
 * initial plateau; it is represented by its flattest sample (the point closest to the saddle), where
 * the tracker keeps a snapshot of whatever the caller supplies (the network parameters). The
 * thresholds are the caller's (the experiments take theirs from their claims).
 *
 * @param <S> the snapshot type
 */
public final class Plateaus<S> {
    /**
     * @param startStep first flat sample
     * @param endStep last flat sample
     * @param step the flattest sample
     * @param loss the loss there
     * @param snapshot what the supplier gave there
     * @param <S> the snapshot type
     */
    public record Plateau<S>(long startStep, long endStep, long step, double loss, S snapshot) {}

    /**
     * What counts as a plateau.
     *
     * @param flatLogSlope a sample is flat when ln L fell by at most this per unit of time t = lr * steps
     * @param flatAbsSlope ... or when L fell by at most this fraction of L0 per unit of time
     * @param initialPlateau flat stretches with L above (1 - this) L0 are the initial plateau at f ~ 0, not a phase
     * @param minPlateauTime a plateau lasts at least this many units of time
     * @param mergeLevel two plateaus in a row whose levels differ by less than this (relative) are one
     */
    public record Criteria(double flatLogSlope, double flatAbsSlope, double initialPlateau, double minPlateauTime, double mergeLevel) {
        public Criteria {
            if (!(flatLogSlope >= 0) || !(flatAbsSlope >= 0) || !(initialPlateau >= 0 && initialPlateau < 1) || !(minPlateauTime > 0)
                    || !(mergeLevel >= 0) || !Double.isFinite(flatLogSlope + flatAbsSlope + minPlateauTime + mergeLevel)) {
                throw new IllegalArgumentException("plateau criteria must be finite, non-negative, initialPlateau in [0, 1) and minPlateauTime > 0, got "
                        + flatLogSlope + ", " + flatAbsSlope + ", " + initialPlateau + ", " + minPlateauTime + ", " + mergeLevel);
            }
        }
    }

    private final Criteria criteria;
    private final double lr;
    private final double l0;
    private final List<Plateau<S>> found = new ArrayList<>();
    private long prevStep = -1;
    private double prevLoss;
    private long runStart = -1;
    private long bestStep;
    private double bestSlope;
    private double bestLoss;
    private S bestSnapshot;

    /**
     * @param lr the learning rate (time t = lr * steps)
     * @param initialLoss L0
     * @param criteria what counts as a plateau
     */
    public Plateaus(double lr, double initialLoss, Criteria criteria) {
        if (!(lr > 0) || !(initialLoss > 0)) {
            throw new IllegalArgumentException("lr and initialLoss must be positive, got " + lr + ", " + initialLoss);
        }
        if (criteria == null) {
            throw new IllegalArgumentException("criteria must not be null");
        }
        this.criteria = criteria;
        this.lr = lr;
        this.l0 = initialLoss;
    }

    /**
     * Feeds the next sample of the curve (steps increasing).
     *
     * @param step step count
     * @param loss loss there
     * @param snapshot called only when this sample is the flattest of its plateau so far
     */
    public void offer(long step, double loss, Supplier<S> snapshot) {
        if (prevStep >= 0 && step <= prevStep) {
            throw new IllegalArgumentException("steps must increase, got " + step + " after " + prevStep);
        }
        if (prevStep >= 0) {
            double dt = lr * (step - prevStep);
            double logSlope = (Math.log(prevLoss) - Math.log(loss)) / dt;
            double absSlope = (prevLoss - loss) / (l0 * dt);
            boolean flat = (logSlope <= criteria.flatLogSlope() || absSlope <= criteria.flatAbsSlope())
                    && loss < (1 - criteria.initialPlateau()) * l0;
            if (flat) {
                double slope = Math.abs(absSlope);
                if (runStart < 0) {
                    runStart = step;
                    bestSlope = Double.POSITIVE_INFINITY;
                }
                if (slope <= bestSlope) {
                    bestSlope = slope;
                    bestStep = step;
                    bestLoss = loss;
                    bestSnapshot = snapshot.get();
                }
            } else {
                close(prevStep);
            }
        }
        prevStep = step;
        prevLoss = loss;
    }

    private void close(long endStep) {
        if (runStart >= 0 && lr * (endStep - runStart) >= criteria.minPlateauTime()) {
            add(found, criteria.mergeLevel(), new Plateau<>(runStart, endStep, bestStep, bestLoss, bestSnapshot));
        }
        runStart = -1;
        bestSnapshot = null;
    }

    /** @return the plateaus so far, the one still running at the last sample included if long enough */
    public List<Plateau<S>> plateaus() {
        List<Plateau<S>> out = new ArrayList<>(found);
        if (runStart >= 0 && lr * (prevStep - runStart) >= criteria.minPlateauTime()) {
            add(out, criteria.mergeLevel(), new Plateau<>(runStart, prevStep, bestStep, bestLoss, bestSnapshot));
        }
        return out;
    }

    // a plateau interrupted by a short bump (neurons hovering on a sector boundary make the loss jitter)
    // is one plateau: merge with the previous one when the levels agree within the merge level; keep the later
    // flattest point (closest to the saddle's exit, where every group of the plateau has settled)
    private static <S> void add(List<Plateau<S>> list, double mergeLevel, Plateau<S> p) {
        if (!list.isEmpty()) {
            Plateau<S> last = list.get(list.size() - 1);
            if (Math.abs(last.loss() - p.loss()) <= mergeLevel * last.loss()) {
                list.set(list.size() - 1, new Plateau<>(last.startStep(), p.endStep(), p.step(), p.loss(), p.snapshot()));
                return;
            }
        }
        list.add(p);
    }
}
