// Proves: parameters go in and out of a live trainer exactly as a rebuild would put them, a caller's optimizer loop equals the reference bitwise in float64, predictors give the trainer's bits from any number of threads, networks save and load, and the vector requirement fails loudly.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.reference.Reference;
import io.reluquant.kernel.vectorization.KernelProvider;
import io.reluquant.testkit.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("per-provider") // every provider run: each vector width, forced scalar, and without the vector module
class EmbeddingApiTest {
    /** Momentum SGD with decoupled weight decay, written the way a trainer author would. */
    private static final double LR = 0.05;
    private static final double MOMENTUM = 0.9;
    private static final double DECAY = 1e-3;

    /** dp = -lr (v + decay p), v = momentum v + g: the caller's update, the same code for every loop. */
    private static void momentumUpdate(double[] p, double[] g, double[] v, double[] dp) {
        for (int i = 0; i < p.length; i++) {
            v[i] = MOMENTUM * v[i] + g[i];
            dp[i] = -LR * (v[i] + DECAY * p[i]);
        }
    }

    /** dp = -lr v, v = momentum v + g: the update whose decay the trainer applies through its scale. */
    private static void velocityUpdate(double[] g, double[] v, double[] dp) {
        for (int i = 0; i < g.length; i++) {
            v[i] = MOMENTUM * v[i] + g[i];
            dp[i] = -LR * v[i];
        }
    }

    private static int[] batch(int step, int n, int size) {
        int[] idx = new int[size];
        for (int q = 0; q < size; q++) {
            idx[q] = (int) ((step * 7919L + q * 104729L) % n);
        }
        return idx;
    }

    /** A trainer whose parameters are set continues bit for bit as one built from those parameters. */
    @Test
    void setParametersContinuesAsARebuiltTrainer() {
        for (int d : new int[] {1, 2, 5}) {
            Dataset data = Fixtures.data(37, d, 1);
            Parameters first = Fixtures.params(300, d, 2);
            Parameters second = Fixtures.params(300, d, 3);
            float[] af = toFloats(second.outputWeights());
            float[] wf = toFloats(second.inputWeights());
            float[] bf = toFloats(second.biases());
            for (Kernels.Variant v : Kernels.variants()) {
                double[][] want;
                try (Trainer t = v.build(data, second, true)) {
                    want = run(t);
                }
                try (Trainer t = v.build(data, first, true)) {
                    t.steps(0.01, 3, 1, null);
                    t.step(0.01, new int[] {1, 2, 3});
                    t.setParameters(second.outputWeights(), second.inputWeights(), second.biases());
                    assertParametersEqual(want, run(t), v + " d=" + d + " double[]");
                    t.setParameters(af, wf, bf); // Fixtures' parameters are float32 values: the same numbers
                    assertParametersEqual(want, run(t), v + " d=" + d + " float[]");
                    t.setParameters(second);
                    assertParametersEqual(want, run(t), v + " d=" + d + " Parameters");
                }
            }
        }
    }

    /** Five full-batch steps, a batch step and a gradient, returned with the losses. */
    private static double[][] run(Trainer t) {
        double loss = t.loss();
        double last = t.steps(0.02, 5, 1, null);
        double batchLoss = t.step(0.02, new int[] {0, 4, 4, 9});
        double[] ga = new double[t.width()];
        double[] gw = new double[t.width() * t.inputDim()];
        double[] gb = new double[t.width()];
        double gradLoss = t.gradient(ga, gw, gb);
        Parameters p = t.parameters();
        return new double[][] {p.outputWeights(), p.inputWeights(), p.biases(), ga, gw, gb,
                {loss, last, batchLoss, gradLoss}};
    }

    private static void assertParametersEqual(double[][] want, double[][] got, String what) {
        for (int k = 0; k < want.length; k++) {
            assertArrayEquals(want[k], got[k], 0.0, what + " array " + k);
        }
    }

