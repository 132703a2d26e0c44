package io.reluquant.validation.experiments;

import io.reluquant.io.data.FashionMnist;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Predictor;
import io.reluquant.kernel.Trainer;
import io.reluquant.validation.measures.LinearClassifier;
import io.reluquant.validation.measures.Quantization;
import io.reluquant.validation.measures.VectorQuantization;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.List;

/**
 * A reduced-size real-data probe of vector outputs: ten-class Fashion-MNIST (d = 784, k = 10) with the softmax
 * cross-entropy, trained by the kernel from balanced small init, read at the first step with L0 - L &gt;=
 * {@value #LOSS_DROP} L0 (the end of alignment) or at the step cap if that comes first. It measures, with no enumeration
 * of attractors (none is feasible at d = 784): the direction clusters (cosine &gt; {@link RealDataMoment#CLUSTER_COSINE}),
 * N_eff, and for each cluster with at least {@link Claims#HEAVY_SHARE} of the mass its self-consistency at the residuals of
 * that step (|cos(u, q)| with q the top right singular vector of its sector matrix, cos(a, g(u))) and the class its mean
 * output vector votes for. Beside each width's small-init run, the contrast: the same network from PyTorch's default draw
 * ({@link Initializers#pytorchDefault(int, int, int, long)}, a random f0 of size O(1)) trained at the same lr until its
 * loss is at most the small-init run's end loss (equal loss, at most {@value #CONTRAST_STEP_FACTOR} times the small-init
 * steps), read the same way. Descriptive: no claim is judged on it.
 */
public final class VectorRealProbe {
    private VectorRealProbe() {}

    /** The reading moment: the first step with L0 - L at least this fraction of L0. */
    public static final double LOSS_DROP = 1e-4;

    /** The moments of a run's readings, in order. */
    public static final String ALIGNMENT = "end of alignment";
    /** ... the small-init run's last step */
    public static final String END = "end";
    /** ... the contrast at the small-init run's end loss */
    public static final String CONTRAST = "contrast at equal loss";
    /** The contrast trains for at most this many times the small-init run's steps to reach its end loss. */
    public static final int CONTRAST_STEP_FACTOR = 10;

    /** Clusters drawn and measured: at least this many of the heaviest, and every one with {@link Claims#HEAVY_SHARE} of the mass. */
    public static final int DRAWN = 8;

    /**
     * The probe's size.
     *
     * @param samples training images (an equal share per class)
     * @param widths the widths m
     * @param lambda init scale
     * @param lr learning rate
     * @param maxSteps steps of each run (the second reading)
     * @param seed data and init seed
     * @param threads kernel threads
     */
    public record Size(int samples, int[] widths, double lambda, double lr, long maxSteps, long seed, int threads) {
        /**
         * The report's size, reduced from the (n up to 1e4, widths up to 1e4): n = 1000, m = 1e3 and 3e3, lambda = 1e-8, lr = 0.1,
         * 400 steps.
         */
        public static Size full(int threads) {
            return new Size(1000, new int[] {1_000, 3_000}, 1e-8, 0.1, 400, 1, threads);
        }

        /** The CI size (report --quick, tests): n = 200, m = 200, 150 steps. */
        public static Size quick(int threads) {
            return new Size(200, new int[] {200}, 1e-8, 0.1, 150, 1, threads);
        }
    }

    /**
     * One cluster as drawn.
     *
     * @param share its share of the total mass
     * @param neurons members
     * @param direction its mean direction u = (w, b), 785 coordinates
     * @param output its members' mean output direction (10)
     * @param votes the class of the largest coordinate of the output direction
     * @param directionCos |cos(u, q)| at the residuals of the reading step
     * @param outputCos cos(a, g(u)) there
     */
    public record HeavyCluster(double share, int neurons, double[] direction, double[] output, int votes, double directionCos, double outputCos) {}

    /**
     * One reading of one run.
     *
     * @param width m
     * @param moment {@link #ALIGNMENT} (the first step with L0 - L &gt;= {@value #LOSS_DROP} L0), {@link #END} or {@link #CONTRAST}
     * @param step the step
     * @param l0 the initial loss
     * @param loss the loss there
     * @param neff N_eff of the direction clusters
     * @param clusters the number of clusters
     * @param drawn the heaviest clusters (see {@link #DRAWN}), heaviest first
     * @param testAccuracy share of the test images whose largest output is their class
     * @param reached for the contrast: whether it reached the small-init end loss within its step cap (always true otherwise)
     */
    public record Reading(int width, String moment, long step, double l0, double loss, double neff, int clusters, List<HeavyCluster> drawn,
                          double testAccuracy, boolean reached) {}

    /**
     * @param size the size run
     * @param readings per width: the end of alignment, the end, the contrast at equal loss
     * @param seconds wall time
     * @param testImages the test images the accuracies are read on (an equal share per class of the test split)
     * @param linearAccuracy test accuracy of the linear softmax classifier on the same training images
     *                       ({@link LinearClassifier#softmaxTestAccuracy}, {@value #LINEAR_STEPS} steps)
     */
    public record Result(Size size, List<Reading> readings, double seconds, int testImages, double linearAccuracy) {}

