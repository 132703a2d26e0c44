// Proves: every claim's control is read at a matched moment (a control read at another moment fails its row), and each claim and its control can fail when the measurement or the prediction is mutated.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.validation.measures.Basins;
import io.reluquant.validation.theory.Attractor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The judges of the claims with their controls, fed measurements made up to sit on either side of each criterion: a claim
 * passes only when it meets its criterion, its control fails it, and both were measured at a matched moment (docs/THEORY.md
 * section 9, "Controls at a matched moment"). The measurements themselves are checked at CI size by the experiments' own
 * tests (AttractorAlignmentTest, FreshAlignmentTest, FairContrastTest, RealDataProbeTest).
 */
class ControlsTest {
    @Test
    void aControlReadAtAnotherMomentFailsItsRow() {
        Claims.Claim c = Claims.E2_SELF_CONSISTENCY;
        assertTrue(c.judge("x", true, Claims.Moment.steps(100, 100)).pass());
        Claims.Verdict other = c.judge("x", true, Claims.Moment.steps(100, 1));
        assertFalse(other.pass());
        assertTrue(other.measured().contains("CONTROL NOT AT A MATCHED MOMENT"), other.measured());
        // equal loss: within MATCHED_LOSS_REL of the claim's loss, not beyond
        double l = 0.05;
        assertTrue(c.judge("x", true, Claims.Moment.losses(l, l * (1 + 0.9 * Claims.MATCHED_LOSS_REL))).pass());
        assertFalse(c.judge("x", true, Claims.Moment.losses(l, l * (1 + 1.1 * Claims.MATCHED_LOSS_REL))).pass());
        assertFalse(c.judge("x", true, Claims.Moment.losses(l, Double.NaN)).pass());
        // a measured FAIL stays a FAIL at a matched moment
        assertFalse(c.judge("x", false, Claims.Moment.SAME).pass());
        assertEquals("same step: claim 100, control 1", other.moment().describe());
    }

    @Test
    void permutedTargetsDifferAndAreReproducible() {
        double[] y = {0.8, -0.9, -0.8, -0.9, 0.8};
        double[] p = Claims.permuted(y);
        assertFalse(Arrays.equals(y, p));
        assertArrayEquals(sorted(y), sorted(p));
        assertArrayEquals(p, Claims.permuted(y));
        assertThrows(IllegalArgumentException.class, () -> Claims.permuted(new double[] {1, 1, 1}));
    }

    @Test
    void freshSetsSpanTheRegisteredSizesAndAreNotTheHandMadeOnes() {
        assertEquals(Claims.FRESH_N_MIN, Claims.freshSize(0));
        assertEquals(Claims.FRESH_N_MAX, Claims.freshSize(Claims.FRESH_SETS - 1));
        assertEquals(Claims.FRESH_N_MAX, Claims.fresh2d(Claims.FRESH_SETS - 1).samples());
        assertNotEquals(Claims.fresh1d(0).targets()[0], Claims.fresh1d(1).targets()[0]);
        assertThrows(IllegalArgumentException.class, () -> Claims.freshSize(Claims.FRESH_SETS));
    }

    @Test
    void oracleFailsWhenItMissesTheTableOrWhenPermutedTargetsMatchIt() {
        Oracle.Result r = Oracle.run();
        assertTrue(r.verdict().pass(), r.verdict().measured());
        assertTrue(r.control() > Claims.ORACLE_CONTROL_DEGREES, "permuted targets moved the attractors by " + r.control());
        assertFalse(new Oracle.Result(r.found(), 10 * Claims.ORACLE_DEGREES, r.control()).verdict().pass());
        assertFalse(new Oracle.Result(r.found(), r.worst(), 0.5 * Claims.ORACLE_CONTROL_DEGREES).verdict().pass());
    }

    @Test
    void escapeSlopeFailsOffItsPredictionAndWhenTheLossRateWouldFitToo() {
        double predicted = 5;
        assertTrue(e5(predicted, predicted).pass());
        assertFalse(e5(1.2 * predicted, predicted).pass());
        // the measured slope at the control's prediction (half): the control passes, so the claim's row fails
        assertFalse(e5(predicted / 2, predicted).pass());
    }

