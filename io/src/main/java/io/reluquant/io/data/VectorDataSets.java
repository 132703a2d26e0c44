package io.reluquant.io.data;

import java.util.Random;

/**
 * Synthetic data for k-output networks whose attractors the vector-output oracle predicts and finds well
 * separated (docs/THEORY.md section 10, "Synthetic data with predicted vector attractors"): few
 * attractors, far apart in neuron space and in output space, rates within a factor 2 of each other (so
 * every basin aligns before the fastest group escapes), and, for the interior ones, s2/s1 small (the
 * spread law) and the kink away from the data points. Deterministic.
 */
public final class VectorDataSets {
    private VectorDataSets() {}

    /**
     * A data set with k outputs: inputs x (n, d), and either targets y (n, k) for the square loss or class
     * labels for softmax cross-entropy.
     *
     * @param name a short description
     * @param x inputs (n, d) row-major
     * @param d the input dimension
     * @param k the number of outputs
     * @param targets (n, k) row-major for the square loss; for a softmax set the one-hot labels
     * @param labels class labels in [0, k) for a softmax set, null for a square-loss set
     */
    public record VectorSet(String name, double[] x, int d, int k, double[] targets, int[] labels) {
        public VectorSet {
            x = x.clone();
            targets = targets.clone();
            labels = labels == null ? null : labels.clone();
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] targets() {
            return targets.clone();
        }

        @Override
        public int[] labels() {
            return labels == null ? null : labels.clone();
        }

        /** @return n */
        public int samples() {
            return x.length / d;
        }

        /** @return true for a softmax cross-entropy set (class labels) */
        public boolean softmax() {
            return labels != null;
        }
    }

    /**
     * k = 2, d = 1, square loss: 9 equispaced points of [-1, 1], y = (2 relu(x - 0.1) - 0.3, 2 relu(0.1 - x) - 0.3),
     * two hinges with their own output each, shifted so that the constant neuron is not the only attractor.
     */
    public static VectorSet hinges2() {
        int n = 9;
        double[] x = grid(n);
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            y[2 * i] = 2 * Math.max(0, x[i] - 0.1) - 0.3;
            y[2 * i + 1] = 2 * Math.max(0, 0.1 - x[i]) - 0.3;
        }
        return new VectorSet("hinges, k = 2 (n = 9, d = 1)", x, 1, 2, y, null);
    }

    /** k = 3, d = 1, square loss: {@link #hinges2}'s two outputs and a third, the tent 0.6 - 1.2 abs(x). */
    public static VectorSet hinges3() {
        int n = 9;
        double[] x = grid(n);
        double[] y = new double[3 * n];
        for (int i = 0; i < n; i++) {
            y[3 * i] = 2 * Math.max(0, x[i] - 0.1) - 0.3;
            y[3 * i + 1] = 2 * Math.max(0, 0.1 - x[i]) - 0.3;
            y[3 * i + 2] = 0.6 - 1.2 * Math.abs(x[i]);
        }
        return new VectorSet("hinges and tent, k = 3 (n = 9, d = 1)", x, 1, 3, y, null);
    }

    /**
     * k = 3 classes, d = 2, softmax cross-entropy: {@code perClass} points around each of the centres
     * (1, 0.2), (-0.3, 1), (-0.6, -0.8) with Gaussian spread {@code spread}, labelled by their centre
     * (point i belongs to class i mod 3). The predicted features are class-contrast directions, each
     * voting for one class.
     */
    public static VectorSet blobs3(int perClass, double spread, long seed) {
        if (perClass < 1) {
            throw new IllegalArgumentException("perClass must be >= 1, got " + perClass);
        }
        if (!(spread >= 0) || !Double.isFinite(spread)) {
            throw new IllegalArgumentException("spread must be finite and >= 0, got " + spread);
        }
        double[][] centres = {{1, 0.2}, {-0.3, 1}, {-0.6, -0.8}};
        int n = 3 * perClass;
        Random rnd = new Random(seed);
        double[] x = new double[2 * n];
        int[] labels = new int[n];
        double[] onehot = new double[3 * n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            x[2 * i] = centres[c][0] + spread * rnd.nextGaussian();
            x[2 * i + 1] = centres[c][1] + spread * rnd.nextGaussian();
            labels[i] = c;
            onehot[3 * i + c] = 1;
        }
        return new VectorSet("three blobs, k = 3 classes (n = " + n + ", d = 2, softmax)", x, 2, 3, onehot, labels);
    }

    /** {@link #blobs3} as the experiments use it: 4 points a class, spread 0.1, seed 5 (of the seeds 1-5 the one whose attractors lie farthest, 0.56 deg, from the kink of another sample). */
    public static VectorSet blobs3() {
        return blobs3(4, 0.1, 5);
    }

    private static double[] grid(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1 + 2.0 * i / (n - 1);
        }
        return x;
    }
}
