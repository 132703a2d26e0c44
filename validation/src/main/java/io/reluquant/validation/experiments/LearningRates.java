package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.StepListener;
import io.reluquant.kernel.Trainer;
import java.util.stream.IntStream;

/**
 * Learning rates of the output block (a) and of the hidden block (w, b). One rate for both blocks
 * suits the balanced small init; the contrasts of docs/THEORY.md section 3 need one rate per block
 * ({@link #fromGaussNewtonTraces}), since under L = (1/(2n)) sum r^2 the curvature of the two blocks
 * differs by orders of magnitude there (at d = 784 and lambda = 1 the hidden block's is ~1e3 times the
 * output block's).
 *
 * @param output rate of the output weights a_j
 * @param hidden rate of the hidden weights and biases (w_j, b_j)
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

    /**
     * Per-block rates from the traces of the two diagonal blocks of the Gauss-Newton matrix (1/n) J^T J at
     * {@code p}:
     * <pre>
     *     T_a = (1/n) sum_ij relu(z_ij)^2,    T_v = (1/n) sum_ij a_j^2 |x~_i|^2 [z_ij &gt; 0],
     * </pre>
     * rates lr_a = c / T_a and lr_v = c / T_v with c = 1 / {@code maxLossCurvature} (the largest second
     * derivative of the loss in f: 1 for the square loss, 1/4 for the logistic one). A block's largest
     * eigenvalue is at most its trace, so each block alone has lr lambda_max &lt;= 1; the two together,
     * preconditioned by the rates, have trace 2, so lambda_max &lt;= 2, the stability edge, reached only if
     * that matrix had rank one. Measured stable on Fashion-MNIST (n = 200 and 1000): the standard contrast at m = 600, 1e3
     * and 1e4, the lambda = 1 one at m = 600 and 1e3 (at 1.9 times these rates the lambda = 1 run overshoots for a few steps).
     *
     * @param data the training set
     * @param p the parameters where the curvature is taken (the initialization)
     * @param maxLossCurvature sup of d^2 loss / df^2, positive
     * @return lr_a, lr_v
     */
    public static LearningRates fromGaussNewtonTraces(Dataset data, Parameters p, double maxLossCurvature) {
        if (!(maxLossCurvature > 0)) {
            throw new IllegalArgumentException("maxLossCurvature must be positive, got " + maxLossCurvature);
        }
        double[] traces = gaussNewtonBlockTraces(data, p);
        return new LearningRates(1 / (maxLossCurvature * traces[0]), 1 / (maxLossCurvature * traces[1]));
    }

    /**
     * @param other rates
     * @return per block the smaller of these rates and {@code other}'s (a rate capped by a stability rule)
     */
    public LearningRates atMost(LearningRates other) {
        return new LearningRates(Math.min(output, other.output), Math.min(hidden, other.hidden));
    }

    /** @return {T_a, T_v} of {@link #fromGaussNewtonTraces}, square loss, biases on */
    public static double[] gaussNewtonBlockTraces(Dataset data, Parameters p) {
        int n = data.samples();
        int d = data.inputDim();
        if (p.inputDim() != d) {
            throw new IllegalArgumentException("parameters have input dimension " + p.inputDim() + ", data " + d);
        }
        double[] x = data.inputs();
        double[] w = p.inputWeights();
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 1; // the bias coordinate of x~
            for (int k = 0; k < d; k++) {
                s += x[i * d + k] * x[i * d + k];
            }
            sq[i] = s;
        }
        // per neuron j: sum_i relu(z_ij)^2 and sum_i [z_ij > 0] |x~_i|^2; neurons are independent, so split them over cores
        double[][] perNeuron = IntStream.range(0, p.width()).parallel().mapToObj(j -> {
            double out = 0;
            double active = 0;
            for (int i = 0; i < n; i++) {
                double z = p.b(j);
                for (int k = 0; k < d; k++) {
                    z += w[j * d + k] * x[i * d + k];
                }
                if (z > 0) {
                    out += z * z;
                    active += sq[i];
                }
            }
            return new double[] {out, p.a(j) * p.a(j) * active};
        }).toArray(double[][]::new);
        double ta = 0;
        double tv = 0;
        for (double[] t : perNeuron) {
            ta += t[0];
            tv += t[1];
        }
        return new double[] {ta / n, tv / n};
    }

    /** Runs {@code count} steps at these rates, {@code listener} after each. */
    void steps(Trainer t, long count, StepListener listener) {
        t.steps(output, hidden, count, 1, listener);
    }

    /** @return "lr_a / lr_v", or the one rate when both are equal */
    public String describe() {
        return output == hidden ? Format.of("%.3g", output) : Format.of("%.3g / %.3g", output, hidden);
    }
}