    private static Claims.Verdict e5(double slope, double predicted) {
        double[] z = new double[0];
        return new E5EscapeTime.Result(100, z, z, z, new double[0][], new double[0][], slope, predicted).verdict();
    }

    @Test
    void selfConsistencyFailsWhenThePermutedDriveIsAsConsistent() {
        assertTrue(e2(0.999, 0.5, 10, 10).verdicts().get(0).pass());
        assertFalse(e2(0.98, 0.5, 10, 10).verdicts().get(0).pass());
        assertFalse(e2(0.999, 0.995, 10, 10).verdicts().get(0).pass());
        assertFalse(e2(0.999, 0.5, 10, 11).verdicts().get(0).pass());
    }

    private static E2TwoDimensional.Result e2(double cos, double control, long step, long controlStep) {
        return new E2TwoDimensional.Result(List.of(), new int[] {100}, List.of(), new double[] {2}, new double[] {5}, 1, 1, cos, 5, control,
                step, controlStep, widthControl(new double[] {5, 50, 400}, 1e-3, true));
    }

    private static final int[] WIDTHS = {100, 1_000, 10_000};

    private static WidthControl widthControl(double[] neff, double loss, boolean reached) {
        double[] claimLoss = {1e-3, 1e-3, 1e-3};
        double[] l = {loss, loss, loss};
        return new WidthControl(WIDTHS, claimLoss, l, neff, new boolean[] {reached, reached, reached});
    }

    @Test
    void neffAcrossWidthsFailsWhenItsContrastIsAsFlatOrStoppedElsewhere() {
        double[] small = {2.6, 2.6, 2.61};
        double[] grows = {5, 50, 400};
        Claims.Verdict ok = widthControl(grows, 0.99e-3, true).judge(Claims.NEFF_WIDTH_FIVE_POINT, WIDTHS, small);
        assertTrue(ok.pass(), ok.measured());
        assertEquals(Claims.Moment.Kind.EQUAL_LOSS, ok.moment().kind());
        // small init spread over the widths
        assertFalse(widthControl(grows, 1e-3, true).judge(Claims.NEFF_WIDTH_FIVE_POINT, WIDTHS, new double[] {2.6, 3.6, 2.6}).pass());
        // the contrast as width-independent as small init (lambda = 1e-1 in 1-D at the end is): the control passes, the row fails
        assertFalse(widthControl(new double[] {3.1, 3.2, 3.2}, 1e-3, true).judge(Claims.NEFF_WIDTH_FIVE_POINT, WIDTHS, small).pass());
        // the contrast short of small init's loss, or stopped far from it
        assertFalse(widthControl(grows, 2e-3, false).judge(Claims.NEFF_WIDTH_FIVE_POINT, WIDTHS, small).pass());
        assertFalse(widthControl(grows, 0.5e-3, true).judge(Claims.NEFF_WIDTH_FIVE_POINT, WIDTHS, small).pass());
    }

    private static Attractor attractor(double potential) {
        return new Attractor(1, new double[] {1, 0}, new BitSet(), potential, false);
    }

    private static Basins.Report report(double... within) {
        List<Basins.Alignment> a = new ArrayList<>();
        for (int k = 0; k < within.length; k++) {
            a.add(new Basins.Alignment(attractor(1 + k), 1, 1.0 / within.length, within[k], 0, 0, 1e-3, 100));
        }
        return new Basins.Report(a, 0);
    }

    private static AttractorAlignment.Measurement measurement(Basins.Report r, Basins.Report control, long controlStep) {
        return new AttractorAlignment.Measurement("d", Claims.ALIGNMENT_WIDE, 1e-6, 1, 500, 0.9e-4, r, control, controlStep);
    }

