package io.reluquant.validation.match;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import io.reluquant.kernel.reference.Reference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs the same gradient descent twice from the same initial network, once with the SIMD kernel
 * (float32 or float64) and once with the naive float64 reference, step by step in lockstep, and
 * records how far apart they are: the loss at every step; parameters, outputs on the training
 * points and ReLU mask flips at every {@code every}-th step. A mask flip is a (neuron j, point i)
 * pair with z_ij = w_j.x_i + b_j &gt; 0 in one run and &lt;= 0 in the other: the two runs disagree on
 * whether point i is in neuron j's sector, which happens for neurons sitting on a sector boundary
 * (a boundary attractor, docs/THEORY.md section 2) where rounding decides the side.
 */
public final class TrajectoryMatch {
    private TrajectoryMatch() {}

    /**
     * What to run.
     *
     * @param data training set
     * @param init initial network (both runs start from it)
     * @param bias whether the network has biases
     * @param precision the SIMD kernel's format
     * @param threads the SIMD kernel's threads
     * @param lr learning rate
     * @param steps steps of both runs
     * @param every parameters, outputs and masks are compared every this many steps (and at 0 and the end)
     */
    public record Config(Dataset data, Parameters init, boolean bias, Precision precision, int threads, double lr,
                         long steps, long every) {
        /** Checks the values. */
        public Config {
            if (!(lr > 0) || !Double.isFinite(lr)) {
                throw new IllegalArgumentException("lr must be finite and positive, got " + lr);
            }
            if (steps < 1 || every < 1 || threads < 1) {
                throw new IllegalArgumentException("steps, every and threads must be >= 1, got " + steps + ", " + every + ", " + threads);
            }
        }
    }

    /**
     * One comparison point; relative deviations are norm-wise ({@link Deviation#relative()}) with
     * the reference as A.
     *
     * @param step steps done
     * @param lossReference reference loss
     * @param lossSimd SIMD loss
     * @param loss |L_simd - L_ref| / L_ref
     * @param a deviation of a
     * @param w deviation of w
     * @param b deviation of b
     * @param output deviation of f on the training points
     * @param maskFlips (neuron, point) pairs on different sides of the ReLU kink in the two runs
     * @param flippedNeurons neurons with at least one flip
     */
    public record Row(long step, double lossReference, double lossSimd, double loss, Deviation a, Deviation w, Deviation b,
                      Deviation output, long maskFlips, int flippedNeurons) {
        /** @return the largest relative deviation of a, w and b */
        public double parameters() {
            return Math.max(a.relative(), Math.max(w.relative(), b.relative()));
        }
    }

    /**
     * The outcome.
     *
     * @param kernel the SIMD kernel that ran (e.g. "vector-512/float64")
     * @param rows comparison points
     * @param lossEveryStep |L_simd - L_ref| / L_ref after each step (index t-1 for step t)
     * @param seconds wall time of both runs
     */
    public record Result(String kernel, List<Row> rows, double[] lossEveryStep, double seconds) {
        /** @return max over rows of the parameter deviation */
        public double maxParameters() {
            return rows.stream().mapToDouble(Row::parameters).max().orElse(0);
        }

        /** @return max over rows of the output deviation */
        public double maxOutput() {
            return rows.stream().mapToDouble(r -> r.output().relative()).max().orElse(0);
        }

        /** @return max over every step of the relative loss deviation */
        public double maxLoss() {
            double max = 0;
            for (double v : lossEveryStep) {
                max = Math.max(max, v);
            }
            return max;
        }

        /** @return max over rows of the mask flips */
        public long maxMaskFlips() {
            return rows.stream().mapToLong(Row::maskFlips).max().orElse(0);
        }

        /** @return the last row */
        public Row last() {
            return rows.get(rows.size() - 1);
        }
    }

    /** Runs both trainings and compares them. */
    public static Result run(Config c) {
        long t0 = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        double[] lossEveryStep = new double[(int) c.steps()];
        String kernel;
        try (Trainer simd = Trainer.builder(c.data(), c.init()).precision(c.precision()).threads(c.threads())
                .bias(c.bias()).kernel(Kernel.AUTO).build();
             Trainer ref = Trainer.builder(c.data(), c.init()).precision(Precision.FLOAT64).threads(1)
                .bias(c.bias()).kernel(Kernel.REFERENCE).build()) {
            kernel = simd.kernel();
            rows.add(compare(c, simd, ref, 0, simd.loss(), ref.loss()));
            for (long t = 1; t <= c.steps(); t++) {
                double ls = simd.step(c.lr());
                double lr = ref.step(c.lr());
                lossEveryStep[(int) (t - 1)] = relative(ls, lr);
                if (t % c.every() == 0 || t == c.steps()) {
                    rows.add(compare(c, simd, ref, t, ls, lr));
                }
            }
        }
        return new Result(kernel, Collections.unmodifiableList(rows), lossEveryStep, (System.nanoTime() - t0) / 1e9);
    }

    private static double relative(double value, double reference) {
        return value == reference ? 0 : Math.abs(value - reference) / Math.abs(reference);
    }

    private static Row compare(Config c, Trainer simd, Trainer ref, long step, double lossSimd, double lossRef) {
        Parameters ps = simd.parameters();
        Parameters pr = ref.parameters();
        double[] x = c.data().inputs();
        int n = c.data().samples();
        double[] fs = new double[n];
        double[] fr = new double[n];
        simd.forward(x, fs);
        ref.forward(x, fr);
        int d = c.data().inputDim();
        int m = pr.width();
        double[] ws = ps.inputWeights();
        double[] wr = pr.inputWeights();
        double[] bs = ps.biases();
        double[] br = pr.biases();
        long flips = 0;
        int flipped = 0;
        for (int j = 0; j < m; j++) {
            long mine = 0;
            for (int i = 0; i < n; i++) {
                if ((Reference.preActivation(ws, bs, d, j, x, i) > 0) != (Reference.preActivation(wr, br, d, j, x, i) > 0)) {
                    mine++;
                }
            }
            flips += mine;
            flipped += mine > 0 ? 1 : 0;
        }
        return new Row(step, lossRef, lossSimd, relative(lossSimd, lossRef),
                Deviation.of(pr.outputWeights(), ps.outputWeights()), Deviation.of(wr, ws), Deviation.of(br, bs),
                Deviation.of(fr, fs), flips, flipped);
    }
}
