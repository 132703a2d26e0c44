// GENERATED from VectorOutputsKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.maskbit;

import static io.reluquant.kernel.maskbit.MaskBitLayout.FEATURE_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;
import static io.reluquant.kernel.maskbit.MaskBitLayout.ROW_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.SAMPLE_TILE;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.BITS;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.CHECK_AT;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.GB_AT;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.GW_AT;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.L;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.LANE;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.MASK_INTRINSICS;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.SIGN;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.SPECIES;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.SUB;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.TO_SIGN;
import static io.reluquant.kernel.maskbit.VectorMaskBitKernelF64.Z_AT;

import io.reluquant.kernel.sweep.OptimizerF64;
import io.reluquant.kernel.sweep.VectorOptimizerF64;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The mask-bit passes with k &gt; 1 outputs on the Vector API, lanes = neurons, built on the same
 * generated register tiles as the one-output kernel ({@link VectorMaskBitKernelF64}): the
 * pre-activation tile Z = X W^T + b (6 samples x 4 vectors of neurons) and the weight tile
 * GW += S^T X (4 features x 4 vectors). What changes with k:
 *
 * <ul>
 *   <li>forward: per sample of the z tile, relu(z) of 4 vectors of neurons is held in registers while
 *       each of the k outputs accumulates a_c . relu(z) into its own partial-sum vector (the k x m
 *       output matrix streamed from L1/L2, one load per output and vector); bits as at k = 1;</li>
 *   <li>backward: s_ij = (a_j . r_i) [z_ij &gt; 0], the per-pair k-dot (k FMAs per vector of
 *       neurons, r_ic broadcast) masked by the bits, feeds the unchanged weight tile;
 *       ga_jc = sum_i relu(z_ij) r_ic needs relu(z) itself (the k = 1 identity
 *       ga_j = w_j . gw_j + b_j gb_j uses that gw_j carries r_i alone, not a_j . r_i): it is read from
 *       the forward pass's store when the sweep has one (s.h), else recomputed tile by tile with the
 *       pre-activation tile (docs/KERNEL.md has the measured cost of each).</li>
 * </ul>
 *
 * Scratch: the masked k-dots (SAMPLE_TILE x PANEL) at 0, the z tile at Z_AT, gb and the check at
 * GB_AT/CHECK_AT, gw (D x PANEL) at GW_AT as in the one-output kernel; then ga (k x PANEL), the
 * recomputed relu(z) tile (SAMPLE_TILE x PANEL) and the forward's partial sums (SAMPLE_TILE x k x L).
 */
public final class VectorOutputsKernelF64 implements OutputsKernelF64 {
    static {
        if (VectorMaskBitKernelF64.V != 4) {
            throw new IllegalStateException("the k-output forward holds 4 vectors of relu(z): V must be 4");
        }
    }

    @Override
    public String name() {
        return "maskbit/vector-" + SPECIES.vectorBitSize() + "/float64";
    }

    @Override
    public int scratchLength(int features, int outputs) {
        return forwardAt(features, outputs) + SAMPLE_TILE * outputs * L;
    }

    private static int gaAt(int features) {
        return GW_AT + features * PANEL;
    }

    private static int reluAt(int features, int outputs) {
        return gaAt(features) + outputs * PANEL;
    }

    private static int forwardAt(int features, int outputs) {
        return reluAt(features, outputs) + SAMPLE_TILE * PANEL;
    }

    // ---------------------------------------------------------------- backward

    @Override
    public void backward(MaskBitSweepF64 s, int p, double[] g) {
        final int features = s.features;
        final int k = s.outputs;
        final int gaAt = gaAt(features);
        final int reluAt = reluAt(features, k);
        java.util.Arrays.fill(g, GB_AT, gaAt + k * PANEL, (double) 0);
        for (int i0 = 0; i0 < s.samples; i0 += SAMPLE_TILE) {
            int rows = Math.min(SAMPLE_TILE, s.samples - i0);
            if (s.h == null) {
                recompute(s, p, i0, rows, g, reluAt);
            }
            expand(s, p, i0, rows, g);
            if (s.h == null) {
                outputSums(s.r, k, g, reluAt, PANEL, i0, rows, g, gaAt);
            } else {
                outputSums(s.r, k, s.h, i0 * s.paddedWidth + p * PANEL, s.paddedWidth, i0, rows, g, gaAt);
            }
            for (int k0 = 0; k0 < features; k0 += FEATURE_TILE) {
                for (int sub = 0; sub < PANEL; sub += SUB) {
                    MaskBitTilesF64.weightTile(s.x, features, i0, rows, k0, sub, g);
                }
            }
        }
        if (s.update && s.optimizer != null) {
            optimize(s, p, g, gaAt);
        } else if (s.update) {
            move(s, p, g, gaAt);
        } else {
            MaskBitGradientF64.writeOutputs(s, p, g, gaAt, GB_AT, GW_AT);
        }
    }

