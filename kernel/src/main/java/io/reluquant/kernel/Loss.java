package io.reluquant.kernel;

/**
 * The training loss L = (1/n) sum_i loss(f(x_i), y_i). Every kernel uses only the residual
 * r_i = n dL/df_i = d loss(f_i, y_i)/df_i: the gradients are dL/da_j = (1/n) sum_i r_i relu(z_ij),
 * dL/dw_j = (1/n) a_j sum_i r_i [z_ij > 0] x_i, dL/db_j = (1/n) a_j sum_i r_i [z_ij > 0] for either loss
 * (docs/THEORY.md section 1 of the source repository, https://github.com/reluquant/reluquant (not in the jar)).
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
    };

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