    /** Test images the accuracies are read on: all 10000 of the test split. */
    public static final int TEST_IMAGES = 10_000;
    /** Gradient steps of the linear softmax classifier beside the network. */
    public static final int LINEAR_STEPS = 1_000;

    /**
     * Runs the probe.
     *
     * @param fm the loaded data
     * @param size the size
     * @return what was measured
     */
    public static Result run(FashionMnist fm, Size size) {
        long t0 = System.nanoTime();
        FashionMnist.TenClasses ten = fm.allClasses(size.samples(), TEST_IMAGES, size.seed());
        int d = FashionMnist.PIXELS;
        int k = FashionMnist.CLASSES.size();
        Dataset data = Dataset.ofClasses(ten.train().x(), ten.train().labels(), d, k);
        FashionMnist.Labelled test = ten.test(); // the training images are drawn first: the test size does not change them
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        List<Reading> readings = new ArrayList<>();
        for (int m : size.widths()) {
            Parameters init = Initializers.balanced(m, d, k, size.lambda(), size.seed(), true);
            try (Trainer t = Trainer.builder(data, init).precision(Precision.FLOAT32).bias(true).kernel(Kernel.AUTO).threads(size.threads())
                    .loss(Loss.SOFTMAX_CROSS_ENTROPY).build()) {
                double l0 = t.loss();
                double loss = l0;
                boolean aligned = false;
                while (t.stepsTaken() < size.maxSteps()) {
                    loss = t.step(size.lr());
                    if (!aligned && l0 - loss >= LOSS_DROP * l0) {
                        aligned = true;
                        readings.add(read(t.parameters(), m, ALIGNMENT, t.stepsTaken(), l0, loss, xt, data, test, true));
                    }
                }
                if (!aligned) {
                    throw new IllegalStateException("loss drop " + LOSS_DROP + " not reached in " + size.maxSteps() + " steps (m = " + m + ")");
                }
                readings.add(read(t.parameters(), m, END, t.stepsTaken(), l0, loss, xt, data, test, true));
            }
            readings.add(contrast(m, readings.get(readings.size() - 1).loss(), size, data, xt, test));
        }
        double linear = LinearClassifier.softmaxTestAccuracy(ten.train().x(), ten.train().labels(), d, k, test.x(), test.labels(), LINEAR_STEPS);
        return new Result(size, List.copyOf(readings), (System.nanoTime() - t0) * 1e-9, test.samples(), linear);
    }

    /** The contrast: PyTorch's default draw trained at the same lr to the small-init end loss, read there (or at its cap). */
    private static Reading contrast(int m, double target, Size size, Dataset data, AugmentedInputs xt, FashionMnist.Labelled test) {
        Parameters init = Initializers.pytorchDefault(m, data.inputDim(), data.outputs(), size.seed());
        try (Trainer t = Trainer.builder(data, init).precision(Precision.FLOAT32).bias(true).kernel(Kernel.AUTO).threads(size.threads())
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).build()) {
            double l0 = t.loss();
            double loss = l0;
            long cap = CONTRAST_STEP_FACTOR * size.maxSteps();
            while (loss > target && t.stepsTaken() < cap) {
                loss = t.step(size.lr());
            }
            return read(t.parameters(), m, CONTRAST, t.stepsTaken(), l0, loss, xt, data, test, loss <= target);
        }
    }

    private static Reading read(Parameters p, int m, String moment, long step, double l0, double loss, AugmentedInputs xt, Dataset data,
                                FashionMnist.Labelled test, boolean reached) {
        int k = data.outputs();
        double[] f = new double[test.samples() * k];
        Predictor.of(p, Precision.FLOAT32).predict(test.x(), f);
        double accuracy = LinearClassifier.classAccuracy(f, test.labels(), k);
        List<VectorQuantization.OutputCluster> clusters = VectorQuantization.clusters(p, true, RealDataMoment.CLUSTER_EPS);
        double total = clusters.stream().mapToDouble(c -> c.cluster().mass()).sum();
        double neff = Quantization.effectiveCount(clusters.stream().map(VectorQuantization.OutputCluster::cluster).toList());
        long heavyCount = clusters.stream().filter(c -> c.cluster().mass() >= Claims.HEAVY_SHARE * total).count();
        List<VectorQuantization.OutputCluster> drawn = clusters.subList(0, (int) Math.min(clusters.size(), Math.max(DRAWN, heavyCount)));
        double[] r = VectorQuantization.residuals(VectorQuantization.outputs(p, xt), data);
        double[][] sc = VectorQuantization.selfConsistency(drawn, xt, r, k);
        List<HeavyCluster> out = new ArrayList<>();
        for (int c = 0; c < drawn.size(); c++) {
            VectorQuantization.OutputCluster oc = drawn.get(c);
            double[] a = oc.output();
            int votes = 0;
            for (int o = 1; o < k; o++) {
                if (a[o] > a[votes]) {
                    votes = o;
                }
            }
            out.add(new HeavyCluster(oc.cluster().mass() / total, oc.cluster().size(), oc.cluster().direction(), a, votes, sc[c][0], sc[c][1]));
        }
        return new Reading(m, moment, step, l0, loss, neff, clusters.size(), List.copyOf(out), accuracy, reached);
    }
}
