// TEMPLATE: the float32 source; its float64 twin is generated at build time (see kernel/pom.xml).
package io.reluquant.kernel.maskbit;

import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;

/**
 * The mask-bit step in plain scalar Java: what runs when the Vector API is unavailable. Same layouts,
 * same activation bits and the same identity ga_j = w_j . gw_j + b_j gb_j as the vector kernel, one
 * neuron at a time.
 */
public final class ScalarMaskBitKernelF32 implements MaskBitKernelF32 {
    // scratch: ga (PANEL) | gb (PANEL) | gw (D x PANEL)
    private static final int GA_AT = 0;
    private static final int GB_AT = PANEL;
    private static final int GW_AT = 2 * PANEL;

    @Override
    public String name() {
        return "maskbit/scalar/float32";
    }

    @Override
    public int scratchLength(int features) {
        return GW_AT + features * PANEL;
    }

    @Override
    public void backward(MaskBitSweepF32 s, int p, float[] g) {
        final int features = s.features;
        final float[] x = s.x;
        java.util.Arrays.fill(g, 0, GW_AT + features * PANEL, (float) 0);
        for (int i = 0; i < s.samples; i++) {
            long word = s.bits[i * s.panels + p];
            float ri = s.r[i];
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
        float check = 0; // NaN when an updated parameter is not finite (inf*0 = NaN)
        for (int t = 0; t < PANEL; t++) {
            int j = p * PANEL + t;
            float a = s.a[j];
            float ga = s.b[j] * g[GB_AT + t];
            for (int k = 0; k < features; k++) {
                ga += s.w[base + k * PANEL + t] * g[GW_AT + k * PANEL + t];
            }
            g[GA_AT + t] = ga;
            if (s.update) {
                float kw = a * s.stepW;
                for (int k = 0; k < features; k++) {
                    int at = base + k * PANEL + t;
                    float moved = s.w[at] + kw * g[GW_AT + k * PANEL + t];
                    s.newW[at] = moved;
                    check += moved * 0;
                }
                float nb = s.b[j] + a * s.stepB * g[GB_AT + t];
                float na = a + s.stepA * ga;
                s.newB[j] = nb;
                s.newA[j] = na;
                check += nb * 0 + na * 0;
            }
        }
        s.finite[p] = check == 0;
        if (s.gradA != null) {
            MaskBitGradientF32.write(s, p, g, GA_AT, GB_AT, GW_AT);
        }
    }

    @Override
    public void forward(MaskBitSweepF32 s, int from, int to, float[] g) {
        final float[] a = s.forwardUpdated ? s.newA : s.a;
        final float[] w = s.forwardUpdated ? s.newW : s.w;
        final float[] b = s.forwardUpdated ? s.newB : s.b;
        final int features = s.features;
        final float[] x = s.x;
        for (int i = from; i < to; i++) {
            float f = 0;
            for (int p = 0; p < s.panels; p++) {
                long word = 0;
                int base = p * PANEL * features;
                for (int t = 0; t < PANEL; t++) {
                    int j = p * PANEL + t;
                    float z = b[j];
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
