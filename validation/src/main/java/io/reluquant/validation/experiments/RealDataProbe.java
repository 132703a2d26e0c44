package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.LinearClassifier;
import io.reluquant.validation.measures.StableRank;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.measures.Quantization;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The quantization effect on real, high-dimensional data (a two-class cut of Fashion-MNIST, d = 784):
 * train from balanced small init and from the contrast regimes of THEORY.md section 3, and measure at
 * the end of alignment (first step with L &lt; 0.99 L0) and at the end: clusters of directions at
 * cosine &gt; 0.99 and N_eff, each cluster's self-consistency |cos(u, D_sigma(u))| with the residuals
 * of that moment (attractors cannot be enumerated at d = 784; a cluster on an attractor is parallel
 * to its own drive), the stable rank of the first-layer matrix, and test accuracy beside a linear
 * classifier's. Shared by the test and by the report so both measure the same thing.
 */
public final class RealDataProbe {
    /** Clusters join directions with cosine above this (about 8.1 degrees). */
    public static final double CLUSTER_COSINE = 0.99;
    /** Clustering angle of {@link #CLUSTER_COSINE}. */
    public static final double CLUSTER_EPS = Math.acos(CLUSTER_COSINE);

    private RealDataProbe() {}

    /** The training loss (docs/THEORY.md section 1); its residual is n dL/df per sample. */
    public enum Objective {
        /** L = (1/(2n)) sum_i (f(x_i) - y_i)^2, residual f - y. */
        SQUARE(io.reluquant.kernel.Loss.SQUARE),
        /** L = (1/n) sum_i log(1 + exp(-y_i f(x_i))), residual -y sigmoid(-y f); targets +-1. */
        LOGISTIC(io.reluquant.kernel.Loss.LOGISTIC);

        private final io.reluquant.kernel.Loss loss;

        Objective(io.reluquant.kernel.Loss loss) {
            this.loss = loss;
        }

        Trainer.Builder configure(Trainer.Builder b) {
            return b.loss(loss);
        }

        /** @return the residual r_i (n times dL/df(x_i)) that drives the first layer: D_sigma = -sum r_i x~_i */
        double[] residuals(double[] f, double[] y) {
            double[] r = new double[f.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = loss.residual(f[i], y[i]);
            }
            return r;
        }
    }

    /**
     * Learning rates of the output block (a) and of the hidden block (w, b), e.g. the NTK scaling of the
     * standard contrast, lr_a = eta/m, lr_v = eta.
     */
    public record LearningRates(double output, double hidden) {
        public LearningRates {
            if (!(output > 0) || !(hidden > 0) || !Double.isFinite(output) || !Double.isFinite(hidden)) {
                throw new IllegalArgumentException("learning rates must be finite and positive, got output " + output + ", hidden " + hidden);
            }
        }

        /** @return the same rate for both blocks */
        public static LearningRates single(double lr) {
            return new LearningRates(lr, lr);
        }

        /** @return min(this, cap) blockwise */
        LearningRates cappedAt(double cap) {
            return new LearningRates(Math.min(output, cap), Math.min(hidden, cap));
        }

        void steps(Trainer t, long count, io.reluquant.kernel.StepListener listener) {
            t.steps(output, hidden, count, 1, listener);
        }
    }

    /** How the network starts. */
    public enum Regime {
        /** Balanced init at the small scale lambda: quantization expected. */
        SMALL("balanced small"),
        /** Balanced init at lambda = 1 (mean-field scale, phases not separated). */
        LARGE("balanced lambda=1"),
        /** PyTorch default: w, b ~ U(+-1/sqrt(d)), a ~ U(+-1/sqrt(m)); the bias random. */
        STANDARD("standard (PyTorch default)");

        private final String label;

        Regime(String label) {
            this.label = label;
        }

        /** @return the name in the report */
        public String label() {
            return label;
        }
    }

    /**
     * @param widths widths of the small-init runs
     * @param smallLambda lambda of the small init
     * @param lr learning rates of the small-init runs (the contrasts use them capped at a stable rate)
     * @param steps GD steps of each small-init run
     * @param contrastWidth width of the contrast runs (0: none)
     * @param contrastSteps most steps of a contrast run; it stops earlier when its loss reaches the small-init
     *        end loss at that width (regimes are compared at equal loss where they get there)
     * @param seed init seed
     */
    public record Settings(int[] widths, double smallLambda, Objective loss, LearningRates lr, long steps, int contrastWidth,
            long contrastSteps, long seed, Precision precision, int threads) {
        public Settings {
            widths = widths.clone();
            if (widths.length == 0) {
                throw new IllegalArgumentException("widths must not be empty");
            }
            for (int m : widths) {
                if (m < 1) {
                    throw new IllegalArgumentException("widths must be >= 1, got " + m);
                }
            }
            if (!(smallLambda > 0) || steps < 1 || contrastWidth < 0 || contrastSteps < 1 || threads < 1) {
                throw new IllegalArgumentException("smallLambda > 0, steps >= 1, contrastWidth >= 0, contrastSteps >= 1, threads >= 1; got "
                        + smallLambda + ", " + steps + ", " + contrastWidth + ", " + contrastSteps + ", " + threads);
            }
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }
    }

