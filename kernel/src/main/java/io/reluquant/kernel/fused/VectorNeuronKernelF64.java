// GENERATED from VectorNeuronKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.fused;

import io.reluquant.kernel.sweep.OptimizerF64;
import io.reluquant.kernel.sweep.VectorOptimizerF64;
import io.reluquant.kernel.vectorization.KernelProvider;
import jdk.incubator.vector.DoubleVector;
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
 * Blocks are 4 vectors of neurons for d = 1, 2 for d = 2 (all their parameters and gradient sums in
 * registers) and 1 for any other d. The width is padded to a multiple of 64 neurons (Layout), so
 * blocks never need a masked tail. The species is a static final (chosen once by
 * {@link KernelProvider}) so C2 can intrinsify it.
 *
 * <p>How the code is shaped for C2 (each point measured, see the commit log): a vector value never
 * flows out of a branch or a call, only through arrays (JDK 17 boxes vectors merged at control-flow
 * joins: 38 MB allocated per step before); the d = 1 and d = 2 sample loops are kept from being
 * unrolled ({@link SweepF64#sampleStride}), which would spill their registers; every block shape has
 * its own loop over blocks and the parameters move in one place ({@link #finishBackward}); a vector
 * carried from one loop iteration to the next is never the receiver of a Vector API call, only an
 * argument (gb = s.add(gb), not gb.add(s)). Why the last: C2 types such a loop-carried vector as a plain
 * DoubleVector, so a call on it (add is lanewise on the concrete class) is inlined behind a class guard.
 * C2 normally sends a failed guard to an uncommon trap, but it adds up the class_check traps recorded
 * in the profiles of every method it inlines (shared Vector API methods such as
 * VectorOperators$ImplCache.find and VectorOperators.opKind collect them while other kernels warm up),
 * and once a compile's total passes PerMethodTrapLimit (100) it puts a real virtual call behind the
 * guard. That call's result flows back into the loop variable, so the variable stays a plain DoubleVector
 * and every vector passing through it is boxed on every iteration (JDK 17 C2-only runs: 2 vectors per
 * sample in the d = 1 float64 backward pass, 0.35 MB a step, after the fused k-output cases had run
 * in the same JVM; LogCompilation showed the compile's class_check total at 140 and the virtual calls
 * at gb3's add and store). With the fresh vector as receiver the call is bound to the concrete class
 * without a guard; addition is commutative, so the sums are the same bits. Whether C2 boxes a
 * vector also depends on the order in which it compiles and inlines these methods, which varies from
 * run to run: with one loop over blocks shared by all d, and with the d = 1 update written on the
 * sums in registers, JDK 17 boxed vectors in some runs (see {@link #sweepTwoInputs} and
 * {@link #backwardOneInput}); the test suite's allocation guard caught it once in CI. The hot vector
 * methods of the d = 1 and d = 2 paths and the update are over C2's inlining size (325 bytecodes), so
 * each is compiled on its own and never inlined into a caller too big for C2 to expand its intrinsics
 * (see {@link #finishBackward}; CompileRootsTest checks the sizes, and the test suite runs the
 * allocation guard again under early compile thresholds).
 */
public final class VectorNeuronKernelF64 implements NeuronKernelF64 {
    static final VectorSpecies<Double> SPECIES =
            VectorSpecies.of(double.class, VectorShape.forBitSize(KernelProvider.vectorBits()));
    static final int L = SPECIES.length();
    /** blocks of the d = 1 path are 4 vectors: 12 independent sum chains hide the FMA latency */
    static final int UNROLL = 4;

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize() + "/float64";
    }

    @Override
    public int scratchLength(int samples, int inputDim) {
        // forward accumulators (samples x L) | masked residuals of the any-d path (samples x L) |
        // one block's gradient sums (ga, gb, gw_1..gw_d for up to UNROLL vectors) | finiteness check (L)
        long length = 2L * samples * L + (inputDim + 2L) * UNROLL * L + L;
        if (length > Integer.MAX_VALUE - 8) { // as-is
            // in int arithmetic this wrapped negative and the first sweep failed deep inside Arrays.fill
            throw new IllegalArgumentException("n = " + samples + " samples: the fused path's scratch of " + length
                    + " values per thread exceeds one Java array; it takes at most " + ((Integer.MAX_VALUE - 8L - (inputDim + 2L) * UNROLL * L - L) / (2L * L)) // as-is
                    + " samples (the mask-bit path, -Dreluquant.path=maskbit, takes more)");
        }
        return (int) length;
    }

    @Override
    public void sweep(SweepF64 s, int chunk, int from, int to, double[] scratch) {
        final int n = s.samples;
        final int d = s.inputDim;
        final int sums = 2 * n * L;
        if (s.forward) {
            java.util.Arrays.fill(scratch, 0, n * L, (double) 0);
        }
        final int check = sums + (d + 2) * UNROLL * L; // a NaN there: an updated parameter is not finite
        java.util.Arrays.fill(scratch, check, check + L, (double) 0);
        if (d == 1) {
            sweepOneInput(s, from, to, scratch, sums, check);
        } else if (d == 2) {
            sweepTwoInputs(s, from, to, scratch, sums, check);
        } else {
            sweepAnyInputs(s, from, to, scratch, sums, check);
        }
        double notFinite = 0;
        for (int lane = 0; lane < L; lane++) {
            notFinite += scratch[check + lane];
        }
        s.finite[chunk] = notFinite == 0;
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

    /** The blocks of 4 vectors of the d = 1 path. */
    private static void sweepOneInput(SweepF64 s, int from, int to, double[] scratch, int sums, int check) {
        for (int j = from; j < to; j += UNROLL * L) {
            if (s.backward) {
                backwardOneInput(s, j, scratch, sums);
                finishBackward(s, j, UNROLL, scratch, sums, check);
            }
            if (s.forward) {
                forwardOneInput(s.update ? s.newA : s.a, s.update ? s.newW : s.w, s.update ? s.newB : s.b, j, s.x,
                        s.samples, s.sampleStride, scratch);
            }
        }
    }

    /**
     * The blocks of 2 vectors of the d = 2 path. (Its own loop: when one loop over blocks served every
     * d, C2 sometimes inlined this path's forward pass into it along with the update, and the forward
     * pass then boxed one vector per sample, 187 kB per step at n = 61, m = 1000: in 6 of 6 runs of a
     * stress harness under one compile-threshold setting; 0 of 12 with this loop, under that setting
     * and a neighbouring one.)
     */
    private static void sweepTwoInputs(SweepF64 s, int from, int to, double[] scratch, int sums, int check) {
        for (int j = from; j < to; j += 2 * L) {
            if (s.backward) {
                backwardTwoInputs(s, j, scratch, sums);
                finishBackward(s, j, 2, scratch, sums, check);
            }
            if (s.forward) {
                forwardTwoInputs(s.update ? s.newA : s.a, s.update ? s.newW : s.w, s.update ? s.newB : s.b,
                        s.paddedWidth, j, s.x, s.samples, s.sampleStride, scratch);
            }
        }
    }

    /** The blocks of one vector of every other d. */
    private static void sweepAnyInputs(SweepF64 s, int from, int to, double[] scratch, int sums, int check) {
        final int n = s.samples;
        final int masked = n * L; // per-sample rows of the block
        for (int j = from; j < to; j += L) {
            if (s.backward) {
                backwardAnyInputs(s.w, s.b, s.paddedWidth, j, s.x, s.r, n, s.inputDim, scratch, masked, sums);
                finishBackward(s, j, 1, scratch, sums, check);
            }
            if (s.forward) {
                forwardAnyInputs(s.update ? s.newA : s.a, s.update ? s.newW : s.w, s.update ? s.newB : s.b,
                        s.paddedWidth, j, s.x, n, s.inputDim, scratch, masked);
            }
        }
    }

    /**
     * d = 1 backward, blocks of 4 vectors with all 12 gradient sums in registers:
     * ga += s z (= r relu(z)), gw += s x, gb += s, with s = r [z > 0]. The sums go to g[at ..]:
     * ga of vector v at v*L, gb at (4+v)*L, gw at (8+v)*L, the layout of {@link #finishBackward}, which moves
     * the parameters from there as for every other d. (The update used to follow the loop here, on the
     * sums still in registers: depending on the order in which C2 compiled things, JDK 17 then boxed
     * five of the twelve new vectors per block, 7.5 kB per step at m = 1000, in 9 of 40 warmed-up runs
     * under varied compile thresholds, and once in CI; writing each new value as it is computed: 3 of
     * 5; through L1 and the general update: 0 of 40 and 0 of 120. A d = 1 update written out without
     * the loops was faster at small n but left an F64 batch step allocating in 2 of 4 runs, probably
     * by the inlining described at {@link #finishBackward} (found later; not retried since). The price,
     * measured on JDK 25 against the update on registers: 24% of the step at n = 8, none at n = 256.)
     */
    private static void backwardOneInput(SweepF64 s, int j, double[] g, int at) {
        final double[] x = s.x;
        final double[] r = s.r;
        final int n = s.samples;
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector w0 = DoubleVector.fromArray(SPECIES, s.w, j);
        DoubleVector w1 = DoubleVector.fromArray(SPECIES, s.w, j + L);
        DoubleVector w2 = DoubleVector.fromArray(SPECIES, s.w, j + 2 * L);
        DoubleVector w3 = DoubleVector.fromArray(SPECIES, s.w, j + 3 * L);
        DoubleVector b0 = DoubleVector.fromArray(SPECIES, s.b, j);
        DoubleVector b1 = DoubleVector.fromArray(SPECIES, s.b, j + L);
        DoubleVector b2 = DoubleVector.fromArray(SPECIES, s.b, j + 2 * L);
        DoubleVector b3 = DoubleVector.fromArray(SPECIES, s.b, j + 3 * L);
        DoubleVector ga0 = zero, ga1 = zero, ga2 = zero, ga3 = zero;
        DoubleVector gw0 = zero, gw1 = zero, gw2 = zero, gw3 = zero;
        DoubleVector gb0 = zero, gb1 = zero, gb2 = zero, gb3 = zero;
        for (int i = 0; i < n; i += s.sampleStride) {
            // x_i and r_i broadcast once for 4 vectors of neurons
            DoubleVector xi = DoubleVector.broadcast(SPECIES, x[i]);
            DoubleVector ri = DoubleVector.broadcast(SPECIES, r[i]);
            DoubleVector z0 = w0.fma(xi, b0);
            DoubleVector z1 = w1.fma(xi, b1);
            DoubleVector z2 = w2.fma(xi, b2);
            DoubleVector z3 = w3.fma(xi, b3);
            // r relu'(z), relu'(0) = 0: compare + blend, cheaper than masked arithmetic
            DoubleVector s0 = zero.blend(ri, z0.compare(VectorOperators.GT, zero));
            DoubleVector s1 = zero.blend(ri, z1.compare(VectorOperators.GT, zero));
            DoubleVector s2 = zero.blend(ri, z2.compare(VectorOperators.GT, zero));
            DoubleVector s3 = zero.blend(ri, z3.compare(VectorOperators.GT, zero));
            // r relu(z) = s z: saves the max
            ga0 = s0.fma(z0, ga0);
            ga1 = s1.fma(z1, ga1);
            ga2 = s2.fma(z2, ga2);
            ga3 = s3.fma(z3, ga3);
            gw0 = s0.fma(xi, gw0);
            gw1 = s1.fma(xi, gw1);
            gw2 = s2.fma(xi, gw2);
            gw3 = s3.fma(xi, gw3);
            gb0 = s0.add(gb0); // the loop-carried sum as the argument, never the receiver (class comment)
            gb1 = s1.add(gb1);
            gb2 = s2.add(gb2);
            gb3 = s3.add(gb3);
        }
        ga0.intoArray(g, at);
        ga1.intoArray(g, at + L);
        ga2.intoArray(g, at + 2 * L);
        ga3.intoArray(g, at + 3 * L);
        gb0.intoArray(g, at + 4 * L);
        gb1.intoArray(g, at + 5 * L);
        gb2.intoArray(g, at + 6 * L);
        gb3.intoArray(g, at + 7 * L);
        gw0.intoArray(g, at + 8 * L);
        gw1.intoArray(g, at + 9 * L);
        gw2.intoArray(g, at + 10 * L);
        gw3.intoArray(g, at + 11 * L);
    }

    /** d = 1 forward of a block of 4 vectors: acc_i += sum_v a_v relu(w_v x_i + b_v), per lane. */
    private static void forwardOneInput(double[] a, double[] w, double[] b, int j, double[] x, int n, int stride,
                                        double[] acc) {
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector w0 = DoubleVector.fromArray(SPECIES, w, j);
        DoubleVector w1 = DoubleVector.fromArray(SPECIES, w, j + L);
        DoubleVector w2 = DoubleVector.fromArray(SPECIES, w, j + 2 * L);
        DoubleVector w3 = DoubleVector.fromArray(SPECIES, w, j + 3 * L);
        DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, j);
        DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, j + L);
        DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, j + 2 * L);
        DoubleVector b3 = DoubleVector.fromArray(SPECIES, b, j + 3 * L);
        DoubleVector a0 = DoubleVector.fromArray(SPECIES, a, j);
        DoubleVector a1 = DoubleVector.fromArray(SPECIES, a, j + L);
        DoubleVector a2 = DoubleVector.fromArray(SPECIES, a, j + 2 * L);
        DoubleVector a3 = DoubleVector.fromArray(SPECIES, a, j + 3 * L);
        for (int i = 0; i < n; i += stride) {
            DoubleVector xi = DoubleVector.broadcast(SPECIES, x[i]);
            DoubleVector f = DoubleVector.fromArray(SPECIES, acc, i * L);
            f = a0.fma(w0.fma(xi, b0).max(zero), f);
            f = a1.fma(w1.fma(xi, b1).max(zero), f);
            f = a2.fma(w2.fma(xi, b2).max(zero), f);
            f = a3.fma(w3.fma(xi, b3).max(zero), f);
            f.intoArray(acc, i * L);
        }
    }

    /**
     * d = 2 backward, blocks of 2 vectors (6 parameter and 8 sum registers; 4 vectors would spill).
     * Sums in the layout of {@link #finishBackward} with V = 2: ga at v*L, gb at (2+v)*L, gw_k at (4+2k+v)*L.
     */
    private static void backwardTwoInputs(SweepF64 s, int j, double[] g, int at) {
        final double[] x = s.x;
        final double[] r = s.r;
        final int n = s.samples;
        final int p = s.paddedWidth;
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector u0 = DoubleVector.fromArray(SPECIES, s.w, j); // w_0 of vector 0
        DoubleVector u1 = DoubleVector.fromArray(SPECIES, s.w, j + L); // w_0 of vector 1
        DoubleVector v0 = DoubleVector.fromArray(SPECIES, s.w, p + j); // w_1 of vector 0
        DoubleVector v1 = DoubleVector.fromArray(SPECIES, s.w, p + j + L); // w_1 of vector 1
        DoubleVector b0 = DoubleVector.fromArray(SPECIES, s.b, j);
        DoubleVector b1 = DoubleVector.fromArray(SPECIES, s.b, j + L);
        DoubleVector ga0 = zero, ga1 = zero, gb0 = zero, gb1 = zero;
        DoubleVector gu0 = zero, gu1 = zero, gv0 = zero, gv1 = zero;
        for (int i = 0; i < n; i += s.sampleStride) {
            DoubleVector x0 = DoubleVector.broadcast(SPECIES, x[2 * i]);
            DoubleVector x1 = DoubleVector.broadcast(SPECIES, x[2 * i + 1]);
            DoubleVector ri = DoubleVector.broadcast(SPECIES, r[i]);
            DoubleVector z0 = v0.fma(x1, u0.fma(x0, b0));
            DoubleVector z1 = v1.fma(x1, u1.fma(x0, b1));
            DoubleVector s0 = zero.blend(ri, z0.compare(VectorOperators.GT, zero));
            DoubleVector s1 = zero.blend(ri, z1.compare(VectorOperators.GT, zero));
            ga0 = s0.fma(z0, ga0);
            ga1 = s1.fma(z1, ga1);
            gu0 = s0.fma(x0, gu0);
            gu1 = s1.fma(x0, gu1);
            gv0 = s0.fma(x1, gv0);
            gv1 = s1.fma(x1, gv1);
            gb0 = s0.add(gb0); // the loop-carried sum as the argument (class comment)
            gb1 = s1.add(gb1);
        }
        ga0.intoArray(g, at);
        ga1.intoArray(g, at + L);
        gb0.intoArray(g, at + 2 * L);
        gb1.intoArray(g, at + 3 * L);
        gu0.intoArray(g, at + 4 * L);
        gu1.intoArray(g, at + 5 * L);
        gv0.intoArray(g, at + 6 * L);
        gv1.intoArray(g, at + 7 * L);
    }

    /** d = 2 forward of a block of 2 vectors. */
    private static void forwardTwoInputs(double[] a, double[] w, double[] b, int p, int j, double[] x, int n, int stride,
                                         double[] acc) {
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector u0 = DoubleVector.fromArray(SPECIES, w, j);
        DoubleVector u1 = DoubleVector.fromArray(SPECIES, w, j + L);
        DoubleVector v0 = DoubleVector.fromArray(SPECIES, w, p + j);
        DoubleVector v1 = DoubleVector.fromArray(SPECIES, w, p + j + L);
        DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, j);
        DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, j + L);
        DoubleVector a0 = DoubleVector.fromArray(SPECIES, a, j);
        DoubleVector a1 = DoubleVector.fromArray(SPECIES, a, j + L);
        for (int i = 0; i < n; i += stride) {
            DoubleVector x0 = DoubleVector.broadcast(SPECIES, x[2 * i]);
            DoubleVector x1 = DoubleVector.broadcast(SPECIES, x[2 * i + 1]);
            DoubleVector f = DoubleVector.fromArray(SPECIES, acc, i * L);
            f = a0.fma(v0.fma(x1, u0.fma(x0, b0)).max(zero), f);
            f = a1.fma(v1.fma(x1, u1.fma(x0, b1)).max(zero), f);
            f.intoArray(acc, i * L);
        }
    }

    /**
     * Any d, blocks of one vector: pre-activations z_i, then masked residuals s_i = r_i [z_i > 0], in
     * the scratch rows of the block (samples x L), then each gw_k = sum_i s_i x_ik in one register.
     * Sums go to g[at ..]: ga at 0, gb at L, gw_k at (2+k)*L.
     */
    private static void backwardAnyInputs(double[] w, double[] b, int stride, int j, double[] x, double[] r,
                                          int n, int d, double[] scratch, int rows, int at) {
        preActivations(w, b, stride, j, x, n, d, scratch, rows);
        maskResiduals(r, n, scratch, rows, at);
        for (int k = 0; k < d; k++) {
            weightSum(x, n, d, k, scratch, rows, at + (2 + k) * L);
        }
    }

    /** g[out] = gw_k = sum_i s_i x_ik, s_i in the scratch rows (its own method: one loop level). */
    private static void weightSum(double[] x, int n, int d, int k, double[] scratch, int rows, int out) {
        DoubleVector gw = DoubleVector.zero(SPECIES);
        for (int i = 0; i < n; i++) {
            gw = DoubleVector.fromArray(SPECIES, scratch, rows + i * L).fma(DoubleVector.broadcast(SPECIES, x[i * d + k]), gw);
        }
        gw.intoArray(scratch, out);
    }

    /** rows[i] = z_i = b + sum_k w_k x_ik for the block's one vector of neurons (w_k re-read from L1). */
    private static void preActivations(double[] w, double[] b, int stride, int j, double[] x, int n, int d,
                                       double[] scratch, int rows) {
        DoubleVector bias = DoubleVector.fromArray(SPECIES, b, j);
        for (int i = 0; i < n; i++) {
            DoubleVector z = bias;
            for (int k = 0; k < d; k++) {
                z = DoubleVector.fromArray(SPECIES, w, k * stride + j).fma(DoubleVector.broadcast(SPECIES, x[i * d + k]), z);
            }
            z.intoArray(scratch, rows + i * L);
        }
    }

    /** rows[i]: z_i -> s_i = r_i [z_i > 0]; ga = sum s_i z_i, gb = sum s_i to g[at], g[at + L]. */
    private static void maskResiduals(double[] r, int n, double[] scratch, int rows, int at) {
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector ga = zero;
        DoubleVector gb = zero;
        for (int i = 0; i < n; i++) {
            DoubleVector z = DoubleVector.fromArray(SPECIES, scratch, rows + i * L);
            DoubleVector si = zero.blend(DoubleVector.broadcast(SPECIES, r[i]), z.compare(VectorOperators.GT, zero));
            ga = si.fma(z, ga);
            gb = si.add(gb); // the loop-carried sum as the argument (class comment)
            si.intoArray(scratch, rows + i * L);
        }
        ga.intoArray(scratch, at);
        gb.intoArray(scratch, at + L);
    }

    private static void forwardAnyInputs(double[] a, double[] w, double[] b, int stride, int j, double[] x, int n,
                                         int d, double[] scratch, int rows) {
        preActivations(w, b, stride, j, x, n, d, scratch, rows);
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector out = DoubleVector.fromArray(SPECIES, a, j);
        for (int i = 0; i < n; i++) {
            DoubleVector z = DoubleVector.fromArray(SPECIES, scratch, rows + i * L);
            out.fma(z.max(zero), DoubleVector.fromArray(SPECIES, scratch, i * L)).intoArray(scratch, i * L);
        }
    }

    /**
     * The in-kernel optimizer's update of a block, from its gradient sums (layout of
     * {@link #finishBackward}): each run of L neurons of a, b and every w_k through the one shared
     * {@link VectorOptimizerF64#move}, the gradient formed there as the gradient output forms it
     * (sum x 1/n, times the old a for w and b). A non-finite result leaves a NaN in the check slots.
     */
    private static void optimize(SweepF64 s, int j, int vectors, double[] g, int at, int check) {
        final OptimizerF64 o = s.optimizer;
        final int d = s.inputDim;
        final int p = s.paddedWidth;
        double bad = 0;
        for (int v = 0; v < vectors; v++) {
            int jv = j + v * L;
            for (int k = 0; k < d; k++) {
                bad += VectorOptimizerF64.move(o, OptimizerF64.W, s.w, s.newW, k * p + jv, g,
                        at + (2 * vectors + k * vectors + v) * L, s.a, jv, L);
            }
            bad += VectorOptimizerF64.move(o, OptimizerF64.B, s.b, s.newB, jv, g, at + (vectors + v) * L, s.a, jv, L);
            bad += VectorOptimizerF64.move(o, OptimizerF64.A, s.a, s.newA, jv, g, at + v * L, null, 0, L);
        }
        if (bad != 0) {
            g[check] = Double.NaN;
        }
    }

    /**
     * After a block's backward pass, from its gradient sums (layout of the backward methods with V
     * vectors: ga of vector v at v*L, gb at (V+v)*L, gw_k at (2V + k*V + v)*L): the GD update into the
     * other buffer, w += (-lrHidden/n) a gw, b += (-lrHidden/n or 0) a gb, a += (-lrOutput/n) ga, all
     * with the old a; or the gradient goes out (gradient sums x 1/n, times the old a for w and b).
     *
     * <p>Why the update is written out here and not in a method of its own: C2 expands Vector API
     * intrinsics after parsing, and leaves those still pending when the compile unit has grown past its
     * node budget as calls to their Java fallbacks, which allocate a vector per operation. A hot method
     * under 325 bytecodes (FreqInlineSize) is inlined into its callers, and so on up into the engine: the
     * update on its own (304 bytecodes) was in some runs inlined, with the whole sweep, twice into
     * Trainer.step (batch forward and batch step), and a float64 d = 1 batch step then allocated 37-77 kB
     * (1 run in 20 under early compile thresholds; C2's compilation log showed the unexpanded
     * intrinsics). With the gradient output beside it this method is about 500 bytecodes, well over
     * that size, so C2 compiles it as a root of its own, small enough for every intrinsic, whatever
     * calls it. (Keep it over 325 bytecodes: javap -c shows the count.)
     */
    private static void finishBackward(SweepF64 s, int j, int vectors, double[] g, int at, int check) {
        if (s.update && s.optimizer != null) {
            optimize(s, j, vectors, g, at, check);
        } else if (s.update) {
            final int d = s.inputDim;
            final int p = s.paddedWidth;
            final DoubleVector stepA = DoubleVector.broadcast(SPECIES, s.stepA);
            // x*0 is NaN for inf and NaN: the sum of result*0 stays 0 only if every result is finite
            DoubleVector notFinite = DoubleVector.fromArray(SPECIES, g, check);
            for (int v = 0; v < vectors; v++) {
                int jv = j + v * L;
                DoubleVector a = DoubleVector.fromArray(SPECIES, s.a, jv);
                DoubleVector scaleW = a.mul(s.stepW);
                for (int k = 0; k < d; k++) {
                    int wk = k * p + jv;
                    int gw = at + (2 * vectors + k * vectors + v) * L;
                    DoubleVector moved = scaleW.fma(DoubleVector.fromArray(SPECIES, g, gw), DoubleVector.fromArray(SPECIES, s.w, wk));
                    moved.intoArray(s.newW, wk);
                    notFinite = moved.mul((double) 0).add(notFinite);
                }
                DoubleVector movedB = a.mul(s.stepB).fma(DoubleVector.fromArray(SPECIES, g, at + (vectors + v) * L),
                        DoubleVector.fromArray(SPECIES, s.b, jv));
                movedB.intoArray(s.newB, jv);
                // a last, from the old a read above
                DoubleVector movedA = stepA.fma(DoubleVector.fromArray(SPECIES, g, at + v * L), a);
                movedA.intoArray(s.newA, jv);
                notFinite = movedA.mul((double) 0).add(movedB.mul((double) 0)).add(notFinite);
            }
            notFinite.intoArray(g, check);
        }
        if (s.gradA != null) {
            // gradient output (not the hot path): sums x 1/n, times the old a for w and b, in float64
            final int d = s.inputDim;
            for (int v = 0; v < vectors; v++) {
                for (int lane = 0; lane < L; lane++) {
                    int jl = j + v * L + lane;
                    if (jl >= s.width) {
                        return;
                    }
                    double aj = s.a[jl];
                    s.gradA[jl] = g[at + v * L + lane] * s.invSamples;
                    s.gradB[jl] = aj * g[at + (vectors + v) * L + lane] * s.invSamples;
                    for (int k = 0; k < d; k++) {
                        s.gradW[jl * d + k] = aj * g[at + (2 * vectors + k * vectors + v) * L + lane] * s.invSamples;
                    }
                }
            }
        }
    }
}
