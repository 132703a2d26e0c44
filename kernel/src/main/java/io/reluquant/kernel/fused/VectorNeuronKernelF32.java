// TEMPLATE: the float32 source; its float64 twin is generated at build time (see kernel/pom.xml).
package io.reluquant.kernel.fused;

import io.reluquant.kernel.vectorization.KernelProvider;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * THE HOT LOOP. The fused GD sweep on the Vector API: lanes are neurons, the sample loop is inside.
 *
 * <p>For each block of neurons, while it sits in registers:
 * <ol>
 *   <li>backward: over all samples i, with r_i the residual at the current parameters,
 *       ga += r_i relu(z_i), s = r_i [z_i > 0], gw_k += s x_ik, gb += s;</li>
 *   <li>update (into the other parameter buffer): w += (-lr/n) a gw, b += (-lr/n) a gb,
 *       a += (-lr/n) ga, all with the old a;</li>
 *   <li>forward of the next step: acc_i += a' relu(w' . x_i + b') per sample, one vector of
 *       per-lane partial sums per sample, summed across lanes in a fixed order at the chunk's end.</li>
 * </ol>
 * The width is padded to a multiple of 64 neurons (Layout), so blocks never need a masked tail.
 * The species is a static final (chosen once by {@link KernelProvider}) so C2 can intrinsify it.
 */
