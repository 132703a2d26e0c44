package io.reluquant.validation.experiments;

/**
 * Every threshold of the phase, per-attractor alignment and reduced-model claims, in one place. Fixed
 * from the theory before measuring; none was tuned to a measurement.
 */
public final class TheoryThresholds {
    private TheoryThresholds() {}

    // ---- plateau detection (measures.Plateaus) ----
    /** A sample is flat when ln L falls by at most this much per unit of time t = lr * steps (growth rates are 2 |D| / n ~ 1e-2..1). */
    public static final double FLAT_LOG_SLOPE = 1e-5;
    /** ... or when L falls by at most this fraction of L0 per unit of time (a loss converging to 0 has a constant log-slope). */
    public static final double FLAT_ABS_SLOPE = 1e-9;
    /** A plateau lasts at least this many units of time t (the direction flow settles in ~ n / |D|). */
    public static final double MIN_PLATEAU_TIME = 20;
    /** Flat stretches with L above (1 - this) L0 are the initial plateau at f ~ 0, not a phase. */
    public static final double INITIAL_PLATEAU = 1e-3;
    /** Two plateaus in a row whose levels differ by less than this (relative) are one, interrupted by jitter. */
    public static final double MERGE_LEVEL = 1e-4;
    /** Clusters (1 degree) below this share of the total mass are left out of a measured J. */
    public static final double PATTERN_SHARE = 1e-3;
    /** A sample counts as active for a cluster direction u when u . x~_i &gt; this cosine |u| |x~_i| (kink on a data point: inactive). */
    public static final double MEASURED_MARGIN = 1e-4;

    // ---- claim 1: phases ----
    /** Seeds out of the total whose measured J sequence must equal the predicted one. */
    public static final double PHASE_SEED_SHARE = 19.0 / 20;
    /** Measured plateau loss within this relative distance of the predicted one ... */
    public static final double PLATEAU_LOSS_REL = 0.01;
    /** ... or, for a predicted loss near 0 (a fit of the data), within this fraction of L0. */
    public static final double PLATEAU_LOSS_ABS = 1e-6;
    /** Initialization scale of the phase experiment (phases separate as ln(1/lambda) grows). */
    public static final double PHASE_LAMBDA = 1e-6;
    /** The negative control: large init, no separation of phases. */
    public static final double CONTROL_LAMBDA = 1;

    // ---- claim 3: reduced model ----
    /** sup over a fine grid of |f_wide - f_reduced| at the end. */
    public static final double REDUCED_SUP = 1e-3;
}
