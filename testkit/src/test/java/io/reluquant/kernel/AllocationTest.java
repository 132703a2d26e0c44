// Proves: after warm-up a step, batch step, gradient and forward pass allocate nothing, on the caller and every worker, on both paths and precisions, with one output and with k outputs.
package io.reluquant.kernel;

import io.reluquant.testkit.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * After set-up and warm-up (the Vector API allocates until C2 has compiled the hot loops), a step, a
 * batch step, a gradient and a forward pass allocate nothing, on the caller's thread and on every
 * worker of the team, on both paths and in both precisions. (Three allocation regressions of 38 MB,
 * 300 MB and 500 kB per step were found by the bench before this guard existed.)
 */
class AllocationTest {
    static final int WARMUP = 1000;
    static final int MAX_WARMUP_ROUNDS = 30;
    static final int MEASURED = 200;

    @ParameterizedTest(name = "d={0} {1} {2} threads={3}")
    @CsvSource({"1, FLOAT32, FUSED, 1", "1, FLOAT64, FUSED, 2", "1, FLOAT32, MASKBIT, 2", "1, FLOAT64, MASKBIT, 1",
            "2, FLOAT32, FUSED, 2", "2, FLOAT64, FUSED, 1", "8, FLOAT32, MASKBIT, 1", "8, FLOAT64, MASKBIT, 2",
            "8, FLOAT32, FUSED, 2", "8, FLOAT64, FUSED, 1", "100, FLOAT32, MASKBIT, 2", "100, FLOAT64, MASKBIT, 1"})
    void warmStepsAllocateNothing(int d, Precision precision, Path path,
                                  int teamSize) {
        int n = 61;
        int m = d >= 100 ? 130 : 1000;
        Dataset data = Fixtures.data(n, d, 3);
        double[] x = Fixtures.data(20, d, 4).inputs();
        double[] out = new double[20];
        int[] batch = {3, 1, 4, 1, 5, 9, 2, 6};
        double[] ga = new double[m];
        double[] gw = new double[m * d];
        double[] gb = new double[m];
        try (Trainer t = Trainer.builder(data, Fixtures.params(m, d, 5)).precision(precision).path(path).threads(teamSize).build()) {
            java.util.Map<String, Runnable> ops = new java.util.LinkedHashMap<>();
            ops.put("step", () -> t.step(1e-4));
            ops.put("batch step", () -> t.step(1e-4, batch));
            ops.put("gradient", () -> t.gradient(ga, gw, gb));
            ops.put("forward", () -> t.forward(x, out));
            assertNoAllocation(t, ops, "d=" + d);
        }
    }

    @ParameterizedTest(name = "k={0} d={1} {2} {3} relu(z) {4} threads={5}")
    @CsvSource({"17, 8, FLOAT32, SQUARE, store, 1", "2, 8, FLOAT64, SOFTMAX_CROSS_ENTROPY, recompute, 2",
            "10, 100, FLOAT32, SOFTMAX_CROSS_ENTROPY, store, 2"})
    void warmStepsWithOutputsAllocateNothing(int k, int d, Precision precision, Loss loss, String relu, int teamSize) {
        outputSteps(k, d, precision, loss, relu, teamSize);
    }

    /**
     * The fused k-output sweep (k &gt; 1 at d &lt;= 2). Tagged so that the C2-only and early-compile runs
     * take it in JVMs of their own (executions allocation-fused-outputs-*): run before the other engines
     * in one C2-only JVM, those engines then boxed in some JVMs (testkit/README.md).
     */
    @Tag("fused-outputs")
    @ParameterizedTest(name = "k={0} d={1} {2} {3} relu(z) {4} threads={5}")
    @CsvSource({"10, 1, FLOAT32, SOFTMAX_CROSS_ENTROPY, recompute, 2", "3, 2, FLOAT64, SQUARE, store, 1",
            "17, 1, FLOAT64, SQUARE, recompute, 2", "2, 2, FLOAT32, SQUARE, recompute, 2"})
    void warmFusedOutputStepsAllocateNothing(int k, int d, Precision precision, Loss loss, String relu, int teamSize) {
        outputSteps(k, d, precision, loss, relu, teamSize);
    }

