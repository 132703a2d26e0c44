package io.reluquant.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The memory roofline's denominator: a STREAM-like "scale" (dst[i] = q src[i]) over arrays far larger
 * than any cache, on one core and on every core at once (each thread its own arrays), measured in the
 * same run as the kernel. It moves data the way a bandwidth-bound step does: the fused sweep reads
 * the parameters and writes their updated copy into the other buffer. Bytes count as STREAM counts
 * them, one read and one write per element (the write-allocate read is not counted, in the probe
 * and in the step alike), reported as "bytes" per microsecond.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BandwidthProbe {
    /** floats per array: 128 MiB each, beyond the last-level cache of the machines this runs on */
    static final int LENGTH = 1 << 25;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    float[] src;
    float[] dst;
    public float q = 1f; // a field, so the multiply stays; 1 keeps the values away from subnormals

    @Setup
    public void allocate() {
        src = new float[LENGTH];
        dst = new float[LENGTH];
        java.util.Arrays.fill(src, 1f);
        java.util.Arrays.fill(dst, 1f); // touched: no page faults in the timed loop
    }

    /** bytes moved, as a rate: JMH divides by the iteration time (and sums over threads) */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void clear() {
            bytes = 0;
        }
    }

    /** one pass of dst = q src; the loop is the point (a single element per call would time the call) */
    private void scale(Bytes counter) {
        FloatVector s = FloatVector.broadcast(F, q);
        int step = F.length();
        for (int i = 0; i < LENGTH; i += step) {
            FloatVector.fromArray(F, src, i).mul(s).intoArray(dst, i);
        }
        counter.bytes += 8L * LENGTH;
        // alternate the direction of the copy so that neither array stays the "read" one
        float[] t = src;
        src = dst;
        dst = t;
    }

    @Benchmark
    @Threads(1)
    public void oneCore(Bytes counter) {
        scale(counter);
    }

    @Benchmark
    @Threads(Threads.MAX)
    public void allCores(Bytes counter) {
        scale(counter);
    }
}
