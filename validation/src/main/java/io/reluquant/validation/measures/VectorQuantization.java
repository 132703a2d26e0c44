package io.reluquant.validation.measures;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import io.reluquant.validation.theory.AugmentedInputs;
import io.reluquant.validation.theory.OutputWeights;
import io.reluquant.validation.theory.VectorAttractor;
import io.reluquant.validation.theory.VectorAttractors;
import java.util.List;

/**
 * The quantization measures of docs/THEORY.md section 4 for a network of k outputs (section 10):
 * neuron j has the direction u_j = v_j / |v_j| and the output vector a_j in R^k, its mass is
 * |a_j| |v_j|. Clusters group directions only (a k-output neuron has no sign: a and -a are two output
 * directions); each cluster also carries the mass-weighted mean of its members' output directions
 * a_j / |a_j|. Self-consistency at the current residuals asks both halves of the fixed point:
 * |cos(u, q)| with q the top right singular vector of the sector matrix M_sigma(u), and cos(a, g(u)).
 */
public final class VectorQuantization {
    private VectorQuantization() {}

    /**
     * One cluster of a k-output network.
     *
     * @param cluster the direction cluster (its sign is +1: directions only)
     * @param output the members' mass-weighted mean output direction, normalised (k)
     */
    public record OutputCluster(Cluster cluster, double[] output) {
        public OutputCluster {
            output = output.clone();
        }

        @Override
        public double[] output() {
            return output.clone();
        }
    }

    /**
     * The direction clusters of {@code p} within {@code eps} radians, heaviest first.
     *
     * @throws IllegalArgumentException if bias is off but some b_j is nonzero, or eps is not in (0, pi)
     */
    public static List<OutputCluster> clusters(Parameters p, boolean bias, double eps) {
        int m = p.width();
        int k = p.outputs();
        double[] norms = new double[m];
        for (int j = 0; j < m; j++) {
            norms[j] = Math.sqrt(squaredNorm(p, j));
        }
        // one output weight |a_j| per neuron: the same masses, clusters by direction alone
        Neurons directions = Neurons.of(Parameters.of(norms, p.inputWeights(), p.biases(), p.inputDim()), bias);
        List<Cluster> clusters = Quantization.clusters(directions, eps);
        return clusters.stream().map(c -> {
            double[] mean = new double[k];
            for (int j : c.members()) {
                double scale = norms[j] == 0 ? 0 : directions.mass(j) / norms[j];
                for (int o = 0; o < k; o++) {
                    mean[o] += scale * p.a(j, o);
                }
            }
            return new OutputCluster(c, unit(mean));
        }).toList();
    }

    /** @return f(x_i) for every sample, (n, k) row-major */
    public static double[] outputs(Parameters p, AugmentedInputs xt) {
        int n = xt.samples();
        int k = p.outputs();
        int d = p.inputDim();
        double[] f = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p.width(); j++) {
                double z = p.b(j) * (xt.bias() ? 1 : 0);
                for (int q = 0; q < d; q++) {
                    z += p.w(j, q) * xt.x(i, q);
                }
                if (z > 0) {
                    for (int o = 0; o < k; o++) {
                        f[i * k + o] += p.a(j, o) * z;
                    }
                }
            }
        }
        return f;
    }

    /**
     * The residuals r_i = n dL/df(x_i), (n, k) row-major: f_i - y_i for numeric targets (the square
     * loss), softmax(f_i) - e_{c_i} for class labels (the softmax cross-entropy, max-shifted).
     */
    public static double[] residuals(double[] f, Dataset data) {
        int n = data.samples();
        int k = data.outputs();
        double[] r = new double[n * k];
        if (!data.hasLabels()) {
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < k; o++) {
                    r[i * k + o] = f[i * k + o] - data.y(i, o);
                }
            }
            return r;
        }
        int[] labels = data.labels();
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < k; o++) {
                max = Math.max(max, f[i * k + o]);
            }
            double sum = 0;
            for (int o = 0; o < k; o++) {
                sum += Math.exp(f[i * k + o] - max);
            }
            for (int o = 0; o < k; o++) {
                r[i * k + o] = Math.exp(f[i * k + o] - max) / sum - (o == labels[i] ? 1 : 0);
            }
        }
        return r;
    }

    /** @return the loss at outputs f: (1/(2n)) sum |r_i|^2, or the mean cross-entropy for class labels */
    public static double loss(double[] f, Dataset data) {
        int n = data.samples();
        int k = data.outputs();
        double total = 0;
        if (!data.hasLabels()) {
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < k; o++) {
                    double r = f[i * k + o] - data.y(i, o);
                    total += r * r / 2;
                }
            }
            return total / n;
        }
        int[] labels = data.labels();
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < k; o++) {
                max = Math.max(max, f[i * k + o]);
            }
            double sum = 0;
            for (int o = 0; o < k; o++) {
                sum += Math.exp(f[i * k + o] - max);
            }
            total += max + Math.log(sum) - f[i * k + labels[i]];
        }
        return total / n;
    }

    /**
     * The oracle's weights at initialization (f = 0): c_i = y_i (square loss) or e_{c_i} - (1/k) 1
     * (class labels).
     */
    public static OutputWeights initialWeights(Dataset data) {
        return data.hasLabels() ? OutputWeights.softmax(data.labels(), data.outputs())
                : OutputWeights.square(data.targets(), data.samples(), data.outputs());
    }

    /**
     * Self-consistency of each cluster at the residuals r ({@link VectorAttractors#selfConsistency}):
     * {|cos(u, q)|, cos(a, g(u))} with q the top right singular vector of M_sigma(u) for c = -r and g(u)
     * the output direction the fixed point asks of a (NaN where M_sigma(u) or g(u) is zero).
     */
    public static double[][] selfConsistency(List<OutputCluster> clusters, AugmentedInputs xt, double[] r, int k) {
        OutputWeights c = OutputWeights.residuals(r, xt.samples(), k);
        double[][] cos = new double[clusters.size()][];
        for (int q = 0; q < clusters.size(); q++) {
            VectorAttractors.Consistency at = VectorAttractors.selfConsistency(xt, c, clusters.get(q).cluster().direction(),
                    clusters.get(q).output());
            cos[q] = new double[] {at.direction(), at.output()};
        }
        return cos;
    }

    /** @return the share of the total mass whose direction lies within eps radians of an attractor's */
    public static double massWithin(Parameters p, boolean bias, List<VectorAttractor> attractors, double eps) {
        int m = p.width();
        double[] norms = new double[m];
        for (int j = 0; j < m; j++) {
            norms[j] = Math.sqrt(squaredNorm(p, j));
        }
        Neurons directions = Neurons.of(Parameters.of(norms, p.inputWeights(), p.biases(), p.inputDim()), bias);
        double near = 0;
        double total = directions.totalMass();
        for (int j = 0; j < m; j++) {
            if (directions.mass(j) == 0) {
                continue;
            }
            double[] u = directions.direction(j);
            for (VectorAttractor a : attractors) {
                if (Math.acos(Math.max(-1, Math.min(1, dot(u, a.direction())))) <= eps) {
                    near += directions.mass(j);
                    break;
                }
            }
        }
        return total == 0 ? 0 : near / total;
    }

    private static double squaredNorm(Parameters p, int j) {
        double s = 0;
        for (int o = 0; o < p.outputs(); o++) {
            s += p.a(j, o) * p.a(j, o);
        }
        return s;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    private static double[] unit(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        double[] u = v.clone();
        for (int i = 0; norm > 0 && i < u.length; i++) {
            u[i] /= norm;
        }
        return u;
    }
}
