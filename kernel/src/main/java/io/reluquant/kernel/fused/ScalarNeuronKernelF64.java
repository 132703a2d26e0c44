// GENERATED from ScalarNeuronKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.fused;

import io.reluquant.kernel.sweep.OptimizerF64;

/**
 * The fused sweep in plain scalar Java: what runs when the Vector API is unavailable. Same chunking
 * and same per-chunk partial sums as the vector kernel, one neuron at a time.
 */
public final class ScalarNeuronKernelF64 implements NeuronKernelF64 {
    @Override
    public String name() {
        return "scalar/float64";
    }

    @Override
    public int scratchLength(int samples, int inputDim) {
        // forward accumulators (samples) + gradient sums of one neuron's input weights (d)
        return samples + inputDim;
    }

    @Override
    public void sweep(SweepF64 s, int chunk, int from, int to, double[] scratch) {
        final int n = s.samples;
        final int d = s.inputDim;
        final int stride = s.paddedWidth;
        final double[] x = s.x;
        final double[] r = s.r;
        final double[] acc = scratch;
        final int gw = n; // gradient sums of w live at scratch[n .. n+d)
        if (s.forward) {
            java.util.Arrays.fill(acc, 0, n, (double) 0);
        }
        double check = 0; // a NaN here means some updated parameter is not finite (inf*0 = NaN)
        for (int j = from; j < to; j++) {
            double a = s.a[j];
            double b = s.b[j];
            double[] w = s.w;
            if (s.backward) {
                double ga = 0;
                double gb = 0;
                java.util.Arrays.fill(scratch, gw, gw + d, (double) 0);
                for (int i = 0; i < n; i++) {
                    double z = b;
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
                if (s.update && s.optimizer != null) {
                    // the in-kernel optimizer, through its one shared scalar code; gradients as the output forms them
                    OptimizerF64 o = s.optimizer;
                    double inv = o.invN;
                    for (int k = 0; k < d; k++) {
                        int at = k * stride + j;
                        double wk = o.move(OptimizerF64.W, at, w[at], a * scratch[gw + k] * inv);
                        s.newW[at] = wk;
                        check += wk * 0;
                    }
                    b = o.move(OptimizerF64.B, j, b, a * gb * inv);
                    a = o.move(OptimizerF64.A, j, a, ga * inv);
                    s.newA[j] = a;
                    s.newB[j] = b;
                    check += a * 0 + b * 0;
                    w = s.newW;
                } else if (s.update) {
                    // all three moves use the gradient at the old a
                    double kw = a * s.stepW;
                    double kb = a * s.stepB;
                    for (int k = 0; k < d; k++) {
                        double wk = w[k * stride + j] + kw * scratch[gw + k];
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
                    double z = b;
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