    /** relu(z) of samples [i0, i0+rows) x panel p into g[reluAt ..) (row i at i*PANEL), by the forward's tile. */
    private static void recompute(MaskBitSweepF64 s, int p, int i0, int rows, double[] g, int reluAt) {
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        final int features = s.features;
        for (int i = 0; i < rows; i += ROW_TILE) {
            for (int sub = 0; sub < PANEL; sub += SUB) {
                MaskBitTilesF64.preActivationTile(s.x, features, i0 + i, s.w, p * PANEL * features + sub, s.b,
                        p * PANEL + sub, g);
                for (int r = 0; r < ROW_TILE; r++) {
                    for (int v = 0; v < SUB; v += L) {
                        DoubleVector.fromArray(SPECIES, g, Z_AT + r * PANEL + v).max(zero)
                                .intoArray(g, reluAt + (i + r) * PANEL + sub + v);
                    }
                }
            }
        }
    }

    /**
     * s_ij = (a_j . r_i) [z_ij > 0] of samples [i0, i0+rows) for panel p into g[0 ..) (row i at i*PANEL),
     * and their sums into gb. The mask from the bits as in the one-output kernel.
     */
    private static void expand(MaskBitSweepF64 s, int p, int i0, int rows, double[] g) {
        final LongVector toSign = TO_SIGN;
        final long[] bits = s.bits;
        final double[] r = s.r;
        final double[] a = s.a;
        final int panels = s.panels;
        final int k = s.outputs;
        final int mp = s.paddedWidth;
        for (int c = 0; c < PANEL; c += L) {
            final int j = p * PANEL + c;
            DoubleVector gb = DoubleVector.fromArray(SPECIES, g, GB_AT + c);
            for (int i = 0; i < rows; i++) {
                int ri = (i0 + i) * k;
                DoubleVector dot = DoubleVector.fromArray(SPECIES, a, j).mul(r[ri]);
                for (int o = 1; o < k; o++) {
                    dot = DoubleVector.fromArray(SPECIES, a, o * mp + j).fma(DoubleVector.broadcast(SPECIES, r[ri + o]), dot);
                }
                long word = bits[(i0 + i) * panels + p];
                DoubleVector si = MASK_INTRINSICS
                        ? DoubleVector.zero(SPECIES).blend(dot, VectorMask.fromLong(SPECIES, word >>> c))
                        : LongVector.broadcast(BITS, (int) (word >>> c))
                                .lanewise(VectorOperators.LSHL, toSign)
                                .lanewise(VectorOperators.ASHR, SIGN)
                                .and(dot.reinterpretAsLongs())
                                .reinterpretAsDoubles();
                si.intoArray(g, i * PANEL + c);
                gb = si.add(gb); // the loop-carried sum as the argument, never the receiver (VectorNeuronKernelF64)
            }
            gb.intoArray(g, GB_AT + c);
        }
    }

    /**
     * ga_c += sum over the tile's samples of relu(z_i) r_ic, relu(z) of sample i0+i at h[at + i*stride ..)
     * (the forward's store, or the recomputed tile).
     */
    private static void outputSums(double[] r, int k, double[] h, int at, int stride, int i0, int rows, double[] g, int gaAt) {
        for (int c = 0; c < PANEL; c += L) {
            for (int o = 0; o < k; o++) {
                DoubleVector acc = DoubleVector.fromArray(SPECIES, g, gaAt + o * PANEL + c);
                for (int i = 0; i < rows; i++) {
                    acc = DoubleVector.fromArray(SPECIES, h, at + i * stride + c)
                            .fma(DoubleVector.broadcast(SPECIES, r[(i0 + i) * k + o]), acc);
                }
                acc.intoArray(g, gaAt + o * PANEL + c);
            }
        }
    }

