package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.theory.Attractor;
import java.util.Arrays;
import java.util.List;

/**
 * The sizes and the shared settings of the synthetic experiments E1-E5 (docs/THEORY.md section 9): lr = 0.02, float32
 * on the fast kernel, seed 1, 20 000 steps; the quick variant (report --quick) has fewer widths and runs.
 *
 * @param quick the CI variant: fewer widths and runs, about a minute on 2 cores
 * @param threads kernel threads per run
 * @param observer told of every training run as it is measured (progress, per-run figures)
 */
public record Sweep(boolean quick, int threads, Observer observer) {
    /** Learning rate of every small-init run (docs/THEORY.md section 5). */
    public static final double LR = 0.02;
    /** The small init scale of the plots and of E2-E4. */
    public static final double SMALL = Claims.SMALL_LAMBDA;
    /** Init seed of the single-seed runs. */
    public static final long SEED = 1;
    /** Seeds per width of E4. */
    public static final int SEEDS = 20;
    private static final double[] LAMBDAS = {Claims.CONTROL_LAMBDA, 1e-2, Claims.SMALL_LAMBDA, 1e-6};

    /** Told of each training run of an experiment once it is measured. */
    @FunctionalInterface
    public interface Observer {
        /**
         * @param data the name of the data set ("five", "random", "twod", "orthogonal"; E4 and E5 say "e4", "e5")
         * @param attractors the attractors predicted for it
         */
        void measured(String data, List<Attractor> attractors, Quantized q);
    }

    /** @return the balanced init scales of E1, largest first */
    public static double[] lambdas() {
        return LAMBDAS.clone();
    }

    /** @return widths of E1 on the five-point data */
    public int[] e1Widths() {
        return quick ? new int[] {100, 1_000, 10_000} : new int[] {100, 1_000, 10_000, 100_000, 1_000_000};
    }

    /** @return widths of E1 on random 1-D data */
    public int[] randomWidths() {
        return quick ? new int[] {100, 1_000} : new int[] {100, 1_000, 10_000};
    }

    /** @return widths of E2 */
    public int[] e2Widths() {
        return new int[] {100, 1_000, 10_000};
    }

    /** @return widths from here on are trained to the alignment snapshot only (a 1e6-wide end-of-training run costs minutes) */
    public int alignmentOnlyWidth() {
        return 1_000_000;
    }

    /** @return widths of E4 */
    public int[] e4Widths() {
        return quick ? new int[] {100, 1_000} : new int[] {100, 1_000, 10_000};
    }

    /** @return width of E3 */
    public int e3Width() {
        return quick ? 1_000 : 10_000;
    }

    /** @return width of E5 */
    public int e5Width() {
        return quick ? 1_000 : 10_000;
    }

    /** @return GD steps of a run */
    public long steps() {
        return 20_000;
    }

    /** @return the widths of {@code widths} trained to the end */
    public int[] endWidths(int[] widths) {
        return Arrays.stream(widths).filter(m -> m < alignmentOnlyWidth()).toArray();
    }

    /** @return the number of training runs of E1-E5 (for a progress bar) */
    public int runs() {
        int longWidths = (int) Arrays.stream(e1Widths()).filter(m -> m >= alignmentOnlyWidth()).count();
        return 5 * (e1Widths().length + randomWidths().length) - longWidths + 3 * e2Widths().length + 3 + 2 * SEEDS * e4Widths().length + 4;
    }

    /** Trains one network and measures it; tells the observer. */
    Quantized measure(String name, Dataset data, boolean bias, List<Attractor> attractors, int width, double lambda, long seed) {
        boolean alignmentOnly = width >= alignmentOnlyWidth();
        Quantized q = Quantized.measure(data, bias, attractors, width, lambda, seed, Precision.FLOAT32, LR, steps(), alignmentOnly, threads);
        observer.measured(name, attractors, q);
        return q;
    }
}
