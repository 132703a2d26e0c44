package io.reluquant.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The denominator of "% of peak": FMA throughput of one core on the Vector API's preferred species,
 * measured in the same run as the kernel. {@link #CHAINS} independent accumulator chains
 * a = a * x + y keep every FMA pipe busy (an FMA's latency is ~4 cycles and a core issues up to 2 per
 * cycle, so 8 chains suffice; 12 leave margin and still fit in the 16/32 vector registers). x < 1
 * makes each chain converge to y / (1 - x): no overflow, no subnormals.
 *
 * <p>The loop inside the benchmark method is the point here (a single FMA per call would time the
 * call); the flops are counted by the {@link Flops} counter, reported as "flops" per microsecond.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PeakProbe {
    static final int CHAINS = 12;
    static final int STEPS = 4096;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    public float xf = 0.999f;
    public float yf = 1e-3f;
    public double xd = 0.999;
    public double yd = 1e-3;

    /** flops done, as a rate: JMH divides by the iteration time */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public long flops;

        @Setup(Level.Iteration)
        public void clear() {
            flops = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public float fp32(Flops counter) {
        FloatVector x = FloatVector.broadcast(F, xf);
        FloatVector y = FloatVector.broadcast(F, yf);
        FloatVector a0 = y, a1 = y, a2 = y, a3 = y, a4 = y, a5 = y;
        FloatVector a6 = y, a7 = y, a8 = y, a9 = y, a10 = y, a11 = y;
        for (int s = 0; s < STEPS; s++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        counter.flops += 2L * CHAINS * F.length() * STEPS;
        return a0.add(a1).add(a2.add(a3)).add(a4.add(a5)).add(a6.add(a7)).add(a8.add(a9)).add(a10.add(a11))
                .lane(0);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public double fp64(Flops counter) {
        DoubleVector x = DoubleVector.broadcast(D, xd);
        DoubleVector y = DoubleVector.broadcast(D, yd);
        DoubleVector a0 = y, a1 = y, a2 = y, a3 = y, a4 = y, a5 = y;
        DoubleVector a6 = y, a7 = y, a8 = y, a9 = y, a10 = y, a11 = y;
        for (int s = 0; s < STEPS; s++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        counter.flops += 2L * CHAINS * D.length() * STEPS;
        return a0.add(a1).add(a2.add(a3)).add(a4.add(a5)).add(a6.add(a7)).add(a8.add(a9)).add(a10.add(a11))
                .lane(0);
    }
}