    /**
     * The in-kernel optimizer's update of panel p: each feature's row of w, b, then each output's row of
     * a, a run of PANEL neurons each, through the one shared {@link VectorOptimizerF64#move}
     * (gradient = sum x 1/n: a_j is inside the sums).
     */
    private static void optimize(MaskBitSweepF64 s, int p, double[] g, int gaAt) {
        final OptimizerF64 o = s.optimizer;
        final int features = s.features;
        final int base = p * PANEL * features;
        final int j = p * PANEL;
        final int mp = s.paddedWidth;
        double bad = 0;
        for (int q = 0; q < features; q++) {
            bad += VectorOptimizerF64.move(o, OptimizerF64.W, s.w, s.newW, base + q * PANEL, g, GW_AT + q * PANEL, null, 0,
                    PANEL);
        }
        bad += VectorOptimizerF64.move(o, OptimizerF64.B, s.b, s.newB, j, g, GB_AT, null, 0, PANEL);
        for (int c = 0; c < s.outputs; c++) {
            bad += VectorOptimizerF64.move(o, OptimizerF64.A, s.a, s.newA, c * mp + j, g, gaAt + c * PANEL, null, 0, PANEL);
        }
        s.finite[p] = bad == 0;
    }

    /**
     * The update of panel p: w' = w + stepW gw and b' = b + stepB gb (a_j is inside the sums),
     * a'_c = a_c + stepA ga_c; finite[p] from x*0 summed through the scratch (no vector carried across
     * loop iterations: JDK 17 boxed those, see the one-output kernel).
     */
    private static void move(MaskBitSweepF64 s, int p, double[] g, int gaAt) {
        final int features = s.features;
        final int base = p * PANEL * features;
        final int k = s.outputs;
        final int mp = s.paddedWidth;
        final DoubleVector stepW = DoubleVector.broadcast(SPECIES, s.stepW);
        final DoubleVector stepB = DoubleVector.broadcast(SPECIES, s.stepB);
        final DoubleVector stepA = DoubleVector.broadcast(SPECIES, s.stepA);
        java.util.Arrays.fill(g, CHECK_AT, CHECK_AT + L, (double) 0);
        for (int q = 0; q < features; q++) {
            for (int c = 0; c < PANEL; c += L) {
                int at = base + q * PANEL + c;
                DoubleVector moved = DoubleVector.fromArray(SPECIES, g, GW_AT + q * PANEL + c)
                        .fma(stepW, DoubleVector.fromArray(SPECIES, s.w, at));
                moved.intoArray(s.newW, at);
                moved.mul((double) 0).add(DoubleVector.fromArray(SPECIES, g, CHECK_AT)).intoArray(g, CHECK_AT);
            }
        }
        for (int c = 0; c < PANEL; c += L) {
            int j = p * PANEL + c;
            DoubleVector nb = DoubleVector.fromArray(SPECIES, g, GB_AT + c).fma(stepB, DoubleVector.fromArray(SPECIES, s.b, j));
            nb.intoArray(s.newB, j);
            nb.mul((double) 0).add(DoubleVector.fromArray(SPECIES, g, CHECK_AT)).intoArray(g, CHECK_AT);
            for (int o = 0; o < k; o++) {
                DoubleVector na = DoubleVector.fromArray(SPECIES, g, gaAt + o * PANEL + c)
                        .fma(stepA, DoubleVector.fromArray(SPECIES, s.a, o * mp + j));
                na.intoArray(s.newA, o * mp + j);
                na.mul((double) 0).add(DoubleVector.fromArray(SPECIES, g, CHECK_AT)).intoArray(g, CHECK_AT);
            }
        }
        double notFinite = 0;
        for (int lane = 0; lane < L; lane++) {
            notFinite += g[CHECK_AT + lane];
        }
        s.finite[p] = notFinite == 0;
    }

    // ---------------------------------------------------------------- forward

