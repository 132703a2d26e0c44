// Proves: claims at CI size: the oracle's J sequence and plateau losses are the measured ones, and the permuted-target control, judged on the same plateaus, misses them.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The phase-by-phase oracle against wide networks at CI size ({@link PhaseSequence.Config#quick()}: widths 1e2 and 1e3, 5
 * seeds each), with the report's judging: the predicted J sequence and plateau losses are the measured ones, and the
 * negative control (the phases predicted from permuted targets, judged on the same runs at the same plateaus) fails the
 * same criterion; a control that matched would fail the claim's verdict.
 */
@Tag("claims")
class PhaseSequenceTest {
    @Test
    void predictedPhasesAreMeasuredAndTheControlFails() {
        for (PhaseSequence.Case c : PhaseSequence.cases()) {
            PhaseSequence.Result r = PhaseSequence.run(c, PhaseSequence.Config.quick());
            PhaseSequence.Result control = PhaseSequence.control(c, r);
            Claims.Verdict v = PhaseSequence.judge(r, control);
            System.out.println((v.pass() ? "PASS " : "FAIL ") + v.claim() + ": " + v.measured());
            assertFalse(r.prediction().phases().isEmpty(), c.name() + ": a plateau must be predicted, else the comparison is empty");
            assertTrue(r.pass(), c.name() + ": " + r.summary());
            assertFalse(control.pass(), c.name() + " control: " + control.summary());
            assertTrue(v.pass(), v.measured());
            assertEquals(Claims.Moment.Kind.SAME_MEASUREMENT, v.moment().kind(), "the control is judged on the claim's own plateaus");
            for (int k = 0; k < r.runs().size(); k++) {
                assertTrue(control.runs().get(k).plateaus() == r.runs().get(k).plateaus(), "control run " + k + " reads other plateaus");
            }
            assertFalse(java.util.Arrays.equals(control.prediction().plateauLosses(), r.prediction().plateauLosses()),
                    c.name() + ": the permuted targets must predict other plateau losses");
            // the verdict can fail: a control that matched its prediction (here: the claim judged as its own control) fails the row
            assertFalse(PhaseSequence.judge(r, r).pass(), c.name() + ": a control that passes must fail the claim");
        }
    }

    /** A phases control measured on other runs than the claim's is not at the claim's moment: judging it is refused. */
    @Test
    void aControlOnOtherRunsIsRefused() {
        PhaseSequence.Config c = new PhaseSequence.Config(new int[] {10}, new int[] {1}, 1e-6, 0.02, 1);
        io.reluquant.validation.theory.PhaseOracle.Prediction none = new io.reluquant.validation.theory.PhaseOracle.Prediction(1, List.of(), List.of());
        PhaseSequence.Result claim = new PhaseSequence.Result("x", c, none,
                List.of(new PhaseSequence.SeedRun(10, 1, List.of(), false, Double.NaN, false)), 0);
        PhaseSequence.Result other = new PhaseSequence.Result("x", c, none,
                List.of(new PhaseSequence.SeedRun(10, 1, new java.util.ArrayList<>(), false, Double.NaN, false)), 0);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PhaseSequence.judge(claim, other));
        assertTrue(e.getMessage().contains("not measured on the claim's own runs"), e.getMessage());
    }

    /** A result with no predicted plateau cannot pass, whatever was measured. */
    @Test
    void anEmptyPredictionDoesNotPass() {
        PhaseSequence.Config c = new PhaseSequence.Config(new int[] {10}, new int[] {1}, 1e-6, 0.02, 1);
        PhaseSequence.Result empty = new PhaseSequence.Result("none", c,
                new io.reluquant.validation.theory.PhaseOracle.Prediction(1, List.of(), List.of()), List.of(), 0);
        assertFalse(empty.pass());
        assertEquals(0, empty.matched(10));
    }
}
