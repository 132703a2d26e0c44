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
 * {@link OutputsEngineF64}, each call on its own buffers (tiles of 96 samples), so any number of
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

    @Override
    public void forward(double[] xd, float[] xf, int q, double[] out) { // as-is
        if (q == 0) {
            return;
        }
        int rows = MaskBitLayout.roundUp(Math.min(SAMPLE_TILE, q), ROW_TILE);
        double[] x = new double[rows * features];
        double[] f = new double[rows * outputs];
        double[] scratch = new double[kernel.scratchLength(features, outputs)];
        MaskBitSweepF64 s = new MaskBitSweepF64();
        s.features = features;
        s.panels = panels;
        s.width = width;
        s.inputDim = inputDim;
        s.outputs = outputs;
        s.paddedWidth = paddedWidth;
        s.parameters(a, w, b, a, w, b);
        s.forwardUpdated = false;
        s.writeBits = false;
        s.fk = f;
        s.x = x;
        for (int start = 0; start < q; start += rows) {
            int count = Math.min(rows, q - start);
            java.util.Arrays.fill(x, 0);
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
