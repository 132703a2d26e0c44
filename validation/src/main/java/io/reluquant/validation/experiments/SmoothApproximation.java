package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.measures.FunctionSpread;
import io.reluquant.validation.measures.Neurons;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleUnaryOperator;

/**
 * The paper's open question (docs/THEORY.md section 8): does the small-init GD function approximate a
 * smooth target like the linear interpolant of its training points? Targets sin(3x), exp(x) and x^2
 * on n equispaced points of [-1, 1]; small init trained for a set number of steps (the final loss and
 * its change over the last tenth of the run are reported: a run still on a plateau is not converged,
 * and the outcome is stated for this budget); the held-out sup
 * and RMS errors on the midpoints of a fine grid against n, beside the linear interpolant's (whose
 * sup error is at most h^2/8 max|f''|, h = 2/(n-1)), with least-squares log-log slopes. An
 * experiment with a stated outcome, not a pass/fail claim.
 */
public final class SmoothApproximation {
    /**
     * Init scale. Plateaus between phases last ~ ln(1/lambda_eff) / rate, and neurons that shrink in
     * one phase start the next one smaller still: at lambda = 1e-4 sin(3x) on 5 to 50 points and x^2 on
     * 10 points stayed on a plateau (loss 0.06-0.11) for 2e5 steps at lr 0.02 and 0.1 (measured), so
     * the runs here start at lambda = 1e-2, still small against the unit scale of the targets.
     */
    public static final double SCALE = 1e-2;
    /** Learning rate (stable in those probes up to n = 50, and a divergence is reported, not hidden). */
    public static final double RATE = 0.1;

    private SmoothApproximation() {}

    /** A smooth target. */
    public enum Target {
        SIN3("sin(3x)", x -> Math.sin(3 * x)), EXP("exp(x)", Math::exp), SQUARE("x^2", x -> x * x);

        private final String label;
        private final DoubleUnaryOperator f;

        Target(String label, DoubleUnaryOperator f) {
            this.label = label;
            this.f = f;
        }

        /** @return the formula */
        public String label() {
            return label;
        }

        /** @return the target at x */
        public double at(double x) {
            return f.applyAsDouble(x);
        }
    }

    /**
     * @param samples the n values
     * @param width m
     * @param lambda small init scale
     * @param lr learning rate
     * @param steps steps per run
     * @param heldOut points of the held-out grid (cell midpoints of [-1, 1])
     * @param parallelRuns runs at once, one kernel thread each
     */
    public record Config(int[] samples, int width, double lambda, double lr, long steps, int heldOut, int parallelRuns) {
        public Config {
            if (samples == null || samples.length < 2) {
                throw new IllegalArgumentException("need at least two sample counts for a slope");
            }
            for (int n : samples) {
                if (n < 2) {
                    throw new IllegalArgumentException("every n must be >= 2, got " + n);
                }
            }
        }

        /** @return the CI size: n = 5, 10, 20 */
        public static Config quick() {
            return new Config(new int[] {5, 10, 20}, 1_000, SCALE, RATE, 50_000, 2_000, 2);
        }

        /** @return the report size: n = 5 .. 200 */
        public static Config full() {
            return new Config(new int[] {5, 10, 20, 50, 100, 200}, 1_000, SCALE, RATE, 500_000, 2_000, 2);
        }
    }

    /**
     * One target and n.
     *
     * @param loss final training loss
     * @param lossBefore the loss {@link Claims#CONVERGENCE_WINDOW} of the run earlier (a convergence indicator)
     * @param gdSup held-out sup error of the GD function
     * @param gdRms held-out RMS error of the GD function
     * @param interpSup the linear interpolant's sup error
     * @param interpRms the linear interpolant's RMS error
     * @param bound h^2/8 max|f''|
     * @param diverged whether a step would have made the loss non-finite (the run stopped there)
     */
    public record Row(Target target, int samples, double loss, double lossBefore, double gdSup, double gdRms, double interpSup,
            double interpRms, double bound, boolean diverged, double seconds) {}

    /** Fitted slopes of one target: sup and RMS error against n, GD and interpolant. */
    public record Slopes(Target target, double gdSup, double gdRms, double interpSup, double interpRms) {}

    /** @param statement the outcome in words, computed from the slopes */
    public record Result(Config config, List<Row> rows, List<Slopes> slopes, String statement, double seconds) {
        /** @return the rows of one target by increasing n */
        public List<Row> rows(Target t) {
            return rows.stream().filter(r -> r.target() == t).toList();
        }
    }

