package io.reluquant.validation.experiments;

/**
 * The moment of a row judged over several claim-and-control pairs (widths, seeds): the pair read farthest apart stands for
 * all, so the row is as matched as its worst pair (docs/THEORY.md section 9, controls at a matched moment). Equal loss is
 * compared by relative gap, the same step by the difference in steps; a control never read is infinitely far.
 */
final class WorstMoment {
    private Claims.Moment moment;
    private double gap = -1;

    /** @param empty the moment when no pair is offered */
    WorstMoment(Claims.Moment empty) {
        this.moment = empty;
    }

    /** Offers a pair read at equal loss (a NaN control loss: not read). */
    WorstMoment losses(double claimLoss, double controlLoss) {
        double g = Double.isNaN(claimLoss) || Double.isNaN(controlLoss) ? Double.POSITIVE_INFINITY : Math.abs(controlLoss - claimLoss) / claimLoss;
        return offer(g, Claims.Moment.losses(claimLoss, controlLoss));
    }

    /** Offers a pair read at the same step. */
    WorstMoment steps(long claimStep, long controlStep) {
        return offer(Math.abs((double) controlStep - claimStep), Claims.Moment.steps(claimStep, controlStep));
    }

    /** Offers a pair's moment as judged: equal loss and the same step by their distance; one with nothing to match counts 0. */
    WorstMoment offer(Claims.Moment m) {
        return switch (m.kind()) {
            case EQUAL_LOSS -> losses(m.claim(), m.control());
            case SAME_STEP -> steps((long) m.claim(), (long) m.control());
            case NONE, SAME_MEASUREMENT -> offer(0, m);
        };
    }

    private WorstMoment offer(double g, Claims.Moment m) {
        if (g > gap) {
            gap = g;
            moment = m;
        }
        return this;
    }

    /** @return the worst pair's moment, or the empty one */
    Claims.Moment moment() {
        return moment;
    }
}
