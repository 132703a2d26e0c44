// Proves: the in-kernel momentum and AdamW steps equal the host loop (gradient + formulas + applyUpdate) bitwise in float64 on every engine, lie within the propagated one-step bound of the reference formulas in both precisions on every path, give the same bits for every thread count, keep their state on a refused step, and refuse bad hyper-parameters by name.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.reference.Reference;
import io.reluquant.testkit.Fixtures;
import io.reluquant.testkit.OneStepBound;
import io.reluquant.testkit.OutputsStepBound;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How the fast paths are checked against the reference over several steps: every step starts from the
 * same state on both sides (the kernel's parameters and optimizer state, read out, are exact in
 * float64), the reference takes the step with {@link Reference#gradient} and the plain-loop formulas
 * ({@link Reference#momentumStep}, {@link Reference#adamWStep}), and the kernel takes its step. The
 * gradient's error is the existing one-step bound ({@link OneStepBound#gradientBounds}); it is carried
 * through the optimizer's formulas by first-order error propagation with every rounding counted
 * (gamma(k) of the kernel's and the reference's unit roundoff), and through the square root of AdamW by
 * |sqrt(x) - sqrt(y)| &lt;= sqrt(|x - y|). So the tolerance is the one-step bound's, extended one step at
 * a time from identical state, never accumulated across steps.
 */
@Tag("per-provider")
class OptimizerEquivalenceTest {
    private static final double LR = 0.05;
    private static final Optimizer MOMENTUM = Optimizer.momentum(0.9, 1e-2);
    private static final Optimizer ADAMW = Optimizer.adamW(0.9, 0.999, 1e-8, 1e-2);

    private static int[] batch(int step, int n, int size) {
        int[] idx = new int[size];
        for (int q = 0; q < size; q++) {
            idx[q] = (int) ((step * 7919L + q * 104729L) % n);
        }
        return idx;
    }

    private static double[][] zeros(int m, int d, int k) {
        return new double[][] {new double[m * k], new double[m * d], new double[m]};
    }

    /** The host's update of one parameter array (v, m, s: its state): dp, the part added to scale * p. */
    private static void hostUpdate(Optimizer o, double[] g, double[] v, double[] s, double[] dp, long t, double lr) {
        double c1 = 1 - Math.pow(o.beta1(), t);
        double c2 = 1 - Math.pow(o.beta2(), t);
        for (int i = 0; i < g.length; i++) {
            if (o.kind() == Optimizer.Kind.MOMENTUM) {
                v[i] = o.mu() * v[i] + g[i];
                dp[i] = -lr * v[i];
            } else {
                v[i] = o.beta1() * v[i] + (1 - o.beta1()) * g[i];
                s[i] = o.beta2() * s[i] + (1 - o.beta2()) * (g[i] * g[i]);
                dp[i] = -lr * ((v[i] / c1) / (Math.sqrt(s[i] / c2) + o.eps()));
            }
        }
    }

    private record Case(Kernel kernel, Path path, int k) {
        @Override
        public String toString() {
            return kernel + "/" + path + "/k=" + k;
        }
    }

    private static List<Case> float64Cases() {
        List<Case> out = new ArrayList<>();
        out.add(new Case(Kernel.REFERENCE, null, 1));
        out.add(new Case(Kernel.REFERENCE, null, 3));
        for (Kernel kernel : new Kernel[] {Kernel.AUTO, Kernel.SCALAR}) {
            out.add(new Case(kernel, Path.FUSED, 1));
            out.add(new Case(kernel, Path.MASKBIT, 1));
            out.add(new Case(kernel, null, 3));
        }
        return out;
    }

    /**
     * In float64 the kernel's optimizer is the host loop term for term: same gradient sums, the gradient
     * formed as the gradient output forms it, the formulas in the same order, the decay through
     * p = scale p + dp as applyUpdate computes it. So the bits agree on every engine, the reference
     * included, with and without bias (without: b stays 0 on both sides), on batches and full batches.
     */
    @Test
    void inKernelOptimizerEqualsTheHostLoopBitwiseInFloat64() {
        int n = 37;
        for (Case c : float64Cases()) {
            for (int d : c.path == Path.FUSED ? new int[] {1, 2, 5} : c.path == null ? new int[] {1, 2, 3} : new int[] {3}) {
                for (Optimizer o : new Optimizer[] {MOMENTUM, ADAMW}) {
                    for (boolean bias : new boolean[] {true, false}) {
                        int m = 70;
                        int k = c.k;
                        Dataset data = k == 1 ? Fixtures.data(n, d, 31) : Fixtures.data(n, d, k, 31);
                        Parameters init = k == 1 ? Fixtures.params(m, d, 32) : Fixtures.params(m, d, k, 32);
                        if (!bias) {
                            init = Parameters.of(init.outputWeights(), init.inputWeights(), new double[m], d, k);
                        }
                        String what = c + " d=" + d + " " + o + " bias " + bias;
                        Trainer.Builder kb = Trainer.builder(data, init).kernel(c.kernel).precision(Precision.FLOAT64)
                                .threads(3).bias(bias).optimizer(o);
                        Trainer.Builder hb = Trainer.builder(data, init).kernel(c.kernel).precision(Precision.FLOAT64)
                                .threads(2).bias(bias);
                        if (c.path != null) {
                            kb.path(c.path);
                            hb.path(c.path);
                        }
                        try (Trainer inKernel = kb.build(); Trainer host = hb.build()) {
                            double[][] g = zeros(m, d, k);
                            double[][] v = zeros(m, d, k);
                            double[][] s = zeros(m, d, k);
                            double[][] dp = zeros(m, d, k);
                            for (int step = 1; step <= 12; step++) {
                                boolean full = step % 4 == 0;
                                int[] idx = batch(step, n, 9);
                                if (full) {
                                    inKernel.step(LR);
                                    host.gradient(g[0], g[1], g[2]);
                                } else {
                                    inKernel.step(LR, idx);
                                    host.gradient(idx, g[0], g[1], g[2]);
                                }
                                for (int part = 0; part < 3; part++) {
                                    hostUpdate(o, g[part], v[part], s[part], dp[part], step, LR);
                                }
                                if (!bias) {
                                    java.util.Arrays.fill(dp[2], 0);
                                }
                                host.applyUpdate(1 - LR * o.weightDecay(), dp[0], dp[1], dp[2]);
                            }
                            Parameters want = host.parameters();
                            Parameters got = inKernel.parameters();
                            assertArrayEquals(want.outputWeights(), got.outputWeights(), 0.0, "a, " + what);
                            assertArrayEquals(want.inputWeights(), got.inputWeights(), 0.0, "w, " + what);
                            assertArrayEquals(want.biases(), got.biases(), 0.0, "b, " + what);
                            double[][] state = zeros(m, d, k);
                            inKernel.copyOptimizerState(0, state[0], state[1], state[2]);
                            assertArrayEquals(v[0], state[0], 0.0, "state of a, " + what);
                            assertArrayEquals(v[1], state[1], 0.0, "state of w, " + what);
                            if (bias) {
                                assertArrayEquals(v[2], state[2], 0.0, "state of b, " + what);
                            }
                        }
                    }
                }
            }
        }
    }

    /** One step's error bound from identical state: see the class comment. */
    private static final class StepBound {
        final double u;

        StepBound(double u) {
            this.u = u;
        }

        static double gamma(int k, double u) {
            return OneStepBound.gamma(k, u);
        }

        /**
         * Bounds of |kernel - reference| for the parameter and state after the step.
         *
         * @return {dp, dFirst, dSecond}
         */
        double[] of(Optimizer o, double p, double first, double second, double g, double dg, double lr, long t) {
            double u64 = OneStepBound.U64;
            double big = Math.abs(g) + dg;
            // the kernel forms g from its sums in its own format: 1/n, and two products, rounded
            double eg = dg + gamma(3, u) * big;
            big += gamma(3, u) * big;
            double scale = Math.abs(1 - lr * o.weightDecay());
            if (o.kind() == Optimizer.Kind.MOMENTUM) {
                double mv = Math.abs(o.mu() * first);
                double dv = eg + gamma(3, u) * (mv + big) + gamma(2, u64) * (mv + Math.abs(g));
                double vRef = Math.abs(o.mu() * first + g);
                double vMax = vRef + dv + gamma(2, u64) * (mv + Math.abs(g));
                double dpAt = lr * dv * (1 + gamma(2, u)) + (gamma(4, u) + gamma(4, u64)) * (scale * Math.abs(p) + lr * vMax);
                return new double[] {dpAt, dv, 0};
            }
            double b1 = o.beta1();
            double b2 = o.beta2();
            double c1 = 1 - Math.pow(b1, t);
            double c2 = 1 - Math.pow(b2, t);
            double gm = gamma(4, u) + gamma(4, u64);
            double dm = (1 - b1) * eg + gm * (b1 * Math.abs(first) + (1 - b1) * big);
            double mMax = Math.abs(b1 * first + (1 - b1) * g) + dm;
            double gv = gamma(5, u) + gamma(5, u64);
            double dv = (1 - b2) * (2 * big * eg + eg * eg) + gv * (b2 * Math.abs(second) + (1 - b2) * big * big);
            double vRef = b2 * second + (1 - b2) * g * g;
            double vMax = vRef + dv;
            // c1, c2: pow within an ulp of float64, then rounded to the kernel's format
            double gc = gamma(2, u) + gamma(3, u64);
            double numMax = mMax / c1 * (1 + gc);
            double dNum = dm / c1 + (gamma(2, u) + gamma(2, u64) + gc) * numMax;
            double e2 = dv / c2 + (gamma(2, u) + gamma(2, u64) + gc) * vMax / c2;
            double root = Math.sqrt(vMax / c2);
            double dDen = Math.sqrt(e2) + (gamma(2, u) + gamma(2, u64)) * (root + o.eps() + Math.sqrt(e2));
            double denLow = Math.max(o.eps() * (1 - gamma(2, u)), Math.sqrt(Math.max(0, vRef - dv) / c2) + o.eps() - dDen);
            denLow = Math.max(denLow, o.eps() * (1 - gamma(2, u)));
            double step = numMax / denLow;
            double dStep = dNum / denLow + numMax * dDen / (denLow * denLow) + (gamma(1, u) + gamma(1, u64)) * step;
            double dpAt = lr * dStep * (1 + gamma(2, u)) + (gamma(4, u) + gamma(4, u64)) * (scale * Math.abs(p) + lr * step);
            return new double[] {dpAt, dm, dv};
        }
    }

    /**
     * Every path, both precisions, vector and scalar, one and k outputs: each step, from the state both
     * sides share, within the bound (class comment); the worst share of the bound is printed.
     */
    @Test
    void fastPathsStayWithinTheBoundOfTheReferenceFormulas() {
        int n = 29;
        int m = 67;
        List<Case> cases = new ArrayList<>();
        for (Kernel kernel : new Kernel[] {Kernel.AUTO, Kernel.SCALAR}) {
            cases.add(new Case(kernel, Path.FUSED, 1));
            cases.add(new Case(kernel, Path.MASKBIT, 1));
            cases.add(new Case(kernel, null, 2));
        }
        for (Case c : cases) {
            for (Precision precision : Precision.values()) {
                for (Optimizer o : new Optimizer[] {MOMENTUM, ADAMW}) {
                    for (int d : c.path == Path.FUSED ? new int[] {2} : c.path == null ? new int[] {2, 5} : new int[] {5}) {
                        int k = c.k;
                        Dataset data = k == 1 ? Fixtures.data(n, d, 41) : Fixtures.data(n, d, k, 41);
                        Parameters init = k == 1 ? Fixtures.params(m, d, 42) : Fixtures.params(m, d, k, 42);
                        Trainer.Builder builder = Trainer.builder(data, init).kernel(c.kernel).precision(precision).threads(3)
                                .optimizer(o);
                        if (c.path != null) {
                            builder.path(c.path);
                        }
                        double u = OneStepBound.unitRoundoff(precision);
                        StepBound bound = new StepBound(u);
                        double worst = 0;
                        double maxDiff = 0;
                        try (Trainer t = builder.build()) {
                            double[][] p = zeros(m, d, k);
                            double[][] s1 = zeros(m, d, k);
                            double[][] s2 = zeros(m, d, k);
                            double[][] g = zeros(m, d, k);
                            double[][] after = zeros(m, d, k);
                            double[][] after1 = zeros(m, d, k);
                            double[][] after2 = zeros(m, d, k);
                            for (int step = 1; step <= 6; step++) {
                                int[] idx = batch(step, n, 11);
                                Dataset sub = data.subset(idx);
                                t.copyParameters(p[0], p[1], p[2]);
                                t.copyOptimizerState(0, s1[0], s1[1], s1[2]);
                                if (o.stateValues() > 1) {
                                    t.copyOptimizerState(1, s2[0], s2[1], s2[2]);
                                }
                                double[][] dg;
                                if (k == 1) {
                                    Reference.gradient(p[0], p[1], p[2], d, sub.inputs(), sub.targets(), Loss.SQUARE, g[0], g[1], g[2]);
                                    dg = OneStepBound.forTrainer(t, p[0], p[1], p[2], sub, u).gradientBounds();
                                } else {
                                    Reference.gradient(p[0], p[1], p[2], d, k, sub.inputs(), sub.targets(), Loss.SQUARE, g[0], g[1], g[2]);
                                    dg = new OutputsStepBound(p[0], p[1], p[2], sub.inputs(), sub.targets(), d, k, u, Loss.SQUARE)
                                            .gradientBounds();
                                }
                                t.step(LR, idx);
                                t.copyParameters(after[0], after[1], after[2]);
                                t.copyOptimizerState(0, after1[0], after1[1], after1[2]);
                                if (o.stateValues() > 1) {
                                    t.copyOptimizerState(1, after2[0], after2[1], after2[2]);
                                }
                                for (int part = 0; part < 3; part++) {
                                    double[] wantP = p[part].clone();
                                    double[] want1 = s1[part].clone();
                                    double[] want2 = s2[part].clone();
                                    if (o.kind() == Optimizer.Kind.MOMENTUM) {
                                        Reference.momentumStep(wantP, want1, g[part], LR, o.mu(), o.weightDecay());
                                    } else {
                                        Reference.adamWStep(wantP, want1, want2, g[part], LR, o.beta1(), o.beta2(), o.eps(),
                                                o.weightDecay(), step);
                                    }
                                    for (int i = 0; i < wantP.length; i++) {
                                        double[] b = bound.of(o, p[part][i], s1[part][i], s2[part][i], g[part][i], dg[part][i], LR, step);
                                        double[] got = {after[part][i], after1[part][i], after2[part][i]};
                                        double[] want = {wantP[i], want1[i], want2[i]};
                                        for (int q = 0; q < o.stateValues() + 1; q++) {
                                            double diff = Math.abs(got[q] - want[q]);
                                            maxDiff = Math.max(maxDiff, diff);
                                            double share = diff == 0 ? 0 : diff / b[q];
                                            worst = Math.max(worst, share);
                                            if (!(diff <= b[q])) {
                                                throw new AssertionError(t.kernel() + " " + c + " " + o + " step " + step + " part "
                                                        + part + " [" + i + "] value " + q + ": got " + got[q] + ", want " + want[q]
                                                        + ", |diff| " + diff + " > bound " + b[q]);
                                            }
                                        }
                                    }
                                }
                            }
                            System.out.printf("optimizer %s %s d=%d %s: max |kernel - reference| %.3g, worst share of the bound %.3g%n",
                                    t.kernel(), c, d, o, maxDiff, worst);
                        }
                    }
                }
            }
        }
    }

    /** The optimizer's results are the same bits for 1, 2, 3 and 5 threads (each parameter moves alone). */
    @Test
    void sameBitsForEveryThreadCount() {
        for (Path path : new Path[] {Path.FUSED, Path.MASKBIT}) {
            for (Precision precision : Precision.values()) {
                int d = path == Path.FUSED ? 1 : 6;
                Dataset data = Fixtures.data(300, d, 51);
                Parameters init = Fixtures.params(1100, d, 52);
                double[] first = null;
                for (int threads : new int[] {1, 2, 3, 5}) {
                    try (Trainer t = Trainer.builder(data, init).path(path).precision(precision).threads(threads)
                            .optimizer(ADAMW).build()) {
                        for (int step = 1; step <= 5; step++) {
                            t.step(LR, batch(step, 300, 64));
                        }
                        t.step(LR);
                        double[] got = concat(t.parameters());
                        if (first == null) {
                            first = got;
                        } else {
                            assertArrayEquals(first, got, 0.0, path + "/" + precision + " on " + threads + " threads");
                        }
                    }
                }
            }
        }
    }

    private static double[] concat(Parameters p) {
        double[] a = p.outputWeights();
        double[] w = p.inputWeights();
        double[] b = p.biases();
        double[] out = new double[a.length + w.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(w, 0, out, a.length, w.length);
        System.arraycopy(b, 0, out, a.length + w.length, b.length);
        return out;
    }

    /**
     * SGD through the optimizer API is the kernel's plain step bit for bit; a refused (non-finite) step
     * keeps the parameters and the state, so the next step goes on as if it had not been tried; reset
     * sets the state back to the start.
     */
    @Test
    void sgdIsThePlainStepAndARefusedStepKeepsTheState() {
        Dataset data = Fixtures.data(40, 3, 61);
        Parameters init = Fixtures.params(90, 3, 62);
        for (Precision precision : Precision.values()) {
            try (Trainer plain = Trainer.builder(data, init).precision(precision).threads(2).build();
                 Trainer sgd = Trainer.builder(data, init).precision(precision).threads(2).optimizer(Optimizer.sgd()).build()) {
                for (int step = 1; step <= 4; step++) {
                    plain.step(LR, batch(step, 40, 7));
                    sgd.step(LR, batch(step, 40, 7));
                }
                assertArrayEquals(concat(plain.parameters()), concat(sgd.parameters()), 0.0, "sgd() " + precision);
            }
            // float32: a rate of 1e200 rounds to infinity there, so the step is surely refused
            for (Optimizer o : precision == Precision.FLOAT32 ? new Optimizer[] {MOMENTUM, ADAMW} : new Optimizer[0]) {
                try (Trainer a = Trainer.builder(data, init).precision(precision).threads(2).optimizer(o).build();
                     Trainer b = Trainer.builder(data, init).precision(precision).threads(2).optimizer(o).build()) {
                    a.step(LR, batch(1, 40, 7));
                    b.step(LR, batch(1, 40, 7));
                    assertThrows(NonFiniteStepException.class, () -> a.step(1e200, batch(2, 40, 7)), "refused " + o);
                    a.step(LR, batch(3, 40, 7));
                    b.step(LR, batch(3, 40, 7));
                    assertArrayEquals(concat(b.parameters()), concat(a.parameters()), 0.0, "after a refused step, " + o);
                    // reset: the state of a fresh trainer at the same parameters
                    try (Trainer fresh = Trainer.builder(data, a.parameters()).precision(precision).threads(2).optimizer(o)
                            .build()) {
                        a.resetOptimizer();
                        a.step(LR, batch(4, 40, 7));
                        fresh.step(LR, batch(4, 40, 7));
                        assertArrayEquals(concat(fresh.parameters()), concat(a.parameters()), 0.0, "after reset, " + o);
                    }
                }
            }
        }
    }

    /** Bad hyper-parameters are refused naming the argument and its value. */
    @Test
    void badHyperParametersAreRefusedByName() {
        expect("mu must be in [0, 1), got 1.0", () -> Optimizer.momentum(1, 0));
        expect("mu must be in [0, 1), got -0.1", () -> Optimizer.momentum(-0.1, 0));
        expect("mu must be in [0, 1), got NaN", () -> Optimizer.momentum(Double.NaN, 0));
        expect("weightDecay must be finite and >= 0, got -1.0E-4", () -> Optimizer.momentum(0.9, -1e-4));
        expect("weightDecay must be finite and >= 0, got NaN", () -> Optimizer.adamW(0.9, 0.999, 1e-8, Double.NaN));
        expect("weightDecay must be finite and >= 0, got Infinity", () -> Optimizer.momentum(0.9, Double.POSITIVE_INFINITY));
        expect("beta1 must be in [0, 1), got 1.0", () -> Optimizer.adamW(1, 0.999, 1e-8, 0));
        expect("beta2 must be in [0, 1), got NaN", () -> Optimizer.adamW(0.9, Double.NaN, 1e-8, 0));
        expect("eps must be finite and > 0, got 0.0", () -> Optimizer.adamW(0.9, 0.999, 0, 0));
        expect("eps must be finite and > 0, got -1.0E-8", () -> Optimizer.adamW(0.9, 0.999, -1e-8, 0));
        expect("eps must be finite and > 0, got NaN", () -> Optimizer.adamW(0.9, 0.999, Double.NaN, 0));
        assertThrows(NullPointerException.class, () -> Trainer.builder(Fixtures.data(5, 1, 1), Fixtures.params(3, 1, 2))
                .optimizer(null));
        try (Trainer t = Trainer.builder(Fixtures.data(5, 1, 1), Fixtures.params(3, 1, 2)).optimizer(MOMENTUM).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.copyOptimizerState(1, new double[3], new double[3], new double[3]));
            assertTrue(e.getMessage().contains("moment = 1"), e.getMessage());
        }
        // the state is counted in the bytes the builder checks
        long plain = Trainer.bytesNeeded(1000, 10, 1, 4096, Precision.FLOAT32, 1);
        assertEquals(plain, Trainer.bytesNeeded(1000, 10, 1, 4096, Precision.FLOAT32, 1, Optimizer.sgd()));
        assertEquals(plain + 2L * 4 * 4096 * (1 + 12 + 1),
                Trainer.bytesNeeded(1000, 10, 1, 4096, Precision.FLOAT32, 1, MOMENTUM));
        assertEquals(plain + 2L * 2 * 4 * 4096 * (1 + 12 + 1),
                Trainer.bytesNeeded(1000, 10, 1, 4096, Precision.FLOAT32, 1, ADAMW));
    }

    private static void expect(String message, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run, message);
        assertEquals(message, e.getMessage());
    }
}
