// GENERATED from FusedForwardF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.engine;

import io.reluquant.kernel.fused.Layout;
import io.reluquant.kernel.fused.NeuronKernelF64;
import io.reluquant.kernel.fused.SweepF64;
import io.reluquant.kernel.engine.Values;

/**
 * The fused path's forward pass for a predictor, in float64: the parameters in the engine's padded
 * structure-of-arrays layout, the same chunks (a {@link Layout} of the same width and sample count)
 * and the same chunk-order reduction as {@link FusedEngineF64#forward}, so the outputs are the same
 * bits as that engine's. Each call sweeps every chunk on the calling thread with that thread's own sweep
 * description, partial sums and scratch (a few kB for a block of {@value #BLOCK} rows, made at the
 * thread's first call and reused: no allocation after it); the parameters are only read.
 */
public final class FusedForwardF64 implements Forward {
    /** Rows per sweep: bounds a call's scratch; a row's output does not depend on the others. */
    static final int BLOCK = 64;

    private final NeuronKernelF64 kernel;
    private final Layout layout;
    private final int inputDim;
    private final double[] a;
    private final double[] w;
    private final double[] b;

    /**
     * @param kernel the neuron kernel, vector or scalar (chosen by the provider)
     * @param layoutSamples the sample count the chunks are cut for (a trainer's n gives its chunks)
     * @param inputDim d
     * @param a output weights (m)
     * @param w input weights, row-major (m, d)
     * @param b biases (m)
     */
    public FusedForwardF64(NeuronKernelF64 kernel, int layoutSamples, int inputDim, Values a, Values w, Values b) {
        this.kernel = kernel;
        this.layout = Layout.of(a.length(), layoutSamples);
        this.inputDim = inputDim;
        int p = layout.paddedWidth;
        this.a = new double[p];
        this.b = new double[p];
        this.w = new double[Math.multiplyExact(p, inputDim)];
        for (int j = 0; j < a.length(); j++) {
            this.a[j] = (double) a.get(j);
            this.b[j] = (double) b.get(j);
            for (int k = 0; k < inputDim; k++) {
                this.w[k * p + j] = (double) w.get(j * inputDim + k);
            }
        }
    }

    /** one calling thread's sweep description, inputs, partial sums and scratch, for up to {@value #BLOCK} rows */
    private static final class Scratch {
        final double[] x;
        final double[] partials;
        final double[] scratch;
        final SweepF64 sweep = new SweepF64();

        Scratch(FusedForwardF64 p) {
            x = new double[BLOCK * p.inputDim];
            partials = new double[p.layout.chunks * BLOCK];
            scratch = new double[p.kernel.scratchLength(BLOCK, p.inputDim)];
            SweepF64 s = sweep;
            s.inputDim = p.inputDim;
            s.paddedWidth = p.layout.paddedWidth;
            s.width = p.layout.width;
            s.partials = partials;
            s.finite = new boolean[p.layout.chunks];
            s.parameters(p.a, p.w, p.b, p.a, p.w, p.b);
            s.backward = false;
            s.update = false;
            s.forward = true;
        }
    }

    /**
     * Each calling thread's scratch, made at its first call and reused by its later ones, so that a call
     * allocates nothing after a thread's first (a ThreadLocal rather than a scratch object the caller
     * passes: the API stays predict(x, out), and a thread pool's threads each keep one set of a few kB
     * per predictor, freed with the predictor).
     */
    private final ThreadLocal<Scratch> perThread = ThreadLocal.withInitial(() -> new Scratch(this));

    @Override
    public void forward(double[] xd, float[] xf, int q, double[] out) { // as-is
        int rows = Math.min(BLOCK, q);
        if (rows == 0) {
            return;
        }
        Scratch t = perThread.get();
        double[] x = t.x;
        double[] partials = t.partials;
        double[] scratch = t.scratch;
        SweepF64 s = t.sweep;
        s.partialStride = rows;
        for (int start = 0; start < q; start += rows) {
            int count = Math.min(rows, q - start);
            int from = start * inputDim;
            for (int i = 0; i < count * inputDim; i++) {
                x[i] = (double) (xd != null ? xd[from + i] : xf[from + i]);
            }
            s.x = x;
            s.samples = count;
            s.step(0, 0, count, false, null, null, null);
            for (int c = 0; c < layout.chunks; c++) {
                kernel.sweep(s, c, layout.chunkStart(c), layout.chunkEnd(c), scratch);
            }
            // chunk order, in float64, as the engine reduces
            for (int i = 0; i < count; i++) {
                double f = 0;
                for (int c = 0; c < layout.chunks; c++) {
                    f += partials[c * rows + i];
                }
                out[start + i] = f;
            }
        }
    }

    @Override
    public String kernel() {
        return kernel.name();
    }
}