final class VectorNeuronKernelF32 implements NeuronKernelF32 {
    static final VectorSpecies<Float> SPECIES =
            VectorSpecies.of(float.class, VectorShape.forBitSize(KernelProvider.vectorBits()));
    static final int L = SPECIES.length();
    /** blocks of the d = 1 path are 4 vectors: enough independent chains to hide FMA latency */
    static final int UNROLL = 4;

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize() + "/float32";
    }

    @Override
    public int scratchLength(int samples, int inputDim) {
        // forward accumulators (samples x L), masked residuals of the any-d path (samples x L),
        // one block's lanes for the gradient output (UNROLL x L)
        return 2 * samples * L + UNROLL * L;
    }

    @Override
    public void sweep(SweepF32 s, int chunk, int from, int to, float[] scratch) {
        final int n = s.samples;
        if (s.forward) {
            java.util.Arrays.fill(scratch, 0, n * L, (float) 0);
        }
        FloatVector check = s.inputDim == 1
                ? sweepOneInput(s, from, to, scratch)
                : sweepAnyInputs(s, from, to, scratch);
        // a NaN here means some updated parameter is not finite (inf*0 = NaN; order is irrelevant)
        s.finite[chunk] = check.reduceLanes(VectorOperators.ADD) == 0;
        if (s.forward) {
            // lanes summed in a fixed order, in float64, so results do not depend on the JIT's choices
            int base = chunk * s.partialStride;
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int lane = 0; lane < L; lane++) {
                    sum += scratch[i * L + lane];
                }
                s.partials[base + i] = sum;
            }
        }
    }

    /** d = 1: blocks of 4 vectors, all parameters and gradient sums in registers. */
    private static FloatVector sweepOneInput(SweepF32 s, int from, int to, float[] scratch) {
        final int n = s.samples;
        final float[] x = s.x;
        final float[] r = s.r;
        final FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector check = zero;
        for (int j = from; j < to; j += UNROLL * L) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, s.w, j);
            FloatVector w1 = FloatVector.fromArray(SPECIES, s.w, j + L);
            FloatVector w2 = FloatVector.fromArray(SPECIES, s.w, j + 2 * L);
            FloatVector w3 = FloatVector.fromArray(SPECIES, s.w, j + 3 * L);
            FloatVector b0 = FloatVector.fromArray(SPECIES, s.b, j);
            FloatVector b1 = FloatVector.fromArray(SPECIES, s.b, j + L);
            FloatVector b2 = FloatVector.fromArray(SPECIES, s.b, j + 2 * L);
            FloatVector b3 = FloatVector.fromArray(SPECIES, s.b, j + 3 * L);
            FloatVector a0 = FloatVector.fromArray(SPECIES, s.a, j);
            FloatVector a1 = FloatVector.fromArray(SPECIES, s.a, j + L);
            FloatVector a2 = FloatVector.fromArray(SPECIES, s.a, j + 2 * L);
            FloatVector a3 = FloatVector.fromArray(SPECIES, s.a, j + 3 * L);
            if (s.backward) {
                FloatVector ga0 = zero, ga1 = zero, ga2 = zero, ga3 = zero;
                FloatVector gw0 = zero, gw1 = zero, gw2 = zero, gw3 = zero;
                FloatVector gb0 = zero, gb1 = zero, gb2 = zero, gb3 = zero;
                for (int i = 0; i < n; i++) {
                    // backward, unrolled 4x over neuron vectors; x_i and r_i broadcast once
                    FloatVector xi = FloatVector.broadcast(SPECIES, x[i]);
                    FloatVector ri = FloatVector.broadcast(SPECIES, r[i]);
                    FloatVector z0 = w0.fma(xi, b0);
                    FloatVector z1 = w1.fma(xi, b1);
                    FloatVector z2 = w2.fma(xi, b2);
                    FloatVector z3 = w3.fma(xi, b3);
                    ga0 = z0.max(zero).fma(ri, ga0);
                    ga1 = z1.max(zero).fma(ri, ga1);
                    ga2 = z2.max(zero).fma(ri, ga2);
                    ga3 = z3.max(zero).fma(ri, ga3);
                    // relu'(z) r_i: compare + blend, cheaper than masked arithmetic on JDK 17
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
                if (s.gradA != null) {
                    writeGradient(s, j, a0, ga0, gb0, gw0, scratch);
                    writeGradient(s, j + L, a1, ga1, gb1, gw1, scratch);
                    writeGradient(s, j + 2 * L, a2, ga2, gb2, gw2, scratch);
                    writeGradient(s, j + 3 * L, a3, ga3, gb3, gw3, scratch);
                }
                if (s.update) {
                    FloatVector stepA = FloatVector.broadcast(SPECIES, s.stepA);
                    FloatVector stepB = FloatVector.broadcast(SPECIES, s.stepB);
                    // w and b first: their gradients carry the old a
                    w0 = a0.mul(stepA).fma(gw0, w0);
                    w1 = a1.mul(stepA).fma(gw1, w1);
                    w2 = a2.mul(stepA).fma(gw2, w2);
                    w3 = a3.mul(stepA).fma(gw3, w3);
                    b0 = a0.mul(stepB).fma(gb0, b0);
                    b1 = a1.mul(stepB).fma(gb1, b1);
                    b2 = a2.mul(stepB).fma(gb2, b2);
                    b3 = a3.mul(stepB).fma(gb3, b3);
                    a0 = ga0.fma(stepA, a0);
                    a1 = ga1.fma(stepA, a1);
                    a2 = ga2.fma(stepA, a2);
                    a3 = ga3.fma(stepA, a3);
                    w0.intoArray(s.newW, j);
                    w1.intoArray(s.newW, j + L);
                    w2.intoArray(s.newW, j + 2 * L);
                    w3.intoArray(s.newW, j + 3 * L);
                    b0.intoArray(s.newB, j);
                    b1.intoArray(s.newB, j + L);
                    b2.intoArray(s.newB, j + 2 * L);
                    b3.intoArray(s.newB, j + 3 * L);
                    a0.intoArray(s.newA, j);
                    a1.intoArray(s.newA, j + L);
                    a2.intoArray(s.newA, j + 2 * L);
                    a3.intoArray(s.newA, j + 3 * L);
                    check = check.add(w0.add(w1).add(w2.add(w3)).mul(zero))
                            .add(b0.add(b1).add(b2.add(b3)).mul(zero))
                            .add(a0.add(a1).add(a2.add(a3)).mul(zero));
                }
            }
            if (s.forward) {
                for (int i = 0; i < n; i++) {
                    // forward of the (updated) block: per-lane partial sums of f(x_i)
                    FloatVector xi = FloatVector.broadcast(SPECIES, x[i]);
                    FloatVector acc = FloatVector.fromArray(SPECIES, scratch, i * L);
                    acc = a0.fma(w0.fma(xi, b0).max(zero), acc);
                    acc = a1.fma(w1.fma(xi, b1).max(zero), acc);
                    acc = a2.fma(w2.fma(xi, b2).max(zero), acc);
                    acc = a3.fma(w3.fma(xi, b3).max(zero), acc);
                    acc.intoArray(scratch, i * L);
                }
            }
        }
        return check;
    }

    /**
     * Any d: blocks of one vector. z needs all d weights per sample, so they are re-read from L1
     * instead of held in registers; the masked residuals r_i [z_i > 0] are kept per sample so that
     * each gw_k is then one register accumulator over the samples.
     */
    private static FloatVector sweepAnyInputs(SweepF32 s, int from, int to, float[] scratch) {
        final int n = s.samples;
        final int d = s.inputDim;
        final int stride = s.paddedWidth;
        final float[] x = s.x;
        final float[] r = s.r;
        final int masked = n * L; // scratch[masked + i*L ..] = r_i [z_i > 0] for this block
        final FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector check = zero;
        for (int j = from; j < to; j += L) {
            FloatVector a = FloatVector.fromArray(SPECIES, s.a, j);
            FloatVector b = FloatVector.fromArray(SPECIES, s.b, j);
            float[] w = s.w;
            if (s.backward) {
                FloatVector ga = zero;
                FloatVector gb = zero;
                for (int i = 0; i < n; i++) {
                    FloatVector z = b;
                    for (int k = 0; k < d; k++) {
                        z = FloatVector.fromArray(SPECIES, w, k * stride + j)
                                .fma(FloatVector.broadcast(SPECIES, x[i * d + k]), z);
                    }
                    FloatVector ri = FloatVector.broadcast(SPECIES, r[i]);
                    ga = z.max(zero).fma(ri, ga);
                    FloatVector si = zero.blend(ri, z.compare(VectorOperators.GT, zero));
                    gb = gb.add(si);
                    si.intoArray(scratch, masked + i * L);
                }
                FloatVector stepW = a.mul(s.stepA);
                for (int k = 0; k < d; k++) {
                    FloatVector gw = zero;
                    for (int i = 0; i < n; i++) {
                        gw = FloatVector.fromArray(SPECIES, scratch, masked + i * L)
                                .fma(FloatVector.broadcast(SPECIES, x[i * d + k]), gw);
                    }
                    if (s.gradA != null) {
                        writeWeightGradient(s, j, k, a, gw, scratch);
                    }
                    if (s.update) {
                        FloatVector wk = stepW.fma(gw, FloatVector.fromArray(SPECIES, w, k * stride + j));
                        wk.intoArray(s.newW, k * stride + j);
                        check = check.add(wk.mul(zero));
                    }
                }
                if (s.gradA != null) {
                    writeGradient(s, j, a, ga, gb, null, scratch);
                }
                if (s.update) {
                    b = a.mul(s.stepB).fma(gb, b);
                    a = ga.fma(FloatVector.broadcast(SPECIES, s.stepA), a);
                    a.intoArray(s.newA, j);
                    b.intoArray(s.newB, j);
                    check = check.add(a.add(b).mul(zero));
                    w = s.newW;
                }
            }
            if (s.forward) {
                for (int i = 0; i < n; i++) {
                    FloatVector z = b;
                    for (int k = 0; k < d; k++) {
                        z = FloatVector.fromArray(SPECIES, w, k * stride + j)
                                .fma(FloatVector.broadcast(SPECIES, x[i * d + k]), z);
                    }
                    FloatVector acc = FloatVector.fromArray(SPECIES, scratch, i * L);
                    a.fma(z.max(zero), acc).intoArray(scratch, i * L);
                }
            }
        }
        return check;
    }

    /** Gradient output (not the hot path): sums x 1/n, times the old a for w and b, in float64. */
    private static void writeGradient(SweepF32 s, int j, FloatVector a, FloatVector ga, FloatVector gb,
                                      FloatVector gwOneInput, float[] scratch) {
        int lanesAt = scratch.length - UNROLL * L;
        a.intoArray(scratch, lanesAt);
        ga.intoArray(scratch, lanesAt + L);
        gb.intoArray(scratch, lanesAt + 2 * L);
        if (gwOneInput != null) {
            gwOneInput.intoArray(scratch, lanesAt + 3 * L);
        }
        for (int lane = 0; lane < L && j + lane < s.width; lane++) {
            double aj = scratch[lanesAt + lane];
            s.gradA[j + lane] = scratch[lanesAt + L + lane] * s.invSamples;
            s.gradB[j + lane] = aj * scratch[lanesAt + 2 * L + lane] * s.invSamples;
            if (gwOneInput != null) {
                s.gradW[j + lane] = aj * scratch[lanesAt + 3 * L + lane] * s.invSamples;
            }
        }
    }

    private static void writeWeightGradient(SweepF32 s, int j, int k, FloatVector a, FloatVector gw, float[] scratch) {
        int lanesAt = scratch.length - UNROLL * L;
        a.intoArray(scratch, lanesAt);
        gw.intoArray(scratch, lanesAt + L);
        int d = s.inputDim;
        for (int lane = 0; lane < L && j + lane < s.width; lane++) {
            s.gradW[(j + lane) * d + k] = (double) scratch[lanesAt + lane] * scratch[lanesAt + L + lane] * s.invSamples;
        }
    }
}
