package io.reluquant.bench;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One benchmark shape with seeded data and parameters: n samples x_i uniform in [-1, 1]^d, targets
 * y_i = sin(pi x_i1), a network of width m with w_jk ~ N(0, 1), b_j uniform in [-1, 1] (so every
 * neuron has a kink inside the data and the ReLU masks are mixed), a_j ~ N(0, 1/m).
 *
 * <p>Every value is rounded to the nearest float32 first, so a float32 kernel and the float64
 * reference start from the same numbers and the cross-check bound only has to cover arithmetic.
 */
final class Workload {
    final int samples;
    final int inputDim;
    final int width;
    /** k: 1 for the scalar-output rows, the number of classes otherwise */
    final int outputs;
    final double[] x;
    final double[] y;
    final double[] a;
    final double[] w;
    final double[] b;
    /** class labels (k &gt; 1; y holds the same labels as doubles, as the reference takes them), else null */
    final int[] labels;

    private Workload(int samples, int inputDim, int width, double[] x, double[] y, double[] a, double[] w, double[] b) {
        this(samples, inputDim, width, 1, x, y, null, a, w, b);
    }

    private Workload(int samples, int inputDim, int width, int outputs, double[] x, double[] y, int[] labels,
                     double[] a, double[] w, double[] b) {
        this.samples = samples;
        this.inputDim = inputDim;
        this.width = width;
        this.outputs = outputs;
        this.labels = labels;
        this.x = x;
        this.y = y;
        this.a = a;
        this.w = w;
        this.b = b;
    }

    /** @return the shape (n, d, m) with data and parameters drawn from {@code seed} */
    static Workload of(int samples, int inputDim, int width, long seed) {
        positive("n", samples);
        positive("d", inputDim);
        positive("m", width);
        if ((long) width * inputDim > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("m*d = " + (long) width * inputDim + " does not fit in one array");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[samples * inputDim];
        double[] y = new double[samples];
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < inputDim; k++) {
                x[i * inputDim + k] = f32(random.nextDouble(-1, 1));
            }
            y[i] = f32(Math.sin(Math.PI * x[i * inputDim]));
        }
        double[] a = new double[width];
        double[] w = new double[width * inputDim];
        double[] b = new double[width];
        double scaleA = 1 / Math.sqrt(width);
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < inputDim; k++) {
                w[j * inputDim + k] = f32(gaussian(random));
            }
            b[j] = f32(random.nextDouble(-1, 1));
            a[j] = f32(scaleA * gaussian(random));
        }
        return new Workload(samples, inputDim, width, x, y, a, w, b);
    }

    /**
     * @return the shape (n, d, m) with k classes (see the class comment), data and parameters drawn from
     *         {@code seed}
     */
    static Workload classes(int samples, int inputDim, int width, int classes, long seed) {
        positive("n", samples);
        positive("d", inputDim);
        positive("m", width);
        if (classes < 2) {
            throw new IllegalArgumentException("k (classes) must be at least 2, got " + classes);
        }
        if ((long) width * Math.max(inputDim, classes) > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("m*max(d, k) = " + (long) width * Math.max(inputDim, classes)
                    + " does not fit in one array");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[samples * inputDim];
        double[] y = new double[samples];
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < inputDim; k++) {
                x[i * inputDim + k] = f32(random.nextDouble(-1, 1));
            }
            labels[i] = classOf(x[i * inputDim], classes);
            y[i] = labels[i];
        }
        double[] a = new double[width * classes];
        double[] w = new double[width * inputDim];
        double[] b = new double[width];
        double scaleA = 1 / Math.sqrt(width);
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < inputDim; k++) {
                w[j * inputDim + k] = f32(gaussian(random));
            }
            b[j] = f32(random.nextDouble(-1, 1));
            for (int c = 0; c < classes; c++) {
                a[j * classes + c] = f32(scaleA * gaussian(random));
            }
        }
        return new Workload(samples, inputDim, width, classes, x, y, labels, a, w, b);
    }

    /** the class of a sample whose first input is x1: k bands of sin(3 pi x1) */
    static int classOf(double x1, int classes) {
        return Math.min(classes - 1, (int) Math.floor(classes * (1 + Math.sin(3 * Math.PI * x1)) / 2));
    }

    /** @return the same data with the network's first {@code count} neurons only */
    Workload firstNeurons(int count) {
        int keep = Math.min(count, width);
        return new Workload(samples, inputDim, keep, outputs, x, y, labels, Arrays.copyOf(a, keep * outputs),
                Arrays.copyOf(w, keep * inputDim), Arrays.copyOf(b, keep));
    }

    /** @return the first {@code count} samples with the same network */
    Workload firstSamples(int count) {
        int keep = Math.min(count, samples);
        return new Workload(keep, inputDim, width, outputs, Arrays.copyOf(x, keep * inputDim), Arrays.copyOf(y, keep),
                labels == null ? null : Arrays.copyOf(labels, keep), a, w, b);
    }

    Dataset dataset() {
        return outputs == 1 ? Dataset.of(x, y, inputDim) : Dataset.ofClasses(x, labels, inputDim, outputs);
    }

    Parameters parameters() {
        return outputs == 1 ? Parameters.of(a, w, b, inputDim) : Parameters.of(a, w, b, inputDim, outputs);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on JDK 17
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** @return v rounded to the nearest float32 */
    private static double f32(double v) {
        return (float) v;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