    /**
     * The measures at one moment.
     *
     * @param clusters clusters of directions at cosine &gt; 0.99, by decreasing mass
     * @param neff N_eff of those clusters
     * @param selfConsistency per cluster, |cos(u, D_sigma(u))| with the residuals of this moment (NaN for an empty drive)
     * @param stableRank ||W||_F^2 / ||W||_2^2 of the first-layer matrix W (m, d), bias column left out
     */
    public record Moment(long step, double loss, List<Cluster> clusters, double neff, double[] selfConsistency, double stableRank,
            double totalMass) {
        /** @return the smallest |cos| over the clusters holding at least {@code share} of the mass (1 if none) */
        public double worstSelfConsistency(double share) {
            double worst = 1;
            for (int c = 0; c < clusters.size(); c++) {
                if (clusters.get(c).mass() >= share * totalMass) {
                    worst = Math.min(worst, Double.isNaN(selfConsistency[c]) ? 0 : selfConsistency[c]);
                }
            }
            return worst;
        }

        /** @return the number of clusters holding at least {@code share} of the mass */
        public int heavyClusters(double share) {
            return (int) clusters.stream().filter(c -> c.mass() >= share * totalMass).count();
        }
    }

    /**
     * One training run and its measures.
     *
     * @param lr the learning rates used
     * @param alignment the measures at the first step with L &lt; 0.99 L0 (null if it never came)
     * @param end the measures at the last step
     * @param trainAccuracy share of training points with sign f = y at the end
     * @param testAccuracy the same on the test set
     * @param seconds wall time of the training (measures not included)
     */
    public record Run(Regime regime, int width, double lambda, LearningRates lr, double initialLoss, Moment alignment, Moment end,
            double trainAccuracy, double testAccuracy, double seconds) {}

    /** Trains one network on {@code data} and measures it. */
    public static Run run(Dataset train, Dataset test, Regime regime, int width, Settings s, long steps, double stopBelowLoss) {
        int d = train.inputDim();
        Parameters init = switch (regime) {
            case SMALL -> Initializers.balanced(width, d, s.smallLambda(), s.seed(), true);
            case LARGE -> Initializers.balanced(width, d, 1, s.seed(), true);
            case STANDARD -> pytorchDefault(width, d, s.seed());
        };
        double lambda = regime == Regime.SMALL ? s.smallLambda() : regime == Regime.LARGE ? 1 : Double.NaN;
        LearningRates lr = regime == Regime.SMALL ? s.lr() : s.lr().cappedAt(1 / curvatureBound(train, init));
        AugmentedInputs xt = AugmentedInputs.of(train, true);
        long start = System.nanoTime();
        long[] trainNanos = {0};
        try (Trainer t = s.loss().configure(Trainer.builder(train, init)).precision(s.precision()).bias(true).kernel(Kernel.FUSED)
                .threads(s.threads()).build()) {
            double l0 = t.loss();
            Moment[] align = {null};
            double threshold = Training.ALIGNMENT_FRACTION * l0;
            lr.steps(t, steps, (step, loss) -> {
                if (align[0] == null && loss < threshold) {
                    long pause = System.nanoTime();
                    align[0] = measure(t, step, loss, train, xt, s.loss());
                    trainNanos[0] -= System.nanoTime() - pause;
                }
                return !(loss <= stopBelowLoss);
            });
            trainNanos[0] += System.nanoTime() - start;
            Moment end = measure(t, t.stepsTaken(), t.loss(), train, xt, s.loss());
            return new Run(regime, width, lambda, lr, l0, align[0], end, accuracy(t, train), accuracy(t, test), trainNanos[0] / 1e9);
        }
    }

    private static Moment measure(Trainer t, long step, double loss, Dataset train, AugmentedInputs xt, Objective kind) {
        Parameters p = t.parameters();
        Neurons net = Neurons.of(p, true);
        List<Cluster> clusters = Quantization.clusters(net, CLUSTER_EPS);
        double[] f = new double[train.samples()];
        t.forward(train.inputs(), f);
        double[] r = kind.residuals(f, train.targets());
        double[] cos = Quantization.selfConsistency(clusters, xt, r);
        for (int c = 0; c < cos.length; c++) {
            cos[c] = Math.abs(cos[c]);
        }
        return new Moment(step, loss, clusters, Quantization.effectiveCount(clusters), cos, StableRank.of(p), net.totalMass());
    }

