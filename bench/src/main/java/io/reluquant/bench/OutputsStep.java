package io.reluquant.bench;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Loss;
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
 * One full-batch GD step ({@link Trainer#step(double)}) of a network with k outputs trained with the
 * softmax cross-entropy on k classes ({@link Workload#classes}), at shape (n, d, m), precision and team
 * size given by the parameters: the k-output engine at every d. A sibling of {@link FusedStep} rather
 * than a parameter of it, so that the k = 1 rows and their JMH JSON stay exactly as they were.
 *
 * <p>The steady-state argument of {@link FusedStep} holds here too: no branch on a value in the vector
 * kernel (the softmax's exp runs on every output whatever its value), a fixed width, nothing allocated,
 * and the tiny learning rate {@link FusedStep#LR}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OutputsStep {
    @Param({"FLOAT32"})
    public Precision precision;
    @Param({"256"})
    public int n;
    @Param({"1"})
    public int d;
    @Param({"65536"})
    public int m;
    @Param({"10"})
    public int k;
    @Param({"1"})
    public int threads;

    private Trainer trainer;

    @Setup(Level.Trial)
    public void setUp() {
        trainer = build(n, d, m, k, precision, threads);
        System.out.println("timing " + trainer.kernel() + " k=" + k + " softmax with " + threads + " thread(s)");
    }

    /** Cross-checks, then builds; the float64 workload is unreachable once Parameters has copied it. */
    private static Trainer build(int n, int d, int m, int k, Precision precision, int threads) {
        Trainer.Builder builder;
        {
            Workload workload = Workload.classes(n, d, m, k, FusedStep.SEED);
            System.out.println(StepCheck.verify(workload, precision, threads, Kernel.AUTO));
            builder = Trainer.builder(workload.dataset(), workload.parameters()).loss(Loss.SOFTMAX_CROSS_ENTROPY)
                    .precision(precision).threads(threads).kernel(Kernel.AUTO);
        }
        return builder.build();
    }

    @Benchmark
    public double step() {
        return trainer.step(FusedStep.LR);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
    }
}
