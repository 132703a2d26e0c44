package io.reluquant.validation.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The best continuous piecewise-linear function with K free knots, in least squares on points (x_i, y_i): the fair
 * yardstick for a 1-D ReLU network whose function has K kinks (docs/THEORY.md section 8), since such a network's
 * function is one of these.
 *
 * <p>For fixed knots the fit is linear: the function is written in the hat (degree-1 B-spline) basis on the breakpoints
 * min x, t_1 .. t_K, max x, whose Gram matrix is tridiagonal, and solved exactly (a ridge of relative size
 * {@link #RIDGE} on the differences of neighbouring breakpoint values only decides values that no point determines,
 * e.g. two knots in one gap between points; it moves the sum of squares by ~1e-12 relative). The knots are then
 * found by variable projection: Levenberg-Marquardt on the knot positions alone, the residual
 * r(t) = y - B(t) c(t) with c(t) solved exactly at every t, the Jacobian by central differences. The objective is
 * nonconvex (and only piecewise smooth: it bends where a knot crosses a data point), so this is a multi-start global
 * method: the caller's starts (for a trained network: its own kinks), equispaced knots, knots at quantiles of the
 * asymptotically optimal density abs(f'')^(2/5) (f'' from second differences of y) and {@link #RANDOM_STARTS} sorted
 * uniform draws from a fixed seed; each start is refined by LM, and the best {@link #POLISHED} then by coordinate sweeps that scan every knot
 * over a grid of its whole range (which gets a knot across a data point where LM stalls) alternating with LM; the
 * best is kept.
 * With K >= n - 2 knots the interpolant of the points (knots at the interior x_i) fits exactly and is returned.
 * Its unit test checks exact recovery of a 2-knot spline and the closed form for x^2 (equispaced knots, values
 * x^2 - h^2/6 at the knots, h = 2/(K+1)).
 */
public final class FreeKnotSpline {
    /** Random starts beyond the deterministic ones. */
    public static final int RANDOM_STARTS = 16;
    /** Seed of the random starts (the fit is deterministic). */
    public static final long SEED = 8_100_001L;
    /** Relative ridge on differences of neighbouring breakpoint values. */
    public static final double RIDGE = 1e-13;
    /** LM iteration cap per start. */
    public static final int MAX_ITERATIONS = 200;
    /** How many of the best LM results are polished by coordinate scans. */
    public static final int POLISHED = 4;
    /** Grid points of a coordinate scan of one knot over its range. */
    public static final int SCAN_POINTS = 256;

    private FreeKnotSpline() {}

    /**
     * A fitted spline.
     *
     * @param knots interior knots, increasing
     * @param breakpoints min x, knots, max x
     * @param values the function at the breakpoints
     * @param sse sum of squared residuals on the fitted points
     * @param points how many points were fitted
     */
    public record Fit(double[] knots, double[] breakpoints, double[] values, double sse, int points) {
        /** @return the loss (1/(2n)) sum r_i^2, the network's loss convention */
        public double loss() {
            return sse / (2.0 * points);
        }

        /** @return the spline at x (linear extrapolation beyond the end breakpoints) */
        public double at(double x) {
            double[] p = breakpoints;
            int j = segment(p, x);
            double len = p[j + 1] - p[j];
            double s = len > 0 ? (x - p[j]) / len : 0;
            return values[j] + s * (values[j + 1] - values[j]);
        }

        /** @return the spline at every x */
        public double[] at(double[] xs) {
            double[] f = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                f[i] = at(xs[i]);
            }
            return f;
        }
    }

    /**
     * The best fit with {@code knots} free knots, from the standard starts and the caller's.
     *
     * @param x inputs, at least two distinct values
     * @param y targets
     * @param knots K >= 0
     * @param starts extra starting knot sets (each of length K; values outside the open range of x are clamped)
     */
    public static Fit fit(double[] x, double[] y, int knots, List<double[]> starts) {
        check(x, y);
        if (knots < 0) {
            throw new IllegalArgumentException("knots must be >= 0, got " + knots);
        }
        double[] xs = x.clone();
        double[] ys = y.clone();
        sortTogether(xs, ys);
        double lo = xs[0];
        double hi = xs[xs.length - 1];
        if (!(hi > lo)) {
            throw new IllegalArgumentException("x needs two distinct values, all are " + lo);
        }
        int distinct = distinctCount(xs);
        if (knots >= distinct - 2) {
            // knots at the interior points interpolate (or average repeated x): no other fit does better
            double[] t = new double[knots];
            double[] interior = distinctInterior(xs);
            for (int k = 0; k < knots; k++) {
                t[k] = k < interior.length ? interior[k] : interior.length > 0 ? interior[interior.length - 1] : 0.5 * (lo + hi);
            }
            Arrays.sort(t);
            return atKnots(xs, ys, t);
        }
        if (knots == 0) {
            return atKnots(xs, ys, new double[0]);
        }
        List<double[]> all = new ArrayList<>();
        if (starts != null) {
            for (double[] s : starts) {
                if (s.length != knots) {
                    throw new IllegalArgumentException("a start has " + s.length + " knots, expected " + knots);
                }
                all.add(s.clone());
            }
        }
        double[] eq = new double[knots];
        for (int k = 0; k < knots; k++) {
            eq[k] = lo + (hi - lo) * (k + 1) / (knots + 1);
        }
        all.add(eq);
        all.add(curvatureQuantiles(xs, ys, knots));
        Random r = new Random(SEED);
        for (int s = 0; s < RANDOM_STARTS; s++) {
            double[] t = new double[knots];
            for (int k = 0; k < knots; k++) {
                t[k] = lo + (hi - lo) * r.nextDouble();
            }
            all.add(t);
        }
        // stage 1: LM from every start; stage 2: the best few alternate coordinate scans and LM while either improves
        List<Fit> fits = new ArrayList<>();
        for (double[] start : all) {
            fits.add(levenbergMarquardt(xs, ys, atKnots(xs, ys, clamp(start, lo, hi)), lo, hi));
        }
        fits.sort((a, b) -> Double.compare(a.sse(), b.sse()));
        Fit best = null;
        for (int s = 0; s < Math.min(POLISHED, fits.size()); s++) {
            Fit f = refine(xs, ys, fits.get(s));
            if (best == null || f.sse() < best.sse()) {
                best = f;
            }
        }
        return best;
    }

    /**
     * The exact least-squares fit with the knots fixed.
     *
     * @param knots interior knots (sorted here; each must lie in [min x, max x])
     */
    public static Fit atKnots(double[] x, double[] y, double[] knots) {
        check(x, y);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double[] t = knots.clone();
        Arrays.sort(t);
        for (double v : t) {
            if (!(v >= lo && v <= hi)) {
                throw new IllegalArgumentException("knot " + v + " lies outside [" + lo + ", " + hi + "]");
            }
        }
        double[] p = new double[t.length + 2];
        p[0] = lo;
        System.arraycopy(t, 0, p, 1, t.length);
        p[p.length - 1] = hi;
        return solve(x, y, p);
    }

    /** Exact linear least squares on the hat basis of breakpoints p (tridiagonal normal equations, Thomas algorithm). */
    private static Fit solve(double[] x, double[] y, double[] p) {
        int q = p.length;
        double[] diag = new double[q];
        double[] off = new double[q - 1];
        double[] rhs = new double[q];
        int[] seg = new int[x.length];
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int j = segment(p, x[i]);
            double len = p[j + 1] - p[j];
            double s = len > 0 ? (x[i] - p[j]) / len : 0;
            seg[i] = j;
            w[i] = s;
            diag[j] += (1 - s) * (1 - s);
            diag[j + 1] += s * s;
            off[j] += (1 - s) * s;
            rhs[j] += (1 - s) * y[i];
            rhs[j + 1] += s * y[i];
        }
        double scale = 0;
        for (double d : diag) {
            scale = Math.max(scale, d);
        }
        double ridge = RIDGE * Math.max(scale, 1);
        // ridge * sum (c_{j+1} - c_j)^2: + ridge on the diagonal (twice inside), - ridge off the diagonal
        for (int j = 0; j < q - 1; j++) {
            diag[j] += ridge;
            diag[j + 1] += ridge;
            off[j] -= ridge;
        }
        // a breakpoint that no point touches and no neighbour ties (q = 1 cannot happen: q >= 2) keeps the ridge alone
        double[] c = thomas(diag, off, rhs);
        double sse = 0;
        for (int i = 0; i < x.length; i++) {
            double f = c[seg[i]] + w[i] * (c[seg[i] + 1] - c[seg[i]]);
            sse += (f - y[i]) * (f - y[i]);
        }
        double[] knots = Arrays.copyOfRange(p, 1, q - 1);
        return new Fit(knots, p, c, sse, x.length);
    }

    /** Solves the symmetric tridiagonal system (diag, off) c = rhs. */
    private static double[] thomas(double[] diag, double[] off, double[] rhs) {
        int q = diag.length;
        double[] cp = new double[q];
        double[] dp = new double[q];
        double denom = diag[0];
        cp[0] = q > 1 ? off[0] / denom : 0;
        dp[0] = rhs[0] / denom;
        for (int j = 1; j < q; j++) {
            denom = diag[j] - off[j - 1] * cp[j - 1];
            cp[j] = j < q - 1 ? off[j] / denom : 0;
            dp[j] = (rhs[j] - off[j - 1] * dp[j - 1]) / denom;
        }
        double[] c = new double[q];
        c[q - 1] = dp[q - 1];
        for (int j = q - 2; j >= 0; j--) {
            c[j] = dp[j] - cp[j] * c[j + 1];
        }
        return c;
    }

    /** Coordinate scans, then LM on the knots (variable projection), repeated while either improves. */
    private static Fit refine(double[] x, double[] y, Fit start) {
        double lo = x[0];
        double hi = x[x.length - 1];
        Fit cur = start;
        for (int round = 0; round < 10; round++) {
            double before = cur.sse();
            cur = coordinateScan(x, y, cur, lo, hi);
            cur = levenbergMarquardt(x, y, cur, lo, hi);
            if (!(cur.sse() < before * (1 - 1e-12)) || cur.sse() == 0) {
                break;
            }
        }
        return cur;
    }

    private static Fit levenbergMarquardt(double[] x, double[] y, Fit start, double lo, double hi) {
        int k = start.knots().length;
        int n = x.length;
        double h = 1e-7 * (hi - lo);
        Fit cur = start;
        double mu = 1e-3;
        for (int it = 0; it < MAX_ITERATIONS && cur.sse() > 0; it++) {
            double[] r0 = residual(x, y, cur);
            double[][] jac = new double[n][k];
            for (int c = 0; c < k; c++) {
                double[] tp = cur.knots().clone();
                double[] tm = cur.knots().clone();
                tp[c] = Math.min(hi, tp[c] + h);
                tm[c] = Math.max(lo, tm[c] - h);
                double[] rp = residual(x, y, atKnots(x, y, tp));
                double[] rm = residual(x, y, atKnots(x, y, tm));
                double step = tp[c] - tm[c];
                for (int i = 0; i < n; i++) {
                    jac[i][c] = step > 0 ? (rp[i] - rm[i]) / step : 0;
                }
            }
            double[][] a = new double[k][k];
            double[] g = new double[k];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    g[c] += jac[i][c] * r0[i];
                    for (int e = 0; e <= c; e++) {
                        a[c][e] += jac[i][c] * jac[i][e];
                    }
                }
            }
            boolean improved = false;
            for (int tries = 0; tries < 12 && !improved; tries++) {
                double[][] m = new double[k][k];
                for (int c = 0; c < k; c++) {
                    for (int e = 0; e <= c; e++) {
                        m[c][e] = a[c][e];
                        m[e][c] = a[c][e];
                    }
                    m[c][c] += mu * (a[c][c] + 1e-12);
                }
                double[] delta = cholesky(m, g);
                if (delta == null) {
                    mu *= 4;
                    continue;
                }
                double[] t = cur.knots().clone();
                for (int c = 0; c < k; c++) {
                    t[c] -= delta[c];
                }
                Fit next = atKnots(x, y, clamp(t, lo, hi));
                if (next.sse() < cur.sse()) {
                    improved = next.sse() < cur.sse() * (1 - 1e-13);
                    cur = next;
                    mu = Math.max(mu / 3, 1e-12);
                } else {
                    mu *= 4;
                }
            }
            if (!improved) {
                break;
            }
        }
        return cur;
    }

    /** One sweep: each knot in turn moved to the best of a grid over [lo, hi] and refined by golden section around it. */
    private static Fit coordinateScan(double[] x, double[] y, Fit start, double lo, double hi) {
        Fit cur = start;
        int k = cur.knots().length;
        for (int c = 0; c < k; c++) {
            double[] t = cur.knots().clone();
            double bestPos = t[c];
            double bestSse = cur.sse();
            for (int g = 0; g <= SCAN_POINTS; g++) {
                t[c] = lo + (hi - lo) * g / SCAN_POINTS;
                double s = atKnots(x, y, t).sse();
                if (s < bestSse) {
                    bestSse = s;
                    bestPos = t[c];
                }
            }
            // golden section on [bestPos - cell, bestPos + cell]
            double cell = (hi - lo) / SCAN_POINTS;
            double a = Math.max(lo, bestPos - cell);
            double b = Math.min(hi, bestPos + cell);
            double ratio = (Math.sqrt(5) - 1) / 2;
            for (int it = 0; it < 60 && b - a > 1e-15 * (hi - lo); it++) {
                double m1 = b - ratio * (b - a);
                double m2 = a + ratio * (b - a);
                t[c] = m1;
                double s1 = atKnots(x, y, t).sse();
                t[c] = m2;
                double s2 = atKnots(x, y, t).sse();
                if (s1 < bestSse) {
                    bestSse = s1;
                    bestPos = m1;
                }
                if (s2 < bestSse) {
                    bestSse = s2;
                    bestPos = m2;
                }
                if (s1 < s2) {
                    b = m2;
                } else {
                    a = m1;
                }
            }
            t[c] = bestPos;
            Fit next = atKnots(x, y, t);
            if (next.sse() < cur.sse()) {
                cur = next;
            }
        }
        return cur;
    }

    private static double[] residual(double[] x, double[] y, Fit f) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = f.at(x[i]) - y[i];
        }
        return r;
    }

    /** @return the solution of m d = g for symmetric positive definite m, or null if it is not */
    private static double[] cholesky(double[][] m, double[] g) {
        int k = g.length;
        double[][] l = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = m[i][j];
                for (int p = 0; p < j; p++) {
                    s -= l[i][p] * l[j][p];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[] z = new double[k];
        for (int i = 0; i < k; i++) {
            double s = g[i];
            for (int p = 0; p < i; p++) {
                s -= l[i][p] * z[p];
            }
            z[i] = s / l[i][i];
        }
        double[] d = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double s = z[i];
            for (int p = i + 1; p < k; p++) {
                s -= l[p][i] * d[p];
            }
            d[i] = s / l[i][i];
        }
        return d;
    }

    /** Knots at the quantiles of the density abs(f'')^(2/5) (the L2-optimal knot density for linear splines). */
    private static double[] curvatureQuantiles(double[] x, double[] y, int knots) {
        int n = x.length;
        double[] cum = new double[n];
        for (int i = 1; i < n; i++) {
            double curv = 0;
            int a = Math.max(0, Math.min(i - 1, n - 3));
            if (n >= 3 && x[a + 2] > x[a] && x[a + 1] > x[a] && x[a + 2] > x[a + 1]) {
                double s1 = (y[a + 1] - y[a]) / (x[a + 1] - x[a]);
                double s2 = (y[a + 2] - y[a + 1]) / (x[a + 2] - x[a + 1]);
                curv = Math.abs(2 * (s2 - s1) / (x[a + 2] - x[a]));
            }
            // a floor keeps the density positive where the target is straight
            cum[i] = cum[i - 1] + (x[i] - x[i - 1]) * (Math.pow(curv, 0.4) + 1e-3);
        }
        double[] t = new double[knots];
        int i = 1;
        for (int k = 0; k < knots; k++) {
            double level = cum[n - 1] * (k + 1) / (knots + 1);
            while (i < n - 1 && cum[i] < level) {
                i++;
            }
            double span = cum[i] - cum[i - 1];
            double s = span > 0 ? (level - cum[i - 1]) / span : 0;
            t[k] = x[i - 1] + s * (x[i] - x[i - 1]);
        }
        return t;
    }

    private static double[] clamp(double[] t, double lo, double hi) {
        double[] c = new double[t.length];
        for (int k = 0; k < t.length; k++) {
            c[k] = Math.max(lo, Math.min(hi, t[k]));
        }
        Arrays.sort(c);
        return c;
    }

    static int segment(double[] p, double x) {
        int lo = 0;
        int hi = p.length - 1;
        if (x <= p[0]) {
            return 0;
        }
        if (x >= p[hi]) {
            return hi - 1;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (p[mid] <= x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void check(double[] x, double[] y) {
        if (x == null || y == null || x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need x and y of one length >= 2, got " + (x == null ? "null" : x.length) + " and "
                    + (y == null ? "null" : y.length));
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("non-finite point " + i + ": (" + x[i] + ", " + y[i] + ")");
            }
        }
    }

    private static void sortTogether(double[] x, double[] y) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
        double[] xc = x.clone();
        double[] yc = y.clone();
        for (int i = 0; i < idx.length; i++) {
            x[i] = xc[idx[i]];
            y[i] = yc[idx[i]];
        }
    }

    private static int distinctCount(double[] sorted) {
        int c = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                c++;
            }
        }
        return c;
    }

    private static double[] distinctInterior(double[] sorted) {
        List<Double> v = new ArrayList<>();
        for (int i = 1; i < sorted.length - 1; i++) {
            if (sorted[i] != sorted[i - 1] && sorted[i] != sorted[sorted.length - 1]) {
                v.add(sorted[i]);
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