    private static double accuracy(Trainer t, Dataset data) {
        double[] f = new double[data.samples()];
        t.forward(data.inputs(), f);
        return LinearClassifier.accuracy(f, data.targets());
    }


    /**
     * PyTorch's default init of two nn.Linear layers (THEORY.md section 3, standard contrast):
     * w_jk, b_j ~ U(-1/sqrt(d), 1/sqrt(d)), a_j ~ U(-1/sqrt(m), 1/sqrt(m)). The bias is random, so
     * directions in neuron space are not confined to b = 0.
     */
    public static Parameters pytorchDefault(int width, int inputDim, long seed) {
        Random rnd = new Random(seed);
        double bw = 1 / Math.sqrt(inputDim);
        double ba = 1 / Math.sqrt(width);
        double[] a = new double[width];
        double[] w = new double[width * inputDim];
        double[] b = new double[width];
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < inputDim; k++) {
                w[j * inputDim + k] = bw * (2 * rnd.nextDouble() - 1);
            }
            b[j] = bw * (2 * rnd.nextDouble() - 1);
            a[j] = ba * (2 * rnd.nextDouble() - 1);
        }
        return Parameters.of(a, w, b, inputDim);
    }

    /**
     * An upper bound on the largest eigenvalue of the Gauss-Newton matrix (1/n) J^T J at {@code p}: its
     * trace (1/n) sum_ij (relu(z_ij)^2 + a_j^2 |x~_i|^2 [z_ij &gt; 0]), both blocks. A rate of 1/bound
     * keeps lr * lambda_max &lt;= 1 &lt; 2 at the start; at d = 784 the hidden block dominates for the
     * large inits (sum_j a_j^2 is of order d there).
     */
    public static double curvatureBound(Dataset data, Parameters p) {
        int n = data.samples();
        int d = data.inputDim();
        double[] x = data.inputs();
        double[] w = p.inputWeights();
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 1;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k] * x[i * d + k];
            }
            sq[i] = s;
        }
        double trace = 0;
        for (int j = 0; j < p.width(); j++) {
            double aj = p.a(j);
            for (int i = 0; i < n; i++) {
                double z = p.b(j);
                for (int k = 0; k < d; k++) {
                    z += w[j * d + k] * x[i * d + k];
                }
                if (z > 0) {
                    trace += z * z + aj * aj * sq[i];
                }
            }
        }
        return trace / n;
    }



    /**
     * All runs of one two-class problem.
     *
     * @param small the small-init runs, one per width
     * @param contrasts the contrast runs at the contrast width (empty if none)
     * @param linearAccuracy test accuracy of the linear classifier
     */
    public record Result(List<Run> small, List<Run> contrasts, double linearAccuracy, double seconds) {
        /** @return the smallest |cos(u, D_sigma(u))| at the end of alignment over the small-init clusters holding >= 1% of the mass */
        public double worstAlignmentConsistency() {
            double worst = 1;
            for (Run r : small) {
                worst = Math.min(worst, r.alignment() == null ? 0 : r.alignment().worstSelfConsistency(Claims.HEAVY_SHARE));
            }
            return worst;
        }

        /** @return small-init N_eff per width at the end of alignment ({@code atEnd} false) or at the end */
        public double[] smallNeff(boolean atEnd) {
            return small.stream().mapToDouble(r -> atEnd ? r.end().neff() : r.alignment() == null ? Double.NaN : r.alignment().neff())
                    .toArray();
        }

        /** @return (max - min) / min of {@link #smallNeff} */
        public double neffSpread(boolean atEnd) {
            double[] v = smallNeff(atEnd);
            double lo = java.util.Arrays.stream(v).min().orElse(Double.NaN);
            double hi = java.util.Arrays.stream(v).max().orElse(Double.NaN);
            return (hi - lo) / lo;
        }

        /** @return whether small-init N_eff is at most 20 and within 20% across widths at that moment (false if NaN) */
        public boolean neffQuantized(boolean atEnd) {
            double[] v = smallNeff(atEnd);
            return java.util.Arrays.stream(v).allMatch(e -> e <= Claims.MAX_NEFF) && neffSpread(atEnd) <= Claims.NEFF_SPREAD;
        }

        /** @return the small-init run at {@code width}, or null */
        public Run smallAt(int width) {
            return small.stream().filter(r -> r.width() == width).findFirst().orElse(null);
        }

        /** @return end N_eff of contrast {@code c} over the small-init end N_eff at the same width (NaN if that width has no small run) */
        public double contrastRatio(Run c) {
            Run s = smallAt(c.width());
            return s == null ? Double.NaN : c.end().neff() / s.end().neff();
        }

        /**
         * @param prefix names the data set at the head of each claim ("Real data (A vs B): ")
         * @param widths the small-init widths, named in the self-consistency claim
         * @return the verdicts on the real-data claims: self-consistency, N_eff at alignment and at the end, each contrast
         */
        public List<Claims.Verdict> verdicts(String prefix, int[] widths) {
            List<Claims.Verdict> v = new ArrayList<>();
            v.add(Claims.REAL_SELF_CONSISTENCY.about(prefix).judge(Format.of("min abs(cos) = %.4f over widths ", worstAlignmentConsistency())
                    + java.util.Arrays.toString(widths), worstAlignmentConsistency() >= Claims.MIN_COSINE));
            for (boolean atEnd : new boolean[] {false, true}) {
                v.add(Claims.REAL_NEFF.about(prefix, atEnd ? "at the end" : "at the end of alignment").judge("N_eff " + twoDecimals(smallNeff(atEnd))
                        + Format.of(", spread %.0f%%", 100 * neffSpread(atEnd)), neffQuantized(atEnd)));
            }
            for (Run c : contrasts) {
                double ratio = contrastRatio(c);
                Run s = smallAt(c.width());
                boolean equalLoss = s != null && c.end().loss() <= s.end().loss();
                v.add(Claims.REAL_CONTRAST.about(prefix, c.regime().label(), c.width()).judge(
                        Format.of("N_eff %.1f vs %.2f: ", c.end().neff(), s == null ? Double.NaN : s.end().neff()) + Format.of("%.0fx", ratio)
                                + Format.of(" (end loss %.3g vs %.3g", c.end().loss(), s == null ? Double.NaN : s.end().loss())
                                + (equalLoss ? ", equal loss reached)" : ", equal loss NOT reached)"),
                        ratio >= Claims.CONTRAST_RATIO));
            }
            return v;
        }

        private static String twoDecimals(double[] v) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < v.length; i++) {
                sb.append(i > 0 ? ", " : "").append(Format.of("%.2f", v[i]));
            }
            return sb.append(')').toString();
        }
    }

    /** Runs the small-init widths, then the two contrasts at {@code s.contrastWidth()}. */
    public static Result probe(Dataset train, Dataset test, Settings s, java.util.function.Consumer<String> log) {
        long t0 = System.nanoTime();
        List<Run> small = new ArrayList<>();
        for (int m : s.widths()) {
            Run r = run(train, test, Regime.SMALL, m, s, s.steps(), Double.NEGATIVE_INFINITY);
            log.accept(describe(r));
            small.add(r);
        }
        List<Run> contrasts = new ArrayList<>();
        if (s.contrastWidth() > 0) {
            double target = small.stream().filter(r -> r.width() == s.contrastWidth()).mapToDouble(r -> r.end().loss()).findFirst()
                    .orElse(small.get(small.size() - 1).end().loss());
            for (Regime regime : new Regime[] {Regime.LARGE, Regime.STANDARD}) {
                Run r = run(train, test, regime, s.contrastWidth(), s, s.contrastSteps(), target);
                log.accept(describe(r));
                contrasts.add(r);
            }
        }
        return new Result(small, contrasts, LinearClassifier.testAccuracy(train, test), (System.nanoTime() - t0) / 1e9);
    }

    /** @return one line: regime, width, steps, loss, N_eff at alignment and end, worst self-consistency, accuracy, time */
    public static String describe(Run r) {
        Moment a = r.alignment();
        return String.format(java.util.Locale.ROOT,
                "%s m=%d lr=%.3g: alignment step %s N_eff %.2f min|cos| %.4f srank %.2f; end step %d loss %.4g N_eff %.2f (%d clusters >= 1%%)"
                        + " srank %.2f; accuracy train %.3f test %.3f; %.1f s",
                r.regime().label(), r.width(), r.lr().output(), a == null ? "-" : a.step(), a == null ? Double.NaN : a.neff(),
                a == null ? Double.NaN : a.worstSelfConsistency(0.01), a == null ? Double.NaN : a.stableRank(), r.end().step(), r.end().loss(),
                r.end().neff(), r.end().heavyClusters(0.01), r.end().stableRank(), r.trainAccuracy(), r.testAccuracy(), r.seconds());
    }
}
