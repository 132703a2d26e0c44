// GENERATED from MaskBitForwardF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.engine;

import static io.reluquant.kernel.maskbit.MaskBitLayout.FEATURE_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.PANEL;
import static io.reluquant.kernel.maskbit.MaskBitLayout.ROW_TILE;
import static io.reluquant.kernel.maskbit.MaskBitLayout.SAMPLE_TILE;

import io.reluquant.kernel.engine.Values;
import io.reluquant.kernel.maskbit.MaskBitKernelF64;
import io.reluquant.kernel.maskbit.MaskBitLayout;
import io.reluquant.kernel.maskbit.MaskBitSweepF64;

/**
 * The mask-bit path's forward pass for a predictor, in float64: the parameters in the engine's
 * panels, the same register tiles and the same fixed panel order as {@link MaskBitEngineF64#forward},
 * so the outputs are the same bits as that engine's; no activation bits are written. Each call runs
 * its tiles of samples on the calling thread with that thread's own sweep description, inputs and
 * scratch (made at its first call and reused: no allocation after it); the parameters are only read.
 */
public final class MaskBitForwardF64 implements Forward {
    private final MaskBitKernelF64 kernel;
    private final int inputDim;
    private final int features;
    private final int panels;
    private final int width;
    private final double[] a;
    private final double[] w;
    private final double[] b;

    /**
     * @param kernel the mask-bit kernel, vector or scalar (chosen by the provider)
     * @param inputDim d
     * @param a output weights (m)
     * @param w input weights, row-major (m, d)
     * @param b biases (m)
     */
    public MaskBitForwardF64(MaskBitKernelF64 kernel, int inputDim, Values a, Values w, Values b) {
        this.kernel = kernel;
        this.inputDim = inputDim;
        this.features = MaskBitLayout.roundUp(inputDim, FEATURE_TILE);
        this.width = a.length();
        int padded = MaskBitLayout.roundUp(width, PANEL);
        this.panels = padded / PANEL;
        this.a = new double[padded];
        this.b = new double[padded];
        this.w = new double[Math.multiplyExact(padded, features)];
        pack(a, w, b, inputDim, features, this.a, this.w, this.b);
    }

    /**
     * The mask-bit layout of the parameters, for this predictor and for {@link MaskBitEngineF64}: a and
     * b as they are, w in panels of PANEL neurons, row k of a panel holding feature k of its neurons
     * (the padding stays zero). One cast from the caller's values.
     */
    static void pack(Values a, Values w, Values b, int inputDim, int features, double[] toA, double[] toW, double[] toB) {
        for (int j = 0; j < a.length(); j++) {
            toA[j] = (double) a.get(j);
            toB[j] = (double) b.get(j);
            int base = j / PANEL * PANEL * features + j % PANEL;
            for (int k = 0; k < inputDim; k++) {
                toW[base + k * PANEL] = (double) w.get(j * inputDim + k);
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

        Scratch(MaskBitForwardF64 p) {
            x = new double[MAX_ROWS * p.features];
            f = new double[MAX_ROWS];
            scratch = new double[p.kernel.scratchLength(p.features)];
            MaskBitSweepF64 s = sweep;
            s.features = p.features;
            s.panels = p.panels;
            s.width = p.width;
            s.inputDim = p.inputDim;
            s.parameters(p.a, p.w, p.b, p.a, p.w, p.b);
            s.forwardUpdated = false;
            s.writeBits = false;
            s.f = f;
            s.x = x;
        }
    }

    /** each calling thread's scratch, made at its first call and reused (see FusedForwardF64) */
    private final ThreadLocal<Scratch> perThread = ThreadLocal.withInitial(() -> new Scratch(this));

    @Override
    public void forward(double[] xd, float[] xf, int q, double[] out) { // as-is
        int rows = MaskBitLayout.roundUp(Math.min(SAMPLE_TILE, q), ROW_TILE);
        if (q == 0) {
            return;
        }
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
            int padded = MaskBitLayout.roundUp(count, ROW_TILE);
            s.samples = padded;
            kernel.forward(s, 0, padded, scratch);
            System.arraycopy(f, 0, out, start, count);
        }
    }

    @Override
    public String kernel() {
        return kernel.name();
    }
}
