package io.reluquant.validation.measures;

import io.reluquant.validation.experiments.Claims;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Plateaus of a measured loss curve (docs/THEORY.md section 2, phases). A sample is flat when the
 * loss fell since the previous sample by at most {@link Claims#FLAT_LOG_SLOPE} in ln L, or
 * by at most {@link Claims#FLAT_ABS_SLOPE} L0, per unit of time t = lr * steps. A plateau
 * is a run of flat samples lasting at least {@link Claims#MIN_PLATEAU_TIME}, below the
 * initial plateau; it is represented by its flattest sample (the point closest to the saddle), where
 * the tracker keeps a snapshot of whatever the caller supplies (the network parameters).
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
     */
    public Plateaus(double lr, double initialLoss) {
        if (!(lr > 0) || !(initialLoss > 0)) {
            throw new IllegalArgumentException("lr and initialLoss must be positive, got " + lr + ", " + initialLoss);
        }
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
            boolean flat = (logSlope <= Claims.FLAT_LOG_SLOPE || absSlope <= Claims.FLAT_ABS_SLOPE)
                    && loss < (1 - Claims.INITIAL_PLATEAU) * l0;
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
        if (runStart >= 0 && lr * (endStep - runStart) >= Claims.MIN_PLATEAU_TIME) {
            add(found, new Plateau<>(runStart, endStep, bestStep, bestLoss, bestSnapshot));
        }
        runStart = -1;
        bestSnapshot = null;
    }

    /** @return the plateaus so far, the one still running at the last sample included if long enough */
    public List<Plateau<S>> plateaus() {
        List<Plateau<S>> out = new ArrayList<>(found);
        if (runStart >= 0 && lr * (prevStep - runStart) >= Claims.MIN_PLATEAU_TIME) {
            add(out, new Plateau<>(runStart, prevStep, bestStep, bestLoss, bestSnapshot));
        }
        return out;
    }

    // a plateau interrupted by a short bump (neurons hovering on a sector boundary make the loss jitter)
    // is one plateau: merge with the previous one when the levels agree within MERGE_LEVEL; keep the later
    // flattest point (closest to the saddle's exit, where every group of the plateau has settled)
    private static <S> void add(List<Plateau<S>> list, Plateau<S> p) {
        if (!list.isEmpty()) {
            Plateau<S> last = list.get(list.size() - 1);
            if (Math.abs(last.loss() - p.loss()) <= Claims.MERGE_LEVEL * last.loss()) {
                list.set(list.size() - 1, new Plateau<>(last.startStep(), p.endStep(), p.step(), p.loss(), p.snapshot()));
                return;
            }
        }
        list.add(p);
    }
}
