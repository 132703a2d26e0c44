package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The catalogue of the report's claims: each threshold and each claim's text stand here once, read by
 * the experiments that judge them, by the report that prints them and by the tests that hold the
 * kernel to them. Adding a claim is one entry here, one experiment class that measures it and returns
 * its {@link Verdict}s, and one line in the report's orchestration.
 */
public final class Claims {
    private Claims() {}

    /**
     * One claim of the report.
     *
     * @param statement what is claimed; may hold {@link String#format} placeholders filled by {@link #about}
     * @param prediction the pass criterion in words
     * @param negativeControl the run that must fail the criterion, showing that it can fail ("" if none)
     * @param whyItCouldFail what would make it fail although the theory holds, or the reverse ("" if not known)
     */
    public record Claim(String statement, String prediction, String negativeControl, String whyItCouldFail) {
        /** @return this claim with the placeholders of its statement filled */
        public Claim about(Object... args) {
            return new Claim(String.format(Locale.ROOT, statement, args), prediction, negativeControl, whyItCouldFail);
        }

        /** @return this claim with the placeholders of its prediction filled (a constant measured on the data, say) */
        public Claim predicting(Object... args) {
            return new Claim(statement, String.format(Locale.ROOT, prediction, args), negativeControl, whyItCouldFail);
        }

        /** @return the verdict on this claim for what was measured (a claim whose control is not run, or is judged elsewhere) */
        public Verdict judge(String measured, boolean pass) {
            return new Verdict(statement, prediction, measured, pass, negativeControl, whyItCouldFail, Moment.NONE);
        }

        /**
         * @param measured what was measured, the control's measurement included
         * @param pass whether the claim met its criterion and its control failed it
         * @param moment when the claim and its control were measured; a control not measured at the claim's moment makes
         *     the verdict FAIL whatever it measured (a control read at another moment proves nothing)
         * @return the verdict
         */
        public Verdict judge(String measured, boolean pass, Moment moment) {
            String m = moment.matched() ? measured : measured + "; CONTROL NOT AT A MATCHED MOMENT (" + moment.describe() + ")";
            return new Verdict(statement, prediction, m, pass && moment.matched(), negativeControl, whyItCouldFail, moment);
        }
    }

    /**
     * When a claim and its negative control were measured: the same measurement (a competing prediction judged on the same
     * numbers), the same step of the same run (a control that re-reads the claim's own network against something else, e.g.
     * attractors of permuted targets), or equal loss (the control trained to the claim's loss). {@link #matched()} holds when
     * the two moments agree: equal steps, or losses within {@link #MATCHED_LOSS_REL} of each other.
     *
     * @param kind how the moments are compared
     * @param claim the claim's moment (step, or loss; NaN for {@link Kind#SAME_MEASUREMENT} and {@link Kind#NONE})
     * @param control the control's moment, in the same unit
     */
    public record Moment(Kind kind, double claim, double control) {
        /** How a control's moment is matched to the claim's. */
        public enum Kind {
            /** No control run for this row (its text says why). */
            NONE,
            /** The control is a competing prediction judged on the claim's own measurement. */
            SAME_MEASUREMENT,
            /** The control reads the claim's network at the same step. */
            SAME_STEP,
            /** The control was trained to the claim's loss. */
            EQUAL_LOSS
        }

        /** No control run. */
        public static final Moment NONE = new Moment(Kind.NONE, Double.NaN, Double.NaN);
        /** The control is judged on the claim's own numbers. */
        public static final Moment SAME = new Moment(Kind.SAME_MEASUREMENT, Double.NaN, Double.NaN);

        /** @return the claim and the control read at these steps */
        public static Moment steps(long claim, long control) {
            return new Moment(Kind.SAME_STEP, claim, control);
        }

        /** @return the claim and the control measured at these losses */
        public static Moment losses(double claim, double control) {
            return new Moment(Kind.EQUAL_LOSS, claim, control);
        }

        /** @return whether the control was measured at the claim's moment (true when no control is run: nothing to match) */
        public boolean matched() {
            return switch (kind) {
                case NONE, SAME_MEASUREMENT -> true;
                case SAME_STEP -> claim == control;
                case EQUAL_LOSS -> Math.abs(control - claim) <= MATCHED_LOSS_REL * Math.abs(claim);
            };
        }

        /** @return the moment in words, for the claims table */
        public String describe() {
            return switch (kind) {
                case NONE -> "no control run";
                case SAME_MEASUREMENT -> "same measurement";
                case SAME_STEP -> String.format(Locale.ROOT, "same step: claim %.0f, control %.0f", claim, control);
                case EQUAL_LOSS -> String.format(Locale.ROOT, "equal loss: claim %.4g, control %.4g", claim, control);
            };
        }
    }

    /**
     * One row of the claims table: a claim as measured.
     *
     * @param claim the claim's statement
     * @param prediction its pass criterion
     * @param measured what this run measured
     * @param pass whether it met the criterion
     * @param negativeControl see {@link Claim#negativeControl}
     * @param whyItCouldFail see {@link Claim#whyItCouldFail}
     * @param moment when the claim and its control were measured
     */
    public record Verdict(String claim, String prediction, String measured, boolean pass, String negativeControl, String whyItCouldFail,
            Moment moment) {}

    // ---- thresholds of the synthetic experiments (docs/THEORY.md section 9); fixed before measuring

    /** Share of the mass that must lie within 1 degree of a predicted attractor of its sign. */
    public static final double WITHIN_1_DEG = 0.99;
    /** Share of the mass that must lie within 5 degrees. */
    public static final double WITHIN_5_DEG = 0.999;
    /** Smallest width held to the attractor criteria (narrower nets are too noisy for 99%). */
    public static final int WIDE = 10_000;
    /** Largest init scale called small. */
    public static final double SMALL_LAMBDA = 1e-4;
    /** The negative control's init scale: too large for the phases to separate. */
    public static final double CONTROL_LAMBDA = 1e-1;
    /** Largest max - min of small-init N_eff across widths 1e2..1e4. */
    public static final double NEFF_WIDTH_SPREAD = 0.2;
    /** Smallest mass-weighted self-consistency of the clusters at alignment. */
    public static final double SELF_CONSISTENCY = 0.99;
    /** Largest distance (degrees) between the oracle's attractors and docs/THEORY.md's table. */
    public static final double ORACLE_DEGREES = 5e-4;
    /** The oracle's control: the permuted targets' attractors must be farther than this (degrees) from the table. */
    public static final double ORACLE_CONTROL_DEGREES = 1;
    /** Largest relative gap of an E3 cluster's mass to sqrt 2. */
    public static final double ORTHOGONAL_MASS_GAP = 0.01;
    /** E3's end loss must be below this fraction of the initial loss. */
    public static final double ORTHOGONAL_LOSS_FRACTION = 1e-6;
    /**
     * Init seeds of the escape-time slope (seeds 1 .. this; seed 1 is the run shown in E5's figures, the others stop at the
     * escape): the claim is judged on the seed-mean slope, shown with its 95% bootstrap interval over seeds.
     */
    public static final int E5_SEEDS = 10;
    /** Largest relative error of the escape-time slope. */
    public static final double ESCAPE_SLOPE_ERROR = 0.1;

    // ---- thresholds of the real-data probe

    /** Clusters holding at least this share of the mass are held to the real-data criteria. */
    public static final double HEAVY_SHARE = 0.01;
    /** Self-consistency a heavy cluster must reach at the end of alignment. */
    public static final double MIN_COSINE = 0.99;
    /** Largest small-init N_eff still called quantized. */
    public static final double MAX_NEFF = 20;
    /**
     * A real-data contrast that stops short of L* is compared with small init at the loss it reached only if that loss is
     * below (1 - this) times small init's L0: above it small init is still on its first plateau.
     */
    public static final double CONTRAST_MIN_DROP = 1e-2;
    /** Largest relative spread (max - min) / min of small-init N_eff across widths. */
    public static final double NEFF_SPREAD = 0.2;
    // ---- thresholds of the fair contrast (docs/THEORY.md sections 3-4): N_eff at equal loss