    private static void outputSteps(int k, int d, Precision precision, Loss loss, String relu, int teamSize) {
        int n = 61;
        int m = d >= 100 ? 130 : 1000;
        Dataset data = loss == Loss.SQUARE ? Fixtures.data(n, d, k, 3) : Fixtures.labelled(n, d, k, 3);
        double[] x = Fixtures.data(20, d, 4).inputs();
        double[] out = new double[20 * k];
        int[] batch = {3, 1, 4, 1, 5, 9, 2, 6};
        double[] ga = new double[m * k];
        double[] gw = new double[m * d];
        double[] gb = new double[m];
        String before = System.getProperty("reluquant.outputs.relu");
        System.setProperty("reluquant.outputs.relu", relu);
        Trainer built;
        try {
            built = Trainer.builder(data, Fixtures.params(m, d, k, 5)).precision(precision).loss(loss).threads(teamSize).build();
        } finally {
            if (before == null) {
                System.clearProperty("reluquant.outputs.relu");
            } else {
                System.setProperty("reluquant.outputs.relu", before);
            }
        }
        try (Trainer t = built) {
            assertEquals(d <= 2 ? Path.FUSED : Path.MASKBIT, t.kernelInfo().path(), "k outputs at d = " + d);
            java.util.Map<String, Runnable> ops = new java.util.LinkedHashMap<>();
            ops.put("step", () -> t.step(1e-4));
            ops.put("batch step", () -> t.step(1e-4, batch));
            ops.put("gradient", () -> t.gradient(ga, gw, gb));
            ops.put("forward", () -> t.forward(x, out));
            assertNoAllocation(t, ops, "k=" + k + " d=" + d + " " + loss + " relu(z) " + relu);
        }
    }

    /** The in-kernel optimizers' steps (full batch and batch) allocate nothing either, on every path. */
    @ParameterizedTest(name = "{0} d={1} {2} {3} k={4}")
    @CsvSource({"MOMENTUM, 1, FLOAT32, FUSED, 1", "ADAMW, 2, FLOAT64, FUSED, 1", "ADAMW, 8, FLOAT32, MASKBIT, 1",
            "MOMENTUM, 8, FLOAT64, MASKBIT, 1", "ADAMW, 8, FLOAT32, MASKBIT, 3", "MOMENTUM, 4, FLOAT64, MASKBIT, 3",
            "ADAMW, 1, FLOAT32, FUSED, 1", "MOMENTUM, 8, FLOAT32, MASKBIT, 1", "ADAMW, 8, FLOAT64, MASKBIT, 1"})
    void warmOptimizerStepsAllocateNothing(Optimizer.Kind kind, int d, Precision precision, Path path, int k) {
        optimizerSteps(kind, d, precision, path, k);
    }

    /** The optimizers on the fused k-output sweep, in the JVMs of the fused k-output cases (see above). */
    @Tag("fused-outputs")
    @ParameterizedTest(name = "{0} d={1} {2} {3} k={4}")
    @CsvSource({"MOMENTUM, 1, FLOAT32, FUSED, 3", "ADAMW, 2, FLOAT64, FUSED, 3", "ADAMW, 1, FLOAT32, FUSED, 2",
            "MOMENTUM, 2, FLOAT64, FUSED, 10"})
    void warmFusedOutputOptimizerStepsAllocateNothing(Optimizer.Kind kind, int d, Precision precision, Path path, int k) {
        optimizerSteps(kind, d, precision, path, k);
    }