    @Test
    void perAttractorAlignmentFailsOnAnUnalignedBasinOrAnAlignedControl() {
        List<Claims.Verdict> ok = new AttractorAlignment.Result(true, List.of(measurement(report(0.999, 0.995), report(0.2, 0.0), 500)), List.of())
                .verdicts();
        assertEquals(2, ok.size());
        assertTrue(ok.get(0).pass() && ok.get(1).pass(), ok.toString());
        // one basin below 99%
        assertFalse(new AttractorAlignment.Result(true, List.of(measurement(report(0.999, 0.95), report(0.2, 0.0), 500)), List.of())
                .verdicts().get(0).pass());
        // the permuted targets' basins as aligned: the control passes, so both rows fail
        List<Claims.Verdict> aligned = new AttractorAlignment.Result(true,
                List.of(measurement(report(0.999, 0.995), report(0.999, 0.999), 500)), List.of()).verdicts();
        assertFalse(aligned.get(0).pass() || aligned.get(1).pass(), aligned.toString());
        // the control read at another step
        assertFalse(new AttractorAlignment.Result(true, List.of(measurement(report(0.999, 0.995), report(0.2, 0.0), 499)), List.of())
                .verdicts().get(0).pass());
    }

    @Test
    void freshAlignmentFailsBelowItsRunShareAndWhenTheControlIsAligned() {
        int sets = 10;
        assertTrue(fresh(sets, 0, false).get(0).pass());
        // 2 of 10 runs unaligned: 80% < 90%
        assertFalse(fresh(sets, 2, false).get(0).pass());
        assertFalse(fresh(sets, 0, true).get(0).pass());
    }

    private static List<Claims.Verdict> fresh(int sets, int unaligned, boolean alignedControl) {
        List<FreshAlignment.Run> runs = new ArrayList<>();
        for (String family : new String[] {FreshAlignment.ONE_D, FreshAlignment.TWO_D}) {
            for (int i = 0; i < sets; i++) {
                Basins.Report r = i < unaligned ? report(0.999, 0.5) : report(0.999, 0.995);
                runs.add(new FreshAlignment.Run(family, i, Claims.freshSize(i), measurement(r, alignedControl ? report(1, 1) : report(0.3, 0), 500)));
            }
        }
        return FreshAlignment.judge(new FreshAlignment.Result(false, sets, 1, runs, 1));
    }

    @Test
    void spreadLawNeedsAnAttractorWhereTheLawsPartAndFailsWhenSlopeOneFits() {
        // the law's slope measured on a slow attractor (predicted 0.5) and the fastest (1): PASS, the slope-1 law misses the slow one
        Claims.Verdict ok = FreshAlignment.spreadVerdict(Claims.SPREAD_LAW_SECOND, List.of(fit(1, 1.0, 1.0), fit(2, 0.5, 0.52)));
        assertTrue(ok.pass(), ok.measured());
        // the slow attractor's slope measured 1: the law misses it and slope 1 fits: FAIL
        assertFalse(FreshAlignment.spreadVerdict(Claims.SPREAD_LAW_SECOND, List.of(fit(1, 1.0, 1.0), fit(2, 0.5, 0.97))).pass());
        // only attractors where both laws say 1 (the first registration's fresh sets): nothing separates them, FAIL
        Claims.Verdict none = FreshAlignment.spreadVerdict(Claims.SPREAD_LAW_FRESH, List.of(fit(1, 1.0, 1.0), fit(2, 0.9, 0.9)));
        assertFalse(none.pass(), none.measured());
        assertTrue(none.measured().contains("on 0 of 0 attractors"), none.measured());
        assertFalse(FreshAlignment.spreadVerdict(Claims.SPREAD_LAW_SECOND, List.of()).pass());
    }

    private static FreshAlignment.Fit fit(int k, double predicted, double slope) {
        double[] slopes = {slope * 0.99, slope, slope * 1.01};
        return new FreshAlignment.Fit(FreshAlignment.ONE_D, k, attractor(k), predicted, predicted, slopes, Stats.bootstrapMean(slopes));
    }

    @Test
    void realDataSelfConsistencyFailsWhenPermutedLabelsAreAsConsistent() {
        RealDataMoment good = moment(0.999, 0.5);
        RealDataMoment bad = moment(0.999, 0.995);
        assertTrue(real(good).verdicts("t: ").get(0).pass());
        assertFalse(real(bad).verdicts("t: ").get(0).pass());
        assertFalse(real(moment(0.98, 0.5)).verdicts("t: ").get(0).pass());
    }

    private static RealDataMoment moment(double cos, double control) {
        List<io.reluquant.validation.measures.Cluster> cl = List.of(new io.reluquant.validation.measures.Cluster(1, new double[] {1, 0}, 1, new int[] {0}));
        return new RealDataMoment(40, 0.49, cl, 1, new double[] {cos}, 1, 1, new double[] {control});
    }

