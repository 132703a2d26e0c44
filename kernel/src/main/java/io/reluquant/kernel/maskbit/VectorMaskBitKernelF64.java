// GENERATED from VectorMaskBitKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.maskbit;

import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;
import static io.reluquant.kernel.maskbit.MaskBitLayout.ROW_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.SAMPLE_TILE;

import io.reluquant.kernel.sweep.OptimizerF64;
import io.reluquant.kernel.sweep.VectorOptimizerF64;
import io.reluquant.kernel.vectorization.KernelProvider;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The mask-bit step on the Vector API: two GEMM-like passes with register tiles, lanes = neurons.
 *
 * <p>Backward, per panel of 64 neurons, tile by tile of samples: the masked residuals
 * s_ij = r_i [z_ij > 0] of the tile are expanded from the activation bits into a small block in L1
 * (samples x 64), then GW += S^T X by a tile of 4 features x 4 vectors of neurons (16 accumulators
 * over the tile's samples; each x_ik broadcast once for 4 vectors). The panel's input-weight sums
 * (D x 64) stay in L2. The register tiles are generated (MaskBitTilesF64, from this class's V and
 * MaskBitLayout's tile sizes). Then ga_j = w_j . gw_j + b_j gb_j and the update.
 *
 * <p>Forward, per task of up to 96 samples: for every panel, Z = X W^T + b by a tile of 6 samples x
 * 4 vectors of neurons (24 accumulators, the panel's weights streamed from L2, each x_ik broadcast
 * once for 4 vectors), then relu, the a-weighted partial sums of f(x_i) and the new activation bits.
 *
 * <p>Bits to lanes and back: on JDK 19 and later VectorMask.fromLong/toLong, which C2 compiles to
 * a mask-register move; JDK 17 does not intrinsify them (it loops over a boolean array and
 * allocates), so there only lane-wise integer shifts are used: lane t of a chunk is bit t shifted to
 * the sign position and spread by an arithmetic shift, then ANDed with the residual's bit pattern;
 * [z > 0] is the sign bit of 0 - z (0 - (+-0) = +0, so zero is inactive, relu'(0) = 0), moved to bit
 * t and ORed across the lanes. Both give the same bits.
 */
public final class VectorMaskBitKernelF64 implements MaskBitKernelF64 {
    static final VectorSpecies<Double> SPECIES =
            VectorSpecies.of(double.class, VectorShape.forBitSize(KernelProvider.vectorBits()));
    /** integer lanes of the same width and count, for the bit manipulations */
    static final VectorSpecies<Long> BITS =
            VectorSpecies.of(long.class, VectorShape.forBitSize(KernelProvider.vectorBits()));
    static final int L = SPECIES.length();
    /** vectors of neurons per register tile */
    static final int V = 4;
    /** neurons per register tile (a sub-panel) */
    static final int SUB = V * L;
    /** position of the sign bit in a lane */
    static final int SIGN = Double.SIZE - 1;
    /** lane t holds t; and SIGN - t: the shifts between bit t of a word and the sign bit of lane t
     *  (constants: computed per call, JDK 17 allocated the index vector) */
    static final LongVector LANE = LongVector.zero(BITS).addIndex(1);
    static final LongVector TO_SIGN = LongVector.broadcast(BITS, SIGN).sub(LANE);
    /** VectorMask.fromLong/toLong are intrinsics from JDK 19 on (a constant: C2 folds the branches) */
    static final boolean MASK_INTRINSICS = Runtime.version().feature() >= 19;
    /** scratch layout: masked residuals (SAMPLE_TILE x PANEL), then the forward's z tile (ROW_TILE x PANEL),
     *  the forward's partial sums (SAMPLE_TILE x L), ga, gb (PANEL each), the finiteness check (L), then gw (D x PANEL) */
    static final int Z_AT = SAMPLE_TILE * PANEL;
    static final int F_AT = Z_AT + ROW_TILE * PANEL;
    static final int GA_AT = F_AT + SAMPLE_TILE * L;
    static final int GB_AT = GA_AT + PANEL;
    static final int CHECK_AT = GB_AT + PANEL;
    static final int GW_AT = CHECK_AT + L;

    @Override
    public String name() {
        return "maskbit/vector-" + SPECIES.vectorBitSize() + "/float64";
    }

    @Override
    public int scratchLength(int features) {
        return GW_AT + features * PANEL;
    }

    // ---------------------------------------------------------------- backward

    @Override
    public void backward(MaskBitSweepF64 s, int p, double[] g) {
        final int features = s.features;
        java.util.Arrays.fill(g, GB_AT, GW_AT + features * PANEL, (double) 0);
        for (int i0 = 0; i0 < s.samples; i0 += SAMPLE_TILE) {
            int rows = Math.min(SAMPLE_TILE, s.samples - i0);
            expand(s, p, i0, rows, g);
            for (int k0 = 0; k0 < features; k0 += MaskBitLayout.FEATURE_TILE) {
                for (int sub = 0; sub < PANEL; sub += SUB) {
                    MaskBitTilesF64.weightTile(s.x, features, i0, rows, k0, sub, g);
                }
            }
        }
        moveOrWrite(s, p, g);
    }

    /**
     * Masked residuals of samples [i0, i0+rows) for panel p into g[0 ..) (row i at i*PANEL), and their
     * sums into gb. Lane t of chunk c: bit c*L + t of the word, moved to the sign bit and spread.
     */
    private static void expand(MaskBitSweepF64 s, int p, int i0, int rows, double[] g) {
        final LongVector toSign = TO_SIGN;
        final long[] bits = s.bits;
        final double[] r = s.r;
        final int panels = s.panels;
        for (int c = 0; c < PANEL; c += L) {
            DoubleVector gb = DoubleVector.fromArray(SPECIES, g, GB_AT + c);
            for (int i = 0; i < rows; i++) {
                long word = bits[(i0 + i) * panels + p];
                DoubleVector si = MASK_INTRINSICS
                        ? DoubleVector.zero(SPECIES).blend(r[i0 + i], VectorMask.fromLong(SPECIES, word >>> c))
                        : LongVector.broadcast(BITS, (int) (word >>> c))
                                .lanewise(VectorOperators.LSHL, toSign)
                                .lanewise(VectorOperators.ASHR, SIGN)
                                .and(LongVector.broadcast(BITS, Double.doubleToRawLongBits(r[i0 + i])))
                                .reinterpretAsDoubles();
                si.intoArray(g, i * PANEL + c);
                gb = si.add(gb); // the loop-carried sum as the argument, never the receiver (VectorNeuronKernelF64)
            }
            gb.intoArray(g, GB_AT + c);
        }
    }

    /**
     * ga_j = w_j . gw_j + b_j gb_j (= sum_i r_i relu(z_ij), since relu(z) = [z > 0] z), then either the
     * update into the new buffers or the gradient out. (Two loops rather than one with a branch: a
     * vector merged at a control-flow join is boxed by JDK 17.)
     */
    private static void moveOrWrite(MaskBitSweepF64 s, int p, double[] g) {
        if (s.update && s.optimizer != null) {
            optimize(s, p, g);
        } else if (s.update) {
            move(s, p, g);
        } else {
            outputSums(s, p, g);
            MaskBitGradientF64.write(s, p, g, GA_AT, GB_AT, GW_AT);
        }
    }

    /**
     * The in-kernel optimizer's update of panel p: ga as the gradient output forms it, then each
     * feature's row of w, then b and a, each a run of PANEL neurons through the one shared
     * {@link VectorOptimizerF64#move} (gradient = sum x 1/n, times the old a for w and b).
     */
    private static void optimize(MaskBitSweepF64 s, int p, double[] g) {
        final OptimizerF64 o = s.optimizer;
        final int features = s.features;
        final int base = p * PANEL * features;
        final int j = p * PANEL;
        outputSums(s, p, g);
        double bad = 0;
        for (int k = 0; k < features; k++) {
            bad += VectorOptimizerF64.move(o, OptimizerF64.W, s.w, s.newW, base + k * PANEL, g, GW_AT + k * PANEL, s.a, j,
                    PANEL);
        }
        bad += VectorOptimizerF64.move(o, OptimizerF64.B, s.b, s.newB, j, g, GB_AT, s.a, j, PANEL);
        bad += VectorOptimizerF64.move(o, OptimizerF64.A, s.a, s.newA, j, g, GA_AT, null, 0, PANEL);
        s.finite[p] = bad == 0;
    }

    /**
     * The update of panel p: w and b move with the old a, then a; finite[p] from x*0 (NaN for inf and
     * NaN). Every vector goes through the scratch array (ga at GA_AT, the check at CHECK_AT) rather than
     * being carried across loop iterations: JDK 17's C2 boxed the vectors carried by these short loops
     * (measured: 36 kB per step at d = 8 in {@literal float32}, AllocationTest).
     */
    private static void move(MaskBitSweepF64 s, int p, double[] g) {
        final int features = s.features;
        final int base = p * PANEL * features;
        startSums(s, p, g);
        for (int k = 0; k < features; k++) {
            for (int c = 0; c < PANEL; c += L) {
                int at = base + k * PANEL + c;
                DoubleVector wk = DoubleVector.fromArray(SPECIES, s.w, at);
                DoubleVector gwk = DoubleVector.fromArray(SPECIES, g, GW_AT + k * PANEL + c);
                wk.fma(gwk, DoubleVector.fromArray(SPECIES, g, GA_AT + c)).intoArray(g, GA_AT + c);
                DoubleVector moved = DoubleVector.fromArray(SPECIES, s.a, p * PANEL + c).mul(s.stepW).fma(gwk, wk);
                moved.intoArray(s.newW, at);
                moved.mul((double) 0).add(DoubleVector.fromArray(SPECIES, g, CHECK_AT)).intoArray(g, CHECK_AT);
            }
        }
        for (int c = 0; c < PANEL; c += L) {
            int j = p * PANEL + c;
            DoubleVector a = DoubleVector.fromArray(SPECIES, s.a, j);
            DoubleVector nb = a.mul(s.stepB).fma(DoubleVector.fromArray(SPECIES, g, GB_AT + c), DoubleVector.fromArray(SPECIES, s.b, j));
            DoubleVector na = DoubleVector.fromArray(SPECIES, g, GA_AT + c).fma(DoubleVector.broadcast(SPECIES, s.stepA), a);
            nb.intoArray(s.newB, j);
            na.intoArray(s.newA, j);
            nb.add(na).mul((double) 0).add(DoubleVector.fromArray(SPECIES, g, CHECK_AT)).intoArray(g, CHECK_AT);
        }
        double notFinite = 0;
        for (int lane = 0; lane < L; lane++) {
            notFinite += g[CHECK_AT + lane];
        }
        s.finite[p] = notFinite == 0;
    }

    /** ga = b gb into g[GA_AT ..) and the check slot cleared. */
    private static void startSums(MaskBitSweepF64 s, int p, double[] g) {
        for (int c = 0; c < PANEL; c += L) {
            DoubleVector.fromArray(SPECIES, s.b, p * PANEL + c).mul(DoubleVector.fromArray(SPECIES, g, GB_AT + c))
                    .intoArray(g, GA_AT + c);
        }
        java.util.Arrays.fill(g, CHECK_AT, CHECK_AT + L, (double) 0);
    }

    /** ga of panel p into g[GA_AT ..) for the gradient output. */
    private static void outputSums(MaskBitSweepF64 s, int p, double[] g) {
        final int features = s.features;
        final int base = p * PANEL * features;
        startSums(s, p, g);
        for (int k = 0; k < features; k++) {
            for (int c = 0; c < PANEL; c += L) {
                DoubleVector.fromArray(SPECIES, s.w, base + k * PANEL + c)
                        .fma(DoubleVector.fromArray(SPECIES, g, GW_AT + k * PANEL + c), DoubleVector.fromArray(SPECIES, g, GA_AT + c))
                        .intoArray(g, GA_AT + c);
            }
        }
    }

    // ---------------------------------------------------------------- forward

    @Override
    public void forward(MaskBitSweepF64 s, int from, int to, double[] g) {
        final double[] a = s.forwardUpdated ? s.newA : s.a;
        final double[] w = s.forwardUpdated ? s.newW : s.w;
        final double[] b = s.forwardUpdated ? s.newB : s.b;
        final int features = s.features;
        java.util.Arrays.fill(g, F_AT, F_AT + (to - from) * L, (double) 0);
        for (int p = 0; p < s.panels; p++) {
            for (int sub = 0; sub < PANEL; sub += SUB) {
                for (int i = from; i < to; i += ROW_TILE) {
                    MaskBitTilesF64.preActivationTile(s.x, features, i, w, p * PANEL * features + sub, b, p * PANEL + sub, g);
                    activate(s, a, p, sub, i, i - from, g);
                }
            }
        }
        for (int i = from; i < to; i++) {
            // lanes summed in a fixed order, in double: the result does not depend on the JIT
            double sum = 0;
            int at = F_AT + (i - from) * L;
            for (int lane = 0; lane < L; lane++) {
                sum += g[at + lane];
            }
            s.f[i] = sum;
        }
    }

    /**
     * For the 6 samples of the z tile: partial f += a relu(z) per lane, and the sub-panel's activation
     * bits into the samples' words of panel p (the first sub-panel starts the word).
     */
    private static void activate(MaskBitSweepF64 s, double[] a, int p, int sub, int i, int row, double[] g) {
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        final LongVector lane = LANE;
        final int j = p * PANEL + sub;
        for (int r = 0; r < ROW_TILE; r++) {
            int fAt = F_AT + (row + r) * L;
            DoubleVector f = DoubleVector.fromArray(SPECIES, g, fAt);
            long word = 0;
            for (int v = 0; v < V; v++) {
                DoubleVector z = DoubleVector.fromArray(SPECIES, g, Z_AT + r * PANEL + v * L);
                f = DoubleVector.fromArray(SPECIES, a, j + v * L).fma(z.max(zero), f);
                long chunk = MASK_INTRINSICS
                        ? z.compare(VectorOperators.GT, zero).toLong()
                        : zero.sub(z).reinterpretAsLongs()
                                .lanewise(VectorOperators.LSHR, SIGN)
                                .lanewise(VectorOperators.LSHL, lane)
                                .reduceLanes(VectorOperators.OR);
                word |= chunk << (sub + v * L);
            }
            f.intoArray(g, fAt);
            if (s.writeBits) {
                int at = (i + r) * s.panels + p;
                s.bits[at] = sub == 0 ? word : s.bits[at] | word;
            }
        }
    }
}
