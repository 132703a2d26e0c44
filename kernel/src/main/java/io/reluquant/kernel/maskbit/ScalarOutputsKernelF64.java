// GENERATED from ScalarOutputsKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.maskbit;

import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;

import io.reluquant.kernel.sweep.OptimizerF64;

/**
 * The k-output mask-bit passes in scalar Java: the fallback when the Vector API is not available
 * (the same layouts and the same sums as {@link VectorOutputsKernelF64}, one neuron at a time, so
 * only the order of additions differs).
 */
public final class ScalarOutputsKernelF64 implements OutputsKernelF64 {
    // scratch: gb (PANEL) | gw (D x PANEL) | ga (k x PANEL) | the forward's sums (k)
    private static final int GB_AT = 0;
    private static final int GW_AT = PANEL;

    @Override
    public String name() {
        return "maskbit/scalar/float64";
    }

    @Override
    public int scratchLength(int features, int outputs) {
        return GW_AT + features * PANEL + outputs * PANEL + outputs;
    }

    @Override
    public void backward(MaskBitSweepF64 s, int p, double[] g) {
        final int features = s.features;
        final int k = s.outputs;
        final int mp = s.paddedWidth;
        final int gaAt = GW_AT + features * PANEL;
        final double[] x = s.x;
        final int base = p * PANEL * features;
        java.util.Arrays.fill(g, 0, gaAt + k * PANEL, (double) 0);
        for (int i = 0; i < s.samples; i++) {
            long word = s.bits[i * s.panels + p];
            for (int t = 0; t < PANEL; t++) {
                int j = p * PANEL + t;
                double h;
                if (s.h != null) {
                    h = s.h[i * mp + j];
                } else { // the forward's sum, in the same order: the same z
                    double z = s.b[j];
                    for (int q = 0; q < features; q++) {
                        z += s.w[base + q * PANEL + t] * x[i * features + q];
                    }
                    h = Math.max(z, 0);
                }
                double dot = 0;
                for (int o = 0; o < k; o++) {
                    double ro = s.r[i * k + o];
                    g[gaAt + o * PANEL + t] += h * ro;
                    dot += s.a[o * mp + j] * ro;
                }
                if ((word >>> t & 1) != 0) { // [z > 0]: inactive terms are exact zeros
                    g[GB_AT + t] += dot;
                    for (int q = 0; q < features; q++) {
                        g[GW_AT + q * PANEL + t] += dot * x[i * features + q];
                    }
                }
            }
        }
        if (!s.update) {
            MaskBitGradientF64.writeOutputs(s, p, g, gaAt, GB_AT, GW_AT);
            return;
        }
        double check = 0; // NaN when an updated parameter is not finite (inf*0 = NaN)
        if (s.optimizer != null) {
            // the in-kernel optimizer, through its one shared scalar code; gradient = sum x 1/n (a_j is inside)
            OptimizerF64 o = s.optimizer;
            double inv = o.invN;
            for (int t = 0; t < PANEL; t++) {
                int j = p * PANEL + t;
                for (int q = 0; q < features; q++) {
                    int at = base + q * PANEL + t;
                    double moved = o.move(OptimizerF64.W, at, s.w[at], g[GW_AT + q * PANEL + t] * inv);
                    s.newW[at] = moved;
                    check += moved * 0;
                }
                double nb = o.move(OptimizerF64.B, j, s.b[j], g[GB_AT + t] * inv);
                s.newB[j] = nb;
                check += nb * 0;
                for (int c = 0; c < k; c++) {
                    double na = o.move(OptimizerF64.A, c * mp + j, s.a[c * mp + j], g[gaAt + c * PANEL + t] * inv);
                    s.newA[c * mp + j] = na;
                    check += na * 0;
                }
            }
            s.finite[p] = check == 0;
            return;
        }
        for (int t = 0; t < PANEL; t++) {
            int j = p * PANEL + t;
            for (int q = 0; q < features; q++) {
                int at = base + q * PANEL + t;
                double moved = s.w[at] + s.stepW * g[GW_AT + q * PANEL + t];
                s.newW[at] = moved;
                check += moved * 0;
            }
            double nb = s.b[j] + s.stepB * g[GB_AT + t];
            s.newB[j] = nb;
            check += nb * 0;
            for (int o = 0; o < k; o++) {
                double na = s.a[o * mp + j] + s.stepA * g[gaAt + o * PANEL + t];
                s.newA[o * mp + j] = na;
                check += na * 0;
            }
        }
        s.finite[p] = check == 0;
    }

    @Override
    public void forward(MaskBitSweepF64 s, int from, int to, double[] g) {
        final double[] a = s.forwardUpdated ? s.newA : s.a;
        final double[] w = s.forwardUpdated ? s.newW : s.w;
        final double[] b = s.forwardUpdated ? s.newB : s.b;
        final int features = s.features;
        final int k = s.outputs;
        final int mp = s.paddedWidth;
        final int fAt = GW_AT + features * PANEL + k * PANEL;
        final double[] x = s.x;
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(g, fAt, fAt + k, (double) 0);
            for (int p = 0; p < s.panels; p++) {
                long word = 0;
                int base = p * PANEL * features;
                for (int t = 0; t < PANEL; t++) {
                    int j = p * PANEL + t;
                    double z = b[j];
                    for (int q = 0; q < features; q++) {
                        z += w[base + q * PANEL + t] * x[i * features + q];
                    }
                    double h = Math.max(z, 0);
                    if (s.writeBits && s.h != null) {
                        s.h[i * mp + j] = h;
                    }
                    if (z > 0) {
                        word |= 1L << t;
                        for (int o = 0; o < k; o++) {
                            g[fAt + o] += a[o * mp + j] * h;
                        }
                    }
                }
                if (s.writeBits) {
                    s.bits[i * s.panels + p] = word;
                }
            }
            for (int o = 0; o < k; o++) {
                s.fk[i * k + o] = g[fAt + o];
            }
        }
    }
}
