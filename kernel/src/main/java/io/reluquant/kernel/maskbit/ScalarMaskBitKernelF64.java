// GENERATED from ScalarMaskBitKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.maskbit;

import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;

import io.reluquant.kernel.sweep.OptimizerF64;

/**
 * The mask-bit step in plain scalar Java: what runs when the Vector API is unavailable. Same layouts,
 * same activation bits and the same identity ga_j = w_j . gw_j + b_j gb_j as the vector kernel, one
 * neuron at a time.
 */
public final class ScalarMaskBitKernelF64 implements MaskBitKernelF64 {
    // scratch: ga (PANEL) | gb (PANEL) | gw (D x PANEL)
    private static final int GA_AT = 0;
    private static final int GB_AT = PANEL;
    private static final int GW_AT = 2 * PANEL;

    @Override
    public String name() {
        return "maskbit/scalar/float64";
    }

    @Override
    public int scratchLength(int features) {
        return GW_AT + features * PANEL;
    }

    @Override
    public void backward(MaskBitSweepF64 s, int p, double[] g) {
        final int features = s.features;
        final double[] x = s.x;
        java.util.Arrays.fill(g, 0, GW_AT + features * PANEL, (double) 0);
        for (int i = 0; i < s.samples; i++) {
            long word = s.bits[i * s.panels + p];
            double ri = s.r[i];
            for (int t = 0; t < PANEL; t++) {
                if ((word >>> t & 1) != 0) { // [z > 0]: inactive terms are exact zeros
                    g[GB_AT + t] += ri;
                    for (int k = 0; k < features; k++) {
                        g[GW_AT + k * PANEL + t] += ri * x[i * features + k];
                    }
                }
            }
        }
        final int base = p * PANEL * features;
        double check = 0; // NaN when an updated parameter is not finite (inf*0 = NaN)
        for (int t = 0; t < PANEL; t++) {
            int j = p * PANEL + t;
            double a = s.a[j];
            double ga = s.b[j] * g[GB_AT + t];
            for (int k = 0; k < features; k++) {
                ga += s.w[base + k * PANEL + t] * g[GW_AT + k * PANEL + t];
            }
            g[GA_AT + t] = ga;
            if (s.update && s.optimizer != null) {
                // the in-kernel optimizer, through its one shared scalar code; gradients as the output forms them
                OptimizerF64 o = s.optimizer;
                double inv = o.invN;
                for (int k = 0; k < features; k++) {
                    int at = base + k * PANEL + t;
                    double moved = o.move(OptimizerF64.W, at, s.w[at], a * g[GW_AT + k * PANEL + t] * inv);
                    s.newW[at] = moved;
                    check += moved * 0;
                }
                double nb = o.move(OptimizerF64.B, j, s.b[j], a * g[GB_AT + t] * inv);
                double na = o.move(OptimizerF64.A, j, a, ga * inv);
                s.newB[j] = nb;
                s.newA[j] = na;
                check += nb * 0 + na * 0;
            } else if (s.update) {
                double kw = a * s.stepW;
                for (int k = 0; k < features; k++) {
                    int at = base + k * PANEL + t;
                    double moved = s.w[at] + kw * g[GW_AT + k * PANEL + t];
                    s.newW[at] = moved;
                    check += moved * 0;
                }
                double nb = s.b[j] + a * s.stepB * g[GB_AT + t];
                double na = a + s.stepA * ga;
                s.newB[j] = nb;
                s.newA[j] = na;
                check += nb * 0 + na * 0;
            }
        }
        s.finite[p] = check == 0;
        if (s.gradA != null) {
            MaskBitGradientF64.write(s, p, g, GA_AT, GB_AT, GW_AT);
        }
    }

    @Override
    public void forward(MaskBitSweepF64 s, int from, int to, double[] g) {
        final double[] a = s.forwardUpdated ? s.newA : s.a;
        final double[] w = s.forwardUpdated ? s.newW : s.w;
        final double[] b = s.forwardUpdated ? s.newB : s.b;
        final int features = s.features;
        final double[] x = s.x;
        for (int i = from; i < to; i++) {
            double f = 0;
            for (int p = 0; p < s.panels; p++) {
                long word = 0;
                int base = p * PANEL * features;
                for (int t = 0; t < PANEL; t++) {
                    int j = p * PANEL + t;
                    double z = b[j];
                    for (int k = 0; k < features; k++) {
                        z += w[base + k * PANEL + t] * x[i * features + k];
                    }
                    if (z > 0) {
                        f += a[j] * z;
                        word |= 1L << t;
                    }
                }
                if (s.writeBits) {
                    s.bits[i * s.panels + p] = word;
                }
            }
            s.f[i] = f;
        }
    }
}
