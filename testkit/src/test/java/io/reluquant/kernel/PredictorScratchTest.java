// Proves: after warm-up a predictor's single queries and batches (float64 and float32 in and out) allocate nothing on every path and precision, and 4 threads calling one predictor at once get the numbers of Trainer.forward.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reluquant.testkit.Fixtures;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The predictor keeps each calling thread's scratch (a ThreadLocal per predictor), so that serving
 * one query at a time costs no garbage: the counters are HotSpot's per-thread allocated bytes, read
 * as AllocationTest reads them, around 200 calls of each kind after warm-up.
 */
class PredictorScratchTest {
    private static final int WARMUP = 2000;
    private static final int MEASURED = 200;

    private static Trainer trainer(Path path, Precision precision, int d, int k) {
        Dataset data = k == 1 ? Fixtures.data(50, d, 71) : Fixtures.data(50, d, k, 71);
        Parameters p = k == 1 ? Fixtures.params(4096, d, 72) : Fixtures.params(1000, d, k, 72);
        Trainer.Builder b = Trainer.builder(data, p).precision(precision).threads(1);
        if (k == 1) {
            b.path(path);
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} d={2} k={3}")
    @CsvSource({"FUSED, FLOAT32, 2, 1", "FUSED, FLOAT64, 1, 1", "MASKBIT, FLOAT32, 10, 1", "MASKBIT, FLOAT64, 10, 1",
            "MASKBIT, FLOAT32, 10, 3", "MASKBIT, FLOAT64, 4, 2"})
    void singleQueriesAndBatchesAllocateNothing(Path path, Precision precision, int d, int k) {
        try (Trainer t = trainer(path, precision, d, k)) {
            Predictor p = t.predictor();
            double[] one = Fixtures.data(1, d, 73).inputs();
            float[] oneF = new float[d];
            for (int i = 0; i < d; i++) {
                oneF[i] = (float) one[i];
            }
            int q = 150; // more than one block of every path
            double[] batch = Fixtures.data(q, d, 74).inputs();
            float[] batchF = new float[batch.length];
            for (int i = 0; i < batch.length; i++) {
                batchF[i] = (float) batch[i];
            }
            double[] out = new double[q * k];
            float[] outF = new float[q * k];
            double[] oneOut = new double[k];
            java.util.Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
            if (k == 1) {
                calls.put("predict(double[])", () -> p.predict(one));
                calls.put("predict(float[])", () -> p.predict(oneF));
            }
            calls.put("one query into out", () -> p.predict(one, oneOut));
            calls.put("batch double", () -> p.predict(batch, out));
            calls.put("batch float -> double", () -> p.predict(batchF, out));
            calls.put("batch float -> float", () -> p.predict(batchF, outF));
            java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long overhead = Long.MAX_VALUE;
            for (int r = 0; r < 5; r++) {
                long first = allocated(mx);
                overhead = Math.min(overhead, allocated(mx) - first);
            }
            for (int r = 0; r < 30; r++) {
                long before = allocated(mx);
                for (int c = 0; c < WARMUP / 10; c++) {
                    calls.values().forEach(Runnable::run);
                }
                if (allocated(mx) - before - overhead <= 0) {
                    break;
                }
            }
            StringBuilder line = new StringBuilder();
            long total = 0;
            for (var call : calls.entrySet()) {
                long bytes = Long.MAX_VALUE;
                for (int window = 0; window < 3 && bytes != 0; window++) {
                    long before = allocated(mx);
                    for (int c = 0; c < MEASURED; c++) {
                        call.getValue().run();
                    }
                    bytes = Math.min(bytes, Math.max(0, allocated(mx) - before - overhead));
                }
                total += bytes;
                line.append(' ').append(call.getKey()).append('=').append(bytes);
            }
            System.out.printf("predictor allocation %s k=%d, bytes in %d calls of each:%s%n", p.kernel(), k, MEASURED, line);
            assertEquals(0, total, p.kernel() + " k=" + k + " allocated in " + MEASURED + " warm calls:" + line);
        }
    }

    @ParameterizedTest(name = "{0} {1} d={2} k={3}")
    @CsvSource({"FUSED, FLOAT32, 2, 1", "MASKBIT, FLOAT64, 10, 1", "MASKBIT, FLOAT32, 10, 3"})
    void fourThreadsGetTheNumbersOfForward(Path path, Precision precision, int d, int k) throws Exception {
        try (Trainer t = trainer(path, precision, d, k)) {
            int q = 100;
            double[] x = Fixtures.data(q, d, 75).inputs();
            double[] want = new double[q * k];
            t.forward(x, want);
            Predictor p = t.predictor();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> served = new ArrayList<>();
                for (int th = 0; th < 4; th++) {
                    int offset = th;
                    served.add(pool.submit(() -> {
                        go.await();
                        double[] one = new double[d];
                        double[] oneOut = new double[k];
                        double[] out = new double[q * k];
                        for (int call = 0; call < 300; call++) {
                            int i = (call * 7 + offset * 13) % q;
                            System.arraycopy(x, i * d, one, 0, d);
                            p.predict(one, oneOut);
                            for (int c = 0; c < k; c++) {
                                assertEquals(want[i * k + c], oneOut[c], 0.0, "thread " + offset + " call " + call);
                            }
                            if (call % 25 == 0) {
                                p.predict(x, out);
                                assertArrayEquals(want, out, 0.0, "thread " + offset + " batch at call " + call);
                            }
                        }
                        return 300;
                    }));
                }
                go.countDown();
                int calls = 0;
                for (Future<Integer> f : served) {
                    calls += f.get();
                }
                assertEquals(1200, calls);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static long allocated(java.lang.management.ThreadMXBean mx) {
        try {
            return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class)
                    .invoke(mx, Thread.currentThread().getId());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this test needs HotSpot's com.sun.management.ThreadMXBean", e);
        }
    }
}
