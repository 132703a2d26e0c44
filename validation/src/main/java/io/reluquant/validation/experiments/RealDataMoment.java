package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Trainer;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.LinearClassifier;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.measures.Quantization;
import io.reluquant.validation.measures.StableRank;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.List;

/**
 * The real-data probe's measures of a network at one moment of training (docs/THEORY.md section 4):
 * clusters of directions at cosine &gt; {@link #CLUSTER_COSINE} and their N_eff, each cluster's
 * self-consistency |cos(u, D_sigma(u))| with the residuals of that moment (attractors cannot be
 * enumerated at d = 784; a cluster on an attractor is parallel to its own drive), and the stable rank of
 * the first-layer matrix.
 *
 * @param step GD steps done
 * @param loss the training loss there
 * @param clusters clusters of directions at cosine &gt; 0.99, by decreasing mass
 * @param neff N_eff of those clusters
 * @param selfConsistency per cluster, |cos(u, D_sigma(u))| with the residuals of this moment (NaN for an empty drive)
 * @param stableRank ||W||_F^2 / ||W||_2^2 of the first-layer matrix W (m, d), bias column left out
 * @param totalMass sum of the neurons' masses |a_j| |v_j|
 * @param permutedSelfConsistency the negative control: per cluster, the same with the residuals of permuted labels
 *     ({@link Claims#permuted}) at the same step (the drive of y removed)
 */
public record RealDataMoment(long step, double loss, List<Cluster> clusters, double neff, double[] selfConsistency, double stableRank,
        double totalMass, double[] permutedSelfConsistency) {
    /** Clusters join directions with cosine above this (about 8.1 degrees). */
    public static final double CLUSTER_COSINE = 0.99;
    /** Clustering angle of {@link #CLUSTER_COSINE}. */
    public static final double CLUSTER_EPS = Math.acos(CLUSTER_COSINE);

    public RealDataMoment {
        clusters = List.copyOf(clusters);
        selfConsistency = selfConsistency.clone();
        permutedSelfConsistency = permutedSelfConsistency.clone();
    }

    @Override
    public double[] permutedSelfConsistency() {
        return permutedSelfConsistency.clone();
    }

    @Override
    public double[] selfConsistency() {
        return selfConsistency.clone();
    }

    /** Measures the network of {@code t} now, {@code step} steps in, at loss {@code loss}. */
    static RealDataMoment of(Trainer t, long step, double loss, Dataset train, AugmentedInputs xt, RealDataProbe.Objective objective) {
        Parameters p = t.parameters();
        Neurons net = Neurons.of(p, true);
        List<Cluster> clusters = Quantization.clusters(net, CLUSTER_EPS);
        double[] f = new double[train.samples()];
        t.forward(train.inputs(), f);
        double[] cos = Quantization.selfConsistency(clusters, xt, objective.residuals(f, train.targets()));
        double[] control = Quantization.selfConsistency(clusters, xt, objective.residuals(f, Claims.permuted(train.targets())));
        for (int c = 0; c < cos.length; c++) {
            cos[c] = Math.abs(cos[c]);
            control[c] = Math.abs(control[c]);
        }
        return new RealDataMoment(step, loss, clusters, Quantization.effectiveCount(clusters), cos, StableRank.of(p), net.totalMass(), control);
    }

    /** @return the share of {@code data} whose sign of f(x) agrees with y, for the network of {@code t} */
    static double accuracy(Trainer t, Dataset data) {
        double[] f = new double[data.samples()];
        t.forward(data.inputs(), f);
        return LinearClassifier.accuracy(f, data.targets());
    }

    /** @return the smallest |cos| over the clusters holding at least {@code share} of the mass (1 if none) */
    public double worstSelfConsistency(double share) {
        return worst(selfConsistency, share);
    }

    /** @return the same for the control's |cos| with the permuted labels' residuals */
    public double worstPermutedSelfConsistency(double share) {
        return worst(permutedSelfConsistency, share);
    }

    private double worst(double[] cos, double share) {
        double worst = 1;
        for (int c = 0; c < clusters.size(); c++) {
            if (clusters.get(c).mass() >= share * totalMass) {
                worst = Math.min(worst, Double.isNaN(cos[c]) ? 0 : cos[c]);
            }
        }
        return worst;
    }

    /** @return the number of clusters holding at least {@code share} of the mass */
    public int heavyClusters(double share) {
        return (int) clusters.stream().filter(c -> c.mass() >= share * totalMass).count();
    }
}