    @Override
    public void forward(MaskBitSweepF64 s, int from, int to, double[] g) {
        final double[] a = s.forwardUpdated ? s.newA : s.a;
        final double[] w = s.forwardUpdated ? s.newW : s.w;
        final double[] b = s.forwardUpdated ? s.newB : s.b;
        final int features = s.features;
        final int k = s.outputs;
        final int fAt = forwardAt(features, k);
        java.util.Arrays.fill(g, fAt, fAt + (to - from) * k * L, (double) 0);
        for (int p = 0; p < s.panels; p++) {
            for (int sub = 0; sub < PANEL; sub += SUB) {
                for (int i = from; i < to; i += ROW_TILE) {
                    MaskBitTilesF64.preActivationTile(s.x, features, i, w, p * PANEL * features + sub, b, p * PANEL + sub, g);
                    activate(s, a, p, sub, i, i - from, g, fAt);
                }
            }
        }
        for (int i = from; i < to; i++) {
            for (int o = 0; o < k; o++) {
                // lanes summed in a fixed order, in double: the result does not depend on the JIT
                double sum = 0;
                int at = fAt + ((i - from) * k + o) * L;
                for (int lane = 0; lane < L; lane++) {
                    sum += g[at + lane];
                }
                s.fk[i * k + o] = sum;
            }
        }
    }

    /**
     * For the 6 samples of the z tile: relu(z) of the sub-panel's 4 vectors in registers, each output's
     * partial sums += a_c relu(z); relu(z) into the store when the sweep has one; the activation bits
     * (the first sub-panel starts the word).
     */
    private static void activate(MaskBitSweepF64 s, double[] a, int p, int sub, int i, int row, double[] g, int fAt) {
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        final int j = p * PANEL + sub;
        final int k = s.outputs;
        final int mp = s.paddedWidth;
        for (int r = 0; r < ROW_TILE; r++) {
            int zAt = Z_AT + r * PANEL;
            DoubleVector z0 = DoubleVector.fromArray(SPECIES, g, zAt);
            DoubleVector z1 = DoubleVector.fromArray(SPECIES, g, zAt + L);
            DoubleVector z2 = DoubleVector.fromArray(SPECIES, g, zAt + 2 * L);
            DoubleVector z3 = DoubleVector.fromArray(SPECIES, g, zAt + 3 * L);
            DoubleVector h0 = z0.max(zero);
            DoubleVector h1 = z1.max(zero);
            DoubleVector h2 = z2.max(zero);
            DoubleVector h3 = z3.max(zero);
            int acc = fAt + (row + r) * k * L;
            for (int o = 0; o < k; o++) {
                int ao = o * mp + j;
                DoubleVector f = DoubleVector.fromArray(SPECIES, g, acc + o * L);
                f = DoubleVector.fromArray(SPECIES, a, ao).fma(h0, f);
                f = DoubleVector.fromArray(SPECIES, a, ao + L).fma(h1, f);
                f = DoubleVector.fromArray(SPECIES, a, ao + 2 * L).fma(h2, f);
                f = DoubleVector.fromArray(SPECIES, a, ao + 3 * L).fma(h3, f);
                f.intoArray(g, acc + o * L);
            }
            if (s.writeBits) {
                // z reloaded from the tile and no vector passed to a method: a vector argument of a call
                // C2 does not inline is boxed (measured: 2 boxes per sample under
                // -XX:CompileThresholdScaling=0.05, AllocationTest's early-compile run)
                final LongVector lane = LANE;
                long word = 0;
                for (int v = 0; v < VectorMaskBitKernelF64.V; v++) {
                    DoubleVector z = DoubleVector.fromArray(SPECIES, g, zAt + v * L);
                    if (s.h != null) {
                        z.max(zero).intoArray(s.h, (i + r) * mp + j + v * L);
                    }
                    long chunk = MASK_INTRINSICS
                            ? z.compare(VectorOperators.GT, zero).toLong()
                            : zero.sub(z).reinterpretAsLongs()
                                    .lanewise(VectorOperators.LSHR, SIGN)
                                    .lanewise(VectorOperators.LSHL, lane)
                                    .reduceLanes(VectorOperators.OR);
                    word |= chunk << (sub + v * L);
                }
                int at = (i + r) * s.panels + p;
                s.bits[at] = sub == 0 ? word : s.bits[at] | word;
            }
        }
    }
}
