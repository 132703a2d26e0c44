// Proves: the free-knot spline fitter finds the global least-squares fit on known answers (an exact 2-knot spline, x^2's closed form) and beats an exhaustive knot grid.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FreeKnotSplineTest {
    private static double[] equispaced(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1 + 2.0 * i / (n - 1);
        }
        return x;
    }

    /** A continuous piecewise-linear target with knots at -0.37 and 0.52 (between data points) is recovered exactly. */
    @Test
    void recoversATwoKnotSpline() {
        double[] x = equispaced(41);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.3 - 0.5 * x[i] + 2.0 * Math.max(0, x[i] + 0.37) - 3.1 * Math.max(0, x[i] - 0.52);
        }
        FreeKnotSpline.Fit f = FreeKnotSpline.fit(x, y, 2, List.of());
        System.out.printf("2-knot target: knots %.12f %.12f, sse %.3e%n", f.knots()[0], f.knots()[1], f.sse());
        // identifiable only up to the gap that holds each knot; with two points on each side of a knot inside the gap
        // the lines meet where they do in the target, so the knot is exact up to rounding
        assertEquals(-0.37, f.knots()[0], 1e-7);
        assertEquals(0.52, f.knots()[1], 1e-7);
        assertTrue(f.sse() < 1e-20, "sse " + f.sse());
        assertEquals(0.3 - 0.5 * 0.1 + 2.0 * 0.47, f.at(0.1), 1e-9);
    }

    /**
     * x^2 on [-1, 1] with K knots, in L2 over the interval: the best continuous fit has equispaced knots (spacing
     * h = 2/(K+1)) and equals x^2 - h^2/6 at every breakpoint. (Best unconstrained line on each piece of length h is
     * x^2 - h^2/12 at its midpoint level, x^2 - h^2/6 at both ends; the pieces meet, so continuity costs nothing, and
     * equal pieces minimise sum h_k^5/180.) The points are the midpoints of 1600 equal cells, so the sum is the midpoint
     * rule of the integral, off by O(1/n^2) (equispaced points with both ends would weight the ends double: O(1/n)).
     */
    @Test
    void squareHasItsClosedForm() {
        double[] x = new double[1600];
        for (int i = 0; i < x.length; i++) {
            x[i] = -1 + 2.0 * (i + 0.5) / x.length;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * x[i];
        }
        for (int k = 1; k <= 4; k++) {
            FreeKnotSpline.Fit f = FreeKnotSpline.fit(x, y, k, List.of());
            double h = 2.0 / (k + 1);
            for (int j = 0; j < k; j++) {
                double t = -1 + h * (j + 1);
                assertEquals(t, f.knots()[j], 2e-3, "K = " + k + ", knot " + j);
                // the sum of squares is flat to second order in a knot's position, so the O(1/n^2) quadrature error moves
                // a knot by ~sqrt of it (measured: up to 3e-4) and the value at the exact knot by the slope change (4/(K+1))
                // times that
                assertEquals(t * t - h * h / 6, f.at(t), 2e-3 * 4 / (k + 1), "K = " + k + ", value at knot " + j);
            }
            // mean squared error over the interval: h^4/180
            double mse = f.sse() / x.length;
            assertEquals(h * h * h * h / 180, mse, 2e-3 * h * h * h * h / 180 + 1e-7, "K = " + k);
        }
        // K = 1: the fit is abs(x) - 1/6
        FreeKnotSpline.Fit one = FreeKnotSpline.fit(x, y, 1, List.of());
        assertEquals(-1.0 / 6, one.at(0), 1e-3);
        assertEquals(5.0 / 6, one.at(1), 1e-3);
    }

    /** On sin(3x) at 20 points, no knot pair of a fine exhaustive grid does better than the fit (global, not local). */
    @Test
    void noGridPairDoesBetter() {
        double[] x = equispaced(20);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.sin(3 * x[i]);
        }
        // a poor start (both knots at the left end) must not trap the fit
        FreeKnotSpline.Fit f = FreeKnotSpline.fit(x, y, 2, List.of(new double[] {-0.99, -0.98}));
        double grid = Double.POSITIVE_INFINITY;
        int g = 400;
        for (int a = 1; a < g; a++) {
            for (int b = a; b < g; b++) {
                grid = Math.min(grid, FreeKnotSpline.atKnots(x, y, new double[] {-1 + 2.0 * a / g, -1 + 2.0 * b / g}).sse());
            }
        }
        System.out.printf("sin(3x), n = 20, K = 2: fit sse %.10e, best of the 400-grid %.10e%n", f.sse(), grid);
        assertTrue(f.sse() <= grid * (1 + 1e-9), f.sse() + " > " + grid);
    }

    /** With K >= n - 2 knots the interpolant fits exactly; K = 0 is the least-squares line. */
    @Test
    void edgeCases() {
        double[] x = {-1, -0.2, 0.3, 1};
        double[] y = {1, -1, 2, 0};
        assertEquals(0, FreeKnotSpline.fit(x, y, 2, null).sse(), 1e-24);
        assertEquals(0, FreeKnotSpline.fit(x, y, 5, null).sse(), 1e-24);
        FreeKnotSpline.Fit line = FreeKnotSpline.fit(new double[] {-1, 0, 1}, new double[] {0, 3, 0}, 0, null);
        assertEquals(1.0, line.at(0.5), 1e-12);
        assertEquals(6.0, line.sse(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> FreeKnotSpline.fit(x, y, -1, null));
        assertThrows(IllegalArgumentException.class, () -> FreeKnotSpline.atKnots(x, y, new double[] {2}));
        assertThrows(IllegalArgumentException.class, () -> FreeKnotSpline.fit(x, new double[] {1, 2}, 1, null));
    }
}