    private static RealDataResult real(RealDataMoment a) {
        RealDataResult.Run s = new RealDataResult.Run(RealDataProbe.Regime.SMALL, 1000, 1e-6, LearningRates.single(0.05), 0.5, Double.NaN, -1, a, a,
                a, 1, 1, 1);
        return new RealDataResult(List.of(s), List.of(), 0.05, 0.9, 1);
    }

    private static final double[] HUNDRED = hundred();

    private static double[] hundred() {
        double[] h = new double[100];
        Arrays.fill(h, 0.01);
        return h;
    }

    // small init: two clusters at the end of alignment (loss 0.49, steps 40 and 41) and at L* = 0.05, at widths 1e3 and 3e3
    private static List<RealDataResult.Run> quantizedSmall() {
        return List.of(neffRun(RealDataProbe.Regime.SMALL, 1000, neff(40, 0.49, 0.6, 0.4), neff(500, 0.05, 0.6, 0.4)),
                neffRun(RealDataProbe.Regime.SMALL, 3000, neff(41, 0.49, 0.6, 0.4), neff(500, 0.05, 0.6, 0.4)));
    }

    // the N_eff control: 100 equal clusters, read at small init's steps and at its loss L* unless moved
    private static List<RealDataResult.Run> spreadControl(long secondStep, double endLoss) {
        return List.of(neffRun(RealDataProbe.Regime.CONTROL, 1000, neff(40, 0.4, HUNDRED), neff(300, endLoss, HUNDRED)),
                neffRun(RealDataProbe.Regime.CONTROL, 3000, neff(secondStep, 0.4, HUNDRED), neff(300, endLoss, HUNDRED)));
    }

    @Test
    void realDataNeffFailsWithoutItsControlOrWhenTheControlIsQuantizedOrElsewhere() {
        List<RealDataResult.Run> small = quantizedSmall();
        List<RealDataResult.Run> spread = spreadControl(41, 0.0499);
        List<Claims.Verdict> ok = new RealDataResult(small, List.of(), 0.05, 0.9, 1, List.of(), spread).verdicts("t: ");
        assertTrue(ok.get(1).pass() && ok.get(2).pass(), ok.toString());
        assertEquals(Claims.Moment.Kind.EQUAL_LOSS, ok.get(2).moment().kind());
        // no control run: the rows cannot pass
        List<Claims.Verdict> none = new RealDataResult(small, List.of(), 0.05, 0.9, 1).verdicts("t: ");
        assertFalse(none.get(1).pass() || none.get(2).pass(), none.toString());
        // the control as quantized as small init
        List<Claims.Verdict> quantized = new RealDataResult(small, List.of(), 0.05, 0.9, 1, List.of(), small).verdicts("t: ");
        assertFalse(quantized.get(1).pass() || quantized.get(2).pass(), quantized.toString());
        // the control read at another loss (it stopped at 0.2, short of L*)
        assertFalse(new RealDataResult(small, List.of(), 0.05, 0.9, 1, List.of(), spreadControl(41, 0.2)).verdicts("t: ").get(2).pass());
        // the control's alignment measures read at another step than small init's
        assertFalse(new RealDataResult(small, List.of(), 0.05, 0.9, 1, List.of(), spreadControl(45, 0.0499)).verdicts("t: ").get(1).pass());
        assertEquals(Claims.Moment.Kind.SAME_STEP, ok.get(1).moment().kind());
    }

    // small init of a width trained again to loss `to` (where its control stopped short of L*), with N_eff from the shares
    private static RealDataResult.Run smallTo(int width, double to, double... shares) {
        RealDataMoment a = neff(40, 0.49, 0.6, 0.4);
        return new RealDataResult.Run(RealDataProbe.Regime.SMALL, width, 1e-6, LearningRates.single(0.05), 0.5, to, 200, a, a, neff(200, to, shares),
                1, 1, 1);
    }

