// Proves: the vector-output oracle predicts what gradient descent does: a plain float64 GD of a k-output network (the formulas of docs/THEORY.md section 10, no kernel) started small on the worked example sends its growing neurons to the predicted attractors, their output vectors along the predicted output directions, and escapes at the rate max |g|, not at the largest sector s1.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorAttractorsTrainingTest {
    private static final double[] X = VectorAttractorsExampleTest.X;
    private static final double[] Y = VectorAttractorsExampleTest.Y;
    private static final int N = 3;
    private static final int K = 2;
    private static final int WIDTH = 200;
    // lr |g| / n = 0.0033 rad: the jitter of a boundary cluster across its kink stays far below the 1-degree check
    private static final double LR = 0.01;

    /** The state of a small-init run at the first step with L0 - L >= 1e-4 L0. */
    private record Moment(int step, double[] a, double[] v) {}

    @Test
    void growingNeuronsSitAtThePredictedAttractors() {
        checkAttractors(new Problem(X, 1, K, Y, null, LR), 2);
    }

    /**
     * Softmax cross-entropy on the three-blob data: the oracle's weights e_c - 1/k (the residual at f = 0)
     * predict where GD on the cross-entropy loss sends its neurons; every attractor votes for one class.
     */
    @Test
    void softmaxOnThreeBlobs() {
        io.reluquant.io.data.VectorDataSets.VectorSet set = io.reluquant.io.data.VectorDataSets.blobs3();
        // lr |g| / n = 0.02 * 4.36 / 12 = 0.0073 rad: the boundary clusters' jitter stays below half a degree
        checkAttractors(new Problem(set.x(), 2, 3, null, set.labels(), 0.02), 3);
    }

    /** Trains at lambda = 1e-9 and checks every growing neuron and every attractor with growing neurons; {@code fastest} attractors must hold some. */
    private static void checkAttractors(Problem pr, int fastest) {
        AugmentedInputs xt = AugmentedInputs.of(pr.x, pr.d, true);
        OutputWeights c = pr.labels == null ? OutputWeights.square(pr.y, pr.n(), pr.k) : OutputWeights.softmax(pr.labels, pr.k);
        List<VectorAttractor> predicted = VectorAttractors.predict(xt, c);
        Moment m = train(pr, 1e-9, 1);
        int dim = pr.d + 1;
        double maxMass = 0;
        for (int j = 0; j < WIDTH; j++) {
            maxMass = Math.max(maxMass, mass(m, j, pr.k, dim));
        }
        double[][] meanA = new double[predicted.size()][pr.k];
        int[] members = new int[predicted.size()];
        int heavy = 0;
        for (int j = 0; j < WIDTH; j++) {
            if (mass(m, j, pr.k, dim) < 1e-2 * maxMass) {
                continue;
            }
            heavy++;
            double[] u = java.util.Arrays.copyOfRange(m.v, dim * j, dim * j + dim);
            double[] aj = java.util.Arrays.copyOfRange(m.a, pr.k * j, pr.k * j + pr.k);
            int best = -1;
            double bestAngle = Math.PI;
            for (int p = 0; p < predicted.size(); p++) {
                double angle = AugmentedInputs.angle(u, predicted.get(p).direction());
                if (angle < bestAngle) {
                    bestAngle = angle;
                    best = p;
                }
            }
            assertTrue(Math.toDegrees(bestAngle) < 1, "growing neuron " + j + " is " + Math.toDegrees(bestAngle) + " deg from every attractor");
            members[best]++;
            for (int o = 0; o < pr.k; o++) {
                meanA[best][o] += aj[o];
            }
            // each growing neuron is self-consistent: its a along g(u)
            VectorAttractors.Consistency s = VectorAttractors.selfConsistency(xt, c, u, aj);
            assertTrue(s.output() > 0.999, "cos(a, g(u)) = " + s.output());
        }
        for (int p = 0; p < predicted.size(); p++) {
            VectorAttractor at = predicted.get(p);
            if (members[p] > 0) {
                double cos = Vectors.dot(meanA[p], at.output()) / Vectors.norm(meanA[p]);
                System.out.printf("attractor %s (rate %.4f): %d growing neurons, cos(mean a, predicted output) %.7f%n",
                        java.util.Arrays.toString(at.direction()), at.rate(), members[p], cos);
                assertTrue(cos > 0.9999, "output direction of attractor " + at);
            }
        }
        for (int p = 0; p < fastest; p++) {
            assertTrue(members[p] > 0, "no growing neuron at " + predicted.get(p));
        }
        System.out.printf("step %d: %d growing neurons, all within 1 deg of a predicted attractor%n", m.step, heavy);
    }

    /**
     * The escape step grows like ln(1/lambda) / ln(1 + lr max|g| / n): between lambda = 1e-6 and 1e-9 the
     * difference of the steps (which cancels the O(1) offset) is ln(1000) / ln(1 + lr max|g| / n) = 2076 steps.
     * The largest sector s1 (3.56) would predict 584.
     */
    @Test
    void escapeRateIsMaxAbsG() {
        Problem pr = new Problem(X, 1, K, Y, null, LR);
        int early = train(pr, 1e-6, 2).step;
        int late = train(pr, 1e-9, 2).step;
        double predicted = VectorAttractors.escapeSteps(N, 1e-9, LR, 1) - VectorAttractors.escapeSteps(N, 1e-6, LR, 1);
        double wrong = Math.log(1000) / Math.log1p(LR * (3 + Math.sqrt(17)) / 2 / N);
        System.out.printf("escape steps %d (lambda 1e-6), %d (1e-9): difference %d, predicted from max|g| %.0f, from the largest s1 %.0f%n", early,
                late, late - early, predicted, wrong);
        // both runs start from the same draw scaled by lambda, so the O(1) offset of the escape cancels up to the
        // share of the slower groups (relative lambda^0.29 and less) and one step of granularity: 1% (measured 0.1%)
        // is 3.5x tighter than the gap to the largest-s1 rule
        assertEquals(predicted, late - early, 0.01 * predicted);
    }

    private static double mass(Moment m, int j, int k, int dim) {
        double na = 0;
        double nv = 0;
        for (int o = 0; o < k; o++) {
            na += m.a[k * j + o] * m.a[k * j + o];
        }
        for (int q = 0; q < dim; q++) {
            nv += m.v[dim * j + q] * m.v[dim * j + q];
        }
        return Math.sqrt(na * nv);
    }

    /** Data x (n, d) with bias, k outputs, targets y (n, k) for the square loss or labels for softmax cross-entropy; GD step lr. */
    private record Problem(double[] x, int d, int k, double[] y, int[] labels, double lr) {
        int n() {
            return x.length / d;
        }
    }

    /**
     * Balanced small init (v ~ N(0, lambda^2/m) per coordinate, a = |v| times a random unit k-vector) and plain
     * GD until L0 - L >= 1e-4 L0. Residual r_i = n dL/df(x_i): f - y (square), softmax(f) - e_c (cross-entropy).
     */
    private static Moment train(Problem pr, double lambda, long seed) {
        int n = pr.n();
        int d = pr.d;
        int k = pr.k;
        int dim = d + 1;
        Random rnd = new Random(seed);
        double[] v = new double[dim * WIDTH];
        double[] a = new double[k * WIDTH];
        for (int j = 0; j < WIDTH; j++) {
            double nv = 0;
            for (int q = 0; q < dim; q++) {
                v[dim * j + q] = lambda / Math.sqrt(WIDTH) * rnd.nextGaussian();
                nv += v[dim * j + q] * v[dim * j + q];
            }
            double na = 0;
            for (int o = 0; o < k; o++) {
                a[k * j + o] = rnd.nextGaussian();
                na += a[k * j + o] * a[k * j + o];
            }
            for (int o = 0; o < k; o++) {
                a[k * j + o] *= Math.sqrt(nv / na);
            }
        }
        double[] f = new double[k];
        double[] r = new double[n * k];
        double[] z = new double[n * WIDTH];
        double[] ga = new double[k * WIDTH];
        double[] gv = new double[dim * WIDTH];
        double l0 = Double.NaN;
        for (int step = 0; step < 100_000; step++) {
            double loss = 0;
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(f, 0);
                for (int j = 0; j < WIDTH; j++) {
                    double zz = v[dim * j + d];
                    for (int q = 0; q < d; q++) {
                        zz += v[dim * j + q] * pr.x[d * i + q];
                    }
                    z[WIDTH * i + j] = zz;
                    for (int o = 0; o < k; o++) {
                        f[o] += a[k * j + o] * Math.max(0, zz);
                    }
                }
                if (pr.labels == null) {
                    for (int o = 0; o < k; o++) {
                        r[k * i + o] = f[o] - pr.y[k * i + o];
                        loss += r[k * i + o] * r[k * i + o] / (2 * n);
                    }
                } else {
                    double max = f[0];
                    for (int o = 1; o < k; o++) {
                        max = Math.max(max, f[o]);
                    }
                    double sum = 0;
                    for (int o = 0; o < k; o++) {
                        sum += Math.exp(f[o] - max);
                    }
                    for (int o = 0; o < k; o++) {
                        r[k * i + o] = Math.exp(f[o] - max) / sum - (o == pr.labels[i] ? 1 : 0);
                    }
                    loss += (max + Math.log(sum) - f[pr.labels[i]]) / n;
                }
            }
            if (step == 0) {
                l0 = loss;
            } else if (l0 - loss >= 1e-4 * l0) {
                return new Moment(step, a, v);
            }
            // dL/da_j = (1/n) sum_i r_i relu(z_ij), dL/dv_j = (1/n) sum_i (a_j . r_i) [z_ij > 0] x~_i
            java.util.Arrays.fill(ga, 0);
            java.util.Arrays.fill(gv, 0);
            for (int j = 0; j < WIDTH; j++) {
                for (int i = 0; i < n; i++) {
                    double zz = z[WIDTH * i + j];
                    if (zz > 0) {
                        double ar = 0;
                        for (int o = 0; o < k; o++) {
                            ga[k * j + o] += r[k * i + o] * zz / n;
                            ar += a[k * j + o] * r[k * i + o];
                        }
                        for (int q = 0; q < d; q++) {
                            gv[dim * j + q] += ar * pr.x[d * i + q] / n;
                        }
                        gv[dim * j + d] += ar / n;
                    }
                }
            }
            for (int q = 0; q < ga.length; q++) {
                a[q] -= pr.lr * ga[q];
            }
            for (int q = 0; q < gv.length; q++) {
                v[q] -= pr.lr * gv[q];
            }
        }
        throw new AssertionError("no escape within 100000 steps at lambda = " + lambda);
    }
}
