// Proves: the smooth-target experiment's apparatus at CI size: the interpolant under its bound with slope -2, training past the mean.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The open question at CI size (n = 5, 10, 20). There is no claim to pass; the test checks that the
 * measuring apparatus is right: the interpolant's sup error lies under its bound h^2/8 max|f''| and
 * falls like n^-2 (slope within 0.3 of -2 for the smooth targets; n = 5 is still pre-asymptotic), and
 * training went past fitting the mean (loss below var(y)/2, the loss of the best constant).
 */
@Tag("claims")
class SmoothApproximationTest {
    @Test
    void interpolantFollowsItsBoundAndTrainingFits() {
        SmoothApproximation.Result r = SmoothApproximation.run(SmoothApproximation.Config.quick());
        for (SmoothApproximation.Row row : r.rows()) {
            assertTrue(!row.diverged(), row.target() + " n=" + row.samples() + " diverged");
            assertTrue(row.interpSup() <= row.bound() * (1 + 1e-6), row.target() + " n=" + row.samples() + ": " + row.interpSup() + " > " + row.bound());
            double mean = 0;
            double[] x = SmoothApproximation.equispaced(row.samples());
            for (double xi : x) {
                mean += row.target().at(xi) / x.length;
            }
            double var = 0;
            for (double xi : x) {
                var += Math.pow(row.target().at(xi) - mean, 2) / x.length;
            }
            assertTrue(row.loss() < var / 2, row.target() + " n=" + row.samples() + ": loss " + row.loss() + " vs L(f = mean) " + var / 2);
        }
        for (SmoothApproximation.Slopes s : r.slopes()) {
            assertEquals(-2, s.interpSup(), 0.3, s.target() + " interpolant sup slope");
            assertTrue(Double.isFinite(s.gdSup()) && Double.isFinite(s.gdRms()), s.target() + " GD slopes");
        }
        assertTrue(!r.statement().isEmpty());
    }

    @Test
    void interpolationIsExactAtTheNodesAndLinearBetween() {
        double[] xs = {-1, 0, 1};
        double[] ys = {1, 0, 2};
        assertEquals(1, SmoothApproximation.interpolate(xs, ys, -1), 0);
        assertEquals(0.5, SmoothApproximation.interpolate(xs, ys, -0.5), 1e-15);
        assertEquals(2, SmoothApproximation.interpolate(xs, ys, 1), 0);
        assertEquals(1, SmoothApproximation.interpolate(xs, ys, 0.5), 1e-15);
    }
}