    /**
     * The caller's optimizer through gradient + applyUpdate on Kernel.REFERENCE equals the same loop on
     * plain arrays and Reference.gradient, bitwise (float64, both with and without bias).
     */
    @Test
    void momentumWithWeightDecayEqualsTheReferenceLoopBitwise() {
        int n = 40;
        int d = 3;
        int m = 50;
        Dataset data = Fixtures.data(n, d, 21);
        Parameters init = Fixtures.params(m, d, 22);
        for (boolean bias : new boolean[] {true, false}) {
            Parameters start = bias ? init : Parameters.of(init.outputWeights(), init.inputWeights(), new double[m], d);
            double[] a = start.outputWeights();
            double[] w = start.inputWeights();
            double[] b = start.biases();
            double[][] velocity = {new double[m], new double[m * d], new double[m]};
            double[][] grad = {new double[m], new double[m * d], new double[m]};
            double[][] delta = {new double[m], new double[m * d], new double[m]};
            try (Trainer t = Trainer.builder(data, start).kernel(Kernel.REFERENCE).precision(Precision.FLOAT64)
                    .bias(bias).build()) {
                double[][] tv = {new double[m], new double[m * d], new double[m]};
                double[][] tg = {new double[m], new double[m * d], new double[m]};
                double[][] tp = {new double[m], new double[m * d], new double[m]};
                double[][] td = {new double[m], new double[m * d], new double[m]};
                for (int step = 0; step < 30; step++) {
                    int[] idx = batch(step, n, 8);
                    Dataset sub = data.subset(idx);
                    // the reference loop
                    Reference.gradient(a, w, b, d, sub.inputs(), sub.targets(), Loss.SQUARE, grad[0], grad[1], grad[2]);
                    // with bias: the caller computes the decay from the parameters (p += dp); without:
                    // decoupled decay through the scale (p = (1 - lr decay) p + dp, nothing read out)
                    double scale = 1 - LR * DECAY;
                    double[][] p = {a, w, b};
                    for (int k = 0; k < 3; k++) {
                        if (bias) {
                            momentumUpdate(p[k], grad[k], velocity[k], delta[k]);
                        } else {
                            velocityUpdate(grad[k], velocity[k], delta[k]);
                        }
                        if (k == 2 && !bias) {
                            java.util.Arrays.fill(delta[2], 0);
                        }
                        for (int i = 0; i < p[k].length; i++) {
                            p[k][i] = bias ? p[k][i] + delta[k][i] : scale * p[k][i] + delta[k][i];
                        }
                    }
                    // the same loop through the trainer, in place
                    t.gradient(idx, tg[0], tg[1], tg[2]);
                    if (bias) {
                        t.copyParameters(tp[0], tp[1], tp[2]);
                        for (int k = 0; k < 3; k++) {
                            momentumUpdate(tp[k], tg[k], tv[k], td[k]);
                        }
                        t.applyUpdate(td[0], td[1], td[2]);
                    } else {
                        for (int k = 0; k < 3; k++) {
                            velocityUpdate(tg[k], tv[k], td[k]);
                        }
                        java.util.Arrays.fill(td[2], 0);
                        t.applyUpdate(scale, td[0], td[1], td[2]);
                    }
                }
                Parameters got = t.parameters();
                assertArrayEquals(a, got.outputWeights(), 0.0, "a, bias " + bias);
                assertArrayEquals(w, got.inputWeights(), 0.0, "w, bias " + bias);
                assertArrayEquals(b, got.biases(), 0.0, "b, bias " + bias);
                assertTrue(t.loss() < Reference.loss(start.outputWeights(), start.inputWeights(), start.biases(), d,
                        data.inputs(), data.targets()), "the loop trains, bias " + bias);
            }
        }
    }

    /**
     * On every kernel, the in-place loop equals bitwise the workaround it replaces (a new trainer per
     * step from the updated parameters), so applyUpdate rounds exactly as the builder does.
     */
    @Test
    void inPlaceOptimizerLoopEqualsRebuildingEveryStep() {
        int n = 30;
        for (int d : new int[] {1, 4}) {
            int m = 200;
            Dataset data = Fixtures.data(n, d, 31);
            Parameters init = Fixtures.params(m, d, 32);
            for (Kernels.Variant v : Kernels.variants()) {
                double[][] inPlace;
                try (Trainer t = v.build(data, init, true)) {
                    inPlace = optimize(t, null, data, v);
                }
                double[][] rebuilt = optimize(null, init, data, v);
                assertParametersEqual(rebuilt, inPlace, v + " d=" + d);
            }
        }
    }