    /** Smallest ratio of a contrast's N_eff to small init's at the same width (the fair contrast and the real-data probe). */
    public static final double CONTRAST_RATIO = 10;
    /** The clustering angle of N_eff: neurons of equal sign within 1 degree form one cluster. */
    public static final double CLUSTER_EPS_DEGREES = 1;
    /** The contrast's N_eff must grow at least this much from the narrowest width to {@link #WIDE}. */
    public static final double NEFF_GROWTH_MIN = 3;
    /** The loss no run is asked to go below, whatever small init reached (float64 rounding is far below it). */
    public static final double LOSS_FLOOR = 1e-8;
    /**
     * Init seeds of the fair contrast (seeds 1 .. this, every regime and width; one seed, seed 1, before): each ratio and growth
     * row holds when its criterion holds in EVERY seed and its control fails in every seed; the row gives the seeds' median
     * and the 95% bootstrap interval of their mean. Fixed before the run that first judged it (a full fair contrast costs
     * about 4 s on 2 cores with JDK 25).
     */
    public static final int FAIR_CONTRAST_SEEDS = 10;
    /** ... and at CI size. */
    public static final int FAIR_CONTRAST_SEEDS_QUICK = 2;

    // ---- thresholds of the functions over seeds (docs/THEORY.md section 2, off the training points)

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

    // ---- thresholds of the phases (docs/THEORY.md section 2, "Phases"; measures.Plateaus, theory.PhaseOracle)

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
    /** Clusters (1 degree) below this share of the total mass are left out of a J, predicted or measured. */
    public static final double PATTERN_SHARE = 1e-3;
    /**
     * A sample counts as active for a direction u when u . x~_i &gt; this cosine |u| |x~_i|. One margin for the predicted and
     * the measured J: a boundary attractor (kink on a data point) is approached asymptotically, and the reduced and the wide
     * network approach it alike, so one reading gives one J. Measured on twoD(8, 4): a cluster at cosine 1.7e-5 with sample 3;
     * with 1e-6 for the prediction and 1e-4 for the measurement the J differed at the same loss, with 1e-4 for both the J
     * agreed but P_J y (sample 3 left out) over-fits, 3.3e-4 against the measured 5.8e-4; with 1e-6 for both J and loss agree.
     */
    public static final double BOUNDARY_MARGIN = 1e-6;
    /** Share of the seeds whose measured J sequence and plateau losses must equal the predicted ones, at every width. */
    public static final double PHASE_SEED_SHARE = 19.0 / 20;
    /** Measured plateau loss within this relative distance of the predicted one ... */
    public static final double PLATEAU_LOSS_REL = 0.01;
    /** ... or, for a predicted loss near 0 (a fit of the data), within this fraction of L0. */
    public static final double PLATEAU_LOSS_ABS = 1e-6;
    /** Initialization scale of the phase experiment (phases separate as ln(1/lambda) grows). */
    public static final double PHASE_LAMBDA = 1e-6;

    /** @return whether the mass shares within 1 and 5 degrees meet {@link #WITHIN_1_DEG} and {@link #WITHIN_5_DEG} */
    public static boolean onAttractors(double within1, double within5) {
        return within1 >= WITHIN_1_DEG && within5 >= WITHIN_5_DEG;
    }

    private static final String WIDTH_EQUAL = "equal within 0.2; the control's max - min > 0.2";
    // the control of the two rows above, run since the registration of 2026-12-04 (the claims' criterion unchanged)
    private static final String WIDTH_CONTROL = "the PyTorch-default contrast (random bias, NTK rates; the fair contrast's) at the same widths"
            + " and seed, each trained to the end loss of the small-init run of its width: its N_eff must NOT be equal within 0.2";

    // ---- the claims, in the order of the report

    /** The theory oracle against docs/THEORY.md section 5. */
    public static final Claim ORACLE = new Claim("Oracle: attractors of the five-point data from the data alone",
            "docs/THEORY.md table: -164.055, -15.945, 90 deg (3 decimals)",
            "the oracle on the same x with permuted targets (same computation): its attractors must NOT match the table (> 1 deg off);"
                    + " the table itself was computed by hand from the data (docs/THEORY.md section 5)",
            "the circle scan misses an attractor narrower than its grid step, or the refinement stops short of 5e-4 deg");
    /** N_eff independent of the width, five-point data. */
    public static final Claim NEFF_WIDTH_FIVE_POINT = new Claim("N_eff (end) at small init independent of width 1e2..1e4, five-point",
            WIDTH_EQUAL, WIDTH_CONTROL, "at m = 1e2 a basin may hold no neuron, or light stragglers may form extra 1-degree clusters");
    /** E2 self-consistency. */
    public static final Claim E2_SELF_CONSISTENCY = new Claim(
            "E2 self-consistency of the clusters at alignment (no enumeration needed), m >= 1e4, small init",
            "mass-weighted sign * cos(u, D_sigma(u)) >= 0.99; the control < 0.99",
            "the same clusters at the same step with D_sigma computed from permuted targets (the drive of y removed)",
            "a cluster straddling a sector boundary has a D_sigma that jumps; measured at the alignment snapshot only");
    /** N_eff independent of the width, 2-D data. */
    public static final Claim NEFF_WIDTH_TWO_D = new Claim("N_eff (end) at small init independent of width 1e2..1e4, 2-D", WIDTH_EQUAL,
            WIDTH_CONTROL, "the 2-D runs are still moving from saddle to saddle at the end, so N_eff may count a group still forming");
    /** E3: statement placeholder, the width. */
    public static final Claim E3_ORTHOGONAL = new Claim("E3 orthogonal inputs (lambda = 1e-6, m = %d)",
            ">= 99% of mass within 1 deg of (1,1,0,0)/sqrt2 (+), (0,0,1,1)/sqrt2 (-); masses within 1% of sqrt2; loss -> 0; the control fails the"
                    + " mass criteria",
            "the same end network judged against the attractors of the targets permuted among the samples (the drive of y removed)",
            "at lambda = 1e-4 about 2% of the mass still sits near the saddle e_4 at the alignment snapshot");
    /** E5 escape time; its prediction is the slope computed from the data. */
    public static final Claim E5_ESCAPE = new Claim("E5 escape time t* ~ n ln(1/lambda) / |D_max|", "slope %.3f (within 10%%)",
            "the rate of the loss (2 |D_max| / n, slope n / (2 |D_max|)) judged on the same measured slope by the same 10% criterion:"
                    + " it must fail",
            "the O(1) offset of t* weighs on the slope at lambda = 1e-2, which is left out of the fit");

