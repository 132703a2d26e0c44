package io.reluquant.validation.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * All runs of the real-data probe on one two-class problem ({@link RealDataProbe}) and the verdicts on
 * the real-data claims.
 *
 * @param small the small-init runs, by increasing width
 * @param contrasts the contrast runs at the contrast width (empty if none)
 * @param targetLoss L*, the end loss of the widest small-init run: every other run's target
 * @param linearAccuracy test accuracy of the linear classifier
 * @param seconds wall time of the whole probe, measures included
 * @param matched small-init runs trained to the loss a contrast or a control width reached when it stopped short of L*, at
 *     its width (each run's targetLoss is that run's end loss; the same trajectory as the small-init run of that width, read earlier)
 * @param controls the N_eff claims' control: balanced init at lambda = 1e-1 with f0 = 0 at every small-init width, trained to L* (empty: not run,
 *     and the N_eff claims cannot pass)
 */
public record RealDataResult(List<Run> small, List<Run> contrasts, double targetLoss, double linearAccuracy, double seconds, List<Run> matched,
        List<Run> controls) {
    public RealDataResult {
        small = List.copyOf(small);
        contrasts = List.copyOf(contrasts);
        matched = List.copyOf(matched);
        controls = List.copyOf(controls);
    }

    /** A probe without the N_eff control. */
    public RealDataResult(List<Run> small, List<Run> contrasts, double targetLoss, double linearAccuracy, double seconds, List<Run> matched) {
        this(small, contrasts, targetLoss, linearAccuracy, seconds, matched, List.of());
    }

    /** A probe whose contrasts all reached L* (or with none): no small-init run at another loss. */
    public RealDataResult(List<Run> small, List<Run> contrasts, double targetLoss, double linearAccuracy, double seconds) {
        this(small, contrasts, targetLoss, linearAccuracy, seconds, List.of(), List.of());
    }

    /**
     * One training run and its measures.
     *
     * @param lambda init scale (NaN for the standard init)
     * @param lr the learning rates used
     * @param initialLoss L0
     * @param targetLoss the loss it trained towards (NaN: the run that sets the target)
     * @param reachedStep the first step with L &lt;= targetLoss (-1: not within its step cap)
     * @param alignment the measures at the end of the alignment phase, L0 - L &gt; 1e-4 L0 (null for a contrast, or if it never came)
     * @param escape the measures at the first step with L &lt; 0.99 L0 (null likewise)
     * @param end the measures where the run stopped
     * @param trainAccuracy share of training points with sign f = y at the end
     * @param testAccuracy the same on the test set
     * @param seconds wall time of the training (measures not included)
     */
    public record Run(RealDataProbe.Regime regime, int width, double lambda, LearningRates lr, double initialLoss, double targetLoss,
            long reachedStep, RealDataMoment alignment, RealDataMoment escape, RealDataMoment end, double trainAccuracy, double testAccuracy,
            double seconds) {
        /** @return whether the run ended at the target loss (always for the run that sets it) */
        public boolean atEqualLoss() {
            return Double.isNaN(targetLoss) || reachedStep >= 0;
        }

        /** @return "step k", "sets L* (step k)" or "not in k steps" */
        public String equalLossNote() {
            return Double.isNaN(targetLoss) ? "sets L* (step " + end.step() + ")" : reachedStep >= 0 ? "step " + reachedStep : "not in " + end.step() + " steps";
        }

        /** @return one line: regime, width, rates, alignment and end measures, accuracy, time */
        public String describe() {
            RealDataMoment a = alignment;
            return Format.of("%s m=%d lr=%s: alignment step %s N_eff %.2f min|cos| %.4f (at 0.99 L0 %.4f); end step %d (equal loss: %s) "
                    + "loss %.4g N_eff %.2f (%d clusters >= 1%%) srank %.2f; accuracy train %.3f test %.3f; %.1f s", regime.label(), width,
                    lr.describe(), a == null ? "-" : a.step(), a == null ? Double.NaN : a.neff(),
                    a == null ? Double.NaN : a.worstSelfConsistency(Claims.HEAVY_SHARE),
                    escape == null ? Double.NaN : escape.worstSelfConsistency(Claims.HEAVY_SHARE), end.step(), equalLossNote(), end.loss(),
                    end.neff(), end.heavyClusters(Claims.HEAVY_SHARE), end.stableRank(), trainAccuracy, testAccuracy, seconds);
        }
    }

    /**
     * @return the control: the largest over widths of the smallest |cos| of the heavy clusters at the end of alignment with
     *     the permuted labels' residuals (the control passes the criterion only if every width does)
     */
    public double bestPermutedConsistency() {
        double best = 0;
        for (Run r : small) {
            best = Math.max(best, r.alignment() == null ? 1 : r.alignment().worstPermutedSelfConsistency(Claims.HEAVY_SHARE));
        }
        return best;
    }

    /** @return the small-init run trained to the loss a contrast or control run {@code c} reached short of L*, or null */
    public Run matchedFor(Run c) {
        return matched.stream().filter(m -> m.width() == c.width() && m.targetLoss() == c.end().loss()).findFirst().orElse(null);
    }

    /** @return the smallest |cos(u, D_sigma(u))| at the end of alignment over the small-init clusters holding >= 1% of the mass */
    public double worstAlignmentConsistency() {
        double worst = 1;
        for (Run r : small) {
            worst = Math.min(worst, r.alignment() == null ? 0 : r.alignment().worstSelfConsistency(Claims.HEAVY_SHARE));
        }
        return worst;
    }

    /** @return small-init N_eff per width at the end of alignment ({@code atEnd} false) or at equal loss */
    public double[] smallNeff(boolean atEnd) {
        return neff(small, atEnd);
    }

    /** @return (max - min) / min of {@link #smallNeff} */
    public double neffSpread(boolean atEnd) {
        return spread(neff(small, atEnd));
    }

    /**
     * @return whether small-init N_eff is at most 20 and within 20% across widths at that moment (false if NaN); at the end,
     *         also whether every width reached the common loss (otherwise the widths are not compared at one point of the trajectory)
     */
    public boolean neffQuantized(boolean atEnd) {
        return quantized(small, atEnd);
    }

    /**
     * @return whether the N_eff control fails the claim's criterion at that moment: run at every small-init width and read there
     *     (the end of alignment came; at the end, see {@link #controlRead}), then at the end of alignment, or at L* when every
     *     width reached it, not quantized by the claim's rule; at the end when some width stopped short of L*, the matched-loss
     *     rule: some width's control has N_eff above {@link Claims#MAX_NEFF} where small init of its width, at the same loss,
     *     does not (the width spread needs every width at one loss)
     */
    public boolean controlFails(boolean atEnd) {
        if (!controlRead(atEnd)) {
            return false;
        }
        if (!atEnd || controls.stream().allMatch(Run::atEqualLoss)) {
            return !quantized(controls, atEnd);
        }
        return controls.stream().anyMatch(c -> c.end().neff() > Claims.MAX_NEFF && smallMatching(c).end().neff() <= Claims.MAX_NEFF);
    }

    /**
     * @return whether the control ran at every small-init width and was read at that moment: the end of alignment came; at the end,
     *     every width reached L* or has a small-init run at the loss it reached instead (below (1 - CONTRAST_MIN_DROP) L0)
     */
    public boolean controlRead(boolean atEnd) {
        return controls.size() == small.size() && controls.stream().allMatch(r -> atEnd ? smallMatching(r) != null : r.alignment() != null);
    }

    /**
     * @return the small-init run read at the loss where control width {@code c} stopped: the run of its width when c reached L*,
     *     else the one trained to c's end loss (null: none, or c stopped above (1 - CONTRAST_MIN_DROP) L0, before any escape)
     */
    Run smallMatching(Run c) {
        Run s = smallAt(c.width());
        if (s == null || c.atEqualLoss()) {
            return s;
        }
        return c.end().loss() < (1 - Claims.CONTRAST_MIN_DROP) * s.initialLoss() ? matchedFor(c) : null;
    }

    /** @return the control's N_eff per width at the end of alignment ({@code atEnd} false) or where it stopped (NaN: not read) */
    public double[] controlNeff(boolean atEnd) {
        return neff(controls, atEnd);
    }

    private static double[] neff(List<Run> runs, boolean atEnd) {
        return runs.stream().mapToDouble(r -> atEnd ? r.end().neff() : r.alignment() == null ? Double.NaN : r.alignment().neff()).toArray();
    }

    private static double spread(double[] v) {
        double lo = Arrays.stream(v).min().orElse(Double.NaN);
        double hi = Arrays.stream(v).max().orElse(Double.NaN);
        return (hi - lo) / lo;
    }

    private static boolean quantized(List<Run> runs, boolean atEnd) {
        double[] v = neff(runs, atEnd);
        boolean comparable = !atEnd || runs.stream().allMatch(Run::atEqualLoss);
        return comparable && Arrays.stream(v).allMatch(e -> e <= Claims.MAX_NEFF) && spread(v) <= Claims.NEFF_SPREAD;
    }

    // the worst-matched width: at the end of alignment small init's step and the step its control was read at (matched time: at
    // lambda = 1e-1 one step moves the loss too far for a matched loss); at L* where each stopped, small init at L* or at the loss
    // a control width stopped at short of it (equal loss)
    private Claims.Moment controlMoment(boolean atEnd) {
        WorstMoment worst = new WorstMoment(atEnd ? Claims.Moment.losses(Double.NaN, Double.NaN) : Claims.Moment.steps(-1, -2));
        for (Run s : small) {
            Run c = controls.stream().filter(r -> r.width() == s.width()).findFirst().orElse(null);
            Run read = c == null ? null : smallMatching(c);
            RealDataMoment ms = atEnd ? (read == null ? s.end() : read.end()) : s.alignment();
            RealDataMoment mc = c == null ? null : atEnd ? c.end() : c.alignment();
            if (atEnd) {
                worst.losses(ms.loss(), mc == null ? Double.NaN : mc.loss());
            } else {
                // a moment never read: step -1 (small init) or -2 (the control), never equal
                worst.steps(ms == null ? -1 : ms.step(), mc == null ? -2 : mc.step());
            }
        }
        return worst.moment();
    }

    private String controlText(boolean atEnd) {
        if (controls.isEmpty()) {
            return "; control NOT run";
        }
        // a control never read at the claim's moment neither passes nor fails the criterion there
        String verdict = !controlRead(atEnd) ? (atEnd ? ", NOT read at L* (a width stopped short of it, with no small-init run at its loss)"
                : ", NOT read at the end of alignment") : controlFails(atEnd) ? ", fails" : ", PASSES";
        StringBuilder shortOf = new StringBuilder();
        for (Run c : controls) {
            if (atEnd && !c.atEqualLoss()) {
                Run m = smallMatching(c);
                shortOf.append(shortOf.length() == 0 ? " (short of L*, compared at the loss reached: " : "; ")
                        .append(Format.of("m = %d at %.4g, small init there %s", c.width(), c.end().loss(),
                                m == null ? "not read" : Format.of("N_eff %.2f", m.end().neff())));
            }
        }
        return "; control (lambda = 1e-1, f0 = 0): N_eff " + twoDecimals(neff(controls, atEnd)) + (shortOf.length() == 0 ? "" : shortOf + ")")
                + verdict;
    }

    /** @return the small-init run at {@code width}, or null */
    public Run smallAt(int width) {
        return small.stream().filter(r -> r.width() == width).findFirst().orElse(null);
    }

    /** @return end N_eff of contrast {@code c} over the small-init end N_eff at the same width (NaN if that width has no small run) */
    public double contrastRatio(Run c) {
        Run s = smallAt(c.width());
        return s == null ? Double.NaN : c.end().neff() / s.end().neff();
    }

    /**
     * @param prefix names the data set at the head of each claim ("Real data (A vs B, square loss): ")
     * @return the verdicts on the real-data claims: self-consistency, N_eff at the end of alignment and at equal loss, each contrast
     *         (which passes only at equal loss: a contrast stopped short of L* is compared at a different point of training)
     */
    public List<Claims.Verdict> verdicts(String prefix) {
        List<Claims.Verdict> v = new ArrayList<>();
        int[] widths = small.stream().mapToInt(Run::width).toArray();
        double control = bestPermutedConsistency();
        v.add(Claims.REAL_SELF_CONSISTENCY.about(prefix).judge(Format.of("min abs(cos) = %.4f over widths ", worstAlignmentConsistency())
                + Arrays.toString(widths) + Format.of("; control (permuted labels, same step): %.4f at best", control),
                worstAlignmentConsistency() >= Claims.MIN_COSINE && control < Claims.MIN_COSINE, alignmentMoment()));
        v.add(Claims.REAL_NEFF.about(prefix, "at the end of alignment").judge("N_eff " + twoDecimals(smallNeff(false))
                + Format.of(", spread %.0f%%", 100 * neffSpread(false)) + controlText(false), neffQuantized(false) && controlFails(false),
                controlMoment(false)));
        StringBuilder steps = new StringBuilder();
        for (Run r : small) {
            steps.append(steps.length() == 0 ? "" : ", ").append(r.width()).append(": ").append(r.equalLossNote());
        }
        v.add(Claims.REAL_NEFF.about(prefix, Format.of("at equal loss L* = %.4g", targetLoss)).judge("N_eff " + twoDecimals(smallNeff(true))
                + Format.of(", spread %.0f%% (", 100 * neffSpread(true)) + steps + ")" + controlText(true), neffQuantized(true) && controlFails(true),
                controlMoment(true)));
        for (Run c : contrasts) {
            // at L* when the contrast reached it, else at the loss it reached (small init passes every loss above L*)
            Run s = c.atEqualLoss() ? smallAt(c.width()) : matchedFor(c);
            double ratio = s == null ? Double.NaN : c.end().neff() / s.end().neff();
            double l0 = smallAt(c.width()) == null ? Double.NaN : smallAt(c.width()).initialLoss();
            boolean deepEnough = c.atEqualLoss() || c.end().loss() < (1 - Claims.CONTRAST_MIN_DROP) * l0;
            String where = c.atEqualLoss() ? "at L* (reached at step " + c.reachedStep() + ")"
                    : Format.of("L* NOT reached in %d steps: compared at the loss it reached, small init read at step %s (loss %.4g)",
                            c.end().step(), s == null ? "-" : String.valueOf(s.end().step()), s == null ? Double.NaN : s.end().loss());
            Claims.Moment moment = s == null ? Claims.Moment.losses(c.end().loss(), Double.NaN) : Claims.Moment.losses(c.end().loss(), s.end().loss());
            v.add(Claims.REAL_CONTRAST.about(prefix, c.regime().label(), c.width()).judge(
                    Format.of("N_eff %.1f vs %.2f: %.0fx; loss %.4g (L* %.4g), ", c.end().neff(), s == null ? Double.NaN : s.end().neff(), ratio,
                            c.end().loss(), targetLoss) + where
                            + " (lr_a " + Format.of("%.3g", c.lr().output()) + ", lr_v " + Format.of("%.3g", c.lr().hidden()) + ")",
                    s != null && deepEnough && ratio >= Claims.CONTRAST_RATIO, moment));
        }
        return v;
    }

    /** @return the alignment steps of the small-init runs, claim and control read at each (the same snapshot) */
    private Claims.Moment alignmentMoment() {
        for (Run r : small) {
            if (r.alignment() != null) {
                return Claims.Moment.steps(r.alignment().step(), r.alignment().step());
            }
        }
        return Claims.Moment.NONE;
    }

    private static String twoDecimals(double[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(Format.of("%.2f", v[i]));
        }
        return sb.append(')').toString();
    }
}
