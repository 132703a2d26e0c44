package io.reluquant.validation.experiments;

import java.util.Locale;

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

        /** @return the verdict on this claim for what was measured */
        public Verdict judge(String measured, boolean pass) {
            return new Verdict(statement, prediction, measured, pass, negativeControl, whyItCouldFail);
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
     */
    public record Verdict(String claim, String prediction, String measured, boolean pass, String negativeControl, String whyItCouldFail) {}

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
    /** Largest |f(x_i) - (P_J y)_i| at the end of training. */
    public static final double FIT_TOLERANCE = 1e-4;
    /** Largest max - min of small-init N_eff across widths 1e2..1e4. */
    public static final double NEFF_WIDTH_SPREAD = 0.2;
    /** Smallest ratio of standard-init N_eff to small-init N_eff at the same width. */
    public static final double NEFF_CONTRAST = 10;
    /** Smallest mass-weighted self-consistency of the clusters at alignment. */
    public static final double SELF_CONSISTENCY = 0.99;
    /** Largest distance (degrees) between the oracle's attractors and docs/THEORY.md's table. */
    public static final double ORACLE_DEGREES = 5e-4;
    /** Largest relative gap of an E3 cluster's mass to sqrt 2. */
    public static final double ORTHOGONAL_MASS_GAP = 0.01;
    /** E3's end loss must be below this fraction of the initial loss. */
    public static final double ORTHOGONAL_LOSS_FRACTION = 1e-6;
    /** Most distinct patterns J over seeds at small init (the attractor count at init of the five-point data). */
    public static final int MAX_DISTINCT_J = 3;
    /** Sup-norm distance under which two learned functions count as one (1% of max |y|). */
    public static final double SAME_FUNCTION = 1e-2;
    /** Largest sup distance of a small-init function to the widest width's. */
    public static final double WIDTH_SUP_DISTANCE = 1e-2;
    /** Largest relative error of the escape-time slope. */
    public static final double ESCAPE_SLOPE_ERROR = 0.1;

    // ---- thresholds of the real-data probe

    /** Clusters holding at least this share of the mass are held to the real-data criteria. */
    public static final double HEAVY_SHARE = 0.01;
    /** Self-consistency a heavy cluster must reach at the end of alignment. */
    public static final double MIN_COSINE = 0.99;
    /** Largest small-init N_eff still called quantized. */
    public static final double MAX_NEFF = 20;
    /** Largest relative spread (max - min) / min of small-init N_eff across widths. */
    public static final double NEFF_SPREAD = 0.2;
    /** Smallest ratio of a contrast's N_eff to small init's at the same width. */
    public static final double CONTRAST_RATIO = 10;

    /** @return whether the mass shares within 1 and 5 degrees meet {@link #WITHIN_1_DEG} and {@link #WITHIN_5_DEG} */
    public static boolean onAttractors(double within1, double within5) {
        return within1 >= WITHIN_1_DEG && within5 >= WITHIN_5_DEG;
    }

    private static final String ON_ATTRACTORS = ">= 99% within 1 deg, >= 99.9% within 5 deg";
    private static final String WIDTH_EQUAL = "equal within 0.2";
    private static final String CONTRAST = ">= 10x";

    // ---- the claims, in the order of the report

    /** The theory oracle against docs/THEORY.md section 5. */
    public static final Claim ORACLE = new Claim("Oracle: attractors of the five-point data from the data alone",
            "docs/THEORY.md table: -164.055, -15.945, 90 deg (3 decimals)", "",
            "the circle scan misses an attractor narrower than its grid step, or the refinement stops short of 5e-4 deg");
    /** E1 on the five-point data. */
    public static final Claim E1_FIVE_POINT = new Claim(
            "E1 five-point: mass at the predicted attractors (alignment snapshot), m >= 1e4, lambda <= 1e-4", ON_ATTRACTORS,
            "lambda = 1e-1 at m >= 1e4 (claim E1 negative control)",
            "neurons that start near a saddle have not left it by the alignment snapshot; float32 rounding of directions near a sector boundary");
    /** E1 on random 1-D data. */
    public static final Claim E1_RANDOM = new Claim("E1 random 1-D: the same, m >= 1e4, lambda <= 1e-4", ON_ATTRACTORS, "",
            "attractors close together on the circle share neurons between their 1-degree cones");
    /** E1's negative control: a large init is not quantized. */
    public static final Claim E1_CONTROL = new Claim("E1 negative control: lambda = 1e-1 at m >= 1e4",
            "fails the 99%-within-1-deg criterion", "", "");
    /** E1's final fit. */
    public static final Claim E1_FINAL_FIT = new Claim(
            "E1 final fit: training values equal P_J y of the clusters found (lambda <= 1e-4, end)", "max abs difference <= 1e-4", "",
            "a cluster below the pattern share still moves f; training not converged at the end");
    /** N_eff independent of the width, five-point data. */
    public static final Claim NEFF_WIDTH_FIVE_POINT = new Claim("N_eff (end) at small init independent of width 1e2..1e4, five-point",
            WIDTH_EQUAL, "", "");
    /** N_eff contrast against standard init, five-point data. */
    public static final Claim NEFF_CONTRAST_FIVE_POINT = new Claim("N_eff (end) at standard init >= 10x small init at m = 1e4, five-point",
            CONTRAST, "", "in d = 1 the standard init (b = 0) puts every neuron at theta = 0 or 180 degrees: its N_eff is ~4 by construction");
    /** E2 on 2-D data. */
    public static final Claim E2_TWO_D = new Claim(
            "E2 2-D: mass at the predicted attractors (alignment), m >= 1e4, lambda <= 1e-4", ON_ATTRACTORS, "", "");
    /** E2 self-consistency. */
    public static final Claim E2_SELF_CONSISTENCY = new Claim(
            "E2 self-consistency of the clusters at alignment (no enumeration needed), m >= 1e4, small init",
            "mass-weighted sign * cos(u, D_sigma(u)) >= 0.99", "", "");
    /** N_eff independent of the width, 2-D data. */
    public static final Claim NEFF_WIDTH_TWO_D = new Claim("N_eff (end) at small init independent of width 1e2..1e4, 2-D", WIDTH_EQUAL,
            "", "");
    /** N_eff contrast against standard init, 2-D data. */
    public static final Claim NEFF_CONTRAST_TWO_D = new Claim("N_eff (end) at standard init >= 10x small init at m = 1e4, 2-D", CONTRAST,
            "", "");
    /** E3: statement placeholder, the width. */
    public static final Claim E3_ORTHOGONAL = new Claim("E3 orthogonal inputs (lambda = 1e-6, m = %d)",
            ">= 99% of mass within 1 deg of (1,1,0,0)/sqrt2 (+), (0,0,1,1)/sqrt2 (-); masses within 1% of sqrt2; loss -> 0", "",
            "at lambda = 1e-4 about 2% of the mass still sits near the saddle e_4 at the alignment snapshot");
    /** E4 distinct J: placeholders, the seed count and the widths. */
    public static final Claim E4_DISTINCT_J = new Claim("E4 finitely many functions: distinct J over %d seeds at small init, widths %s",
            "small (at most 3, the attractor count at init) at every width", "E4 standard init (a function per seed)", "");
    /** E4 standard init; its prediction names the seed count. */
    public static final Claim E4_STANDARD = new Claim("E4 standard init: a different function for every seed", "%d distinct functions per width",
            "", "wide standard-init runs are far from converged after the same number of steps");
    /** E4 width independence. */
    public static final Claim E4_WIDTH = new Claim("E4 width independence: sup distance of learned functions to the widest width (small init)",
            "<= 1e-2", "", "a kink between the data points is not pinned once the fit has converged");
    /** E5 escape time; its prediction is the slope computed from the data. */
    public static final Claim E5_ESCAPE = new Claim("E5 escape time t* ~ n ln(1/lambda) / |D_max|", "slope %.3f (within 10%%)", "",
            "the O(1) offset of t* weighs on the slope at lambda = 1e-2, which is left out of the fit");
    /** The real data could be read. */
    public static final Claim REAL_DATA_READABLE = new Claim("Real data: Fashion-MNIST readable", "the four IDX files in %s", "", "");
    /** Real data, self-consistency: placeholder, the pair prefix. */
    public static final Claim REAL_SELF_CONSISTENCY = new Claim(
            "%severy small-init cluster with >= 1%% of the mass is self-consistent at the end of alignment (L0 - L = 1e-4 L0)",
            "abs(cos(u, D_sigma(u))) >= " + MIN_COSINE, "", "");
    /** Real data, N_eff small and width-independent: placeholders, the pair prefix and the moment. */
    public static final Claim REAL_NEFF = new Claim("%ssmall-init N_eff small and independent of the width, %s",
            "N_eff <= 20, within 20% across widths", "", "");
    /** Real data, a contrast is not quantized: placeholders, the pair prefix, the regime and the width. */
    public static final Claim REAL_CONTRAST = new Claim("%s%s init is not quantized (m = %d)", "N_eff >= 10x small init's, at equal loss", "",
            "the contrast does not reach the small-init loss L* within its step cap (then it fails: unequal loss is no comparison)");
}
