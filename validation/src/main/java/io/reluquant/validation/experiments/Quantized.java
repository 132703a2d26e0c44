package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.measures.Quantization;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.AugmentedInputs;
import io.reluquant.validation.theory.FinalFit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * One quantization measurement: train a network from small (balanced) or standard init, then
 * measure it at the alignment snapshot and at the end against the predicted attractors. Shared by the
 * tests and by the report, so both measure the same thing.
 *
 * @param width m
 * @param lambda init scale of the balanced init; 0 for standard init
 * @param lr the learning rate used
 * @param run the training run with its snapshots
 * @param alignmentStep first step with L &lt; 0.99 L0 (-1 if never)
 * @param within1 share of mass within 1 degree of a predicted attractor of its sign, at the alignment snapshot
 * @param within5 the same within 5 degrees
 * @param neffAlignment N_eff (1-degree clusters) at the alignment snapshot
 * @param selfConsistency mass-weighted mean over the clusters at the alignment snapshot of sign * cos(u, D_sigma(u))
 *        with the residuals of that moment (docs/THEORY.md section 4; 1 when every cluster sits on an attractor)
 * @param neffEnd N_eff at the end
 * @param endClusters 1-degree clusters at the end
 * @param patterns J: activation patterns of the end clusters holding at least {@link #PATTERN_SHARE} of the mass
 * @param fitError max_i |f(x_i) - (P_J y)_i| at the end
 */
public record Quantized(int width, double lambda, double lr, Training.Run run, long alignmentStep, double within1,
        double within5, double neffAlignment, double selfConsistency, double neffEnd, List<Cluster> endClusters, List<BitSet> patterns,
        double fitError) {

    /** Clusters with a smaller share of the mass are left out of J (their effect on f is below 1e-3 of the total). */
    public static final double PATTERN_SHARE = 1e-3;
    /** The clustering angle of N_eff and of J. */
    public static final double CLUSTER_EPS = Math.toRadians(1);

    /**
     * @param lambda balanced init scale, or 0 for standard init (trained at {@link #stableRate} so it does not diverge)
     */
    public static Quantized measure(Dataset data, boolean bias, List<Attractor> attractors, int width, double lambda,
            long seed, Precision precision, double lr, long steps, int threads) {
        return measure(data, bias, attractors, width, lambda, seed, precision, lr, steps, false, threads);
    }

    /** @param stopAtAlignment end training at the alignment snapshot (the "end" measures are then taken there) */
    public static Quantized measure(Dataset data, boolean bias, List<Attractor> attractors, int width, double lambda,
            long seed, Precision precision, double lr, long steps, boolean stopAtAlignment, int threads) {
        Parameters init = lambda > 0
                ? Initializers.balanced(width, data.inputDim(), lambda, seed, bias)
                : Initializers.he(width, data.inputDim(), seed);
        double rate = lambda > 0 ? lr : stableRate(data, init, lr);
        Training.Run run = Training.run(data, init,
                Training.Settings.single(rate, steps, precision, threads).withBias(bias).stoppingAtAlignment(stopAtAlignment));
        if (run.diverged()) {
            throw new IllegalStateException("training diverged at step " + run.end().step() + " (width " + width + ", lambda " + lambda
                    + ", lr " + rate + ")");
        }
        AugmentedInputs xt = AugmentedInputs.of(data, bias);
        double w1 = Double.NaN;
        double w5 = Double.NaN;
        double neffA = Double.NaN;
        double selfCos = Double.NaN;
        long alignStep = -1;
        if (run.alignment() != null) {
            Neurons a = Neurons.of(run.alignment().parameters(), bias);
            alignStep = run.alignment().step();
            w1 = Quantization.massWithin(a, attractors, Math.toRadians(1));
            w5 = Quantization.massWithin(a, attractors, Math.toRadians(5));
            neffA = Quantization.effectiveCount(Quantization.clusters(a, CLUSTER_EPS));
            selfCos = selfConsistency(a, xt, data.targets());
        }
        Neurons end = Neurons.of(run.end().parameters(), bias);
        List<Cluster> clusters = Quantization.clusters(end, CLUSTER_EPS);
        List<BitSet> patterns = Quantization.patterns(clusters, xt, PATTERN_SHARE);
        double[] pj = FinalFit.project(xt, patterns, data.targets());
        double[] f = end.outputs(xt);
        double err = 0;
        for (int i = 0; i < f.length; i++) {
            err = Math.max(err, Math.abs(f[i] - pj[i]));
        }
        return new Quantized(width, lambda, rate, run, alignStep, w1, w5, neffA, selfCos,
                Quantization.effectiveCount(clusters), clusters, patterns, err);
    }

    /**
     * @param a the network (at the alignment snapshot)
     * @param xt its augmented inputs
     * @param y the targets whose residual f - y drives D_sigma (the permuted ones for the control)
     * @return the mass-weighted mean over the 1-degree clusters of sign * cos(u, D_sigma(u))
     */
    public static double selfConsistency(Neurons a, AugmentedInputs xt, double[] y) {
        List<Cluster> aligned = Quantization.clusters(a, CLUSTER_EPS);
        double[] cos = Quantization.selfConsistency(aligned, xt, Quantization.residuals(a, xt, y));
        double sum = 0;
        double mass = 0;
        for (int c = 0; c < cos.length; c++) {
            if (!Double.isNaN(cos[c])) {
                sum += aligned.get(c).mass() * cos[c];
                mass += aligned.get(c).mass();
            }
        }
        return sum / mass;
    }

    /**
     * A learning rate at which GD from {@code init} cannot blow up in the output weights at the
     * start: the a-block of the Hessian is (1/n) sum_i phi_i phi_i^T with phi_ij = relu(z_ij), whose
     * largest eigenvalue is at most its trace T = (1/n) sum_ij relu(z_ij)^2, so lr &lt;= 1/T keeps
     * lr * lambda_max &lt;= 1 &lt; 2. Standard init at width m has T ~ m, so lr = 0.02 diverges there
     * for m &gt; ~100 (measured: masses of 1e6 and dead neurons).
     *
     * @return min(lr, 1/T)
     */
    public static double stableRate(Dataset data, Parameters init, double lr) {
        double trace = 0;
        int d = data.inputDim();
        for (int j = 0; j < init.width(); j++) {
            for (int i = 0; i < data.samples(); i++) {
                double z = init.b(j);
                for (int k = 0; k < d; k++) {
                    z += init.w(j, k) * data.x(i, k);
                }
                if (z > 0) {
                    trace += z * z;
                }
            }
        }
        trace /= data.samples();
        return trace > 0 ? Math.min(lr, 1 / trace) : lr;
    }

    /** @return "lambda=1e-04" or "standard" */
    public String initLabel() {
        return lambda > 0 ? String.format(Locale.ROOT, "balanced lambda=%.0e", lambda) : "standard";
    }
}