    @Test
    void realDataNeffControlShortOfLStarIsComparedAtTheLossItReached() {
        List<RealDataResult.Run> small = quantizedSmall();
        List<RealDataResult.Run> shortControl = spreadControl(41, 0.2); // both widths stop at 0.2, short of L* = 0.05
        List<RealDataResult.Run> there = List.of(smallTo(1000, 0.2, 0.6, 0.4), smallTo(3000, 0.2, 0.6, 0.4));
        Claims.Verdict ok = new RealDataResult(small, List.of(), 0.05, 0.9, 1, there, shortControl).verdicts("t: ").get(2);
        assertTrue(ok.pass(), ok.measured());
        assertEquals(Claims.Moment.Kind.EQUAL_LOSS, ok.moment().kind(), ok.moment().toString());
        assertTrue(ok.measured().contains("m = 1000 at 0.2000, small init there N_eff 1.96"), ok.measured());
        // no small-init run at the control's loss: the control is not read, the row fails
        assertFalse(new RealDataResult(small, List.of(), 0.05, 0.9, 1, List.of(), shortControl).verdicts("t: ").get(2).pass());
        // small init as spread as the control at that loss: the mechanism made no difference there
        List<RealDataResult.Run> spreadThere = List.of(smallTo(1000, 0.2, HUNDRED), smallTo(3000, 0.2, HUNDRED));
        assertFalse(new RealDataResult(small, List.of(), 0.05, 0.9, 1, spreadThere, shortControl).verdicts("t: ").get(2).pass());
        // the control quantized at the loss it reached
        List<RealDataResult.Run> quantizedShort = List.of(
                neffRun(RealDataProbe.Regime.CONTROL, 1000, neff(40, 0.4, HUNDRED), neff(300, 0.2, 0.6, 0.4)),
                neffRun(RealDataProbe.Regime.CONTROL, 3000, neff(41, 0.4, HUNDRED), neff(300, 0.2, 0.6, 0.4)));
        assertFalse(new RealDataResult(small, List.of(), 0.05, 0.9, 1, there, quantizedShort).verdicts("t: ").get(2).pass());
        // a control that stopped above (1 - CONTRAST_MIN_DROP) L0 (= 0.495), before any escape: not read, even with small init there
        List<RealDataResult.Run> shallowThere = List.of(smallTo(1000, 0.499, 0.6, 0.4), smallTo(3000, 0.499, 0.6, 0.4));
        assertFalse(new RealDataResult(small, List.of(), 0.05, 0.9, 1, shallowThere, spreadControl(41, 0.499)).verdicts("t: ").get(2).pass());
    }

    @Test
    void realDataRowsOverSeedsFailWhenOneSeedFails() {
        List<RealDataResult.Run> small = quantizedSmall();
        RealDataResult good = new RealDataResult(small, List.of(), 0.05, 0.9, 1, List.of(), spreadControl(41, 0.0499));
        RealDataResult quantizedControl = new RealDataResult(small, List.of(), 0.05, 0.9, 1, List.of(), small);
        List<Claims.Verdict> all = RealDataSeeds.judge(new RealDataSeeds.Result("p", List.of(good, good, good), 1), "t: ");
        assertEquals(3, all.size());
        assertTrue(all.stream().allMatch(Claims.Verdict::pass), all.toString());
        assertTrue(all.get(1).claim().startsWith("Over 3 seeds"), all.get(1).claim());
        List<Claims.Verdict> one = RealDataSeeds.judge(new RealDataSeeds.Result("p", List.of(good, quantizedControl, good), 1), "t: ");
        assertTrue(one.get(0).pass(), one.get(0).measured());
        assertFalse(one.get(1).pass() || one.get(2).pass(), one.toString());
        assertTrue(one.get(1).measured().startsWith("2 of 3 seeds pass"), one.get(1).measured());
    }

    private static RealDataResult.Run neffRun(RealDataProbe.Regime regime, int width, RealDataMoment alignment, RealDataMoment end) {
        long reached = end.loss() <= 0.05 ? end.step() : -1;
        return new RealDataResult.Run(regime, width, 1e-6, LearningRates.single(0.05), 0.5, 0.05, reached, alignment, alignment, end, 1, 1, 1);
    }

