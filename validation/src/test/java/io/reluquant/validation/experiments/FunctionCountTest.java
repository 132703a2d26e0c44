// Proves: claims at CI size: the functions-over-seeds verdicts, pinned claim by claim.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.validation.measures.FunctionSpread;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Finitely many functions at CI size (widths 1e2 and 1e3, 10 seeds): the pass criteria of
 * {@link FunctionCount#judge} with the thresholds of {@link Claims}.
 */
@Tag("claims")
class FunctionCountTest {
    /**
     * The outcome recorded at CI size, claim by claim (the judging and its thresholds are those of
     * the report; nothing here is loosened). Three claims FAIL at this size and the test pins that, so
     * a change of either the measurement or the outcome shows up here and in the report alike:
     * the contrast's spread slope is -0.105 between m = 1e2 and 1e3 (criterion >= -0.10; -0.07 over
     * 1e2..1e4 in the full run), small init has 80% (not 99%) of its curvature mass at the data at
     * m = 1e2 (100% at 1e3), and the contrast's kinks collect at the data points (72% at 1e2, 55% at
     * 1e3, measured 25% at 1e4: under GD kinks that cross a data point stick there, and in the NTK
     * scaling the first layer still moves by ~0.7, 0.24, 0.08 of its norm at widths 1e2, 1e3, 1e4).
     */
    @Test
    void outcomeAtCiSizeClaimByClaim() {
        FunctionCount.Result r = FunctionCount.run(FunctionCount.Config.quick());
        List<Claims.Verdict> verdicts = FunctionCount.judge(r);
        for (Claims.Verdict v : verdicts) {
            System.out.println((v.pass() ? "PASS " : "FAIL ") + v.claim() + ": " + v.measured());
        }
        // the third row (each seed's fitted values against the phase oracle's predicted P_J y) passes: 10/10 small-init seeds
        // within the tolerance at both widths, 1/10 and 0/10 contrast seeds
        boolean[] recorded = {true, true, true, true, false, false, false};
        assertEquals(recorded.length, verdicts.size());
        for (int k = 0; k < recorded.length; k++) {
            Claims.Verdict v = verdicts.get(k);
            assertEquals(recorded[k], v.pass(), v.claim() + " [" + v.prediction() + "]: " + v.measured());
        }
        // the measured numbers behind the recorded outcome, so that a FAIL is a failed claim and not a broken measure
        assertTrue(r.summary(true, 1_000).kinkShare() >= Claims.KINK_SHARE_SMALL_MIN, "small init at m = 1e3");
        assertTrue(r.summary(false, 100).kinkShare() > r.summary(false, 1_000).kinkShare(), "contrast kink share falls with the width");
    }

    @Test
    void measuresOnHandMadeVectors() {
        // two groups 1 apart, members within 1e-6: two distinct at tol 1e-3, three at tol 1e-9
        List<double[]> v = List.of(new double[] {0, 0}, new double[] {1e-6, 0}, new double[] {1, 0});
        assertEquals(2, FunctionSpread.distinctCount(v, 1e-3));
        assertEquals(3, FunctionSpread.distinctCount(v, 1e-9));
        assertEquals(1.0, FunctionSpread.medianPairwiseSupDistance(v), 1e-5); // distances 1e-6, 1, 1 - 1e-6
        assertEquals(-0.5, FunctionSpread.logLogSlope(new double[] {1, 100, 10_000}, new double[] {1, 0.1, 0.01}), 1e-12);
    }
}
