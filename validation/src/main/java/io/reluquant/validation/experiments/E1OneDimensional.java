package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * E1: one-dimensional data (the five-point set of docs/THEORY.md section 5 and random 1-D data), every width against
 * every init scale: mass at the predicted attractors at alignment, the final fit, N_eff across widths.
 */
public final class E1OneDimensional {
    private E1OneDimensional() {}

    /** One run of a data set: its numbers and whether it stopped at alignment. */
    public record Row(Measured m, boolean alignmentOnly) {}

    /**
     * The runs on one data set.
     *
     * @param name "five" or "random"
     * @param widths its widths
     */
    public record DataResult(String name, Dataset data, int[] widths, List<Row> rows) {}

    /**
     * @param sets the five-point data, then random 1-D
     * @param endWidths the five-point widths trained to the end
     * @param neffByInit five-point end N_eff per init ("1e-01".."1e-06", "standard") and end width
     * @param within1ByWidth five-point mass within 1 degree per width ("m=100") and lambda of {@link Sweep#lambdas()}
     * @param hasLarge whether the five-point widths reach {@link Claims#WIDE}
     * @param randomHasLarge whether the random widths reach it
     * @param control the N_eff claim's control: the PyTorch-default contrast at the five-point end widths, at small init's end losses
     */
    public record Result(List<DataResult> sets, int[] endWidths, Map<String, double[]> neffByInit, Map<String, double[]> within1ByWidth,
            double worstSmallW1, double worstSmallW5, double controlW1, double worstRandomW1, double worstRandomW5, double worstFit,
            boolean hasLarge, boolean randomHasLarge, WidthControl control) {
        /**
         * @return the verdict on N_eff of the five-point data. The mass-weighted shares near the attractors and max abs(f - P_J y)
         * stay in the tables as description, not claims: the first is dominated by the constant attractor at the snapshot (the
         * per-attractor claims judge each basin), the second is a convergence check.
         */
        public List<Claims.Verdict> verdicts() {
            List<Claims.Verdict> v = new ArrayList<>();
            v.add(control.judge(Claims.NEFF_WIDTH_FIVE_POINT, endWidths, neffByInit.get("1e-04")));
            return v;
        }
    }

    /** Runs E1. */
    public static Result run(Sweep s) {
        double[] lambdas = Sweep.lambdas();
        int[] endWidths = s.endWidths(s.e1Widths());
        Map<String, double[]> neffByInit = new LinkedHashMap<>();
        Map<String, double[]> within1ByWidth = new LinkedHashMap<>();
        double worstSmallW1 = 1;
        double worstSmallW5 = 1;
        double controlW1 = 0;
        double worstRandomW1 = 1;
        double worstRandomW5 = 1;
        double worstFit = 0;
        double[] smallEndLoss = new double[endWidths.length];
        List<DataResult> sets = new ArrayList<>();
        for (int set = 0; set < 2; set++) {
            boolean five = set == 0;
            Dataset data = five ? DataSets.fivePoint() : DataSets.random1d(15, 11);
            String name = five ? "five" : "random";
            List<Attractor> att = Attractors.predict(AugmentedInputs.of(data, true), data.targets());
            int[] widths = five ? s.e1Widths() : s.randomWidths();
            List<Row> rows = new ArrayList<>();
            for (int wi = 0; wi < widths.length; wi++) {
                int m = widths[wi];
                boolean alignmentOnly = m >= s.alignmentOnlyWidth();
                for (int li = 0; li <= lambdas.length; li++) {
                    double lambda = li < lambdas.length ? lambdas[li] : 0;
                    if (alignmentOnly && lambda == 0) {
                        continue;
                    }
                    Measured q = Measured.of(s.measure(name, data, true, att, m, lambda, Sweep.SEED));
                    rows.add(new Row(q, alignmentOnly));
                    String initKey = lambda > 0 ? Format.of("%.0e", lambda) : "standard";
                    if (five && !alignmentOnly) {
                        neffByInit.computeIfAbsent(initKey, k -> new double[endWidths.length])[wi] = q.neffEnd();
                        if (lambda == Claims.SMALL_LAMBDA) {
                            smallEndLoss[wi] = q.endLoss();
                        }
                    }
                    if (five && lambda > 0) {
                        within1ByWidth.computeIfAbsent("m=" + m, k -> new double[lambdas.length])[li] = q.within1();
                    }
                    boolean small = lambda > 0 && lambda <= Claims.SMALL_LAMBDA;
                    if (small && m >= Claims.WIDE) {
                        if (five) {
                            worstSmallW1 = Math.min(worstSmallW1, q.within1());
                            worstSmallW5 = Math.min(worstSmallW5, q.within5());
                        } else {
                            worstRandomW1 = Math.min(worstRandomW1, q.within1());
                            worstRandomW5 = Math.min(worstRandomW5, q.within5());
                        }
                    }
                    if (small && !alignmentOnly) {
                        worstFit = Math.max(worstFit, q.fitError());
                    }
                    if (five && lambda == Claims.CONTROL_LAMBDA && m >= Claims.WIDE) {
                        controlW1 = Math.max(controlW1, q.within1());
                    }
                }
            }
            sets.add(new DataResult(name, data, widths, List.copyOf(rows)));
        }
        boolean hasLarge = s.e1Widths()[s.e1Widths().length - 1] >= Claims.WIDE;
        boolean randomHasLarge = s.randomWidths()[s.randomWidths().length - 1] >= Claims.WIDE;
        WidthControl control = WidthControl.run("five", sets.get(0).data(), endWidths, smallEndLoss, Sweep.SEED);
        return new Result(List.copyOf(sets), endWidths, neffByInit, within1ByWidth, worstSmallW1, worstSmallW5, controlW1, worstRandomW1,
                worstRandomW5, worstFit, hasLarge, randomHasLarge, control);
    }
}