    private static void optimizerSteps(Optimizer.Kind kind, int d, Precision precision, Path path, int k) {
        int n = 61;
        int m = 1000;
        Dataset data = k == 1 ? Fixtures.data(n, d, 3) : Fixtures.data(n, d, k, 3);
        Parameters init = k == 1 ? Fixtures.params(m, d, 5) : Fixtures.params(m, d, k, 5);
        Optimizer o = kind == Optimizer.Kind.MOMENTUM ? Optimizer.momentum(0.9, 1e-4) : Optimizer.adamW(0.9, 0.999, 1e-8, 1e-2);
        int[] batch = {3, 1, 4, 1, 5, 9, 2, 6};
        Trainer.Builder b = Trainer.builder(data, init).precision(precision).threads(2).optimizer(o);
        if (k == 1) {
            b.path(path);
        }
        try (Trainer t = b.build()) {
            java.util.Map<String, Runnable> ops = new java.util.LinkedHashMap<>();
            ops.put("step", () -> t.step(1e-6));
            ops.put("batch step", () -> t.step(1e-6, batch));
            assertNoAllocation(t, ops, o + " k=" + k + " d=" + d);
        }
    }

    /** Warms the calls up, then fails if any of them allocates on the caller or a worker. */
    private static void assertNoAllocation(Trainer t, java.util.Map<String, Runnable> ops, String shape) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        {
            long[] ids = teamThreads();
            long overhead = Long.MAX_VALUE; // what reading the counters allocates (least of a few reads)
            for (int k = 0; k < 5; k++) {
                long first = allocated(threads, ids);
                overhead = Math.min(overhead, allocated(threads, ids) - first);
            }
            // warm up until C2 has compiled the hot loops (before that the Vector API boxes every vector),
            // in rounds, as long as a round still allocates: a steady state that allocates never ends this
            int rounds = 0;
            for (long bytes = -1; bytes != 0 && rounds < MAX_WARMUP_ROUNDS; rounds++) {
                long before = allocated(threads, ids);
                for (int k = 0; k < WARMUP; k++) {
                    ops.values().forEach(Runnable::run);
                }
                bytes = allocated(threads, ids) - before - overhead;
            }
            StringBuilder line = new StringBuilder();
            long total = 0;
            for (var op : ops.entrySet()) {
                // the least of three windows: a late recompilation can allocate once, a steady state every time
                long bytes = Long.MAX_VALUE;
                for (int window = 0; window < 3 && bytes != 0; window++) {
                    long before = allocated(threads, ids);
                    for (int k = 0; k < MEASURED; k++) {
                        op.getValue().run();
                    }
                    // once C2 has compiled the counter reading itself it may allocate less than the overhead
                    // measured cold (JDK 25: 0 instead of 24 bytes): a negative remainder is no allocation. An
                    // allocation per call shows as >= 16 bytes x MEASURED calls, far above what this clamps.
                    bytes = Math.min(bytes, Math.max(0, allocated(threads, ids) - before - overhead));
                }
                total += bytes;
                line.append(' ').append(op.getKey()).append('=').append(bytes);
            }
            System.out.printf("allocation %s %s on %d threads, after %d warm-up rounds of %d, bytes in %d calls of each:%s%n",
                    t.kernel(), shape, ids.length, rounds, WARMUP, MEASURED, line);
            assertEquals(0, total, t.kernel() + " " + shape + " allocated in " + MEASURED + " warm calls:" + line);
        }
    }

    /** the caller and the team's workers */
    private static long[] teamThreads() {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("reluquant-worker-")) {
                ids.add(th.getId());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /** HotSpot's per-thread allocation counters (com.sun.management, by reflection: the kernel module does not read jdk.management) */
    private static long allocated(java.lang.management.ThreadMXBean mx, long[] ids) {
        try {
            long[] perThread = (long[]) Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getThreadAllocatedBytes", long[].class).invoke(mx, (Object) ids);
            long sum = 0;
            for (long bytes : perThread) {
                if (bytes < 0) {
                    throw new AssertionError("allocation counting is off in this JVM");
                }
                sum += bytes;
            }
            return sum;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this test needs HotSpot's com.sun.management.ThreadMXBean", e);
        }
    }
}