    /** Ten momentum steps: in place on {@code live}, or (live null) rebuilding a trainer from {@code init} every step. */
    private static double[][] optimize(Trainer live, Parameters init, Dataset data, Kernels.Variant v) {
        int m = live != null ? live.width() : init.width();
        int d = data.inputDim();
        double[][] p = {new double[m], new double[m * d], new double[m]};
        double[][] g = {new double[m], new double[m * d], new double[m]};
        double[][] vel = {new double[m], new double[m * d], new double[m]};
        double[][] dp = {new double[m], new double[m * d], new double[m]};
        Parameters current = init;
        for (int step = 0; step < 10; step++) {
            int[] idx = batch(step, data.samples(), 6);
            Trainer t = live != null ? live : v.build(data, current, true);
            try {
                t.copyParameters(p[0], p[1], p[2]);
                t.gradient(idx, g[0], g[1], g[2]);
                for (int k = 0; k < 3; k++) {
                    momentumUpdate(p[k], g[k], vel[k], dp[k]);
                }
                double scale = step % 2 == 0 ? 1 : 1 - LR * DECAY; // both forms of the update
                if (live != null) {
                    if (step % 2 == 0) {
                        live.applyUpdate(dp[0], dp[1], dp[2]);
                    } else {
                        live.applyUpdate(scale, dp[0], dp[1], dp[2]);
                    }
                } else {
                    for (int k = 0; k < 3; k++) {
                        for (int i = 0; i < p[k].length; i++) {
                            p[k][i] = scale * p[k][i] + dp[k][i];
                        }
                    }
                    current = Parameters.of(p[0], p[1], p[2], d);
                }
            } finally {
                if (live == null) {
                    t.close();
                }
            }
        }
        if (live != null) {
            live.copyParameters(p[0], p[1], p[2]);
        } else {
            try (Trainer t = v.build(data, current, true)) {
                t.copyParameters(p[0], p[1], p[2]); // rounded to the kernel's precision as the live one is
            }
        }
        return p;
    }

    /**
     * A listener may call back into the trainer between the steps of steps(...): weight decay applied
     * by the listener after every step equals the same decay applied after single step() calls.
     */
    @Test
    void aListenerMayUpdateTheParametersBetweenSteps() {
        int m = 256;
        int d = 2;
        Dataset data = Fixtures.data(25, d, 91);
        Parameters init = Fixtures.params(m, d, 92);
        double[] pa = new double[m];
        double[] pw = new double[m * d];
        double[] pb = new double[m];
        double[] da = new double[m];
        double[] dw = new double[m * d];
        double[] db = new double[m];
        Runnable[] decay = new Runnable[1];
        double[][] want;
        try (Trainer t = Trainer.builder(data, init).threads(2).build()) {
            decay[0] = () -> {
                t.copyParameters(pa, pw, pb);
                scale(pa, da);
                scale(pw, dw);
                scale(pb, db);
                t.applyUpdate(da, dw, db);
            };
            for (int k = 0; k < 12; k++) {
                t.step(0.05);
                decay[0].run();
            }
            Parameters p = t.parameters();
            want = new double[][] {p.outputWeights(), p.inputWeights(), p.biases(), {t.loss()}};
        }
        try (Trainer t = Trainer.builder(data, init).threads(2).build()) {
            long[] calls = {0};
            t.steps(0.05, 12, 1, (step, loss) -> {
                t.copyParameters(pa, pw, pb);
                scale(pa, da);
                scale(pw, dw);
                scale(pb, db);
                t.applyUpdate(da, dw, db);
                calls[0]++;
                return true;
            });
            assertEquals(12, calls[0]);
            Parameters p = t.parameters();
            assertParametersEqual(want, new double[][] {p.outputWeights(), p.inputWeights(), p.biases(), {t.loss()}},
                    "decay in the listener");
        }
    }

    /** dp = -lr * decay * p. */
    private static void scale(double[] p, double[] dp) {
        for (int i = 0; i < p.length; i++) {
            dp[i] = -LR * 0.1 * p[i];
        }
    }