    /** Fair contrast, N_eff ratio at equal loss: placeholder, the data set's name. */
    public static final Claim FAIR_CONTRAST_RATIO = new Claim(
            "Fair contrast, %s: at equal loss the PyTorch-default contrast (random bias, NTK rates) is not quantized, small init is",
            "N_eff contrast / N_eff small >= 10 at m = 1e4 with the contrast at the small-init loss, in every seed; the control's ratio < 10"
                    + " in every seed",
            "the same PyTorch-default draw scaled by lambda in every layer (small init in PyTorch's shape, small-init rate), at the same loss",
            "the contrast could collapse onto few directions while fitting (feature learning), or fail to reach the loss in its step cap");
    /** Fair contrast, N_eff growth with the width: placeholder, the data set's name. */
    public static final Claim FAIR_CONTRAST_GROWTH = new Claim("Fair contrast, %s: the contrast's N_eff grows with the width",
            "N_eff(m = 1e4) / N_eff(m = 1e2) >= 3 at equal loss in every seed; the control grows < 3x in every seed",
            "small init's N_eff over the same widths (measured in the row)",
            "with 1-degree clusters the count saturates at the number of cells of the circle of directions (~360 per sign in the plane)");
    /** Functions on the data, small init. */
    public static final Claim FUNCTIONS_SMALL = new Claim("Functions, five-point, %d seeds: small init gives finitely many functions on the data, whatever the width",
            "distinct fitted-value vectors <= %d (attractors at initialization) at every width, tolerance 10x the convergence level;"
                    + " the control exceeds it",
            "the PyTorch-default contrast at equal loss over the same seeds",
            "a seed could stop at another stationary point (another J), or be unconverged at the step budget");
    /**
     * Functions on the data, small init, against the phase oracle: the count of distinct vectors (the row above) mixes the
     * number of attractors with the number of functions; this row compares each seed's fitted values with the one vector
     * the oracle predicts from the data alone. Placeholder: the seeds.
     */
    public static final Claim FUNCTIONS_ORACLE = new Claim(
            "Functions, five-point, %d seeds: each small-init seed's fitted values are the phase oracle's predicted final P_J y (from the data alone)",
            "sup_i abs(f(x_i) - predicted_i) <= the distinctness tolerance for >= 19 of 20 seeds at every width; the control matches it for"
                    + " fewer than 19 of 20 at some width",
            "the PyTorch-default contrast of the same seeds at each seed's small-init loss",
            "the oracle predicts the plateau reached within the horizon; a seed whose last escape comes later sits on an earlier plateau");
    /** Functions on the data, the contrast. */
    public static final Claim FUNCTIONS_CONTRAST = new Claim("Functions, five-point, %d seeds: the contrast gives a different function per seed on the data",
            "distinct = number of seeds at every width, at equal loss; the control does not",
            "small init over the same seeds",
            "at m = 1e2 the NTK-scaled contrast moves its first layer by ~0.7 of its norm (feature learning), so seeds can meet at"
                    + " the same fitted values");
    /** Spread off the data, small init. */
    public static final Claim SPREAD_SMALL = new Claim(
            "Functions off the data: small init's seeds approach each other as the width grows",
            "log-log slope of the median pairwise sup distance on [-1.2, 1.2] against m <= -0.25; the control's slope > -0.25",
            "the contrast's spread over the same seeds and widths",
            "kinks strictly between data points stop anywhere once the fit converges (docs/THEORY.md section 2): the spread need not shrink");
    /** Spread off the data, the contrast. */
    public static final Claim SPREAD_CONTRAST = new Claim("Functions off the data: the contrast's seeds do not approach each other",
            "log-log slope >= -0.10; the control's slope < -0.10", "small init's spread over the same seeds and widths",
            "the NTK contrast still learns features at small m, so its spread can shrink between the narrow widths");
    /** Curvature mass at the data points, small init. */
    public static final Claim KINKS_SMALL = new Claim("Kinks: small init bends f at the data points",
            "share of the curvature mass abs(a) abs(w) with the kink within 0.01 of a data point >= 0.99 at every width; the control's < 0.99",
            "the contrast at equal loss",
            "kinks strictly between data points are stationary once the fit has converged; at m = 1e2 a seed can converge with a"
                    + " light group still between two points");
    /** Curvature mass at the data points, the contrast. */
    public static final Claim KINKS_CONTRAST = new Claim("Kinks: the contrast bends f anywhere",
            "share <= 0.20 at every width; the control's > 0.20", "small init",
            "a kink that reaches a data point under GD sticks there, and in the NTK scaling the first layer still moves by"
                    + " ~1/sqrt(m) of its norm, so at small m the contrast's kinks collect at the data too");
    /** The phase-by-phase oracle: placeholders, the data set's name, the seeds per width and the widths. */
    public static final Claim PHASES = new Claim(
            "Phases, %s (lambda = 1e-6, %s): the J sequence and plateau losses predicted from the data alone are the measured ones",
            "at every width >= 19 of 20 seeds (all of fewer) have the predicted J at every plateau and every plateau loss within 1 percent (or 1e-6 L0)"
                    + " of abs((I - P_J) y)^2 / 2n; the control fails it",
            "the same runs at the same plateaus judged against the phases predicted from the targets permuted among the samples"
                    + " (the drive of y removed)",
            "at finite lambda two groups of near-equal rates escape together; a boundary attractor (kink exactly on a data point) is"
                    + " approached asymptotically: a cluster closer to the hyperplane than the margin (cosine 1e-6) is read on the other side");
    /** The real data could be read. */
    public static final Claim REAL_DATA_READABLE = new Claim("Real data: Fashion-MNIST readable", "the four IDX files in %s",
            "none: a precondition of the rows below, not a claim of the theory", "the files are missing or truncated");
    /** Real data, self-consistency: placeholder, the pair prefix. */
    public static final Claim REAL_SELF_CONSISTENCY = new Claim(
            "%severy small-init cluster with >= 1%% of the mass is self-consistent at the end of alignment (L0 - L = 1e-4 L0)",
            "abs(cos(u, D_sigma(u))) >= " + MIN_COSINE + "; the control's < " + MIN_COSINE,
            "the same clusters at the same step with D_sigma computed from permuted labels (the drive of y removed)",
            "in d = 784 a heavy cluster can straddle a sector boundary, where D_sigma jumps; measured later (once the fit has started) the cosine drops");
    /** Real data, N_eff small and width-independent: placeholders, the pair prefix and the moment. */
    public static final Claim REAL_NEFF = new Claim("%ssmall-init N_eff small and independent of the width, %s",
            "N_eff <= 20, within 20% across widths; the control fails it",
            "balanced init at lambda = 1e-1 doubled with a -> -a (f0 = 0, so L0 is small init's; the phases do not separate) at the same"
                    + " widths and seed, small-init rate capped by the contrasts' stability rule, read at the same moment (at the end of"
                    + " alignment: small init's step, matched time; at equal loss: L*): it must fail the criterion",
            "at the end of training light groups still forming change N_eff by a few tenths");
    // ---- the real-data N_eff control at L*: the matched-loss rule. Fixed after the full report of 2026-12-04 (code c937fd4) had
    //      found the logistic probe's control short of L* at every width (0.0373 against L* = 0.0307 after its 1000 steps, so never
    //      read at L*: its row FAILed on the moment, not on N_eff), and BEFORE any run under it. A control width that stops short
    //      of L* is compared at the loss it reached, L_c, if that is below (1 - CONTRAST_MIN_DROP) L0 (the contrasts' rule): small
    //      init of that width is trained again to L_c (its trajectory passes every loss above L*: the same deterministic run, cut
    //      earlier), and at L_c the control fails the criterion when its N_eff exceeds MAX_NEFF while small init's there does not
    //      (the part of the criterion one width at one loss can judge: the width spread needs every width at one loss). Widths
    //      whose control reached L* are read there as before; when every width reached it, the rule is the old one. The claim
    //      itself is still judged at L*. Judged first on the report's logistic probe alone (report.RealDataReport OUT --logistic,
    //      into realdata-logistic.md, about 12 minutes); the next full report applies it to every probe.

    /** The commit that fixed the matched-loss rule for the real-data N_eff control before its judging run. */
    public static final String REAL_CONTROL_MATCHED_PREREGISTERED = "727eb36";

    // ---- the real-data probe over seeds: a judging run of its own beside the report (validation/report/realdata-seeds.md),
    //      registered here before it first ran. The report's probes are one draw each (a full probe costs 4-5 min); this run
    //      repeats the two square-loss pairs at the report's two narrower widths, with neither contrast (their ratio rows are
    //      the report's), over fresh draws.

    /** Seeds 1..this: each draws its own n = 1000 training subset of the pair (FashionMnist.pair) and its own init. */
    public static final int REAL_SEEDS = 10;
    /** Widths of the runs over seeds (m = 1e4 alone costs a minute a run at n = 1000 on 2 cores). */
    public static final int[] REAL_SEEDS_WIDTHS = {1_000, 3_000};
    /** Class pairs over seeds: t-shirt/top vs trouser and shirt vs pullover, square loss (the report's first two probes). */
    public static final int[][] REAL_SEEDS_PAIRS = {{0, 1}, {6, 2}};

    /**
     * @param base a real-data row as one seed judged it
     * @param seeds the number of seeds
     * @return the same claim held over seeds: it passes only when every seed's row passes (its criterion met, its control failed,
     *     at a matched moment)
     */
    public static Claim overSeeds(Verdict base, int seeds) {
        return new Claim(String.format(Locale.ROOT, "Over %d seeds (each its own draw of the training images and its own init): %s", seeds, base.claim()),
                base.prediction() + "; in every seed", base.negativeControl() + "; in every seed, at its moment", base.whyItCouldFail());
    }

    /** Real data, a contrast is not quantized: placeholders, the pair prefix, the regime and the width. */
    public static final Claim REAL_CONTRAST = new Claim("%s%s init is not quantized (m = %d)",
            "N_eff >= 10x small init's at equal loss: at L* if the contrast reaches it, else at the loss the contrast reached (small"
                    + " init's curve passes every loss above L*: its network is read where its loss first falls to that level), which must be"
                    + " below (1 - 1e-2) L0",
            "small init of the same pair and width at the same loss",
            "a contrast that barely leaves L0 in its step cap is compared with small init still on its first plateau");

    // ---- pre-registration (docs/THEORY.md section 9, "Pre-registration"). Everything below was committed before any run that
    // judges a row using it; the report prints the commit that last changed this file (report.Preregistration). A change
    // after a judging run needs a new commit and a new run, and the report then names the new commit.

