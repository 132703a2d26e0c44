// TEMPLATE: the float32 source; its float64 twin is generated at build time (see kernel/pom.xml).
package io.reluquant.kernel.maskbit;

import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;

/** Writes one panel's gradient sums out in the public layout (not the hot path). */
final class MaskBitGradientF32 {
    private MaskBitGradientF32() {}

    /**
     * gradA_j = ga_j / n, gradB_j = a_j gb_j / n, gradW_jk = a_j gw_jk / n in float64, for the real
     * neurons and features of panel p; sums read from g at the given offsets (ga, gb: PANEL each; gw: D x PANEL).
     */
    static void write(MaskBitSweepF32 s, int p, float[] g, int gaAt, int gbAt, int gwAt) {
        int d = s.inputDim;
        for (int t = 0; t < PANEL; t++) {
            int j = p * PANEL + t;
            if (j >= s.width) {
                return;
            }
            double aj = s.a[j];
            s.gradA[j] = g[gaAt + t] * s.invSamples;
            s.gradB[j] = aj * g[gbAt + t] * s.invSamples;
            for (int k = 0; k < d; k++) {
                s.gradW[j * d + k] = aj * g[gwAt + k * PANEL + t] * s.invSamples;
            }
        }
    }
}
