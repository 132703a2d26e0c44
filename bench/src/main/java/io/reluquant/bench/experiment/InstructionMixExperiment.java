package io.reluquant.bench.experiment;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * EXPERIMENT, not part of the suite (run with {@code --experiment}): how close to the FMA peak can the
 * fused kernel's d = 1 instruction mix get at all? It replays the kernel's inner loops (the same
 * vector operations as VectorNeuronKernelF32.sweepOneInput, 4 vectors of neurons, x_i and r_i
 * broadcast from arrays, forward sums in a scratch array) on ONE block of neurons that stays in
 * registers, so no parameter traffic, no update, no team: what is left is the loop body's cost.
 *
 * <p>Flops are counted as in the bench's table (backward 2(d+1)+4 = 8 per pair, forward
 * 2(d+1)+2 = 6 per pair), so "% of peak" of these variants is directly comparable with the fused
 * rows: the fused step cannot beat {@link #fused} by much, and the gap between backward and forward
 * shows which half costs more than its flops.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InstructionMixExperiment {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    @Param({"256"})
    public int n;

    float[] x;
    float[] r;
    float[] scratch;
    float[] params;

    /** flops done, counted as in the table; JMH reports the rate */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public long flops;

        @Setup(Level.Iteration)
        public void clear() {
            flops = 0;
        }
    }

    @Setup
    public void setUp() {
        x = new float[n];
        r = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1 + 2f * i / n;
            r[i] = 0.01f * (i % 7 - 3);
        }
        scratch = new float[n * L];
        params = new float[12 * L];
        for (int q = 0; q < params.length; q++) {
            params[q] = 0.5f - (q % 11) / 10f;
        }
    }

    @Benchmark
    public float backward(Flops counter) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector w0 = FloatVector.fromArray(S, params, 0), w1 = FloatVector.fromArray(S, params, L);
        FloatVector w2 = FloatVector.fromArray(S, params, 2 * L), w3 = FloatVector.fromArray(S, params, 3 * L);
        FloatVector b0 = FloatVector.fromArray(S, params, 4 * L), b1 = FloatVector.fromArray(S, params, 5 * L);
        FloatVector b2 = FloatVector.fromArray(S, params, 6 * L), b3 = FloatVector.fromArray(S, params, 7 * L);
        FloatVector ga0 = zero, ga1 = zero, ga2 = zero, ga3 = zero;
        FloatVector gw0 = zero, gw1 = zero, gw2 = zero, gw3 = zero;
        FloatVector gb0 = zero, gb1 = zero, gb2 = zero, gb3 = zero;
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.broadcast(S, x[i]);
            FloatVector ri = FloatVector.broadcast(S, r[i]);
            FloatVector z0 = w0.fma(xi, b0);
            FloatVector z1 = w1.fma(xi, b1);
            FloatVector z2 = w2.fma(xi, b2);
            FloatVector z3 = w3.fma(xi, b3);
            ga0 = z0.max(zero).fma(ri, ga0);
            ga1 = z1.max(zero).fma(ri, ga1);
            ga2 = z2.max(zero).fma(ri, ga2);
            ga3 = z3.max(zero).fma(ri, ga3);
            FloatVector s0 = zero.blend(ri, z0.compare(VectorOperators.GT, zero));
            FloatVector s1 = zero.blend(ri, z1.compare(VectorOperators.GT, zero));
            FloatVector s2 = zero.blend(ri, z2.compare(VectorOperators.GT, zero));
            FloatVector s3 = zero.blend(ri, z3.compare(VectorOperators.GT, zero));
            gw0 = s0.fma(xi, gw0);
            gw1 = s1.fma(xi, gw1);
            gw2 = s2.fma(xi, gw2);
            gw3 = s3.fma(xi, gw3);
            gb0 = gb0.add(s0);
            gb1 = gb1.add(s1);
            gb2 = gb2.add(s2);
            gb3 = gb3.add(s3);
        }
        counter.flops += 8L * 4 * L * n;
        return ga0.add(ga1).add(ga2.add(ga3)).add(gw0.add(gw1).add(gw2.add(gw3))).add(gb0.add(gb1).add(gb2.add(gb3)))
                .lane(0);
    }

    @Benchmark
    public float forward(Flops counter) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector w0 = FloatVector.fromArray(S, params, 0), w1 = FloatVector.fromArray(S, params, L);
        FloatVector w2 = FloatVector.fromArray(S, params, 2 * L), w3 = FloatVector.fromArray(S, params, 3 * L);
        FloatVector b0 = FloatVector.fromArray(S, params, 4 * L), b1 = FloatVector.fromArray(S, params, 5 * L);
        FloatVector b2 = FloatVector.fromArray(S, params, 6 * L), b3 = FloatVector.fromArray(S, params, 7 * L);
        FloatVector a0 = FloatVector.fromArray(S, params, 8 * L), a1 = FloatVector.fromArray(S, params, 9 * L);
        FloatVector a2 = FloatVector.fromArray(S, params, 10 * L), a3 = FloatVector.fromArray(S, params, 11 * L);
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.broadcast(S, x[i]);
            FloatVector acc = FloatVector.fromArray(S, scratch, i * L);
            acc = a0.fma(w0.fma(xi, b0).max(zero), acc);
            acc = a1.fma(w1.fma(xi, b1).max(zero), acc);
            acc = a2.fma(w2.fma(xi, b2).max(zero), acc);
            acc = a3.fma(w3.fma(xi, b3).max(zero), acc);
            acc.intoArray(scratch, i * L);
        }
        counter.flops += 6L * 4 * L * n;
        return scratch[0];
    }

    /** backward then forward of the same block: the kernel's per-block work without the update */
    @Benchmark
    public float fused(Flops counter) {
        return backward(counter) + forward(counter);
    }
}
