// GENERATED from ScalarOutputsNeuronKernelF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.fused;

import io.reluquant.kernel.sweep.OptimizerF64;

/**
 * The fused k-output sweep in plain Java: the same passes as {@link VectorOutputsNeuronKernelF64}, one
 * neuron (backward) or one sample (forward) at a time, for machines or runs without the Vector API.
 */
public final class ScalarOutputsNeuronKernelF64 implements OutputsNeuronKernelF64 {
    @Override
    public String name() {
        return "scalar/float64";
    }

    @Override
    public int scratchLength(int rows, int paddedOutputs) {
        return paddedOutputs + 4;
    }

    @Override
    public void sweep(OutputsSweepF64 s, int chunk, int from, int to, double[] g) {
        final int p = s.paddedWidth;
        final int k = s.paddedOutputs;
        final int d = s.inputDim;
        final double[] x = s.x;
        final int x1 = s.xStride;
        if (s.backward) {
            boolean finite = true;
            final double[] r = s.r;
            for (int j = from; j < to; j++) {
                java.util.Arrays.fill(g, 0, k, (double) 0);
                double w0 = s.w[j];
                double w1 = s.w[p + j];
                double bj = s.b[j];
                double gw0 = 0;
                double gw1 = 0;
                double gb = 0;
                for (int i = 0; i < s.samples; i++) {
                    double z = w0 * x[i] + w1 * x[x1 + i] + bj;
                    double h = Math.max(z, 0);
                    double e = 0;
                    for (int c = 0; c < k; c++) {
                        double ric = r[i * k + c];
                        e += s.a[c * p + j] * ric;
                        g[c] += h * ric;
                    }
                    if (z > 0) {
                        gw0 += e * x[i];
                        gw1 += e * x[x1 + i];
                        gb += e;
                    }
                }
                g[k] = gw0;
                g[k + 1] = gw1;
                g[k + 2] = gb;
                if (s.update && s.optimizer != null) {
                    // the in-kernel optimizer, through its one shared scalar code; gradient = sum x 1/n
                    OptimizerF64 o = s.optimizer;
                    double inv = o.invN;
                    for (int q = 0; q < d; q++) {
                        double v = o.move(OptimizerF64.W, q * p + j, s.w[q * p + j], g[k + q] * inv);
                        s.newW[q * p + j] = v;
                        finite &= Double.isFinite(v);
                    }
                    double nb = o.move(OptimizerF64.B, j, s.b[j], gb * inv);
                    s.newB[j] = nb;
                    finite &= Double.isFinite(nb);
                    for (int c = 0; c < s.outputs; c++) {
                        double na = o.move(OptimizerF64.A, c * p + j, s.a[c * p + j], g[c] * inv);
                        s.newA[c * p + j] = na;
                        finite &= Double.isFinite(na);
                    }
                } else if (s.update) {
                    // a_j is inside s, so the sums move w and b directly
                    for (int q = 0; q < d; q++) {
                        double v = s.w[q * p + j] + s.stepW * g[k + q];
                        s.newW[q * p + j] = v;
                        finite &= Double.isFinite(v);
                    }
                    double nb = s.b[j] + s.stepB * gb;
                    s.newB[j] = nb;
                    finite &= Double.isFinite(nb);
                    for (int c = 0; c < k; c++) {
                        double na = s.a[c * p + j] + s.stepA * g[c];
                        s.newA[c * p + j] = na;
                        finite &= Double.isFinite(na);
                    }
                }
                if (s.gradA != null && j < s.width) {
                    for (int c = 0; c < s.outputs; c++) {
                        s.gradA[j * s.outputs + c] = g[c] * s.invSamples;
                    }
                    for (int q = 0; q < d; q++) {
                        s.gradW[j * d + q] = g[k + q] * s.invSamples;
                    }
                    s.gradB[j] = gb * s.invSamples;
                }
            }
            s.finite[chunk] = finite;
        }
        if (s.forward) {
            final double[] a = s.update ? s.newA : s.a;
            final double[] w = s.update ? s.newW : s.w;
            final double[] b = s.update ? s.newB : s.b;
            final int base = chunk * s.partialStride;
            for (int i = 0; i < s.rows; i++) {
                java.util.Arrays.fill(g, 0, k, (double) 0);
                for (int j = from; j < to; j++) {
                    double h = Math.max(w[j] * x[i] + w[p + j] * x[x1 + i] + b[j], 0);
                    for (int c = 0; c < k; c++) {
                        g[c] += a[c * p + j] * h;
                    }
                }
                for (int c = 0; c < k; c++) {
                    s.partials[base + i * k + c] = g[c];
                }
            }
        }
    }
}
