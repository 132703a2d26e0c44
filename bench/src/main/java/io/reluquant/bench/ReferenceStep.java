package io.reluquant.bench;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.reference.Reference;
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

/**
 * One GD step of the naive float64 reference ({@link Reference#step}), one thread: the baseline of
 * the "speed-up over the reference" column. Its cost is linear in the width (pairs/s does not depend
 * on m), so it is timed at widths far below the fused kernel's.
 *
 * <p>Steady state: as in {@link FusedStep} the learning rate is tiny, so the masks (the reference does
 * branch on the sign of z) and the branch predictor's view of them stay those of the set-up point.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReferenceStep {
    @Param({"256"})
    public int n;
    @Param({"1"})
    public int d;
    @Param({"16384"})
    public int m;

    private Workload workload;

    @Setup(Level.Trial)
    public void setUp() {
        workload = Workload.of(n, d, m, FusedStep.SEED);
        // the pair this baseline is compared with: the float64 fused kernel against the reference
        System.out.println(StepCheck.verify(workload, Precision.FLOAT64, 1, Kernel.AUTO));
    }

    @Benchmark
    public double[] step() {
        Workload s = workload;
        Reference.step(s.a, s.w, s.b, s.inputDim, s.x, s.y, FusedStep.LR, true);
        return s.a;
    }
}