    /**
     * Fresh random 1-D sets: {@code DataSets.random1d(freshSize(i), FRESH_1D_FIRST_SEED + i)} for i = 0 .. {@link #FRESH_SETS} - 1.
     * No test, no tuning run and no other experiment of the project used a seed of this range (the others use seeds below 100).
     */
    public static final long FRESH_1D_FIRST_SEED = 7_100_001;
    /** Fresh random 2-D sets: {@code DataSets.twoD(freshSize(i), FRESH_2D_FIRST_SEED + i)}, same rule. */
    public static final long FRESH_2D_FIRST_SEED = 7_200_001;
    /** Fresh sets per family in the full report (the quick report and the tests use the first {@link #FRESH_SETS_QUICK}). */
    public static final int FRESH_SETS = 20;
    /** Fresh sets per family at CI size. */
    public static final int FRESH_SETS_QUICK = 1;
    /** Smallest n of a fresh set. */
    public static final int FRESH_N_MIN = 20;
    /** Largest n of a fresh set. */
    public static final int FRESH_N_MAX = 200;

    /** @return n of fresh set i: evenly spaced from {@link #FRESH_N_MIN} (i = 0) to {@link #FRESH_N_MAX} (i = FRESH_SETS - 1) */
    public static int freshSize(int i) {
        if (i < 0 || i >= FRESH_SETS) {
            throw new IllegalArgumentException("fresh set index must be in [0, " + FRESH_SETS + "), got " + i);
        }
        return FRESH_N_MIN + (int) Math.round((FRESH_N_MAX - FRESH_N_MIN) * (double) i / (FRESH_SETS - 1));
    }

    /** @return fresh random 1-D set i */
    public static Dataset fresh1d(int i) {
        return DataSets.random1d(freshSize(i), FRESH_1D_FIRST_SEED + i);
    }

    /** @return fresh random 2-D set i */
    public static Dataset fresh2d(int i) {
        return DataSets.twoD(freshSize(i), FRESH_2D_FIRST_SEED + i);
    }

