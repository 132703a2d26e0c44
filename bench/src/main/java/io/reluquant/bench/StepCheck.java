package io.reluquant.bench;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.KernelInfo;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.Path;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import io.reluquant.kernel.reference.Reference;
import io.reluquant.testkit.OneStepBound;
import io.reluquant.testkit.OutputsStepBound;
import java.util.Locale;

/**
 * The cross-check every benchmark runs in its {@code @Setup} before timing: one loss evaluation and one
 * GD step of the kernel against {@link Reference}, from the same parameters, on the benchmark's n, d,
 * precision and thread count and its first {@link #CHECK_WIDTH} neurons (the same code paths as the
 * full width; neurons beyond a 64-neuron block only repeat them). It throws when any component is
 * further from the reference than a rigorous bound, and prints the largest difference.
 *
 * <p>The bound is {@link OneStepBound}'s (reluquant-testkit: its class comment holds the derivation,
 * the one the kernel's equivalence tests use too). The inputs are float32 numbers already
 * ({@link Workload}), so converting them into the kernel's format is exact. A workload with k &gt; 1
 * classes is checked with the softmax cross-entropy against the k-output reference, within
 * {@link OutputsStepBound} (the bound of the kernel's k-output equivalence tests).
 */
final class StepCheck {
    /** neurons in the check: 32 blocks of 64 (the kernel's padding unit), a few ms of reference work */
    static final int CHECK_WIDTH = 2048;
    /** a learning rate large enough that the update is far above the rounding of the parameters */
    static final double CHECK_LR = 0.5;
    /** samples x neurons x inputs of the check at most (a second or so of reference work) */
    static final long CHECK_WORK = 200_000_000L;

    private StepCheck() {}

    /**
     * Runs the check; throws {@link IllegalStateException} on disagreement or when the Vector API
     * kernel is not the one running.
     *
     * @return a one-line report with the largest difference and its ratio to the bound
     */
    static String verify(Workload full, Precision precision, int threads, Kernel kernel) {
        // the first samples too when n (d + k) is large: the same code paths, a bounded reference cost
        int samples = (int) Math.max(Math.min(full.samples, 97), Math.min(full.samples,
                CHECK_WORK / ((long) CHECK_WIDTH * (full.inputDim + (full.outputs > 1 ? full.outputs : 0)))));
        Workload s = full.firstNeurons(CHECK_WIDTH).firstSamples(samples);
        int k = s.outputs;
        Loss loss = k > 1 ? Loss.SOFTMAX_CROSS_ENTROPY : Loss.SQUARE;
        double[] a = s.a.clone();
        double[] w = s.w.clone();
        double[] b = s.b.clone();
        double lossKernel;
        String name;
        KernelInfo info;
        try (Trainer t = Trainer.builder(s.dataset(), s.parameters()).precision(precision).threads(threads)
                .kernel(kernel).loss(loss).build()) {
            name = t.kernel();
            info = t.kernelInfo();
            if (kernel != Kernel.SCALAR && kernel != Kernel.REFERENCE && !info.vector()) {
                throw new IllegalStateException("the fused kernel runs as " + name + ", not on the Vector API: "
                        + "the fork needs --add-modules=jdk.incubator.vector (and C2)");
            }
            lossKernel = t.loss();
            t.step(CHECK_LR);
            t.copyParameters(a, w, b);
        }
        double u = OneStepBound.unitRoundoff(kernel == Kernel.REFERENCE ? Precision.FLOAT64 : precision);
        double[] ra = s.a.clone();
        double[] rw = s.w.clone();
        double[] rb = s.b.clone();
        double lossRef;
        double lossBound;
        double[][] steps;
        if (k > 1) {
            OutputsStepBound bound = new OutputsStepBound(s.a, s.w, s.b, s.x, s.y, s.inputDim, k, u, loss);
            lossRef = Reference.loss(s.a, s.w, s.b, s.inputDim, k, s.x, s.y, loss);
            Reference.step(ra, rw, rb, s.inputDim, k, s.x, s.y, loss, CHECK_LR, CHECK_LR, true);
            steps = bound.stepBounds(CHECK_LR, CHECK_LR, true);
            lossBound = bound.lossBound();
        } else {
            OneStepBound bound = new OneStepBound(s.a, s.w, s.b, s.x, s.y, s.inputDim, u, Loss.SQUARE,
                    info.path() == Path.MASKBIT);
            lossRef = Reference.loss(s.a, s.w, s.b, s.inputDim, s.x, s.y);
            Reference.step(ra, rw, rb, s.inputDim, s.x, s.y, CHECK_LR, true);
            steps = bound.stepBounds(CHECK_LR, true);
            lossBound = bound.lossBound();
        }
        Worst worst = new Worst();
        worst.add("loss", lossKernel, lossRef, lossBound);
        worst.addAll("a", a, ra, steps[0]);
        worst.addAll("w", w, rw, steps[1]);
        worst.addAll("b", b, rb, steps[2]);
        String line = String.format(Locale.ROOT, "cross-check %s n=%d (of %d) d=%d m=%d (of %d)%s threads=%d: "
                        + "max |kernel-reference| = %.3g, worst ratio to the bound = %.3g (at %s)", name, s.samples,
                full.samples, s.inputDim, s.width, full.width, k > 1 ? " k=" + k + " softmax" : "", threads,
                worst.maxDiff, worst.ratio, worst.where);
        if (!(worst.ratio <= 1)) {
            throw new IllegalStateException("FAILED " + line);
        }
        return line;
    }
    /** Largest |got - want| and largest |got - want| / bound, with where the latter occurred. */
    static final class Worst {
        double maxDiff;
        double ratio;
        String where = "-";

        void add(String name, double got, double want, double bound) {
            double diff = Math.abs(got - want);
            double r = diff == 0 ? 0 : diff / bound;
            if (Double.isNaN(diff)) {
                r = Double.NaN;
            }
            maxDiff = Math.max(maxDiff, diff);
            if (Double.isNaN(ratio)) {
                return; // a NaN stays the verdict
            }
            if (Double.isNaN(r) || r > ratio) {
                ratio = r;
                where = name;
            }
        }

        void addAll(String name, double[] got, double[] want, double[] bound) {
            for (int q = 0; q < got.length; q++) {
                add(name + "[" + q + "]", got[q], want[q], bound[q]);
            }
        }
    }
}