    @Test
    void vectorNeffFailsWhenItsControlIsAsFlatOrReadAtAnotherLoss() {
        assertTrue(vectorNeff(1.0, 1.01, 50, 400, 0.5).pass());
        assertEquals(Claims.Moment.Kind.EQUAL_LOSS, vectorNeff(1.0, 1.01, 50, 400, 0.5).moment().kind());
        // small init spread over the widths
        assertFalse(vectorNeff(1.0, 1.5, 50, 400, 0.5).pass());
        // the control flat too
        assertFalse(vectorNeff(1.0, 1.01, 50, 50.1, 0.5).pass());
        // the control read far from the claim's loss
        assertFalse(vectorNeff(1.0, 1.01, 50, 400, 0.4).pass());
    }

    // one data set, two seeds per width: claim N_eff per width, control N_eff per width, the control's loss (the claim's is 0.5)
    private static Claims.Verdict vectorNeff(double narrow, double wide, double controlNarrow, double controlWide, double controlLoss) {
        List<VectorAlignment.Run> runs = new ArrayList<>();
        List<VectorAlignment.ControlRun> controls = new ArrayList<>();
        for (int w = 0; w < Claims.VECTOR_WIDTHS.length; w++) {
            int m = Claims.VECTOR_WIDTHS[w];
            for (long seed = 1; seed <= 2; seed++) {
                runs.add(new VectorAlignment.Run("s", m, seed, 100, 100, 1e-4, 0.5, List.of(), List.of(), w == 0 ? narrow : wide, 1, 1, null));
                controls.add(new VectorAlignment.ControlRun("s", m, seed, 3, controlLoss, w == 0 ? controlNarrow : controlWide));
            }
        }
        VectorAlignment.Data d = new VectorAlignment.Data("s", null, List.of(), List.of());
        return new VectorAlignment.Result(true, List.of(d), runs, controls).verdicts().get(2);
    }

    @Test
    void realDataContrastShortOfLStarIsComparedAtTheLossItReached() {
        RealDataMoment smallEnd = neff(500, 0.05, 0.6, 0.4);
        RealDataResult.Run small = run(RealDataProbe.Regime.SMALL, Double.NaN, -1, smallEnd);
        RealDataResult.Run contrast = run(RealDataProbe.Regime.LARGE, 0.05, -1, neff(600, 0.2, HUNDRED));
        // small init read at the contrast's loss 0.2: its first step at or below it
        RealDataResult.Run matched = run(RealDataProbe.Regime.SMALL, 0.2, 90, neff(90, 0.199, 0.6, 0.4));
        Claims.Verdict v = new RealDataResult(List.of(small), List.of(contrast), 0.05, 0.9, 1, List.of(matched)).verdicts("t: ").get(3);
        assertTrue(v.pass(), v.measured());
        assertEquals(Claims.Moment.Kind.EQUAL_LOSS, v.moment().kind());
        // without the matched run, or with it at another loss, no comparison
        assertFalse(new RealDataResult(List.of(small), List.of(contrast), 0.05, 0.9, 1).verdicts("t: ").get(3).pass());
        RealDataResult.Run elsewhere = run(RealDataProbe.Regime.SMALL, 0.2, 90, neff(90, 0.1, 0.6, 0.4));
        assertFalse(new RealDataResult(List.of(small), List.of(contrast), 0.05, 0.9, 1, List.of(elsewhere)).verdicts("t: ").get(3).pass());
        // a contrast that barely left L0 (0.5): small init is still on its first plateau there
        RealDataResult.Run shallow = run(RealDataProbe.Regime.LARGE, 0.05, -1, neff(600, 0.4999, HUNDRED));
        RealDataResult.Run matchedShallow = run(RealDataProbe.Regime.SMALL, 0.4999, 3, neff(3, 0.4999, 0.6, 0.4));
        assertFalse(new RealDataResult(List.of(small), List.of(shallow), 0.05, 0.9, 1, List.of(matchedShallow)).verdicts("t: ").get(3).pass());
        // a quantized contrast fails even at the matched loss
        RealDataResult.Run quantized = run(RealDataProbe.Regime.LARGE, 0.05, -1, neff(600, 0.2, 0.5, 0.5));
        assertFalse(new RealDataResult(List.of(small), List.of(quantized), 0.05, 0.9, 1, List.of(matched)).verdicts("t: ").get(3).pass());
    }