    /** @return n equispaced points of [-1, 1] */
    public static double[] equispaced(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1 + 2.0 * i / (n - 1);
        }
        return x;
    }

    /** @return the piecewise-linear interpolant of (xs, ys) (xs increasing) at x in [xs[0], xs[last]] */
    public static double interpolate(double[] xs, double[] ys, double x) {
        int lo = 0;
        int hi = xs.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] <= x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double t = (x - xs[lo]) / (xs[hi] - xs[lo]);
        return ys[lo] + t * (ys[hi] - ys[lo]);
    }

    /** Runs every target at every n. */
    public static Result run(Config c) {
        long start = System.nanoTime();
        List<Callable<Row>> tasks = new ArrayList<>();
        for (Target t : Target.values()) {
            for (int n : c.samples()) {
                tasks.add(() -> one(t, n, c));
            }
        }
        List<Row> rows = FairContrast.all(tasks, c.parallelRuns());
        List<Slopes> slopes = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (Target t : Target.values()) {
            List<Row> rs = rows.stream().filter(r -> r.target() == t).toList();
            double[] n = rs.stream().mapToDouble(Row::samples).toArray();
            Slopes s = new Slopes(t, FunctionSpread.logLogSlope(n, rs.stream().mapToDouble(Row::gdSup).toArray()),
                    FunctionSpread.logLogSlope(n, rs.stream().mapToDouble(Row::gdRms).toArray()),
                    FunctionSpread.logLogSlope(n, rs.stream().mapToDouble(Row::interpSup).toArray()),
                    FunctionSpread.logLogSlope(n, rs.stream().mapToDouble(Row::interpRms).toArray()));
            slopes.add(s);
            Row last = rs.get(rs.size() - 1);
            sb.append(String.format(Locale.ROOT, "%s: GD sup error ~ n^%.2f, RMS ~ n^%.2f; interpolant sup ~ n^%.2f, RMS ~ n^%.2f;"
                    + " at n = %d GD sup %.2e = %.1fx the interpolant's (training loss %.2e, %.1f%% lower than %.0f%% of the run earlier). ",
                    t.label(), s.gdSup(), s.gdRms(), s.interpSup(), s.interpRms(), last.samples(), last.gdSup(), last.gdSup() / last.interpSup(),
                    last.loss(), 100 * (1 - last.loss() / last.lossBefore()), 100 * Claims.CONVERGENCE_WINDOW));
        }
        Result r = new Result(c, rows, slopes, sb.toString().trim(), (System.nanoTime() - start) * 1e-9);
        return r;
    }

    private static Row one(Target t, int n, Config c) {
        double[] x = equispaced(n);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = t.at(x[i]);
        }
        Dataset data = Dataset.of(x, y, 1);
        Parameters init = Initializers.balanced(c.width(), 1, c.lambda(), n, true);
        long before = Math.round(c.steps() * (1 - Claims.CONVERGENCE_WINDOW));
        Training.Run r = Training.run(data, init, Training.Settings.single(c.lr(), c.steps(), Precision.FLOAT64, 1).withSnapshots(before));
        int q = c.heldOut();
        double[] gx = new double[q];
        for (int k = 0; k < q; k++) {
            gx[k] = -1 + 2.0 * (k + 0.5) / q;
        }
        double[] f = Neurons.of(r.end().parameters(), true).evaluate(gx);
        double gdSup = 0;
        double gdSq = 0;
        double inSup = 0;
        double inSq = 0;
        double maxCurv = 0;
        for (int k = 0; k < q; k++) {
            double truth = t.at(gx[k]);
            double e = Math.abs(f[k] - truth);
            double ei = Math.abs(interpolate(x, y, gx[k]) - truth);
            gdSup = Math.max(gdSup, e);
            gdSq += e * e;
            inSup = Math.max(inSup, ei);
            inSq += ei * ei;
            // f'' by a central difference of step 1e-4 (error ~1e-8 relative for these targets)
            double hh = 1e-4;
            maxCurv = Math.max(maxCurv, Math.abs(t.at(gx[k] + hh) - 2 * truth + t.at(gx[k] - hh)) / (hh * hh));
        }
        double h = 2.0 / (n - 1);
        Row row = new Row(t, n, r.end().loss(), r.snapshots().get(0).loss(), gdSup, Math.sqrt(gdSq / q), inSup, Math.sqrt(inSq / q),
                h * h / 8 * maxCurv, r.diverged(), r.seconds());
        return row;
    }
}
