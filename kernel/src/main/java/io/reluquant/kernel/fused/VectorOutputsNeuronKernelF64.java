// GENERATED from VectorOutputsNeuronKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.fused;

import static io.reluquant.kernel.fused.OutputsSweepF64.OUTPUT_TILE;

import io.reluquant.kernel.sweep.OptimizerF64;
import io.reluquant.kernel.sweep.VectorOptimizerF64;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused k-output sweep on the Vector API, d &lt;= 2 (each pass in a d = 1 and a d = 2 form: at d = 1
 * the second input's FMAs, 2 of about 47 vector operations per 16 pairs at k = 10, are left out).
 * Two layouts, each where it needs no shuffle:
 *
 * <ul>
 *   <li>backward, lanes = neurons: per block of one vector of neurons and per tile of 5 outputs, the
 *       tile's a_c (5 vectors) and ga_c sums (5 vectors) stay in registers while the samples stream;
 *       per sample the residuals r_ic are broadcast, the partial k-dot e_i = sum_c a_c r_ic of earlier
 *       tiles is read from and written to one row of scratch (L values per sample, in L1), and
 *       ga_c += relu(z_i) r_ic. The last tile completes e_i, masks it (s_i = e_i [z_i &gt; 0], compare and
 *       blend) and sums gw_q += s_i x_iq and gb += s_i. Per pair and vector: 2 FMAs for z, a max, 2k
 *       FMAs, and a compare, blend, 2 FMAs and an add once per pair; no reduction across lanes.</li>
 *   <li>forward, lanes = samples: per tile of 4 vectors of samples (at d = 2 two halves of 2, see
 *       {@link #forwardTile}) and 5 outputs, the 20 sums of f stay in registers while the chunk's neurons stream (w, b and a_c broadcast from memory), so f needs
 *       neither per-sample stores nor a reduction across lanes; each sum covers the chunk's neurons in
 *       neuron order (float64), and the chunks' sums are added in float64 in chunk order by the engine.</li>
 * </ul>
 *
 * <p>As in the one-output kernel: no vector flows through a branch or a call; the loops step by
 * {@link OutputsSweepF64#stride} so C2 does not unroll them into spills.
 */
public final class VectorOutputsNeuronKernelF64 implements OutputsNeuronKernelF64 {
    static final VectorSpecies<Double> SPECIES = VectorNeuronKernelF64.SPECIES;
    static final int L = SPECIES.length();
    /** vectors of samples per forward tile: 4 x 5 sums of f in registers */
    static final int SAMPLE_VECTORS = 4;

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize() + "/float64";
    }

    @Override
    public int scratchLength(int rows, int paddedOutputs) {
        // e rows (rows x L) | ga (K x L) | gw_0, gw_1, gb, check (4 x L) | forward sums (4 x 5 x L)
        long length = ((long) rows + paddedOutputs + 4 + SAMPLE_VECTORS * OUTPUT_TILE) * L;
        if (length > Long.MAX_VALUE - 64) {
            throw new IllegalArgumentException("n = " + rows + " samples: the fused k-output path's scratch of " + length
                    + " values per thread exceeds one Java array (the mask-bit path, -Dreluquant.path=maskbit, takes more)");
        }
        return (int) length;
    }

    @Override
    public void sweep(OutputsSweepF64 s, int chunk, int from, int to, double[] g) {
        final int ga = s.rows * L;
        final int gw = ga + s.paddedOutputs * L;
        final int check = gw + 3 * L;
        if (s.backward) {
            java.util.Arrays.fill(g, check, check + L, (double) 0);
            final int tiles = s.paddedOutputs / OUTPUT_TILE;
            for (int j = from; j < to; j += L) {
                java.util.Arrays.fill(g, 0, s.samples * L, (double) 0);
                if (s.inputDim == 1) {
                    for (int t = 0; t < tiles - 1; t++) {
                        outputTileOneInput(s, j, t, g, ga);
                    }
                    lastTileOneInput(s, j, tiles - 1, g, ga, gw);
                } else {
                    for (int t = 0; t < tiles - 1; t++) {
                        outputTile(s, j, t, g, ga);
                    }
                    lastTile(s, j, tiles - 1, g, ga, gw);
                }
                finish(s, j, g, ga, gw, check);
            }
            double notFinite = 0;
            for (int lane = 0; lane < L; lane++) {
                notFinite += g[check + lane];
            }
            s.finite[chunk] = notFinite == 0;
        }
        if (s.forward) {
            final double[] a = s.update ? s.newA : s.a;
            final double[] w = s.update ? s.newW : s.w;
            final double[] b = s.update ? s.newB : s.b;
            final int acc = check + L;
            final int k = s.paddedOutputs;
            final int base = chunk * s.partialStride;
            for (int i0 = 0; i0 < s.rows; i0 += SAMPLE_VECTORS * L) {
                for (int t = 0; t < k; t += OUTPUT_TILE) {
                    if (s.inputDim == 1) {
                        forwardTileOneInput(a, w, b, s.paddedWidth, t * s.paddedWidth, from, to, s.x, s.xStride, i0, s.stride, g, acc);
                    } else {
                        forwardTile(a, w, b, s.paddedWidth, t * s.paddedWidth, from, to, s.x, s.xStride, i0, s.stride, g, acc);
                        forwardTile(a, w, b, s.paddedWidth, t * s.paddedWidth, from, to, s.x, s.xStride, i0 + 2 * L, s.stride,
                                g, acc + 2 * OUTPUT_TILE * L);
                    }
                    for (int q = 0; q < SAMPLE_VECTORS; q++) {
                        for (int c = 0; c < OUTPUT_TILE; c++) {
                            int at = acc + (q * OUTPUT_TILE + c) * L;
                            int out = base + (i0 + q * L) * k + t + c;
                            for (int lane = 0; lane < L; lane++) {
                                s.partials[out + lane * k] = g[at + lane];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A tile of 5 outputs before the last: e_i += sum_c a_c r_ic into the e rows, ga_c += relu(z_i) r_ic
     * (ga of the tile to g[ga + (5t + c) L]).
     */
    private static void outputTile(OutputsSweepF64 s, int j, int t, double[] g, int ga) {
        final double[] x = s.x;
        final double[] r = s.r;
        final int n = s.samples;
        final int p = s.paddedWidth;
        final int k = s.paddedOutputs;
        final int x1 = s.xStride;
        final int c0 = t * OUTPUT_TILE;
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector w0 = DoubleVector.fromArray(SPECIES, s.w, j);
        DoubleVector w1 = DoubleVector.fromArray(SPECIES, s.w, p + j);
        DoubleVector bj = DoubleVector.fromArray(SPECIES, s.b, j);
        DoubleVector a0 = DoubleVector.fromArray(SPECIES, s.a, c0 * p + j);
        DoubleVector a1 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 1) * p + j);
        DoubleVector a2 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 2) * p + j);
        DoubleVector a3 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 3) * p + j);
        DoubleVector a4 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 4) * p + j);
        DoubleVector ga0 = zero, ga1 = zero, ga2 = zero, ga3 = zero, ga4 = zero;
        for (int i = 0; i < n; i += s.stride) {
            DoubleVector h = w1.fma(DoubleVector.broadcast(SPECIES, x[x1 + i]),
                    w0.fma(DoubleVector.broadcast(SPECIES, x[i]), bj)).max(zero);
            int ri = i * k + c0;
            DoubleVector r0 = DoubleVector.broadcast(SPECIES, r[ri]);
            DoubleVector r1 = DoubleVector.broadcast(SPECIES, r[ri + 1]);
            DoubleVector r2 = DoubleVector.broadcast(SPECIES, r[ri + 2]);
            DoubleVector r3 = DoubleVector.broadcast(SPECIES, r[ri + 3]);
            DoubleVector r4 = DoubleVector.broadcast(SPECIES, r[ri + 4]);
            DoubleVector e = DoubleVector.fromArray(SPECIES, g, i * L);
            e = a0.fma(r0, e);
            e = a1.fma(r1, e);
            e = a2.fma(r2, e);
            e = a3.fma(r3, e);
            e = a4.fma(r4, e);
            e.intoArray(g, i * L);
            ga0 = h.fma(r0, ga0);
            ga1 = h.fma(r1, ga1);
            ga2 = h.fma(r2, ga2);
            ga3 = h.fma(r3, ga3);
            ga4 = h.fma(r4, ga4);
        }
        int at = ga + c0 * L;
        ga0.intoArray(g, at);
        ga1.intoArray(g, at + L);
        ga2.intoArray(g, at + 2 * L);
        ga3.intoArray(g, at + 3 * L);
        ga4.intoArray(g, at + 4 * L);
    }

    /**
     * The last tile of 5 outputs: as {@link #outputTile}, then s_i = e_i [z_i &gt; 0] (relu'(0) = 0),
     * gw_q += s_i x_iq, gb += s_i (to g[gw], g[gw + L], g[gw + 2L]).
     */
    private static void lastTile(OutputsSweepF64 s, int j, int t, double[] g, int ga, int gw) {
        final double[] x = s.x;
        final double[] r = s.r;
        final int n = s.samples;
        final int p = s.paddedWidth;
        final int k = s.paddedOutputs;
        final int x1 = s.xStride;
        final int c0 = t * OUTPUT_TILE;
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector w0 = DoubleVector.fromArray(SPECIES, s.w, j);
        DoubleVector w1 = DoubleVector.fromArray(SPECIES, s.w, p + j);
        DoubleVector bj = DoubleVector.fromArray(SPECIES, s.b, j);
        DoubleVector a0 = DoubleVector.fromArray(SPECIES, s.a, c0 * p + j);
        DoubleVector a1 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 1) * p + j);
        DoubleVector a2 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 2) * p + j);
        DoubleVector a3 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 3) * p + j);
        DoubleVector a4 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 4) * p + j);
        DoubleVector ga0 = zero, ga1 = zero, ga2 = zero, ga3 = zero, ga4 = zero;
        DoubleVector gw0 = zero, gw1 = zero, gb = zero;
        for (int i = 0; i < n; i += s.stride) {
            DoubleVector xi0 = DoubleVector.broadcast(SPECIES, x[i]);
            DoubleVector xi1 = DoubleVector.broadcast(SPECIES, x[x1 + i]);
            DoubleVector z = w1.fma(xi1, w0.fma(xi0, bj));
            DoubleVector h = z.max(zero);
            int ri = i * k + c0;
            DoubleVector r0 = DoubleVector.broadcast(SPECIES, r[ri]);
            DoubleVector r1 = DoubleVector.broadcast(SPECIES, r[ri + 1]);
            DoubleVector r2 = DoubleVector.broadcast(SPECIES, r[ri + 2]);
            DoubleVector r3 = DoubleVector.broadcast(SPECIES, r[ri + 3]);
            DoubleVector r4 = DoubleVector.broadcast(SPECIES, r[ri + 4]);
            DoubleVector e = DoubleVector.fromArray(SPECIES, g, i * L);
            e = a0.fma(r0, e);
            e = a1.fma(r1, e);
            e = a2.fma(r2, e);
            e = a3.fma(r3, e);
            e = a4.fma(r4, e);
            DoubleVector si = zero.blend(e, z.compare(VectorOperators.GT, zero));
            gw0 = si.fma(xi0, gw0);
            gw1 = si.fma(xi1, gw1);
            gb = si.add(gb); // the loop-carried sum as the argument, never the receiver (VectorNeuronKernelF64)
            ga0 = h.fma(r0, ga0);
            ga1 = h.fma(r1, ga1);
            ga2 = h.fma(r2, ga2);
            ga3 = h.fma(r3, ga3);
            ga4 = h.fma(r4, ga4);
        }
        int at = ga + c0 * L;
        ga0.intoArray(g, at);
        ga1.intoArray(g, at + L);
        ga2.intoArray(g, at + 2 * L);
        ga3.intoArray(g, at + 3 * L);
        ga4.intoArray(g, at + 4 * L);
        gw0.intoArray(g, gw);
        gw1.intoArray(g, gw + L);
        gb.intoArray(g, gw + 2 * L);
    }

    /**
     * The block's update into the other buffer (a_j is inside s, so w' = w + stepW gw, b' = b + stepB gb,
     * a'_c = a_c + stepA ga_c; x*0 summed into the check finds a non-finite result), or its gradient
     * (the sums over n, in float64, real neurons and outputs only).
     */
    private static void finish(OutputsSweepF64 s, int j, double[] g, int ga, int gw, int check) {
        final int p = s.paddedWidth;
        final int d = s.inputDim;
        final int k = s.paddedOutputs;
        if (s.update && s.optimizer != null) {
            optimize(s, j, g, ga, gw, check);
        } else if (s.update) {
            final DoubleVector stepW = DoubleVector.broadcast(SPECIES, s.stepW);
            final DoubleVector stepB = DoubleVector.broadcast(SPECIES, s.stepB);
            final DoubleVector stepA = DoubleVector.broadcast(SPECIES, s.stepA);
            DoubleVector notFinite = DoubleVector.fromArray(SPECIES, g, check);
            for (int q = 0; q < d; q++) {
                DoubleVector moved = DoubleVector.fromArray(SPECIES, g, gw + q * L).fma(stepW,
                        DoubleVector.fromArray(SPECIES, s.w, q * p + j));
                moved.intoArray(s.newW, q * p + j);
                notFinite = moved.mul((double) 0).add(notFinite);
            }
            DoubleVector movedB = DoubleVector.fromArray(SPECIES, g, gw + 2 * L).fma(stepB,
                    DoubleVector.fromArray(SPECIES, s.b, j));
            movedB.intoArray(s.newB, j);
            notFinite = movedB.mul((double) 0).add(notFinite);
            for (int c = 0; c < k; c++) {
                DoubleVector movedA = DoubleVector.fromArray(SPECIES, g, ga + c * L).fma(stepA,
                        DoubleVector.fromArray(SPECIES, s.a, c * p + j));
                movedA.intoArray(s.newA, c * p + j);
                notFinite = movedA.mul((double) 0).add(notFinite);
            }
            notFinite.intoArray(g, check);
        }
        if (s.gradA != null) {
            final int outputs = s.outputs;
            for (int lane = 0; lane < L && j + lane < s.width; lane++) {
                int jl = j + lane;
                for (int c = 0; c < outputs; c++) {
                    s.gradA[jl * outputs + c] = g[ga + c * L + lane] * s.invSamples;
                }
                for (int q = 0; q < d; q++) {
                    s.gradW[jl * d + q] = g[gw + q * L + lane] * s.invSamples;
                }
                s.gradB[jl] = g[gw + 2 * L + lane] * s.invSamples;
            }
        }
    }

    /**
     * The in-kernel optimizer's update of the block, through the one shared vector code (gradient = sum
     * x 1/n, a_j is inside the sums of w and b); the outputs past k stay zero in both buffers. Its own
     * method, so that no vector of finish's flows into the call.
     */
    private static void optimize(OutputsSweepF64 s, int j, double[] g, int ga, int gw, int check) {
        final OptimizerF64 o = s.optimizer;
        final int p = s.paddedWidth;
        double bad = 0;
        for (int q = 0; q < s.inputDim; q++) {
            bad += VectorOptimizerF64.move(o, OptimizerF64.W, s.w, s.newW, q * p + j, g, gw + q * L, null, 0, L);
        }
        bad += VectorOptimizerF64.move(o, OptimizerF64.B, s.b, s.newB, j, g, gw + 2 * L, null, 0, L);
        for (int c = 0; c < s.outputs; c++) {
            bad += VectorOptimizerF64.move(o, OptimizerF64.A, s.a, s.newA, c * p + j, g, ga + c * L, null, 0, L);
        }
        g[check] += bad;
    }

    /**
     * Forward of neurons [from, to) for samples [i0, i0 + 2L) and outputs [c0, c0 + 5) (a rows from
     * {@code ao = c0 P}): f_c(x_i) += a_jc relu(w_j . x_i + b_j), 10 sums in registers, written to g[acc ..)
     * (vector q, output c at (5q + c) L). Half a forward tile, called twice per tile (each sum still
     * over the chunk's neurons in neuron order, so the results are the same): with all 4 sample vectors
     * in one loop (20 sums, 4 h, u, v, b, a_c, zero live: 29 vectors) C2's compiled loop boxed its last
     * sums on every step in 4 of 4 C2-only JVMs (allocation-c2-only run, JFR: lanewise at the last FMAs),
     * the d = 1 form (one vector fewer) in none; with 2, 0 of 2. Why C2 boxes there is not known.
     */
    private static void forwardTile(double[] a, double[] w, double[] b, int p, int ao, int from, int to, double[] x,
                                    int x1, int i0, int stride, double[] g, int acc) {
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector f00 = zero, f01 = zero, f02 = zero, f03 = zero, f04 = zero;
        DoubleVector f10 = zero, f11 = zero, f12 = zero, f13 = zero, f14 = zero;
        for (int j = from; j < to; j += stride) {
            DoubleVector u = DoubleVector.broadcast(SPECIES, w[j]);
            DoubleVector v = DoubleVector.broadcast(SPECIES, w[p + j]);
            DoubleVector bj = DoubleVector.broadcast(SPECIES, b[j]);
            DoubleVector h0 = DoubleVector.fromArray(SPECIES, x, x1 + i0).fma(v,
                    DoubleVector.fromArray(SPECIES, x, i0).fma(u, bj)).max(zero);
            DoubleVector h1 = DoubleVector.fromArray(SPECIES, x, x1 + i0 + L).fma(v,
                    DoubleVector.fromArray(SPECIES, x, i0 + L).fma(u, bj)).max(zero);
            DoubleVector c = DoubleVector.broadcast(SPECIES, a[ao + j]);
            f00 = h0.fma(c, f00);
            f10 = h1.fma(c, f10);
            c = DoubleVector.broadcast(SPECIES, a[ao + p + j]);
            f01 = h0.fma(c, f01);
            f11 = h1.fma(c, f11);
            c = DoubleVector.broadcast(SPECIES, a[ao + 2 * p + j]);
            f02 = h0.fma(c, f02);
            f12 = h1.fma(c, f12);
            c = DoubleVector.broadcast(SPECIES, a[ao + 3 * p + j]);
            f03 = h0.fma(c, f03);
            f13 = h1.fma(c, f13);
            c = DoubleVector.broadcast(SPECIES, a[ao + 4 * p + j]);
            f04 = h0.fma(c, f04);
            f14 = h1.fma(c, f14);
        }
        f00.intoArray(g, acc);
        f01.intoArray(g, acc + L);
        f02.intoArray(g, acc + 2 * L);
        f03.intoArray(g, acc + 3 * L);
        f04.intoArray(g, acc + 4 * L);
        f10.intoArray(g, acc + 5 * L);
        f11.intoArray(g, acc + 6 * L);
        f12.intoArray(g, acc + 7 * L);
        f13.intoArray(g, acc + 8 * L);
        f14.intoArray(g, acc + 9 * L);
    }

    /** {@link #outputTile} at d = 1: no second input row. */
    private static void outputTileOneInput(OutputsSweepF64 s, int j, int t, double[] g, int ga) {
        final double[] x = s.x;
        final double[] r = s.r;
        final int n = s.samples;
        final int p = s.paddedWidth;
        final int k = s.paddedOutputs;
        final int c0 = t * OUTPUT_TILE;
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector w0 = DoubleVector.fromArray(SPECIES, s.w, j);
        DoubleVector bj = DoubleVector.fromArray(SPECIES, s.b, j);
        DoubleVector a0 = DoubleVector.fromArray(SPECIES, s.a, c0 * p + j);
        DoubleVector a1 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 1) * p + j);
        DoubleVector a2 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 2) * p + j);
        DoubleVector a3 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 3) * p + j);
        DoubleVector a4 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 4) * p + j);
        DoubleVector ga0 = zero, ga1 = zero, ga2 = zero, ga3 = zero, ga4 = zero;
        for (int i = 0; i < n; i += s.stride) {
            DoubleVector h = w0.fma(DoubleVector.broadcast(SPECIES, x[i]), bj).max(zero);
            int ri = i * k + c0;
            DoubleVector r0 = DoubleVector.broadcast(SPECIES, r[ri]);
            DoubleVector r1 = DoubleVector.broadcast(SPECIES, r[ri + 1]);
            DoubleVector r2 = DoubleVector.broadcast(SPECIES, r[ri + 2]);
            DoubleVector r3 = DoubleVector.broadcast(SPECIES, r[ri + 3]);
            DoubleVector r4 = DoubleVector.broadcast(SPECIES, r[ri + 4]);
            DoubleVector e = DoubleVector.fromArray(SPECIES, g, i * L);
            e = a0.fma(r0, e);
            e = a1.fma(r1, e);
            e = a2.fma(r2, e);
            e = a3.fma(r3, e);
            e = a4.fma(r4, e);
            e.intoArray(g, i * L);
            ga0 = h.fma(r0, ga0);
            ga1 = h.fma(r1, ga1);
            ga2 = h.fma(r2, ga2);
            ga3 = h.fma(r3, ga3);
            ga4 = h.fma(r4, ga4);
        }
        int at = ga + c0 * L;
        ga0.intoArray(g, at);
        ga1.intoArray(g, at + L);
        ga2.intoArray(g, at + 2 * L);
        ga3.intoArray(g, at + 3 * L);
        ga4.intoArray(g, at + 4 * L);
    }

    /** {@link #lastTile} at d = 1 (gw_1 is never written). */
    private static void lastTileOneInput(OutputsSweepF64 s, int j, int t, double[] g, int ga, int gw) {
        final double[] x = s.x;
        final double[] r = s.r;
        final int n = s.samples;
        final int p = s.paddedWidth;
        final int k = s.paddedOutputs;
        final int c0 = t * OUTPUT_TILE;
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector w0 = DoubleVector.fromArray(SPECIES, s.w, j);
        DoubleVector bj = DoubleVector.fromArray(SPECIES, s.b, j);
        DoubleVector a0 = DoubleVector.fromArray(SPECIES, s.a, c0 * p + j);
        DoubleVector a1 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 1) * p + j);
        DoubleVector a2 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 2) * p + j);
        DoubleVector a3 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 3) * p + j);
        DoubleVector a4 = DoubleVector.fromArray(SPECIES, s.a, (c0 + 4) * p + j);
        DoubleVector ga0 = zero, ga1 = zero, ga2 = zero, ga3 = zero, ga4 = zero;
        DoubleVector gw0 = zero, gb = zero;
        for (int i = 0; i < n; i += s.stride) {
            DoubleVector xi0 = DoubleVector.broadcast(SPECIES, x[i]);
            DoubleVector z = w0.fma(xi0, bj);
            DoubleVector h = z.max(zero);
            int ri = i * k + c0;
            DoubleVector r0 = DoubleVector.broadcast(SPECIES, r[ri]);
            DoubleVector r1 = DoubleVector.broadcast(SPECIES, r[ri + 1]);
            DoubleVector r2 = DoubleVector.broadcast(SPECIES, r[ri + 2]);
            DoubleVector r3 = DoubleVector.broadcast(SPECIES, r[ri + 3]);
            DoubleVector r4 = DoubleVector.broadcast(SPECIES, r[ri + 4]);
            DoubleVector e = DoubleVector.fromArray(SPECIES, g, i * L);
            e = a0.fma(r0, e);
            e = a1.fma(r1, e);
            e = a2.fma(r2, e);
            e = a3.fma(r3, e);
            e = a4.fma(r4, e);
            DoubleVector si = zero.blend(e, z.compare(VectorOperators.GT, zero));
            gw0 = si.fma(xi0, gw0);
            gb = si.add(gb); // the loop-carried sum as the argument, never the receiver (VectorNeuronKernelF64)
            ga0 = h.fma(r0, ga0);
            ga1 = h.fma(r1, ga1);
            ga2 = h.fma(r2, ga2);
            ga3 = h.fma(r3, ga3);
            ga4 = h.fma(r4, ga4);
        }
        int at = ga + c0 * L;
        ga0.intoArray(g, at);
        ga1.intoArray(g, at + L);
        ga2.intoArray(g, at + 2 * L);
        ga3.intoArray(g, at + 3 * L);
        ga4.intoArray(g, at + 4 * L);
        gw0.intoArray(g, gw);
        gb.intoArray(g, gw + 2 * L);
    }

    /** {@link #forwardTile} at d = 1: no second input row. */
    private static void forwardTileOneInput(double[] a, double[] w, double[] b, int p, int ao, int from, int to, double[] x,
                                    int x1, int i0, int stride, double[] g, int acc) {
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector f00 = zero, f01 = zero, f02 = zero, f03 = zero, f04 = zero;
        DoubleVector f10 = zero, f11 = zero, f12 = zero, f13 = zero, f14 = zero;
        DoubleVector f20 = zero, f21 = zero, f22 = zero, f23 = zero, f24 = zero;
        DoubleVector f30 = zero, f31 = zero, f32 = zero, f33 = zero, f34 = zero;
        for (int j = from; j < to; j += stride) {
            DoubleVector u = DoubleVector.broadcast(SPECIES, w[j]);
            DoubleVector bj = DoubleVector.broadcast(SPECIES, b[j]);
            DoubleVector h0 = DoubleVector.fromArray(SPECIES, x, i0).fma(u, bj).max(zero);
            DoubleVector h1 = DoubleVector.fromArray(SPECIES, x, i0 + L).fma(u, bj).max(zero);
            DoubleVector h2 = DoubleVector.fromArray(SPECIES, x, i0 + 2 * L).fma(u, bj).max(zero);
            DoubleVector h3 = DoubleVector.fromArray(SPECIES, x, i0 + 3 * L).fma(u, bj).max(zero);
            DoubleVector c = DoubleVector.broadcast(SPECIES, a[ao + j]);
            f00 = h0.fma(c, f00);
            f10 = h1.fma(c, f10);
            f20 = h2.fma(c, f20);
            f30 = h3.fma(c, f30);
            c = DoubleVector.broadcast(SPECIES, a[ao + p + j]);
            f01 = h0.fma(c, f01);
            f11 = h1.fma(c, f11);
            f21 = h2.fma(c, f21);
            f31 = h3.fma(c, f31);
            c = DoubleVector.broadcast(SPECIES, a[ao + 2 * p + j]);
            f02 = h0.fma(c, f02);
            f12 = h1.fma(c, f12);
            f22 = h2.fma(c, f22);
            f32 = h3.fma(c, f32);
            c = DoubleVector.broadcast(SPECIES, a[ao + 3 * p + j]);
            f03 = h0.fma(c, f03);
            f13 = h1.fma(c, f13);
            f23 = h2.fma(c, f23);
            f33 = h3.fma(c, f33);
            c = DoubleVector.broadcast(SPECIES, a[ao + 4 * p + j]);
            f04 = h0.fma(c, f04);
            f14 = h1.fma(c, f14);
            f24 = h2.fma(c, f24);
            f34 = h3.fma(c, f34);
        }
        f00.intoArray(g, acc);
        f01.intoArray(g, acc + L);
        f02.intoArray(g, acc + 2 * L);
        f03.intoArray(g, acc + 3 * L);
        f04.intoArray(g, acc + 4 * L);
        f10.intoArray(g, acc + 5 * L);
        f11.intoArray(g, acc + 6 * L);
        f12.intoArray(g, acc + 7 * L);
        f13.intoArray(g, acc + 8 * L);
        f14.intoArray(g, acc + 9 * L);
        f20.intoArray(g, acc + 10 * L);
        f21.intoArray(g, acc + 11 * L);
        f22.intoArray(g, acc + 12 * L);
        f23.intoArray(g, acc + 13 * L);
        f24.intoArray(g, acc + 14 * L);
        f30.intoArray(g, acc + 15 * L);
        f31.intoArray(g, acc + 16 * L);
        f32.intoArray(g, acc + 17 * L);
        f33.intoArray(g, acc + 18 * L);
        f34.intoArray(g, acc + 19 * L);
    }
}