    /**
     * copyParameters, applyUpdate (both forms) and setParameters allocate nothing once warm, on every
     * path and precision (their own trainers, apart from AllocationTest, whose warm-up mix of the
     * vector steps is tuned to C2's compile order).
     */
    @Test
    @org.junit.jupiter.api.Tag("inplace-allocation")
    void inPlaceParameterCallsAllocateNothing() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (io.reluquant.kernel.Path path : new io.reluquant.kernel.Path[] {io.reluquant.kernel.Path.FUSED, io.reluquant.kernel.Path.MASKBIT}) {
            for (Precision precision : Precision.values()) {
                int m = 700;
                int d = 3;
                try (Trainer t = Trainer.builder(Fixtures.data(20, d, 95), Fixtures.params(m, d, 96)).path(path)
                        .precision(precision).threads(1).build()) {
                    double[] pa = new double[m];
                    double[] pw = new double[m * d];
                    double[] pb = new double[m];
                    double[] da = new double[m];
                    double[] dw = new double[m * d];
                    double[] db = new double[m];
                    java.util.Arrays.fill(da, 1e-12);
                    Runnable calls = () -> {
                        t.copyParameters(pa, pw, pb);
                        t.applyUpdate(da, dw, db);
                        t.applyUpdate(1 - 1e-9, da, dw, db);
                        t.setParameters(pa, pw, pb);
                    };
                    long overhead = Long.MAX_VALUE; // what reading the counter allocates (least of a few reads)
                    for (int k = 0; k < 5; k++) {
                        long first = threadAllocated(mx);
                        overhead = Math.min(overhead, threadAllocated(mx) - first);
                    }
                    long least = Long.MAX_VALUE;
                    for (int round = 0; round < 20 && least != 0; round++) {
                        for (int k = 0; k < 2000; k++) {
                            calls.run();
                        }
                        long before = threadAllocated(mx);
                        for (int k = 0; k < 200; k++) {
                            calls.run();
                        }
                        least = Math.min(least, threadAllocated(mx) - before - overhead);
                    }
                    assertEquals(0, least, path + "/" + precision + ": bytes in 200 rounds of the in-place calls");
                }
            }
        }
    }

    private static long threadAllocated(java.lang.management.ThreadMXBean mx) {
        try {
            return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class)
                    .invoke(mx, Thread.currentThread().getId());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this test needs HotSpot's com.sun.management.ThreadMXBean", e);
        }
    }

    /** Bad parameters or updates are refused with the argument named, and change nothing. */
    @Test
    void badParametersAndUpdatesChangeNothing() {
        int m = 100;
        int d = 2;
        Dataset data = Fixtures.data(20, d, 41);
        Parameters p = Fixtures.params(m, d, 42);
        Parameters noBias = Parameters.of(p.outputWeights(), p.inputWeights(), new double[m], d);
        for (Precision precision : Precision.values()) {
            try (Trainer t = Trainer.builder(data, noBias).precision(precision).threads(2).bias(false).build()) {
                Parameters before = t.parameters();
                double[] zeros = new double[m];
                double[] zw = new double[m * d];
                double[] nan = new double[m];
                nan[17] = Double.NaN;
                double[] oneB = new double[m];
                oneB[5] = 0.25;
                expect(IllegalArgumentException.class, "a has length 99", () -> t.setParameters(new double[m - 1], zw, zeros));
                expect(IllegalArgumentException.class, "a[17]", () -> t.setParameters(nan, zw, zeros));
                expect(IllegalArgumentException.class, "b[5] = 0.25 but bias is off", () -> t.setParameters(zeros, zw, oneB));
                expect(IllegalArgumentException.class, "db[5] = 0.25 but bias is off", () -> t.applyUpdate(zeros, zw, oneB));
                expect(IllegalArgumentException.class, "da[17]", () -> t.applyUpdate(nan, zw, zeros));
                expect(NullPointerException.class, "dw", () -> t.applyUpdate(zeros, null, zeros));
                expect(IllegalArgumentException.class, "scale must be finite, got NaN", () -> t.applyUpdate(Double.NaN, zeros, zw, zeros));
                expect(IllegalArgumentException.class, "width 3", () -> t.setParameters(Fixtures.params(3, d, 1)));
                // a finite update whose sum is not finite in the trainer's precision, on the last weight (after all others)
                int last = m * d - 1;
                double[] dw = new double[m * d];
                double[] da = new double[m];
                java.util.Arrays.fill(da, 0.5);
                if (precision == Precision.FLOAT32) {
                    dw[last] = 1e39; // finite in float64, infinite once rounded to float32
                } else {
                    t.setParameters(before.outputWeights(), replace(before.inputWeights(), last, Double.MAX_VALUE), zeros);
                    before = t.parameters();
                    dw[last] = Double.MAX_VALUE;
                }
                expect(IllegalArgumentException.class, "dw[" + last + "] = " + dw[last] + " would make w[" + last + "]",
                        () -> t.applyUpdate(da, dw, zeros));
                Parameters after = t.parameters();
                assertArrayEquals(before.outputWeights(), after.outputWeights(), 0.0, precision + " a");
                assertArrayEquals(before.inputWeights(), after.inputWeights(), 0.0, precision + " w");
                assertArrayEquals(before.biases(), after.biases(), 0.0, precision + " b");
            }
        }
    }

    private static double[] replace(double[] v, int at, double value) {
        double[] out = v.clone();
        out[at] = value;
        return out;
    }

    private static void expect(Class<? extends Throwable> type, String inMessage, Runnable call) {
        Throwable e = assertThrows(type, call::run);
        assertTrue(e.getMessage().contains(inMessage), "message '" + e.getMessage() + "' names '" + inMessage + "'");
    }

    /** trainer.predictor() and Predictor.of give the bits of trainer.forward, for double and float inputs. */
    @Test
    void predictorGivesTheTrainersBits() {
        int q = 203; // more than one block of rows in both paths
        for (int d : new int[] {1, 2, 3, 17}) {
            Dataset data = Fixtures.data(50, d, 51);
            Parameters p = Fixtures.params(1100, d, 52);
            double[] x = Fixtures.data(q, d, 53).inputs();
            float[] xf = toFloats(x); // Fixtures' inputs are float32 values
            List<Kernels.Variant> variants = new ArrayList<>(Kernels.variants());
            variants.add(new Kernels.Variant(Kernel.REFERENCE, null, Precision.FLOAT64, 1));
            for (Kernels.Variant v : variants) {
                double[] want = new double[q];
                Predictor fromTrainer;
                try (Trainer t = v.build(data, p, true)) {
                    t.forward(x, want);
                    fromTrainer = t.predictor();
                    assertEquals(t.kernel(), fromTrainer.kernel(), v + " kernel name");
                }
                double[] got = new double[q];
                fromTrainer.predict(x, got); // after close: a predictor outlives its trainer
                assertArrayEquals(want, got, 0.0, v + " d=" + d + " trainer.predictor()");
                fromTrainer.predict(xf, got);
                assertArrayEquals(want, got, 0.0, v + " d=" + d + " float inputs");
                float[] gotF = new float[q];
                fromTrainer.predict(xf, gotF);
                for (int i = 0; i < q; i++) {
                    assertEquals((float) want[i], gotF[i], v + " float output " + i);
                }
                assertEquals(want[7], fromTrainer.predict(java.util.Arrays.copyOfRange(x, 7 * d, 8 * d)), 0.0, v + " one input");
                boolean autoPath = v.path() == KernelProvider.path(d);
                if (v.kernel() == Kernel.AUTO && autoPath) {
                    Predictor standalone = Predictor.of(p, v.precision());
                    standalone.predict(x, got);
                    assertArrayEquals(want, got, 0.0, v + " d=" + d + " Predictor.of");
                }
            }
        }
    }

    /** Four threads share one predictor while a trainer trains in a fifth: every answer is the one-thread answer. */
    @Test
    void predictorServesManyThreadsAtOnce() throws Exception {
        int d = 3;
        Dataset data = Fixtures.data(200, d, 61);
        Parameters p = Fixtures.params(2000, d, 62);
        double[] x = Fixtures.data(64, d, 63).inputs();
        try (Trainer t = Trainer.builder(data, p).threads(2).build()) {
            Predictor predictor = t.predictor();
            double[] want = new double[64];
            predictor.predict(x, want);
            ExecutorService pool = Executors.newFixedThreadPool(5);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> served = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    int offset = k;
                    served.add(pool.submit(() -> {
                        go.await();
                        double[] out = new double[64];
                        for (int call = 0; call < 200; call++) {
                            int i = (call + offset) % 64;
                            double one = predictor.predict(java.util.Arrays.copyOfRange(x, i * d, i * d + d));
                            assertEquals(want[i], one, 0.0, "thread " + offset + " call " + call);
                            if (call % 20 == 0) {
                                predictor.predict(x, out);
                                assertArrayEquals(want, out, 0.0, "thread " + offset + " batch " + call);
                            }
                        }
                        return 200;
                    }));
                }
                Future<Double> training = pool.submit(() -> {
                    go.await();
                    return t.steps(0.01, 50, 10, null);
                });
                go.countDown();
                int calls = 0;
                for (Future<Integer> f : served) {
                    calls += f.get();
                }
                assertEquals(800, calls);
                assertTrue(Double.isFinite(training.get()), "training in another thread went on");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void predictorRejectsBadInputs() {
        Predictor p = Predictor.of(Fixtures.params(10, 3, 1));
        expect(IllegalArgumentException.class, "x has length 4, expected 3", () -> p.predict(new double[4]));
        expect(IllegalArgumentException.class, "x[1]", () -> p.predict(new float[] {0, Float.NaN, 0}));
        expect(NullPointerException.class, "out", () -> p.predict(new double[3], (double[]) null));
        expect(NullPointerException.class, "parameters", () -> Predictor.of(null));
    }

    /** What NetworkFiles writes it reads back bit for bit, keeping the storage and the bias flag. */
    @Test
    void networkFilesRoundTrip(@TempDir Path dir) throws IOException {
        Parameters p64 = Fixtures.params(130, 3, 71);
        Parameters p32 = Parameters.of(toFloats(p64.outputWeights()), toFloats(p64.inputWeights()), new float[130], 3);
        Path f64 = dir.resolve("net64.npz");
        Path f32 = dir.resolve("net32.npz");
        NetworkFiles.write(f64, p64);
        NetworkFiles.write(f32, p32, false);
        NetworkFiles.Network n64 = NetworkFiles.readNetwork(f64);
        NetworkFiles.Network n32 = NetworkFiles.readNetwork(f32);
        assertTrue(n64.bias());
        assertEquals(false, n32.bias());
        assertEquals(Precision.FLOAT64, n64.parameters().storage());
        assertEquals(Precision.FLOAT32, n32.parameters().storage());
        assertSame(p64, n64.parameters());
        assertSame(p32, n32.parameters());
        NetworkFiles.write(f64, p32); // replaces the file
        assertSame(p32, NetworkFiles.read(f64));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
        expect(IllegalArgumentException.class, "bias is false", () -> {
            try {
                NetworkFiles.write(f64, p64, false);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertSame(p32, NetworkFiles.read(f64)); // a refused write leaves the file
    }

    /** Files as numpy writes them: extra arrays skipped, w (m) for d = 1, b absent, Fortran order, big-endian, deflated. */
    @Test
    void networkFilesReadWhatNumpyWrites() throws IOException {
        double[] a = {0.5, -1.25, 2};
        double[] w2 = {1, 2, 3, 4, 5, 6}; // (3, 2) row-major
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            member(zip, "loss", npy("<f8", "(2,)", le(new double[] {1, 2})), true);
            member(zip, "a", npy(">f8", "(3,)", be(a)), true);
            // Fortran order: column-major bytes of the (3, 2) matrix
            member(zip, "w", npy("<f8", "(3, 2)", true, le(new double[] {1, 3, 5, 2, 4, 6})), false);
            member(zip, "kernel", npy("<U6", "()", new byte[24]), false);
        }
        Parameters p = NetworkFiles.readNetwork(new ByteArrayInputStream(bytes.toByteArray()), "mem").parameters();
        assertArrayEquals(a, p.outputWeights(), 0.0);
        assertArrayEquals(w2, p.inputWeights(), 0.0);
        assertArrayEquals(new double[3], p.biases(), 0.0);
        bytes.reset();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            member(zip, "a", npy("<f4", "(3,)", le(new float[] {1, 2, 3})), false);
            member(zip, "w", npy("<f4", "(3,)", le(new float[] {4, 5, 6})), false);
            member(zip, "b", npy("<f4", "(3,)", le(new float[] {0, 0, 1})), false);
        }
        p = NetworkFiles.readNetwork(new ByteArrayInputStream(bytes.toByteArray()), "mem").parameters();
        assertEquals(1, p.inputDim());
        assertEquals(Precision.FLOAT32, p.storage());
        assertEquals(6, p.w(2, 0), 0.0);
        assertEquals(1, p.b(2), 0.0);
        // what is not a network file is named with the reason
        bytes.reset();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            member(zip, "a", npy("<i8", "(3,)", new byte[24]), false);
            member(zip, "w", npy("<f4", "(3,)", le(new float[] {4, 5, 6})), false);
        }
        IOException e = assertThrows(IOException.class,
                () -> NetworkFiles.readNetwork(new ByteArrayInputStream(bytes.toByteArray()), "ints.npz"));
        assertTrue(e.getMessage().contains("ints.npz: 'a.npy' must be a float32 or float64 array, got dtype '<i8'"), e.getMessage());
        e = assertThrows(IOException.class,
                () -> NetworkFiles.readNetwork(new ByteArrayInputStream(new byte[] {1, 2, 3}), "junk.npz"));
        assertTrue(e.getMessage().startsWith("junk.npz: "), e.getMessage());
        byte[] good = bytes.toByteArray();
        e = assertThrows(IOException.class, () -> NetworkFiles.readNetwork(
                new ByteArrayInputStream(java.util.Arrays.copyOf(good, good.length / 2)), "cut.npz"));
        assertTrue(e.getMessage().startsWith("cut.npz"), e.getMessage());
    }

    /** requireVectorKernel() passes where the Vector API kernel runs and fails loudly, naming the flag, where not. */
    @Test
    void requireVectorKernelFailsLoudlyWithoutTheVectorModule() {
        Dataset data = Fixtures.data(10, 1, 81);
        Parameters p = Fixtures.params(64, 1, 82);
        assertEquals(KernelProvider.vectorBits() > 0, VectorSupport.available());
        assertEquals(KernelProvider.vectorBits(), VectorSupport.bits());
        assertTrue(VectorSupport.status().startsWith("reluquant: "), VectorSupport.status());
        if (VectorSupport.available()) {
            VectorSupport.require();
            try (Trainer t = Trainer.builder(data, p).threads(1).requireVectorKernel().build()) {
                assertTrue(t.kernel().contains("vector-" + VectorSupport.bits()), t.kernel());
            }
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Trainer.builder(data, p).threads(1).requireVectorKernel().build());
            for (String said : new String[] {"--add-modules jdk.incubator.vector", "JDK_JAVA_OPTIONS", "argLine",
                    "MAVEN_OPTS", "scalar kernel"}) {
                assertTrue(e.getMessage().contains(said), "'" + e.getMessage() + "' says " + said);
            }
            assertThrows(IllegalStateException.class, VectorSupport::require);
        }
        expect(IllegalArgumentException.class, "needs kernel AUTO, got SCALAR",
                () -> Trainer.builder(data, p).kernel(Kernel.SCALAR).requireVectorKernel().build());
    }

    private static void assertSame(Parameters want, Parameters got) {
        assertEquals(want.storage(), got.storage());
        assertEquals(want.inputDim(), got.inputDim());
        assertArrayEquals(want.outputWeights(), got.outputWeights(), 0.0);
        assertArrayEquals(want.inputWeights(), got.inputWeights(), 0.0);
        assertArrayEquals(want.biases(), got.biases(), 0.0);
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
            assertEquals(v[i], out[i], 0.0, "fixture value " + i + " is a float32 value");
        }
        return out;
    }

    private static void member(ZipOutputStream zip, String name, byte[] npy, boolean deflated) throws IOException {
        ZipEntry e = new ZipEntry(name + ".npy");
        if (!deflated) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(npy);
            e.setMethod(ZipEntry.STORED);
            e.setSize(npy.length);
            e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(npy);
        zip.closeEntry();
    }

    private static byte[] npy(String descr, String shape, byte[] data) {
        return npy(descr, shape, false, data);
    }

    private static byte[] npy(String descr, String shape, boolean fortran, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }\n";
        byte[] h = dict.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(data);
        return out.array();
    }

    private static byte[] le(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return b.array();
    }

    private static byte[] be(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.BIG_ENDIAN);
        b.asDoubleBuffer().put(v);
        return b.array();
    }

    private static byte[] le(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }
}