    /**
     * @param y targets
     * @return y permuted by the rule of {@link #PERMUTATION_SEED} (a new array; never equal to y unless all values are equal)
     */
    public static double[] permuted(double[] y) {
        boolean allEqual = true;
        for (double v : y) {
            allEqual &= v == y[0];
        }
        if (y.length < 2 || allEqual) {
            throw new IllegalArgumentException("targets cannot be permuted into different ones: " + Arrays.toString(y));
        }
        for (long seed = PERMUTATION_SEED;; seed++) {
            Random r = new Random(seed);
            double[] p = y.clone();
            for (int i = p.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                double t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            if (!Arrays.equals(p, y)) {
                return p;
            }
        }
    }

    /** Init seeds of the spread-law fresh sets ({@link #SPREAD_LAW_FRESH_SETS}): seeds 1 .. this. */
    public static final int FRESH_INIT_SEEDS = 10;
    /**
     * Init seeds of the other fresh sets (seed 1): they add breadth of data to the per-attractor claim, the spread-law sets
     * its 10 seeds on 3 sets. Set after timing one run on fresh sets #0, #9 and #19 of each family (seed 1, lambda = 1e-6):
     * a 2-D run costs 30-50 s there, so 10 seeds on all 40 sets would not fit the report's hour.
     */
    public static final int FRESH_INIT_SEEDS_OTHER = 1;
    /** Init seeds per fresh set at CI size. */
    public static final int FRESH_INIT_SEEDS_QUICK = 2;
    /**
     * On fresh sets the claim's basins, like the control's, are read on every {@link #CONTROL_NEURON_STRIDE}-th neuron
     * (the same measurement for both; the basin flow of slow stragglers dominated the timed runs).
     */
    public static final boolean FRESH_STRIDED = true;
    /**
     * The spread law on fresh sets runs on these fresh sets of each family (indices; n = 20, 29 and 39), at
     * {@link #FRESH_INIT_SEEDS} seeds and three init scales each (CI size: the first). First registered as sets 0, 9, 19
     * (n up to 200); changed before any judging run after timing one seed-1 run on sets 0, 9 and 19: a 2-D run at n = 200
     * costs about 35 s and its attractors 40 s, and 90 runs per family there would not fit the report's hour. The smallest
     * three sets keep the law's test (every attractor's slope against its rate ratio) at a third of the cost; the
     * per-attractor claim still covers n up to 200.
     */
    public static final int[] SPREAD_LAW_FRESH_SETS = {0, 1, 2};
    /** The init scales of the spread law on fresh sets. */
    public static final double[] SPREAD_LAW_FRESH_LAMBDAS = {1e-4, 1e-6, 1e-8};
    /**
     * On a fresh set an attractor is held to the per-attractor and spread-law criteria when its rate |G(A)| is at least this
     * share of the fastest: the theory predicts the basin's spread at the escape to scale like lambda^(|G(A)|/|G_max|), so at
     * lambda = 1e-6 an attractor of ratio 1/3 is predicted within about 1e-2 of its basin's initial spread, one of ratio 0.1
     * only within 0.25: it is predicted NOT to be aligned. (Before, the hand-made sets were chosen to hold only attractors
     * of ratio &gt;= 1/3; on fresh sets this is the rule, applied to data never seen.) The others are reported.
     */
    public static final double FRESH_RATE_RATIO = 1.0 / 3;
    /** ... and when its basin holds at least this many neurons (a basin of 3 neurons is 0, 1/3, 2/3 or 1 within). */
    public static final int FRESH_MIN_BASIN_NEURONS = 10;
    /**
     * Share of the (set, seed) runs of a family that must meet the per-attractor criterion; the control (the same networks
     * at the same step against the attractors of permuted targets) must meet it in fewer. Set below 1 because fresh sets
     * at n = 200 hold attractors a few degrees apart, whose basins a 1-degree criterion splits; a miss is listed.
     */
    public static final double FRESH_RUN_SHARE = 0.9;
    /** Share of the judged attractors (per family) whose seed-mean spread slope must be within {@link #SPREAD_SLOPE_ERROR}. */
    public static final double FRESH_SLOPE_SHARE = 0.9;
    /** The slope-1 control is judged on attractors whose predicted slope is at most this (for the fastest both laws say 1). */
    public static final double SLOPE_CONTROL_MAX_PREDICTED = 0.8;

    /** Resamples of every bootstrap interval. */
    public static final int BOOTSTRAP_RESAMPLES = 2000;
    /** Seed of every bootstrap's resampling. */
    public static final long BOOTSTRAP_SEED = 7_400_001;
    /** Two-sided level of every interval in the table (percentile bootstrap). */
    public static final double CONFIDENCE = 0.95;

    /**
     * Seed of the permutation of the targets in the permuted-target controls: y is shuffled by Fisher-Yates with
     * {@code new Random(PERMUTATION_SEED)}; when the shuffle leaves y unchanged (possible at n = 5 with repeated values)
     * the next seed is used, in order, until it does not.
     */
    public static final long PERMUTATION_SEED = 7_300_001;
    /**
     * A control measured at equal loss is matched when its loss is within this relative distance of the claim's: a contrast
     * stops at the first step at or below the target, and one NTK-rate step moves the loss by up to about 2% on these sets.
     */
    public static final double MATCHED_LOSS_REL = 0.05;

    /**
     * The permuted-target control follows the flow of the permuted targets' drive from where the claim's neurons are, which
     * are not that flow's attractors: many directions slide along sector boundaries without being captured, each costing the
     * flow's full step cap. The control therefore follows at most this many Euler steps (a direction not captured by then
     * is in no basin, and its mass counts in no basin's share) ...
     */
    public static final int CONTROL_FLOW_STEPS = 2_000;
    /** ... and reads every this-many-th neuron (1e3 of 1e4: each basin's share within 1 degree to about 3%). */
    public static final int CONTROL_NEURON_STRIDE = 10;

    /** Per-attractor alignment on fresh sets; placeholders: family, sets, n range, seeds. */
    public static final Claim PER_ATTRACTOR_FRESH = new Claim(
            "Per-attractor alignment, fresh %s sets (%d sets, n = %d..%d, %d seed each, %d on the 3 spread-law sets, m = 1e4, lambda = 1e-6): every attractor with"
                    + " rate >= 1/3 of the fastest and >= 10 neurons in its basin holds >= 99%% of its basin's mass within 1 deg at L0 - L <= 1e-4 L0",
            ">= 90% of the (set, seed) runs meet it (95% bootstrap interval over sets); the control meets it in < 90%",
            "the same networks at the same step against the attractors of permuted targets (the mechanism, the drive of y, removed)",
            "at n = 200 attractors a few degrees apart split a basin at the 1-degree scale; a slow attractor just above 1/3 is wider");
    /** The spread law on fresh sets; placeholders: family, sets, seeds. */
    public static final Claim SPREAD_LAW_FRESH = new Claim(
            "Spread law, fresh %s sets (%s, %d seeds each, m = 1e4, lambda 1e-4..1e-8): seed-mean slope of ln(basin spread) vs ln(lambda)"
                    + " per interior attractor with rate >= 1/3 of the fastest",
            "within 20% of ln(1 + lr |G(A)|/n) / ln(1 + lr |G_max|/n) for >= 90% of them (95% bootstrap intervals over seeds); the"
                    + " slope-1 law fails the same test on those with predicted slope <= 0.8",
            "the single law spread ~ lambda judged on the same measurement",
            "the O(1) offset of the measurement time weighs on the slope; a basin split by a nearby sector edge follows the nonlinear flow");
    /** The f0 = 0 contrast, N_eff ratio at equal loss; placeholder: the data set. */
    public static final Claim FAIR_CONTRAST_F0_ZERO = new Claim(
            "Fair contrast, %s: at equal loss the f0 = 0 contrast (PyTorch default drawn for m/2 neurons, each doubled with a -> -a,"
                    + " NTK rates) is not quantized, small init is",
            "N_eff contrast / N_eff small >= 10 at m = 1e4 with the contrast at the small-init loss, in every seed; the control's ratio < 10"
                    + " in every seed",
            "the same PyTorch-default draw scaled by lambda in every layer (small init in PyTorch's shape, small-init rate), at the same loss",
            "started at f = 0 the contrast may learn features like small init does if the NTK rates let the first layer move");

    // ---- per-attractor alignment, spread law, reduced model (docs/THEORY.md section 9, last subsection); fixed before measuring

    /** Share of each basin's mass that must lie within 1 degree of its attractor. */
    public static final double PER_ATTRACTOR_WITHIN = 0.99;
    /** Largest init scale held to the per-attractor criterion. */
    public static final double ALIGNMENT_SMALL_LAMBDA = 1e-6;
    /** Smallest width held to it. */
    public static final int ALIGNMENT_WIDE = 10_000;
    /** The per-attractor negative control's init scale. */
    public static final double ALIGNMENT_CONTROL_LAMBDA = 1e-1;
    /** Largest relative error of a measured spread slope against the theory's. */
    public static final double SPREAD_SLOPE_ERROR = 0.2;
    /**
     * Init seeds of the spread law on the hand-made sets (every lambda, m = 1e4): the row judges the seed-mean slope, with its
     * 95% bootstrap interval beside it, as the fresh sets' rows do (one seed before).
     */
    public static final int SPREAD_SEEDS = 10;
    /** ... and at CI size. */
    public static final int SPREAD_SEEDS_QUICK = 2;
    /**
     * Init seeds of the reduced model per data set, the claim and its lambda = 1e-1 control alike (one seed before): the
     * claim holds when every seed's sup stays within {@link #REDUCED_MODEL_SUP}, the control fails when every seed's leaves it.
     */
    public static final int REDUCED_SEEDS = 10;
    /** ... and at CI size. */
    public static final int REDUCED_SEEDS_QUICK = 2;
    /** Largest sup |f_wide - f_reduced| on the fine grid, at the end and at every check step after the cut. */
    public static final double REDUCED_MODEL_SUP = 1e-3;

    /** Per-attractor alignment before the escape; placeholder, the data set. */
    public static final Claim PER_ATTRACTOR_ALIGNMENT = new Claim(
            "Per-attractor alignment (%s): in EVERY predicted attractor's basin, mass within 1 deg, at L0 - L <= 1e-4 L0, m >= 1e4, lambda <= 1e-6",
            ">= 99% of each basin's mass", "lambda = 1e-1 (row below)",
            "a slow attractor contracts like lambda^(|G(A)|/|G_max|): with a rate ratio near 0 its basin is still wide at the escape;"
                    + " a neuron that starts next to a basin edge leaves it slowly");
    /** Its negative control; placeholder, the data set. */
    public static final Claim PER_ATTRACTOR_CONTROL = new Claim(
            "Per-attractor alignment negative control (%s): the same networks at the same step, against the attractors of permuted targets",
            "fails: some basin < 99% within 1 deg", "this row is the control of the per-attractor row above",
            "a permutation that leaves the attractors near where they were (symmetric data) would pass: the row then shows it");
    /** The spread law; placeholder, the data set. */
    public static final Claim SPREAD_LAW = new Claim(
            "Spread law (%s): slope of ln(basin spread) vs ln(lambda), per attractor, at L0 - L <= 1e-4 L0",
            "seed-mean slope within 20% of ln(1 + lr |G(A)|/n) / ln(1 + lr |G_max|/n) for every interior attractor (boundary ones reported)",
            "the single law spread ~ lambda (slope 1 for every attractor) judged by the same 20% criterion (row below)",
            "the O(1) offset of the measurement time weighs on the fit at lambda near 1e-3; the spread of a basin whose neurons"
                    + " start near a sector edge follows the nonlinear flow");
    /** The spread law's negative control; placeholder, the data set. */
    public static final Claim SPREAD_LAW_CONTROL = new Claim("Spread law negative control (%s): spread ~ lambda for every attractor (slope 1)",
            "fails: some interior attractor's measured slope differs from 1 by more than 20%",
            "this row is the control of the spread-law row above (the competing law, judged by the same criterion)",
            "if every attractor grew as fast as the fastest the two laws would agree and this row could not separate them");
    /** The reduced model; placeholder, the data set. */
    public static final Claim REDUCED_MODEL = new Claim(
            "Reduced model (%s): one neuron per predicted attractor (its basin's mass and mean direction at L0 - L <= 1e-4 L0), trained on, reproduces the wide network",
            "sup |f_wide - f_reduced| <= 1e-3 on a fine grid at the end and at every check step on the way (about 10 per decade)",
            "the same reduced model from a lambda = 1e-1 run (row below)",
            "clusters below 1 deg still carry a spread that the reduced model drops; a cluster splits across a sector boundary later");
    /** Its negative control; placeholder, the data set and what was changed. */
    public static final Claim REDUCED_MODEL_CONTROL = new Claim("Reduced model negative control (%s): %s",
            "fails: sup |f_wide - f_reduced| > 1e-3 at some check step", "this row is the control of the reduced-model row above",
            "at the end the fitted values are one of finitely many vectors either way: the end alone barely separates the control on the five-point data");

    // =====================================================================================================
    // ---- the race: the whole saddle-to-saddle sequence predicted from the data (docs/THEORY.md section 2,
    //      theory.Race, experiments.RaceSequence). This section is appended last and owned by the race
    //      experiment; its judging rules are fixed here before the judging run (the commit is named in
    //      docs/THEORY.md and in the report).

    /**
     * The race: a group's rate at most this fraction of the first escape's rate is zero (inside a grown group, where D = 0 up
     * to the transition GD's residual motion, measured 1e-4 of it on development sets; or an escape beyond any float64 lambda).
     */
    public static final double RACE_RATE_FLOOR = 1e-3;
    /** The race: escape times delta / rho within this relative distance of the smallest are one joint escape (exact symmetry). */
    public static final double RACE_TIE = 1e-6;

    /** The commit that fixed this section's thresholds and judging rule before the judging run. */
    public static final String RACE_PREREGISTERED = "6554cd7";
    /** Init scales of the race's runs (float64). */
    public static final double[] RACE_LAMBDAS = {1e-4, 1e-6, 1e-8, 1e-10, 1e-12, 1e-14};
    /** The slope of t_k against ln(1/lambda) is fitted over these (the O(1) re-alignment times still weigh at 1e-4 .. 1e-6). */
    public static final double[] RACE_FIT_LAMBDAS = {1e-8, 1e-10, 1e-12, 1e-14};
    /** A measured slope within this relative distance of the predicted c_k is a hit. */
    public static final double RACE_SLOPE_ERROR = 0.05;
    /** A run lasts this many times the last predicted escape time ... */
    public static final double RACE_HORIZON = 1.5;
    /** ... plus this many units of time (so the final plateau is held long enough to be read and to show it is final). */
    public static final double RACE_HOLD = 100;
    /** Loss samples every this many steps. */
    public static final int RACE_SAMPLE_EVERY = 10;
    /** Fresh sets train at lr = this * n / |D_max| (the fastest group grows by this fraction per step). */
    public static final double RACE_LR_GROWTH = 0.05;
    /** A fresh set is kept only when the race predicts at least this many escapes ... */
    public static final int RACE_MIN_PHASES = 3;
    /** ... consecutive jump constants at least this far apart (relative) ... */
    public static final double RACE_MIN_GAP = 0.1;
    /** ... and the last at most this many times the first. */
    public static final double RACE_MAX_SPAN = 10;
    /** Sizes of the fresh sets: n from this ... */
    public static final int RACE_MIN_N = 20;
    /** ... to this, in steps of 10, drawn from the set's seed. */
    public static final int RACE_MAX_N = 200;
    /** Bootstrap resamples of the seeds for the 95% interval of a slope. */
    public static final int RACE_BOOTSTRAP = 2000;
    /** Seed of the bootstrap's generator. */
    public static final long RACE_BOOTSTRAP_SEED = 1;
    /** A predicted plateau is held to the J / loss check at a lambda only when it lasts at least this long there, (c_{k+1} - c_k) ln(1/lambda) units of time (the detector needs {@link #MIN_PLATEAU_TIME} of flatness after an O(1) settling). */
    public static final double RACE_MEASURABLE_TIME = 100;
    /** Widths of the race: the slopes and the J check at 1e4 with {@link #RACE_SEEDS_AT_1E4} seeds, 1e5 with {@link #RACE_SEEDS_AT_1E5}, 1e6 with one seed (two lambdas). */
    public static final int[] RACE_WIDTHS = {10_000, 100_000, 1_000_000};
    /** Seeds of the five-point data at m = 1e4. */
    public static final int RACE_SEEDS_AT_1E4 = 20;
    /** Seeds of the five-point data at m = 1e5. */
    public static final int RACE_SEEDS_AT_1E5 = 3;
    /** Seeds of each fresh set at m = 1e4 (the 60-minute budget of the whole report; a fresh run at n = 200 costs ~10 s). */
    public static final int RACE_FRESH_SEEDS = 5;
    /** Fresh sets per family. */
    public static final int RACE_SETS = 3;
    /** First seed of the fresh random 1-D sets (no test or tuning used seeds from 7e6 up; development used 5000 .. 5059). */
    public static final long RACE_FIRST_SEED_1D = 7_100_000;
    /** First seed of the fresh 2-D sets. */
    public static final long RACE_FIRST_SEED_2D = 7_200_000;
    /** Seeds tried per family. */
    public static final int RACE_MAX_TRIES = 30;
    /** The CI-size check: five-point data at this width ... */
    public static final int RACE_QUICK_WIDTH = 1_000;
    /** ... with this many seeds, over {@link #RACE_FIT_LAMBDAS}. */
    public static final int RACE_QUICK_SEEDS = 2;
    /** The mutation a judge must catch: one c_k multiplied by this. */
    public static final double RACE_MUTATION = 1.10;
    /** The trap: one neuron placed in the unheld basin with |a| = |v| = this ... */
    public static final double RACE_TRAP_NORM = 1e-2;
    /** ... trained for (this / its rate + {@link #RACE_HOLD}) units of time (its log-norm can grow by this much) ... */
    public static final double RACE_TRAP_GROWTH = 15;
    /** ... must take the loss below this fraction of the trap's level, while the unchanged network stays within {@link #PLATEAU_LOSS_REL}. */
    public static final double RACE_TRAP_DROP = 0.5;

    /**
     * The judging rule, per family (five-point; random 1-D; random 2-D): PASS when, at every width run, every c_k's measured
     * slope is within {@link #RACE_SLOPE_ERROR} of the prediction, and at the smallest lambda at least {@link #PHASE_SEED_SHARE}
     * of the seeds (all of fewer than 20) show every measurable predicted plateau with the predicted J and its loss within
     * {@link #PLATEAU_LOSS_REL} (or {@link #PLATEAU_LOSS_ABS} L0). The row also gives the share of c_k within 5%; every miss stays
     * in the table. Placeholder: the family.
     */
    public static final Claim RACE = new Claim(
            "Race (%s): every jump constant c_k = lim t_k / ln(1/lambda), J_k and plateau loss predicted from the data alone",
            "slope of t_k vs ln(1/lambda) (lambda = 1e-8..1e-14, float64) within 5% of c_k at every width; J_k and plateau losses in >= 19/20"
                    + " seeds (all of fewer) at lambda = 1e-14",
            "the same measurement judged against the prediction with one c_k moved by 10% (row 'race mutation'); the greedy rule (row below)",
            "slopes are limits: at finite lambda re-alignment takes O(1) time and a slow basin has not contracted (spread law);"
                    + " near-tied escapes merge; a kink pinned on a data point makes GD jitter");
    /** The race's judge on a prediction with one c_k moved by {@link #RACE_MUTATION}: must fail. Placeholder: which c_k, which set. */
    public static final Claim RACE_MUTATION_CONTROL = new Claim("Race mutation control (%s): the five-point measurement judged against c_%d x 1.10",
            "fails: the moved c_k's slope is off by about 10%", "this row is the control of the five-point race row",
            "if the measurement could not resolve 10%, this row would pass and the race row would mean nothing");
    /** Negative result: the greedy rule is falsified on the five-point data. */
    public static final Claim GREEDY_FALSIFIED = new Claim(
            "Negative result: the greedy rule (the attractor of largest current rate escapes next) is falsified on the five-point data",
            "greedy predicts a third escape from 1/1500 (a < 0 kink at 0, to loss %.3g); the race predicts 1/1500 final; measured: no run"
                    + " leaves 1/1500 by the horizon 1.5 t_2 + 100, nor the trap row's network after its extra steps; the control leaves it",
            "the trap row's network with ONE neuron placed in the unheld basin, after the same extra steps as the unchanged one: the greedy"
                    + " escape happens there, so its end loss must NOT be within 1% of 1/1500",
            "a horizon too short for the greedy escape (its rate is 0.0033 per unit of time: the horizon holds several of its times)");
    /** Negative result: the 1/1500 plateau is the early-alignment trap. */
    public static final Claim TRAP = new Claim(
            "Negative result: the five-point data end at 1/1500 in an early-alignment trap (Boursier & Flammarion 2024, JMLR), predicted by the race",
            "race: final plateau with an unheld basin of positive rate; measured at m = %d, lambda = %.0e: unchanged network within 1%% of"
                    + " 1/1500 after the extra steps, the same network plus ONE neuron in that basin below half of it",
            "the unchanged network is the control of the placed neuron (same steps, same data)",
            "the placed neuron could be absorbed by a grown group before it grows (then the row fails)");

    // ---- the race, amended rule: a second judging run on new fresh seeds. Fixed after the first judging run (6554cd7) had
    //      shown two measuring faults (docs/THEORY.md section 2, open findings 2 and 3) and BEFORE any run on these seeds:
    //      (1) flatness judged between samples 10 steps apart saw a kink's lr-sized jitter (4.8e-5 per unit of time in ln L
    //      against the 1e-5 threshold) and found no plateau where the loss sat within 8e-6 of the predicted level: the
    //      detector now receives one sample every RACE_AMENDED_DETECTOR_TIME units of time (jitter of amplitude 4e-5 in
    //      ln L then reads below 1e-5 per unit); (2) the final approach on 2-D sets was still falling by 1.7e-5 per unit
    //      at the old horizon: the hold after 1.5 t_last is now RACE_AMENDED_HOLD; (3) the race is the lambda -> 0 limit:
    //      a set whose network slides after an escape for longer than RACE_AMENDED_MAX_SLIDE_SHARE of the time to the next
    //      escape at lambda = 1e-14 (Race.Phase.slideTime) is not eligible (random1d(80, 7100026): share 4.8). Everything
    //      else (thresholds, widths, seeds per set, lambdas, the lr rule, n range, the escape-count rule with its two-escape
    //      fallback, the judging rule) is the race section's above.

    /** First seed of the amended rule's random 1-D sets (never used by any test, tuning or run before this registration). */
    public static final long RACE_AMENDED_FIRST_SEED_1D = 7_300_000;
    /** First seed of the amended rule's 2-D sets (never used before this registration). */
    public static final long RACE_AMENDED_FIRST_SEED_2D = 7_400_000;
    /** The plateau detector receives one loss sample every this many units of time (escapes are still read every {@link #RACE_SAMPLE_EVERY} steps). */
    public static final double RACE_AMENDED_DETECTOR_TIME = 10;
    /** A run lasts {@link #RACE_HORIZON} times the last predicted escape time plus this many units of time. */
    public static final double RACE_AMENDED_HOLD = 1000;
    /** A set is eligible only when every plateau before the last has a slide time at most this share of the time to the next escape at lambda = 1e-14. */
    public static final double RACE_AMENDED_MAX_SLIDE_SHARE = 0.5;
    /** The commit that fixed the amended rule before its judging run (the registration plus this string were committed before the run). */
    public static final String RACE_AMENDED_PREREGISTERED = "fd4c501";

    /** The amended rule's verdict per family. Placeholder: the family. */
    public static final Claim RACE_AMENDED = new Claim(
            "Race, amended rule, new fresh seeds (%s): every c_k, J_k and plateau loss predicted from the data alone",
            "as the race rows (slopes within 5% of c_k; J_k and plateau losses in all seeds at lambda = 1e-14), with the detector fed every"
                    + " 10 units of time, a hold of 1000 units and sets whose slides take <= 0.5 of the time to the next escape",
            "the five-point race's mutation rows (the same judge catches a 10% move of one c_k)",
            "the amendment was written after the first run had failed on other seeds: this run, on seeds no run had used, is its test");

    // ---- the race, third judging run: the amended rule plus J compared up to points on a kink. Fixed after the second
    //      judging run (fd4c501) had failed J in 13 of 30 seeds where every inspected failure was ONE data point on a kink
    //      (the loss matching to 4e-6), and BEFORE any run on these seeds: predicted and measured J are compared with the
    //      points the race puts on a kink of a plateau's group (Race.Phase.onKink: |u . x~_i| <= RACE_KINK_MARGIN |u| |x~_i|)
    //      left out of every pattern; a point the race does NOT put on a kink still counts. Everything else is the amended rule.

    /** A point within this relative distance of a predicted group's kink (|u . x~_i| / (|u| |x~_i|)) is on that kink. */
    public static final double RACE_KINK_MARGIN = 1e-3;
    /** First seed of the third run's random 1-D sets (never used before this registration). */
    public static final long RACE_THIRD_FIRST_SEED_1D = 7_500_000;
    /** First seed of the third run's 2-D sets (never used before this registration). */
    public static final long RACE_THIRD_FIRST_SEED_2D = 7_600_000;
    /** The commit that fixed the third run's rule before it ran (the registration plus this string were committed before the run). */
    public static final String RACE_THIRD_PREREGISTERED = "25aa9f0";

    /** The third run's verdict per family. Placeholder: the family. */
    public static final Claim RACE_THIRD = new Claim(
            "Race, third run (amended rule, J up to points on a kink), new fresh seeds (%s): every c_k, J_k and plateau loss predicted from the data alone",
            "as the amended rule's rows, with predicted and measured J compared after leaving out the points the race puts on a kink"
                    + " (|u . x~_i| <= 1e-3 |u| |x~_i|)",
            "the five-point race's mutation rows (the same judge catches a 10% move of one c_k)",
            "the J comparison was relaxed after the second run had failed on other seeds: this run, on seeds no run had used, is its test");

    // ---- the race, fourth judging run: the third run's rule over RACE_FOURTH_SEEDS init seeds per fresh set. The first three
    //      judging runs gave each fresh set 5 seeds, so the J rule ">= 19 of 20 seeds" (PHASE_SEED_SHARE) was only ever applied
    //      to fewer than 20 (as "all of fewer"), and the slopes' intervals rested on 5 seeds. Fixed BEFORE any run on these seeds,
    //      and not after looking at their draw: new data seeds, 20 init seeds (1..20) per set; everything else is the third run's
    //      rule (draw and eligibility, lr rule, n range, width 1e4, RACE_FIT_LAMBDAS, detector, hold, J compared up to points on a
    //      kink, the judging rule with the 19-of-20 share). Its one-tracer-per-basin limit (the third run's finding) is not repaired:
    //      this run measures how often the prediction holds over 20 seeds as it stands. A judging run of its own
    //      (report.RaceSection OUT --fourth into race-fourth.md; about 4x the third run's cost).

    /** Init seeds 1..this per fresh set in the fourth run. */
    public static final int RACE_FOURTH_SEEDS = 20;
    /** First seed of the fourth run's random 1-D sets (never used by any test, tuning or run before this registration). */
    public static final long RACE_FOURTH_FIRST_SEED_1D = 8_500_000;
    /** First seed of the fourth run's 2-D sets (never used before this registration). */
    public static final long RACE_FOURTH_FIRST_SEED_2D = 8_600_000;
    /** The commit that fixed the fourth run before it ran (the registration plus this string were committed before the run). */
    public static final String RACE_FOURTH_PREREGISTERED = "727eb36";

    /** The fourth run's verdict per family. Placeholder: the family. */
    public static final Claim RACE_FOURTH = new Claim(
            "Race, fourth run (third run's rule, 20 seeds per set), new fresh seeds (%s): every c_k, J_k and plateau loss predicted from the data alone",
            "as the third run's rows, over 20 init seeds per set: slopes within 5% of c_k with their 95% interval over 20 seeds; J_k and"
                    + " plateau losses (points on a kink left out) in >= 19 of 20 seeds at lambda = 1e-14",
            "the five-point race's mutation rows (the same judge catches a 10% move of one c_k)",
            "one tracer per basin: a basin not yet contracted at float64 lambda can straddle the boundary of the next residual's basins"
                    + " (third run), and a set the race declares trapped can still hold neurons in an unheld basin");

    // ---- the race, fifth judging run: the fourth run's rule with three amendments. Fixed after the fourth run (727eb36) and BEFORE
    //      any run on these seeds; each amendment comes from a fault of the measurement read in the fourth run's data:
    //      (1) the escape time was read every RACE_SAMPLE_EVERY = 10 steps; the lr rule makes lr |G_max| / n = 0.05, so t_1 moves
    //      by 1 / ln(1.05) = 20.5 steps per unit of ln(1/lambda), and the least-squares slope over the four fit lambdas can only
    //      take the values k / 94.39 c_1 for whole k: every c_1 error of the fresh sets (+1.7% = 96/94.39, -0.4% = 94/94.39,
    //      -1.5% = 93/94.39) is that grid. The escape is now read at every step (RACE_FIFTH_ESCAPE_EVERY). (2) The hold after
    //      1.5 t_last was 1000 units; the final approach of random1d(30, 8500022) takes 8530 (the race's transition GD, time to
    //      stay within Race.SETTLE_TOLERANCE of the plateau loss: Race.Phase.settleTime), so no final plateau was read in any seed
    //      although with a longer hold it is read with the predicted J and loss (seed 1: 0.04339 vs 0.04326). The hold is now at
    //      least RACE_FIFTH_SETTLE_FACTOR times the last plateau's settle time. (3) A plateau was "measurable" when its span at
    //      lambda was >= RACE_MEASURABLE_TIME; plateau 1 of twoD(150, 8600005) spans 108 units at 1e-14 but needs 70 to settle, so
    //      it is flat for 38 and no seed read it. The measurable time is now the span minus the plateau's settle time. Budget: a
    //      set is eligible only when its last plateau settles within RACE_FIFTH_MAX_SETTLE units (the longer hold costs steps).
    //      Everything else is the fourth run's rule (20 seeds per set, J up to points on a kink, detector, slides, draw, widths,
    //      lambdas, thresholds, the judging rule). A judging run of its own (report.RaceSection OUT --fifth into race-fifth.md).

    /** First seed of the fifth run's random 1-D sets (never used by any test, tuning or run before this registration). */
    public static final long RACE_FIFTH_FIRST_SEED_1D = 8_700_000;
    /** First seed of the fifth run's 2-D sets (never used before this registration). */
    public static final long RACE_FIFTH_FIRST_SEED_2D = 8_800_000;
    /** The fifth run reads escape times at every step (the others every {@link #RACE_SAMPLE_EVERY}). */
    public static final long RACE_FIFTH_ESCAPE_EVERY = 1;
    /** ... holds the run after 1.5 t_last for at least this many times the last plateau's settle time (and at least {@link #RACE_AMENDED_HOLD}) ... */
    public static final double RACE_FIFTH_SETTLE_FACTOR = 2;
    /** ... and draws only sets whose last plateau settles within this many units of time. */
    public static final double RACE_FIFTH_MAX_SETTLE = 2500;
    /** The commit that fixed the fifth run before it ran (the registration plus this string were committed before the run). */
    public static final String RACE_FIFTH_PREREGISTERED = "84e2b3c";

    /** The fifth run's verdict per family. Placeholder: the family. */
    public static final Claim RACE_FIFTH = new Claim(
            "Race, fifth run (escapes read every step, hold and measurable time from the predicted settle times, 20 seeds per set), new"
                    + " fresh seeds (%s): every c_k, J_k and plateau loss predicted from the data alone",
            "as the fourth run's rows (slopes within 5% of c_k; J_k and plateau losses in >= 19 of 20 seeds at lambda = 1e-14), with t_k"
                    + " read at every step, a hold of max(1000, 2 x the last settle time) and a plateau measurable when its span minus its"
                    + " settle time is >= 100 units",
            "the five-point race's mutation rows (the same judge catches a 10% move of one c_k)",
            "one tracer per basin (a basin not yet contracted at float64 lambda can straddle the next residual's basin boundary; a"
                    + " trapped set can still hold neurons in an unheld basin at m = 1e4): the fourth run's open findings are not repaired");

    // ---- the race at width 1e7, once. Fixed before its run: the five-point data at m = 1e7 (the kernel's float64 fused d = 1
    //      sweep holds 1e7 neurons in about 1 GB), one init seed, lambda = 1e-8 and 1e-14 (the ends of RACE_FIT_LAMBDAS, as the
    //      1e6 row), the first judging run's rule (RaceSequence.Rule.ORIGINAL, the five-point race row's), judged by that row's
    //      criterion at this width alone: every c_k's two-point slope within RACE_SLOPE_ERROR of the prediction, and at
    //      lambda = 1e-14 the seed shows every measurable predicted plateau with its J and loss. Too long for the report's hour
    //      (estimated 10-20 minutes on 2 cores), so it is a judging run of its own (report.RaceSection OUT --width-1e7).

    /** The width of the one-off race run. */
    public static final int RACE_ONCE_WIDTH = 10_000_000;
    /** Its init scales. */
    public static final double[] RACE_ONCE_LAMBDAS = {1e-8, 1e-14};
    /** Its init seeds (1 .. this). */
    public static final int RACE_ONCE_SEEDS = 1;
    /** The commit that fixed the run at width 1e7 before it ran. */
    public static final String RACE_ONCE_PREREGISTERED = "3577c85";

    // ---- the spread law on fresh sets, second registration. Fixed after the first registration's fresh rows (SPREAD_LAW_FRESH)
    //      had come out FAIL without judging their control: on fresh sets 0, 1 and 2 of each family only the fastest attractor
    //      (predicted slope 1 by both laws) met the rate rule, so the slope-1 law had nothing to be judged on. The second
    //      registration chooses its sets from the data alone, BEFORE any run on them: random1d(SPREAD_SECOND_N, seed) and
    //      twoD(SPREAD_SECOND_N, seed) at seeds from SPREAD_SECOND_FIRST_SEED_1D / _2D upward (no test, tuning or run has used
    //      seeds from 7.7e6 up), a set kept when its predicted attractors (theory.Attractors) hold an interior attractor of rate
    //      ratio >= FRESH_RATE_RATIO whose predicted slope is <= SLOPE_CONTROL_MAX_PREDICTED; the first SPREAD_SECOND_SETS kept
    //      sets per family in seed order, at most SPREAD_SECOND_MAX_TRIES seeds tried. The runs, the measurement, the judged
    //      attractors and the verdict are the first registration's (FRESH_INIT_SEEDS seeds, SPREAD_LAW_FRESH_LAMBDAS, m = 1e4,
    //      float64, FRESH_MIN_BASIN_NEURONS, SPREAD_SLOPE_ERROR, FRESH_SLOPE_SHARE). The first registration's rows stay in the
    //      report as measured.

    /** First seed of the second registration's random 1-D sets. */
    public static final long SPREAD_SECOND_FIRST_SEED_1D = 7_700_001;
    /** First seed of its 2-D sets. */
    public static final long SPREAD_SECOND_FIRST_SEED_2D = 7_800_001;
    /** Samples per set (the first registration's spread sets had n = 20, 29, 39). */
    public static final int SPREAD_SECOND_N = 30;
    /** Kept sets per family. */
    public static final int SPREAD_SECOND_SETS = 3;
    /** Seeds tried per family. */
    public static final int SPREAD_SECOND_MAX_TRIES = 50;
    /** The commit that fixed the second registration before its judging run. */
    public static final String SPREAD_SECOND_PREREGISTERED = "3577c85";
    /** Its verdict per family; placeholders: the family, the sets, the seeds. */
    public static final Claim SPREAD_LAW_SECOND = new Claim(
            "Spread law, second registration, fresh %s sets chosen from the data to hold an attractor the slope-1 law mispredicts (%s,"
                    + " %d seeds each, m = 1e4, lambda 1e-4..1e-8): seed-mean slope of ln(basin spread) vs ln(lambda) per interior"
                    + " attractor with rate >= 1/3 of the fastest",
            "within 20% of ln(1 + lr |G(A)|/n) / ln(1 + lr |G_max|/n) for >= 90% of them (95% bootstrap intervals over seeds); the"
                    + " slope-1 law fails the same test on those with predicted slope <= 0.8",
            "the single law spread ~ lambda judged on the same measurement",
            "a slow basin may hold fewer than 10 read neurons in a seed (that seed drops out); a basin split by a nearby sector edge"
                    + " follows the nonlinear flow");

    // ---- vector outputs (docs/THEORY.md section 10): alignment of u and of a/|a| on k = 2, 3 data; fixed before measuring

    /** Init scale of the vector-output alignment runs (balanced init, bias on). */
    public static final double VECTOR_LAMBDA = 1e-6;
    /** Learning rate of those runs: lr |g|/n is 0.012 (hinges2, hinges3) and 0.0073 (blobs3), below the 0.01 rad of a boundary cluster's jitter bound. */
    public static final double VECTOR_LR = 0.02;
    /** Widths of the runs; the alignment criteria are judged at {@link #VECTOR_JUDGED_WIDTH}, N_eff across all of them. */
    public static final int[] VECTOR_WIDTHS = {1_000, 10_000};
    /** The width held to the per-attractor criteria. */
    public static final int VECTOR_JUDGED_WIDTH = 10_000;
    /** Seeds 1..this per width (the full report); the CI size runs {@link #VECTOR_SEEDS_QUICK}. */
    public static final int VECTOR_SEEDS = 5;
    /** Seeds per width at the CI size. */
    public static final int VECTOR_SEEDS_QUICK = 2;
    /**
     * Per predicted attractor: share of the mass of its cell (the neurons whose direction is nearer to it than to any other
     * predicted attractor) within 1 degree of its u; an empty cell counts as 0.
     */
    public static final double VECTOR_WITHIN_1_DEG = 0.99;
    /** ... and within 5 degrees. */
    public static final double VECTOR_WITHIN_5_DEG = 0.999;
    /** Per predicted attractor: cos of the mass-weighted mean a/|a| of the neurons within 5 degrees of u with the predicted output direction. */
    public static final double VECTOR_OUTPUT_COS = 0.999;
    /** Largest max - min over the widths of the seeds' median N_eff (1-degree direction clusters). */
    public static final double VECTOR_NEFF_SPREAD = 0.2;
    /** Seed of the control's permutation of the targets (square loss) or labels (softmax) among the samples. */
    public static final long VECTOR_CONTROL_PERMUTATION_SEED = 7;

    /** Vector alignment; placeholders: the data set, the seeds. */
    public static final Claim VECTOR_ALIGNMENT = new Claim(
            "Vector outputs (%s): at the first step with L0 - L >= 1e-4 L0 (lambda = 1e-6, m = 1e4, %d seeds) every predicted attractor"
                    + " holds its cell's mass within 1 and 5 deg of u, and its neurons' mean a/abs(a) points along the predicted output direction",
            "every attractor, every seed: >= 0.99 of its cell's mass within 1 deg, >= 0.999 within 5 deg, cos(mean a/abs(a), predicted) >= 0.999;"
                    + " the control fails it",
            "the same networks at the same step judged against the attractors of the data with targets (labels) permuted among the samples (seed 7)",
            "a slow attractor contracts like lambda^(rate/max rate) (section 4's spread law): its cell can still hold neurons in transit;"
                    + " a boundary cluster jitters across its kink by about lr abs(g)/n rad");
    /** Its control; placeholder, the data set. */
    public static final Claim VECTOR_ALIGNMENT_CONTROL = new Claim(
            "Vector outputs negative control (%s): the same networks and step against the attractors of permuted targets",
            "fails the criterion of the row above in every seed", "this row is the control of the row above",
            "a permutation could leave an attractor of the data in place (then this row fails and says so)");
    /** N_eff independent of the width; placeholder, the data set. */
    public static final Claim VECTOR_NEFF = new Claim("Vector outputs (%s): N_eff at the end of alignment independent of width 1e3..1e4",
            "max - min over the widths of the seeds' median N_eff (1-deg direction clusters) <= 0.2; the control's > 0.2",
            "balanced init at lambda = 1e-1 (phases not separated) at the same widths, seeds and rate, read by the same rule (the first step"
                    + " with L0 - L >= 1e-4 L0, so at equal loss): the spread of its seeds' median N_eff must exceed 0.2",
            "at m = 1e3 a slow basin may hold few neurons, or light stragglers form extra 1-degree clusters");
}
