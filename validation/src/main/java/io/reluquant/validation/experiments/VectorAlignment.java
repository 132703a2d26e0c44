package io.reluquant.validation.experiments;

import io.reluquant.io.data.VectorDataSets.VectorSet;
import io.reluquant.io.data.VectorDataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.Quantization;
import io.reluquant.validation.measures.VectorQuantization;
import io.reluquant.validation.theory.AugmentedInputs;
import io.reluquant.validation.theory.OutputWeights;
import io.reluquant.validation.theory.VectorAttractor;
import io.reluquant.validation.theory.VectorAttractors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Alignment of k-output networks with the vector attractors predicted from the data (docs/THEORY.md
 * section 10): the k = 2, 3 sets of {@link VectorDataSets}, trained by the kernel ({@link Trainer},
 * float64, balanced init at {@link Claims#VECTOR_LAMBDA}, bias on) and read at the first step with
 * L0 - L &gt;= {@value #LOSS_DROP} L0, the end of alignment: there the residual is still the one the
 * prediction assumes (y, or e_c - 1/k) to a relative 1e-4.
 *
 * <p><b>Per attractor.</b> Every neuron belongs to the cell of the predicted attractor nearest to its
 * direction u = (w, b)/|(w, b)|; the share of the cell's mass |a||v| within 1 and 5 degrees of the
 * attractor's u is judged, so a slow attractor holding 1e-3 of the mass is judged as strictly as the
 * fastest. Its output half: the mass-weighted mean of a_j/|a_j| over the neurons within 5 degrees,
 * against the predicted output direction (g(u*)/|g(u*)|, the top left singular vector for an interior
 * attractor).
 *
 * <p><b>The control</b> reads the same networks at the same step against the attractors of the same
 * inputs with the targets (labels) permuted among the samples: a measure that calls anything aligned
 * would pass it too.
 */
public final class VectorAlignment {
    private VectorAlignment() {}

    /** The measurement moment: the first step with L0 - L at least this fraction of L0. */
    public static final double LOSS_DROP = 1e-4;
    /** Cap on the steps of one run; not reaching the loss drop by then is an error. */
    public static final long MAX_STEPS = 200_000;

    /**
     * A data set with its predictions.
     *
     * @param name short name (hinges2, hinges3, blobs3)
     * @param set the data
     * @param attractors the attractors predicted from the data at f = 0
     * @param control the attractors of the same inputs with permuted targets (labels)
     */
    public record Data(String name, VectorSet set, List<VectorAttractor> attractors, List<VectorAttractor> control) {}

    /**
     * One predicted attractor as measured.
     *
     * @param within1 share of its cell's mass within 1 degree of u (0 for an empty cell)
     * @param within5 within 5 degrees
     * @param outputCos cos of the mean a/|a| within 5 degrees with the predicted output direction (NaN if none there)
     * @param cellShare the cell's share of the total mass
     */
    public record PerAttractor(double within1, double within5, double outputCos, double cellShare) {
        /** @return whether it meets the claim's three criteria */
        public boolean pass() {
            return within1 >= Claims.VECTOR_WITHIN_1_DEG && within5 >= Claims.VECTOR_WITHIN_5_DEG && outputCos >= Claims.VECTOR_OUTPUT_COS;
        }
    }

    /**
     * One run.
     *
     * @param data the data set's name
     * @param width m
     * @param seed the init seed
     * @param step the measurement step
     * @param predictedSteps ln(1/lambda) / ln(1 + lr max|g| / n), the escape time of the fastest group
     * @param lossDrop (L0 - L) / L0 there
     * @param loss L there
     * @param attractors per predicted attractor, in the oracle's order
     * @param control per attractor of the permuted data
     * @param neff N_eff of the 1-degree direction clusters
     * @param directionConsistency mass-weighted |cos(u, q)| of the clusters with >= 1% of the mass, at the residuals of that step
     * @param outputConsistency mass-weighted cos(a, g(u)) of the same clusters
     * @param parameters the network at the measurement step (for the report's figures)
     */
    public record Run(String data, int width, long seed, long step, double predictedSteps, double lossDrop, double loss, List<PerAttractor> attractors,
            List<PerAttractor> control, double neff, double directionConsistency, double outputConsistency, Parameters parameters) {
        /** @return whether every predicted attractor meets the criteria */
        public boolean pass() {
            return attractors.stream().allMatch(PerAttractor::pass);
        }

        /** @return whether every attractor of the permuted data meets them (the control must not) */
        public boolean controlPass() {
            return control.stream().allMatch(PerAttractor::pass);
        }
    }

    /**
     * One run of the N_eff claim's control: balanced init at {@link Claims#CONTROL_LAMBDA}, read by the claim's rule.
     *
     * @param data the data set's name
     * @param width m
     * @param seed the init seed (the claim run's)
     * @param step the first step with L0 - L &gt;= {@link #LOSS_DROP} L0
     * @param loss L there
     * @param neff N_eff of the 1-degree direction clusters there
     */
    public record ControlRun(String data, int width, long seed, long step, double loss, double neff) {}

    /**
     * @param quick the CI-size variant
     * @param data the data sets and their predictions
     * @param runs every run, in the order data set, width, seed
     * @param neffControl the N_eff claim's control runs, in the same order
     */
    public record Result(boolean quick, List<Data> data, List<Run> runs, List<ControlRun> neffControl) {
        /** @return the runs of one data set at one width */
        public List<Run> runs(String data, int width) {
            return runs.stream().filter(r -> r.data().equals(data) && r.width() == width).toList();
        }

        /** @return the seeds' median N_eff of a data set at each of {@link Claims#VECTOR_WIDTHS} */
        public double[] medianNeff(String data) {
            double[] out = new double[Claims.VECTOR_WIDTHS.length];
            for (int w = 0; w < out.length; w++) {
                out[w] = median(runs(data, Claims.VECTOR_WIDTHS[w]).stream().mapToDouble(Run::neff).toArray());
            }
            return out;
        }

        /** @return the same for the control's runs */
        public double[] controlMedianNeff(String data) {
            double[] out = new double[Claims.VECTOR_WIDTHS.length];
            for (int w = 0; w < out.length; w++) {
                int m = Claims.VECTOR_WIDTHS[w];
                out[w] = median(neffControl.stream().filter(c -> c.data().equals(data) && c.width() == m).mapToDouble(ControlRun::neff).toArray());
            }
            return out;
        }

        // the worst-matched pair of claim run and control run (same data, width and seed): both read at their first loss drop of 1e-4
        private Claims.Moment neffMoment(String data) {
            WorstMoment worst = new WorstMoment(Claims.Moment.losses(Double.NaN, Double.NaN));
            for (Run r : runs) {
                if (r.data().equals(data)) {
                    ControlRun c = neffControl.stream().filter(x -> x.data().equals(data) && x.width() == r.width() && x.seed() == r.seed())
                            .findFirst().orElse(null);
                    worst.losses(r.loss(), c == null ? Double.NaN : c.loss());
                }
            }
            return worst.moment();
        }

        /** @return the verdicts: per data set the alignment, its control and N_eff across widths */
        public List<Claims.Verdict> verdicts() {
            List<Claims.Verdict> v = new ArrayList<>();
            for (Data d : data) {
                List<Run> judged = runs(d.name(), Claims.VECTOR_JUDGED_WIDTH);
                long controlFails = judged.stream().filter(r -> !r.controlPass()).count();
                // the control must fail in every seed, as the claim's criterion says; it reads each claim network at its own step
                boolean controlFailsEverywhere = !judged.isEmpty() && controlFails == judged.size();
                Claims.Moment moment = judged.isEmpty() ? Claims.Moment.NONE
                        : Claims.Moment.steps(judged.get(judged.size() - 1).step(), judged.get(judged.size() - 1).step());
                v.add(Claims.VECTOR_ALIGNMENT.about(d.name(), judged.size()).judge(summary(judged, false),
                        !judged.isEmpty() && judged.stream().allMatch(Run::pass) && controlFailsEverywhere, moment));
                v.add(Claims.VECTOR_ALIGNMENT_CONTROL.about(d.name()).judge(
                        summary(judged, true) + Format.of("; fails in %d of %d seeds", controlFails, judged.size()), controlFailsEverywhere, moment));
                double[] neff = medianNeff(d.name());
                double spread = Stats.range(neff);
                double[] control = controlMedianNeff(d.name());
                double controlSpread = Stats.range(control);
                v.add(Claims.VECTOR_NEFF.about(d.name()).judge(Format.of("median N_eff %s at m = %s; spread %.3f; control (lambda = %.0e, same"
                        + " rule): median N_eff %s, spread %.1f", Format.list(neff), Arrays.toString(Claims.VECTOR_WIDTHS), spread,
                        Claims.CONTROL_LAMBDA, Format.list(control), controlSpread),
                        spread <= Claims.VECTOR_NEFF_SPREAD && controlSpread > Claims.VECTOR_NEFF_SPREAD, neffMoment(d.name())));
            }
            return v;
        }

        private static String summary(List<Run> runs, boolean control) {
            double w1 = 1;
            double w5 = 1;
            double cos = 1;
            for (Run r : runs) {
                for (PerAttractor a : control ? r.control() : r.attractors()) {
                    w1 = Math.min(w1, a.within1());
                    w5 = Math.min(w5, a.within5());
                    cos = Double.isNaN(a.outputCos()) ? Double.NaN : Math.min(cos, a.outputCos());
                }
            }
            return Format.of("worst attractor: %.4f within 1 deg, %.5f within 5 deg, output cos %.6f", w1, w5, cos);
        }
    }

    /** @return hinges2, hinges3 and blobs3 with their predictions and the control's */
    public static List<Data> dataSets() {
        List<Data> out = new ArrayList<>();
        String[] names = {"hinges2", "hinges3", "blobs3"};
        VectorSet[] sets = {VectorDataSets.hinges2(), VectorDataSets.hinges3(), VectorDataSets.blobs3()};
        for (int i = 0; i < sets.length; i++) {
            AugmentedInputs xt = AugmentedInputs.of(sets[i].x(), sets[i].d(), true);
            List<VectorAttractor> att = VectorAttractors.predict(xt, OutputWeights.of(sets[i]));
            VectorSet permuted = permuted(sets[i], Claims.VECTOR_CONTROL_PERMUTATION_SEED);
            List<VectorAttractor> control = VectorAttractors.predict(xt, OutputWeights.of(permuted));
            out.add(new Data(names[i], sets[i], att, control));
        }
        return out;
    }

    /**
     * @param s a data set
     * @param seed the permutation's seed
     * @return the same inputs with the targets (labels) of sample i moved to sample perm(i), a Fisher-Yates permutation
     */
    public static VectorSet permuted(VectorSet s, long seed) {
        int n = s.samples();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int k = s.k();
        double[] y = s.targets();
        double[] py = new double[y.length];
        int[] labels = s.labels();
        int[] pl = labels == null ? null : new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(y, i * k, py, perm[i] * k, k);
            if (labels != null) {
                pl[perm[i]] = labels[i];
            }
        }
        return new VectorSet(s.name() + ", targets permuted", s.x(), s.d(), k, py, pl);
    }

    /**
     * Runs the experiment: every data set, width of {@link Claims#VECTOR_WIDTHS} and seed 1..seeds.
     *
     * @param quick {@link Claims#VECTOR_SEEDS_QUICK} seeds instead of {@link Claims#VECTOR_SEEDS}
     * @param threads kernel threads
     * @return the runs
     */
    public static Result run(boolean quick, int threads) {
        List<Data> data = dataSets();
        List<Run> runs = new ArrayList<>();
        List<ControlRun> controls = new ArrayList<>();
        int seeds = quick ? Claims.VECTOR_SEEDS_QUICK : Claims.VECTOR_SEEDS;
        for (Data d : data) {
            for (int m : Claims.VECTOR_WIDTHS) {
                for (long seed = 1; seed <= seeds; seed++) {
                    runs.add(measure(d, m, seed, threads));
                    Trained c = train(d, m, seed, Claims.CONTROL_LAMBDA, threads);
                    controls.add(new ControlRun(d.name(), m, seed, c.step(), c.loss(), neff(c.parameters())));
                }
            }
        }
        return new Result(quick, List.copyOf(data), List.copyOf(runs), List.copyOf(controls));
    }

    /** @return the kernel's dataset of a vector set: numeric targets (square loss) or class labels (softmax) */
    public static Dataset dataset(VectorSet s) {
        return s.softmax() ? Dataset.ofClasses(s.x(), s.labels(), s.d(), s.k()) : Dataset.of(s.x(), s.targets(), s.d(), s.k());
    }

    /**
     * A network at its measurement moment.
     *
     * @param parameters the parameters after the first step with L0 - L &gt;= {@link #LOSS_DROP} L0
     * @param step that step
     * @param drop (L0 - L) / L0 there
     * @param loss L there
     */
    public record Trained(Parameters parameters, long step, double drop, double loss) {}

    /**
     * Trains one network on the kernel (float64, balanced init at {@link Claims#VECTOR_LAMBDA}, step {@link Claims#VECTOR_LR})
     * up to the first step with L0 - L &gt;= {@link #LOSS_DROP} L0.
     *
     * @param d the data
     * @param m the width
     * @param seed the init seed
     * @param threads kernel threads
     * @return the network there
     */
    public static Trained train(Data d, int m, long seed, int threads) {
        return train(d, m, seed, Claims.VECTOR_LAMBDA, threads);
    }

    /** The same from balanced init at another scale (the N_eff claim's control runs it at {@link Claims#CONTROL_LAMBDA}). */
    static Trained train(Data d, int m, long seed, double lambda, int threads) {
        VectorSet s = d.set();
        Parameters init = Initializers.balanced(m, s.d(), s.k(), lambda, seed, true);
        try (Trainer t = Trainer.builder(dataset(s), init).precision(Precision.FLOAT64).bias(true).kernel(Kernel.AUTO).threads(threads)
                .loss(s.softmax() ? Loss.SOFTMAX_CROSS_ENTROPY : Loss.SQUARE).build()) {
            double l0 = t.loss();
            double loss = l0;
            while (l0 - loss < LOSS_DROP * l0) {
                if (t.stepsTaken() >= MAX_STEPS) {
                    throw new IllegalStateException("loss drop " + LOSS_DROP + " not reached in " + MAX_STEPS + " steps (" + d.name() + ", m = " + m
                            + ", seed " + seed + ")");
                }
                loss = t.step(Claims.VECTOR_LR);
            }
            return new Trained(t.parameters(), t.stepsTaken(), (l0 - loss) / l0, loss);
        }
    }

    /**
     * Trains one network on the kernel (float64) to the first step with L0 - L &gt;= {@link #LOSS_DROP} L0 and measures it.
     *
     * @param d the data and predictions
     * @param m the width
     * @param seed the init seed
     * @param threads kernel threads
     * @return the run
     */
    public static Run measure(Data d, int m, long seed, int threads) {
        VectorSet s = d.set();
        Dataset data = dataset(s);
        Trained trained = train(d, m, seed, threads);
        Parameters p = trained.parameters();
        long step = trained.step();
        double drop = trained.drop();
        AugmentedInputs xt = AugmentedInputs.of(s.x(), s.d(), true);
        List<VectorQuantization.OutputCluster> clusters = VectorQuantization.clusters(p, true, Math.toRadians(Claims.CLUSTER_EPS_DEGREES));
        double neff = neff(clusters);
        double[] r = VectorQuantization.residuals(VectorQuantization.outputs(p, xt), data);
        double[][] sc = VectorQuantization.selfConsistency(clusters, xt, r, s.k());
        double total = clusters.stream().mapToDouble(c -> c.cluster().mass()).sum();
        double heavy = 0;
        double cu = 0;
        double ca = 0;
        for (int c = 0; c < clusters.size(); c++) {
            double mass = clusters.get(c).cluster().mass();
            if (mass >= Claims.HEAVY_SHARE * total && !Double.isNaN(sc[c][0]) && !Double.isNaN(sc[c][1])) {
                heavy += mass;
                cu += mass * sc[c][0];
                ca += mass * sc[c][1];
            }
        }
        double predicted = VectorAttractors.escapeSteps(s.samples(), Claims.VECTOR_LAMBDA, Claims.VECTOR_LR, VectorAttractors.maxRate(d.attractors()));
        return new Run(d.name(), m, seed, step, predicted, drop, trained.loss(), perAttractor(p, d.attractors()), perAttractor(p, d.control()), neff, cu / heavy,
                ca / heavy, p);
    }

    private static double neff(Parameters p) {
        return neff(VectorQuantization.clusters(p, true, Math.toRadians(Claims.CLUSTER_EPS_DEGREES)));
    }

    private static double neff(List<VectorQuantization.OutputCluster> clusters) {
        return Quantization.effectiveCount(clusters.stream().map(VectorQuantization.OutputCluster::cluster).toList());
    }

    /**
     * Measures a network against predicted attractors: each neuron goes to the cell of the nearest one (by the angle of u).
     *
     * @param p the network (bias on)
     * @param attractors the predictions
     * @return per attractor, in their order
     */
    public static List<PerAttractor> perAttractor(Parameters p, List<VectorAttractor> attractors) {
        int na = attractors.size();
        int k = p.outputs();
        int d = p.inputDim();
        double[] cell = new double[na];
        double[] w1 = new double[na];
        double[] w5 = new double[na];
        double[][] out = new double[na][k];
        boolean[] any = new boolean[na];
        double total = 0;
        double eps1 = Math.toRadians(1);
        double eps5 = Math.toRadians(5);
        double[] u = new double[d + 1];
        for (int j = 0; j < p.width(); j++) {
            double nv = 0;
            for (int q = 0; q < d; q++) {
                u[q] = p.w(j, q);
                nv += u[q] * u[q];
            }
            u[d] = p.b(j);
            nv = Math.sqrt(nv + u[d] * u[d]);
            double na2 = 0;
            for (int o = 0; o < k; o++) {
                na2 += p.a(j, o) * p.a(j, o);
            }
            double norma = Math.sqrt(na2);
            double mass = norma * nv;
            if (mass == 0) {
                continue;
            }
            total += mass;
            int best = -1;
            double bestAngle = Double.POSITIVE_INFINITY;
            for (int a = 0; a < na; a++) {
                double angle = AugmentedInputs.angle(u, attractors.get(a).direction());
                if (angle < bestAngle) {
                    bestAngle = angle;
                    best = a;
                }
            }
            if (best < 0) {
                continue;
            }
            cell[best] += mass;
            if (bestAngle <= eps1) {
                w1[best] += mass;
            }
            if (bestAngle <= eps5) {
                w5[best] += mass;
                any[best] = true;
                for (int o = 0; o < k; o++) {
                    out[best][o] += mass * p.a(j, o) / norma;
                }
            }
        }
        List<PerAttractor> res = new ArrayList<>();
        for (int a = 0; a < na; a++) {
            double cos = Double.NaN;
            if (any[a]) {
                double[] pred = attractors.get(a).output();
                double dot = 0;
                double n1 = 0;
                double n2 = 0;
                for (int o = 0; o < k; o++) {
                    dot += out[a][o] * pred[o];
                    n1 += out[a][o] * out[a][o];
                    n2 += pred[o] * pred[o];
                }
                cos = dot / Math.sqrt(n1 * n2);
            }
            res.add(new PerAttractor(cell[a] > 0 ? w1[a] / cell[a] : 0, cell[a] > 0 ? w5[a] / cell[a] : 0, cos, total > 0 ? cell[a] / total : 0));
        }
        return res;
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
