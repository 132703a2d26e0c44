package io.reluquant.kernel;

/**
 * The training loss L = (1/n) sum_i loss(f(x_i), y_i). With k outputs f(x_i) is a k-vector and so is
 * the residual r_i = n dL/df(x_i) (docs/THEORY.md section 10): {@link #SQUARE} takes k targets per
 * sample, {@link #SOFTMAX_CROSS_ENTROPY} one class label per sample, {@link #LOGISTIC} is for k = 1
 * only. For k = 1 every kernel uses only the residual
 * r_i = n dL/df_i = d loss(f_i, y_i)/df_i: the gradients are dL/da_j = (1/n) sum_i r_i relu(z_ij),
 * dL/dw_j = (1/n) a_j sum_i r_i [z_ij > 0] x_i, dL/db_j = (1/n) a_j sum_i r_i [z_ij > 0] for either loss
 * (docs/THEORY.md sections 1 and 10 of the project's source tree, not in the jar).
 */
public enum Loss {
    /** The paper's: loss = (f - y)^2 / 2, so L = (1/(2n)) sum r_i^2 with r_i = f_i - y_i. */
    SQUARE {
        @Override
        public double value(double f, double y) {
            double r = f - y;
            return 0.5 * r * r;
        }

        @Override
        public double residual(double f, double y) {
            return f - y;
        }
    },
    /**
     * Two classes, y in {-1, +1}: loss = log(1 + exp(-y f)), computed without overflow as
     * max(t, 0) + log1p(exp(-|t|)) with t = -y f; r = -y sigmoid(-y f).
     */
    LOGISTIC {
        @Override
        public double value(double f, double y) {
            double t = -y * f;
            return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
        }

        @Override
        public double residual(double f, double y) {
            double t = -y * f;
            // sigmoid(t) without overflow: exp of a non-positive number only
            double sigmoid = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
            return -y * sigmoid;
        }
    },
    /**
     * k classes, one label c in {0, .., k-1} per sample: loss = logsumexp(f) - f_c, computed with the
     * maximum subtracted first (max - f_c + log sum_l exp(f_l - max), every exp of a non-positive number);
     * residual r = softmax(f) - e_c. Needs k >= 2 outputs; the scalar forms of this loss do not exist
     * (with one output the loss is identically 0) and throw.
     */
    SOFTMAX_CROSS_ENTROPY {
        @Override
        public double value(double f, double y) {
            throw new UnsupportedOperationException("SOFTMAX_CROSS_ENTROPY takes k >= 2 outputs: use value(f, fAt, k, y, yAt)");
        }

        @Override
        public double residual(double f, double y) {
            throw new UnsupportedOperationException("SOFTMAX_CROSS_ENTROPY takes k >= 2 outputs: use residual(f, fAt, k, y, yAt, r, rAt)");
        }

        @Override
        public int targetsPerSample(int outputs) {
            return 1;
        }

        @Override
        public double value(double[] f, int fAt, int outputs, double[] y, int yAt) {
            int c = (int) y[yAt];
            double max = max(f, fAt, outputs);
            double sum = 0;
            for (int l = 0; l < outputs; l++) {
                sum += Math.exp(f[fAt + l] - max);
            }
            // max - f_c first: both large and close when the net is confident, the difference is exact-ish
            return (max - f[fAt + c]) + Math.log(sum);
        }

        @Override
        public void residual(double[] f, int fAt, int outputs, double[] y, int yAt, double[] r, int rAt) {
            int c = (int) y[yAt];
            double max = max(f, fAt, outputs);
            double sum = 0;
            for (int l = 0; l < outputs; l++) {
                double e = Math.exp(f[fAt + l] - max);
                r[rAt + l] = e;
                sum += e;
            }
            for (int l = 0; l < outputs; l++) {
                r[rAt + l] = r[rAt + l] / sum - (l == c ? 1 : 0);
            }
        }
    };

    private static double max(double[] f, int at, int outputs) {
        double max = f[at];
        for (int l = 1; l < outputs; l++) {
            max = Math.max(max, f[at + l]);
        }
        return max;
    }

    /**
     * How many numbers encode one sample's target: k for SQUARE (the k-vector y_i) and LOGISTIC (k = 1),
     * 1 for SOFTMAX_CROSS_ENTROPY (the class label, stored as a double).
     *
     * @param outputs k
     * @return numbers per sample in the targets array
     */
    public int targetsPerSample(int outputs) {
        return outputs;
    }

    /**
     * The per-sample loss with k outputs; for k = 1 (SQUARE, LOGISTIC) exactly {@link #value(double, double)}.
     *
     * @param f outputs, f_i at f[fAt .. fAt+k)
     * @param fAt where f_i starts
     * @param outputs k
     * @param y targets: y_i at y[yAt .. yAt+k) (SQUARE, LOGISTIC), the class label at y[yAt] (SOFTMAX_CROSS_ENTROPY)
     * @param yAt where the target of sample i starts
     * @return loss(f_i, y_i)
     */
    public double value(double[] f, int fAt, int outputs, double[] y, int yAt) {
        double sum = 0;
        for (int l = 0; l < outputs; l++) {
            sum += value(f[fAt + l], y[yAt + l]);
        }
        return sum;
    }

    /**
     * The residual k-vector r_i = d loss(f_i, y_i) / df_i into r[rAt .. rAt+k); for k = 1 (SQUARE,
     * LOGISTIC) exactly {@link #residual(double, double)}.
     *
     * @param f outputs, f_i at f[fAt .. fAt+k)
     * @param fAt where f_i starts
     * @param outputs k
     * @param y targets (layout as in {@link #value(double[], int, int, double[], int)})
     * @param yAt where the target of sample i starts
     * @param r receives the residual
     * @param rAt where it goes
     */
    public void residual(double[] f, int fAt, int outputs, double[] y, int yAt, double[] r, int rAt) {
        for (int l = 0; l < outputs; l++) {
            r[rAt + l] = residual(f[fAt + l], y[yAt + l]);
        }
    }

    /**
     * @param f the network's output
     * @param y the target
     * @return the per-sample loss of output f against target y
     */
    public abstract double value(double f, double y);

    /**
     * @param f the network's output
     * @param y the target
     * @return d value(f, y) / df, the residual r that the gradient sums weigh
     */
    public abstract double residual(double f, double y);
}
