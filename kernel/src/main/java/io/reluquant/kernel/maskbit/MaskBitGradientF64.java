// GENERATED from MaskBitGradientF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.maskbit;

import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;

/** Writes one panel's gradient sums out in the public layout (not the hot path). */
final class MaskBitGradientF64 {
    private MaskBitGradientF64() {}

    /**
     * gradA_j = ga_j / n, gradB_j = a_j gb_j / n, gradW_jk = a_j gw_jk / n in float64, for the real
     * neurons and features of panel p; sums read from g at the given offsets (ga, gb: PANEL each; gw: D x PANEL).
     */
    static void write(MaskBitSweepF64 s, int p, double[] g, int gaAt, int gbAt, int gwAt) {
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

    /**
     * k outputs: gradA_jc = ga_jc / n, gradB_j = gb_j / n, gradW_jk = gw_jk / n in float64 (a_j . r_i is
     * inside the sums), for the real neurons and features of panel p; ga of output c at gaAt + c*PANEL.
     */
    static void writeOutputs(MaskBitSweepF64 s, int p, double[] g, int gaAt, int gbAt, int gwAt) {
        int d = s.inputDim;
        int k = s.outputs;
        for (int t = 0; t < PANEL; t++) {
            int j = p * PANEL + t;
            if (j >= s.width) {
                return;
            }
            for (int c = 0; c < k; c++) {
                s.gradA[j * k + c] = g[gaAt + c * PANEL + t] * s.invSamples;
            }
            s.gradB[j] = g[gbAt + t] * s.invSamples;
            for (int q = 0; q < d; q++) {
                s.gradW[j * d + q] = g[gwAt + q * PANEL + t] * s.invSamples;
            }
        }
    }
}