    private static RealDataMoment neff(long step, double loss, double... shares) {
        List<io.reluquant.validation.measures.Cluster> cl = new ArrayList<>();
        for (double share : shares) {
            cl.add(new io.reluquant.validation.measures.Cluster(1, new double[] {1, 0}, share, new int[] {cl.size()}));
        }
        double[] cos = new double[shares.length];
        Arrays.fill(cos, 0.999);
        double[] control = new double[shares.length];
        Arrays.fill(control, 0.5);
        return new RealDataMoment(step, loss, cl, io.reluquant.validation.measures.Quantization.effectiveCount(cl), cos, 1, 1, control);
    }

    private static RealDataResult.Run run(RealDataProbe.Regime regime, double target, long reached, RealDataMoment end) {
        RealDataMoment a = regime == RealDataProbe.Regime.SMALL ? neff(40, 0.49, 0.6, 0.4) : null;
        return new RealDataResult.Run(regime, 1000, 1e-6, LearningRates.single(0.05), 0.5, target, reached, a, a, end, 1, 1, 1);
    }

    @Test
    void fairContrastFailsWhenItsControlIsNotQuantizedOrStoppedElsewhere() {
        assertTrue(fair(300, 2.6, 6.6e-4).stream().allMatch(Claims.Verdict::pass));
        // the control (the contrast's draw at small scale) as spread as the contrast: the ratio rows fail
        List<Claims.Verdict> spread = fair(300, 100, 6.6e-4);
        assertFalse(spread.get(0).pass() || spread.get(1).pass());
        // the control stopped at another loss: not matched
        List<Claims.Verdict> elsewhere = fair(300, 2.6, 1e-2);
        assertFalse(elsewhere.get(0).pass());
        // the contrast quantized too
        assertFalse(fair(5, 2.6, 6.6e-4).get(0).pass());
    }

    @Test
    void fairContrastOverSeedsFailsWhenOneSeedFails() {
        FairContrast.Result good = fairResult(200, 2.6, 6.6e-4);
        assertTrue(FairContrast.judge(List.of(good, good)).get(0).pass());
        // one seed's contrast quantized, or one seed's control not quantized: the row fails
        assertFalse(FairContrast.judge(List.of(good, fairResult(5, 2.6, 6.6e-4))).get(0).pass());
        assertFalse(FairContrast.judge(List.of(fairResult(200, 100, 6.6e-4), good)).get(0).pass());
        Claims.Verdict v = FairContrast.judge(List.of(good, good)).get(0);
        assertTrue(v.measured().startsWith("2 seeds:"), v.measured());
    }

    private static List<Claims.Verdict> fair(double contrastNeff, double controlNeff, double controlLoss) {
        return FairContrast.judge(fairResult(contrastNeff, controlNeff, controlLoss));
    }

    private static FairContrast.Result fairResult(double contrastNeff, double controlNeff, double controlLoss) {
        FairContrast.Config c = FairContrast.Config.quick();
        double target = 6.667e-4;
        List<FairContrast.Row> rows = new ArrayList<>();
        for (String data : new String[] {FairContrast.ONE_D, FairContrast.TWO_D}) {
            for (int m : c.widths()) {
                double grow = m == Claims.WIDE ? 1 : 0.05;
                rows.add(new FairContrast.Row(data, FairContrast.Init.SMALL, m, 0.02, 0.02, 0, target, true, 20_000, 1, 2.6, 1));
                rows.add(new FairContrast.Row(data, FairContrast.Init.PYTORCH, m, 1, 1, target, 0.99 * target, true, 500, 100, contrastNeff * grow, 1));
                rows.add(new FairContrast.Row(data, FairContrast.Init.PYTORCH_F0_ZERO, m, 1, 1, target, 0.99 * target, true, 500, 100,
                        contrastNeff * grow, 1));
            }
            rows.add(new FairContrast.Row(data, FairContrast.Init.PYTORCH_SMALL, Claims.WIDE, 0.02, 0.02, target, controlLoss,
                    controlLoss <= target, 20_000, 100, controlNeff, 1));
        }
        return new FairContrast.Result(c, rows, 1);
    }

    private static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    private static void assertArrayEquals(double[] a, double[] b) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
    }
}
