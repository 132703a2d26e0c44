// Proves: the smooth-target experiment at CI size: GD never beats the best spline of its own kink count, the interpolant follows its bound, the outcome is the measured one, and a wrong kink count or a mutated target changes it.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.validation.experiments.SmoothTargets.Cell;
import io.reluquant.validation.experiments.SmoothTargets.Run;
import io.reluquant.validation.experiments.SmoothTargets.Target;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * sin(3x) and x^2 on n = 10 and 20 points, 2 seeds, m = 100, lambda = 1e-8 (seconds). What is pinned is what the quick
 * and full runs measured (docs/THEORY.md section 8): an early-alignment trap after one escape, as the race predicts from
 * the data; x^2 stops at its mean (no kink: the best line), sin(3x) at two kinks far above the best 2-knot spline.
 */
@Tag("claims")
class SmoothTargetsTest {
    private static SmoothTargets.Result result;

    @BeforeAll
    static void run() {
        result = SmoothTargets.run(new SmoothTargets.Config(new Target[] {Target.SIN3, Target.SQUARE}, new int[] {10, 20}, 2, 100, 500, 400, 0, 2));
        for (Cell c : result.cells()) {
            System.out.printf(Locale.ROOT, "%s n = %d: converged %d/%d, K %.1f, excess %.3e L0, race loss error %.1e, %s%n", c.target().label(),
                    c.samples(), c.converged(), c.seeds(), c.kinks().estimate(), c.excessLoss().estimate(), c.raceLossError(), c.outcome());
        }
    }

    /** GD's function is one of the K-knot splines, so a global fit is never worse on the training points. */
    @Test
    void gdNeverBeatsTheSplineOfItsKinks() {
        for (Run r : result.runs()) {
            // the count leaves out clusters under 0.1% of the mass and kinks under 0.1% of the slope change, which can
            // bend f a little below the K-knot fit: the largest such excess measured at full size was -5.7e-12 L0
            // (x^2, n = 20, m = 1e3); 1e-9 L0 is 175x that, and a knot too few or too many moves the excess by more than
            // 1e-3 L0 on these targets (ruleCanFail below)
            assertTrue(r.loss() >= r.spline().loss() - 1e-9 * r.initialLoss(), r.target() + " n = " + r.samples() + ": GD " + r.loss()
                    + " < spline " + r.spline().loss());
            assertTrue(r.loss() < r.initialLoss() && !r.diverged(), "trained past the start");
        }
    }

    /** The classical reference: the interpolant's sup error under h^2/8 max abs f'' on every cell. */
    @Test
    void interpolantUnderItsBound() {
        for (Cell c : result.cells()) {
            assertTrue(c.interpSup() <= c.bound() * (1 + 1e-6), c.target() + " n = " + c.samples() + ": " + c.interpSup() + " > " + c.bound());
        }
    }

    /** The outcome as measured: every seed converged, the race's final plateau loss within 1e-3, x^2 at its best line, sin(3x) a gap. */
    @Test
    void outcomeAsMeasured() {
        for (Cell c : result.cells()) {
            assertTrue(c.race().trap(), "the race predicts a trap");
            assertTrue(c.raceLossError() < 1e-3, c.target() + " n = " + c.samples() + ": " + c.raceLossError());
            if (c.target() == Target.SQUARE) {
                assertEquals(0, c.kinks().estimate());
                assertEquals("at the best spline of its kinks", c.outcome());
            } else {
                assertEquals(2, c.kinks().estimate());
                assertEquals("optimization gap", c.outcome());
            }
        }
    }

    /** The rule's controls: a wrong kink count or a mutated target turns "at the best" into a gap; GD's own function as target turns a gap into "at the best". */
    @Test
    void ruleCanFail() {
        for (Cell c : result.cells()) {
            List<Run> runs = result.runs(c.target(), c.samples());
            double[] x = SmoothTargets.equispaced(c.samples());
            if (c.outcome().startsWith("at the best")) {
                List<Run> moreKnots = runs.stream().map(r -> SmoothTargets.rejudge(r, own(r), r.kinkCount() + 1))
                        .toList();
                assertEquals("optimization gap", SmoothTargets.cell(c.target(), c.samples(), moreKnots, result.gridX(), c.race()).outcome(),
                        "one knot more must show a gap");
                double[] tilted = SmoothTargets.data(c.target(), c.samples()).targets();
                for (int i = 0; i < x.length; i++) {
                    tilted[i] += 0.5 * x[i];
                }
                List<Run> mutated = runs.stream().map(r -> SmoothTargets.rejudge(r, tilted, r.kinkCount())).toList();
                assertEquals("optimization gap", SmoothTargets.cell(c.target(), c.samples(), mutated, result.gridX(), c.race()).outcome(),
                        "the target plus x/2 must show a gap");
            } else {
                List<Run> own = runs.stream().map(r -> SmoothTargets.rejudge(r, r.fitted(), r.kinkCount())).toList();
                assertEquals("at the best spline of its kinks", SmoothTargets.cell(c.target(), c.samples(), own, result.gridX(), c.race()).outcome(),
                        "GD's own function as the target is fitted by its own kinks");
            }
        }
    }

    private static double[] own(Run r) {
        return SmoothTargets.data(r.target(), r.samples()).targets();
    }
}
