// TEMPLATE: the float32 source; its float64 twin is generated at build time (see kernel/pom.xml).
package io.reluquant.kernel.fused;

/**
 * The fused sweep in plain scalar Java: what runs when the Vector API is unavailable. Same chunking
 * and same per-chunk partial sums as the vector kernel, one neuron at a time.
 */
public final class ScalarNeuronKernelF32 implements NeuronKernelF32 {
    @Override
    public String name() {
        return "scalar/float32";
    }

    @Override
    public int scratchLength(int samples, int inputDim) {
        // forward accumulators (samples) + gradient sums of one neuron's input weights (d)
        return samples + inputDim;
    }

    @Override
    public void sweep(SweepF32 s, int chunk, int from, int to, float[] scratch) {
        final int n = s.samples;
        final int d = s.inputDim;
        final int stride = s.paddedWidth;
        final float[] x = s.x;
        final float[] r = s.r;
        final float[] acc = scratch;
        final int gw = n; // gradient sums of w live at scratch[n .. n+d)
        if (s.forward) {
            java.util.Arrays.fill(acc, 0, n, (float) 0);
        }
        float check = 0; // a NaN here means some updated parameter is not finite (inf*0 = NaN)
        for (int j = from; j < to; j++) {
            float a = s.a[j];
            float b = s.b[j];
            float[] w = s.w;
            if (s.backward) {
                float ga = 0;
                float gb = 0;
                java.util.Arrays.fill(scratch, gw, gw + d, (float) 0);
                for (int i = 0; i < n; i++) {
                    float z = b;
                    for (int k = 0; k < d; k++) {
                        z += w[k * stride + j] * x[i * d + k];
                    }
                    if (z > 0) { // relu'(0) = 0; skipped terms are exact zeros
                        ga += r[i] * z;
                        gb += r[i];
                        for (int k = 0; k < d; k++) {
                            scratch[gw + k] += r[i] * x[i * d + k];
                        }
                    }
                }
                if (s.gradA != null && j < s.width) {
                    s.gradA[j] = ga * s.invSamples;
                    s.gradB[j] = (double) a * gb * s.invSamples;
                    for (int k = 0; k < d; k++) {
                        s.gradW[j * d + k] = (double) a * scratch[gw + k] * s.invSamples;
                    }
                }
                if (s.update) {
                    // all three moves use the gradient at the old a
                    float kw = a * s.stepW;
                    float kb = a * s.stepB;
                    for (int k = 0; k < d; k++) {
                        float wk = w[k * stride + j] + kw * scratch[gw + k];
                        s.newW[k * stride + j] = wk;
                        check += wk * 0;
                    }
                    b = b + kb * gb;
                    a = a + s.stepA * ga;
                    s.newA[j] = a;
                    s.newB[j] = b;
                    check += a * 0 + b * 0;
                    w = s.newW;
                }
            }
            if (s.forward) {
                for (int i = 0; i < n; i++) {
                    float z = b;
                    for (int k = 0; k < d; k++) {
                        z += w[k * stride + j] * x[i * d + k];
                    }
                    if (z > 0) {
                        acc[i] += a * z;
                    }
                }
            }
        }
        s.finite[chunk] = check == 0;
        if (s.forward) {
            int base = chunk * s.partialStride;
            for (int i = 0; i < n; i++) {
                s.partials[base + i] = acc[i];
            }
        }
    }
}
