package io.reluquant.validation.experiments;

/**
 * Every threshold of the fair-contrast, functions and approximation experiments ({@link FairContrast},
 * {@link FunctionCount}, {@link SmoothApproximation}), fixed before measuring and kept in one place.
 * None was tuned to a measurement; a failed criterion is reported, never loosened.
 */
public final class ContrastThresholds {
    private ContrastThresholds() {}

    // ---- fair contrast: N_eff at equal loss (docs/THEORY.md sections 3-4)

    /** The clustering angle of N_eff: neurons of equal sign within 1 degree form one cluster. */
    public static final double CLUSTER_EPS_DEGREES = 1;
    /** The contrast's N_eff must be at least this multiple of small init's at the widest width, at equal loss. */
    public static final double NEFF_RATIO_MIN = 10;
    /** The width at which {@link #NEFF_RATIO_MIN} is judged. */
    public static final int NEFF_RATIO_WIDTH = 10_000;
    /** The contrast's N_eff must grow at least this much from the narrowest to the widest width (1e2 to 1e4). */
    public static final double NEFF_GROWTH_MIN = 3;
    /** The loss no run is asked to go below, whatever small init reached (float64 rounding is far below it). */
    public static final double LOSS_FLOOR = 1e-8;

    // ---- finitely many functions over seeds

    /** Seeds per width and init. */
    public static final int SEEDS = 20;
    /**
     * Two seeds' vectors of fitted values are the same function on the data when their sup distance is
     * below this multiple of the convergence level (the largest sup motion of a small-init seed's fitted
     * values over the last {@link #CONVERGENCE_WINDOW} of its run).
     */
    public static final double DISTINCT_TOLERANCE_FACTOR = 10;
    /** ... and never below this absolute floor (float64 values of order 1, trained by 1e4 steps of rounding). */
    public static final double DISTINCT_TOLERANCE_FLOOR = 1e-9;
    /** The fraction of the run, at its end, over which the convergence level is measured. */
    public static final double CONVERGENCE_WINDOW = 0.1;
    /** Off the data: small init's median pairwise sup distance must fall at least like m^this (log-log slope at most this). */
    public static final double SPREAD_SLOPE_SMALL_MAX = -0.25;
    /** Off the data: the contrast's slope must stay above this (it does not shrink). */
    public static final double SPREAD_SLOPE_CONTRAST_MIN = -0.1;
    /** The fine grid off the data: [-GRID_HALF_WIDTH, GRID_HALF_WIDTH]. */
    public static final double GRID_HALF_WIDTH = 1.2;
    /** Points of the fine grid. */
    public static final int GRID_POINTS = 481;
    /** A kink within this distance of a data point counts as at the data point. */
    public static final double KINK_DISTANCE = 0.01;
    /** Small init: at least this share of the curvature mass |a||w| has its kink at a data point. */
    public static final double KINK_SHARE_SMALL_MIN = 0.99;
    /** The contrast: at most this share does. */
    public static final double KINK_SHARE_CONTRAST_MAX = 0.20;
}
