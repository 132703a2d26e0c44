package io.reluquant.bench;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One full-batch GD step of the fused kernel ({@link Trainer#step(double)}) at shape (n, d, m),
 * precision and team size given by the parameters. SampleTime mode: the mean gives the throughput
 * (n m neuron-sample pairs per step), the samples give the latency percentiles.
 *
 * <p>Why a step that mutates the parameters still measures the steady-state cost: the vector kernel
 * has no branch on any value (the ReLU mask is a compare + blend, every neuron-sample pair costs the
 * same instructions whatever its sign), the width is fixed and nothing is allocated, so the cost of a
 * step does not depend on where the parameters are. The learning rate is also tiny ({@link #LR}), so
 * over the few thousand steps of a run the parameters, residuals and masks barely move and no step can
 * overflow: the benchmark keeps stepping from essentially the point it was set up at.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FusedStep {
    /** learning rate of the timed steps: tiny, see the class comment */
    static final double LR = 1e-6;
    static final long SEED = 20180713L;

    @Param({"FLOAT32"})
    public Precision precision;
    @Param({"256"})
    public int n;
    @Param({"1"})
    public int d;
    @Param({"1000000"})
    public int m;
    @Param({"1"})
    public int threads;

    private Trainer trainer;

    @Setup(Level.Trial)
    public void setUp() {
        trainer = build(n, d, m, precision, threads);
        System.out.println("timing " + trainer.kernel() + " with " + threads + " thread(s)");
    }

    /** Cross-checks, then builds; the float64 workload is unreachable once Parameters has copied it. */
    private static Trainer build(int n, int d, int m, Precision precision, int threads) {
        Trainer.Builder builder;
        {
            Workload workload = Workload.of(n, d, m, SEED);
            System.out.println(StepCheck.verify(workload, precision, threads, Kernel.AUTO));
            builder = Trainer.builder(workload.dataset(), workload.parameters())
                    .precision(precision).threads(threads).kernel(Kernel.AUTO);
        }
        return builder.build();
    }

    @Benchmark
    public double step() {
        return trainer.step(LR);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
    }
}
