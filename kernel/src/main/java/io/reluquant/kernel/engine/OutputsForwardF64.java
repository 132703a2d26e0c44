// GENERATED from OutputsForwardF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.engine;

import static io.reluquant.kernel.maskbit.MaskBitLayout.FEATURE_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;
import static io.reluquant.kernel.maskbit.MaskBitLayout.ROW_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.SAMPLE_TILE;

import io.reluquant.kernel.maskbit.MaskBitLayout;
import io.reluquant.kernel.maskbit.MaskBitSweepF64;
import io.reluquant.kernel.maskbit.OutputsKernelF64;

/**
 * The forward pass of a k-output network for a predictor: the parameters packed once in the layout of
 * {@link OutputsEngineF64}, each calling thread on buffers of its own (tiles of 96 samples; made at its first call and reused, so no call allocates after it), so any number of
 * threads may call it at once; the same bits as the engine's forward pass.
 */
public final class OutputsForwardF64 implements Forward {
    private final OutputsKernelF64 kernel;
    private final int inputDim;
    private final int outputs;
    private final int features;
    private final int panels;
    private final int width;
    private final int paddedWidth;
    private final double[] a;
    private final double[] w;
    private final double[] b;

    /**
     * @param kernel the k-output kernel
     * @param inputDim d
     * @param outputs k
     * @param a output weights (m, k) row-major
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     */
    public OutputsForwardF64(OutputsKernelF64 kernel, int inputDim, int outputs, Values a, Values w, Values b) {
        this.kernel = kernel;
        this.inputDim = inputDim;
        this.outputs = outputs;
        this.features = MaskBitLayout.roundUp(inputDim, FEATURE_TILE);
        this.width = b.length();
        this.paddedWidth = MaskBitLayout.roundUp(width, PANEL);
        this.panels = paddedWidth / PANEL;
        this.a = new double[Math.multiplyExact(paddedWidth, outputs)];
        this.b = new double[paddedWidth];
        this.w = new double[Math.multiplyExact(paddedWidth, features)];
        for (int j = 0; j < width; j++) {
            for (int c = 0; c < outputs; c++) {
                this.a[c * paddedWidth + j] = (double) a.get(j * outputs + c);
            }
            this.b[j] = (double) b.get(j);
            for (int k = 0; k < inputDim; k++) {
                this.w[j / PANEL * PANEL * features + j % PANEL + k * PANEL] = (double) w.get(j * inputDim + k);
            }
        }
    }

    /** rows of the largest block a call runs at once */
    private static final int MAX_ROWS = MaskBitLayout.roundUp(SAMPLE_TILE, ROW_TILE);

    /** one calling thread's sweep description, inputs, outputs and scratch */
    private static final class Scratch {
        final double[] x;
        final double[] f;
        final double[] scratch;
        final MaskBitSweepF64 sweep = new MaskBitSweepF64();

        Scratch(OutputsForwardF64 p) {
            x = new double[MAX_ROWS * p.features];
            f = new double[MAX_ROWS * p.outputs];
            scratch = new double[p.kernel.scratchLength(p.features, p.outputs)];
            MaskBitSweepF64 s = sweep;
            s.features = p.features;
            s.panels = p.panels;
            s.width = p.width;
            s.inputDim = p.inputDim;
            s.outputs = p.outputs;
            s.paddedWidth = p.paddedWidth;
            s.parameters(p.a, p.w, p.b, p.a, p.w, p.b);
            s.forwardUpdated = false;
            s.writeBits = false;
            s.fk = f;
            s.x = x;
        }
    }

    /** each calling thread's scratch, made at its first call and reused (see FusedForwardF64) */
    private final ThreadLocal<Scratch> perThread = ThreadLocal.withInitial(() -> new Scratch(this));

    @Override
    public void forward(double[] xd, float[] xf, int q, double[] out) { // as-is
        if (q == 0) {
            return;
        }
        int rows = MaskBitLayout.roundUp(Math.min(SAMPLE_TILE, q), ROW_TILE);
        Scratch t = perThread.get();
        double[] x = t.x;
        double[] f = t.f;
        double[] scratch = t.scratch;
        MaskBitSweepF64 s = t.sweep;
        for (int start = 0; start < q; start += rows) {
            int count = Math.min(rows, q - start);
            java.util.Arrays.fill(x, 0, rows * features, 0);
            for (int i = 0; i < count; i++) {
                int from = (start + i) * inputDim;
                for (int k = 0; k < inputDim; k++) {
                    x[i * features + k] = (double) (xd != null ? xd[from + k] : xf[from + k]);
                }
            }
            s.samples = MaskBitLayout.roundUp(count, ROW_TILE);
            kernel.forward(s, 0, s.samples, scratch);
            System.arraycopy(f, 0, out, start * outputs, count * outputs);
        }
    }

    @Override
    public String kernel() {
        return kernel.name();
    }
}
