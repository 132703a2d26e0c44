package io.reluquant.bench;

import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Predictor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Serving a trained network with {@link Predictor}: the latency of one query ({@link #single},
 * SampleTime: percentiles in the JSON) and the throughput of a batch of {@link #BATCH} queries
 * ({@link #batch}, Throughput: multiply ops/s by {@value #BATCH} for queries/s; n m pairs per op
 * as in the step benchmarks with n = {@value #BATCH}). The predictor is shared by every benchmark
 * thread (run with {@code -t 4} for four threads on one predictor); each thread has its own queries
 * and outputs. Self-contained: the suite may include it by name
 * ({@code io.reluquant.bench.PredictorBench}); without the suite it runs with the defaults below.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PredictorBench {
    /** queries per batch call */
    public static final int BATCH = 256;
    static final long SEED = 20180713L;

    @Param({"FLOAT32"})
    public Precision precision;
    @Param({"1", "10", "784"})
    public int d;
    @Param({"4096"})
    public int m;

    Predictor predictor;

    @Setup(Level.Trial)
    public void setUp() {
        Workload workload = Workload.of(BATCH, d, m, SEED);
        predictor = Predictor.of(Parameters.of(workload.a, workload.w, workload.b, d), precision);
        System.out.println("predicting with " + predictor.kernel());
    }

    /** Each thread's queries (the workload's inputs, float32 values) and outputs. */
    @State(Scope.Thread)
    public static class Queries {
        float[] one;
        float[] many;
        double[] out;

        @Setup(Level.Trial)
        public void setUp(PredictorBench bench) {
            Workload workload = Workload.of(BATCH, bench.d, 1, SEED + 1);
            many = new float[BATCH * bench.d];
            for (int i = 0; i < many.length; i++) {
                many[i] = (float) workload.x[i];
            }
            one = java.util.Arrays.copyOf(many, bench.d);
            out = new double[BATCH];
        }
    }

    /** One query: what a request to a model server costs. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double single(Queries q) {
        return predictor.predict(q.one);
    }

    /** {@value #BATCH} queries in one call. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public double[] batch(Queries q) {
        predictor.predict(q.many, q.out);
        return q.out;
    }
}
