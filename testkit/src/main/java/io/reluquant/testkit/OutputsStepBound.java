package io.reluquant.testkit;

import static io.reluquant.testkit.OneStepBound.U64;
import static io.reluquant.testkit.OneStepBound.gamma;

import io.reluquant.kernel.Loss;
import io.reluquant.kernel.reference.Reference;

/**
 * {@link OneStepBound} for networks with k outputs (docs/THEORY.md section 10): how far one kernel
 * evaluation (loss, gradient, one GD step) may lie from the float64 {@link Reference} at the same
 * parameters, in ANY summation order (so for every vector width, tiling and thread count), for the
 * square loss and the softmax cross-entropy. The derivation (testkit/README.md, "The k-output bound")
 * follows OneStepBound's, term by term, with every quantity at the reference's values:
 *
 * <pre>
 *   z_ij:   dz_ij = gamma(d+1) (|b_j| + sum_k |w_jk x_ik|)                       (as at k = 1)
 *   f_ic:   df_ic = gamma(m+1) sum_j |a_jc| (h_ij + dz_ij) + sum_j |a_jc| dz_ij   (each output as at k = 1)
 *   r_ic:   square   r = f - y:            dr_ic = df_ic (1 + 2u) + 2u |r_ic|
 *           softmax  r = softmax(f) - e_c: dr_ic = (max_l df_il) / 2 (1 + 2u) + 2u |r_ic| + 2 gamma(k+6, u64)
 *                    (p_c(f) is 1/2-Lipschitz in the max norm: its gradient p_c (e_c - p) has 1-norm
 *                    2 p_c (1 - p_c) &lt;= 1/2; the float64 evaluation, exps of non-positive numbers, a sum
 *                    of k terms &gt;= 1, a division and a subtraction, is within gamma(k+6, u64) (p_c + 1))
 *   s_ij = a_j . r_i, the per-pair k-dot in the kernel's format (k products or FMAs):
 *           ds_ij = gamma(k) sum_c |a_jc| (|r_ic| + dr_ic) + sum_c |a_jc| dr_ic
 *   S_w_jk = sum_i s_ij [z_ij &gt; 0] x_ik (S_b_j with x = 1), the mask as at k = 1:
 *           dS_w = gamma(n+1) sum_i (|s_ij| + ds_ij) |x_ik| + sum_i e_ij |x_ik|,
 *           e_ij = |s_ij| + ds_ij where the mask may flip (|z_ij| &lt;= 2 (dz_ij(u) + dz_ij(u64))), ds_ij
 *           where z_ij &gt; 0 surely, 0 where z_ij &lt; 0 surely
 *   S_a_jc = sum_i relu(z_ij) r_ic (relu(z) stored or recomputed, never the k = 1 identity):
 *           dS_a = gamma(n+1) sum_i (|r_ic| + dr_ic)(h_ij + dz_ij) + sum_i (dr_ic (h_ij + dz_ij) + |r_ic| dz_ij)
 *   gradient g = S / n in float64 from the kernel's sums: dg = (dS(u) + dS(u64)) / n + 4 u64 |S| / n
 *   update p' = p + c S, c = -lr/n rounded: dp' = c (1 + 4u) dS + 6u (|p| + c (|S| + dS))
 *   loss, both sides in float64 from their own f, D_ic = df_ic(u) + df_ic(u64):
 *           square:  E = (1/2n) sum_{i,c} (2 |r_ic| D_ic + D_ic^2),  dL = E + gamma(nk + 3, u64) (2L + E)
 *           softmax: E = (1/n) sum_i 2 max_c D_ic (the loss's gradient p - e_c has 1-norm &lt;= 2),
 *                    dL = E + gamma(n + 4, u64) (2L + E) + 4 gamma(2k + 4, u64)
 * </pre>
 *
 * A component passes when |kernel - reference| is at most bound(u) + bound(u64) (the reference rounds
 * too). Inputs must be numbers of the kernel's format ({@link Fixtures}).
 */
public final class OutputsStepBound {
    private final double[] a;
    private final double[] w;
    private final double[] b;
    private final int d;
    private final int k;
    private final double[] x;
    private final double[] y;
    private final int m;
    private final int n;
    private final double uKernel;
    private final Loss loss;
    private final double[] z; // (n, m)
    private final double[] zAbs; // (n, m)
    private final double[] f; // (n, k)
    private final double[] r; // (n, k)

    /**
     * @param a output weights (m, k) row-major both sides start from
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param x inputs (n, d) row-major
     * @param y targets: (n, k) for SQUARE, (n) class labels for SOFTMAX_CROSS_ENTROPY
     * @param d input dimension
     * @param k outputs
     * @param uKernel the kernel's unit roundoff
     * @param loss SQUARE or SOFTMAX_CROSS_ENTROPY
     */
    public OutputsStepBound(double[] a, double[] w, double[] b, double[] x, double[] y, int d, int k, double uKernel,
                            Loss loss) {
        if (loss != Loss.SQUARE && loss != Loss.SOFTMAX_CROSS_ENTROPY) {
            throw new IllegalArgumentException("the k-output bound covers SQUARE and SOFTMAX_CROSS_ENTROPY, got " + loss);
        }
        this.a = a;
        this.w = w;
        this.b = b;
        this.x = x;
        this.y = y;
        this.d = d;
        this.k = k;
        this.m = b.length;
        this.n = x.length / d;
        this.uKernel = uKernel;
        this.loss = loss;
        z = new double[n * m];
        zAbs = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                z[i * m + j] = Reference.preActivation(w, b, d, j, x, i);
                double s = Math.abs(b[j]);
                for (int q = 0; q < d; q++) {
                    s += Math.abs(w[j * d + q] * x[i * d + q]);
                }
                zAbs[i * m + j] = s;
            }
        }
        f = Reference.forward(a, w, b, d, k, x);
        r = Reference.residuals(a, w, b, d, k, x, y, loss);
    }

    /** @return the reference's pre-activations z_ij at index i m + j (a copy) */
    public double[] preActivations() {
        return z.clone();
    }

    private double dz(int i, int j, double u) {
        return gamma(d + 1, u) * zAbs[i * m + j];
    }

    /** @return df (n, k): how far f_c(x_i) computed at roundoff u may lie from the exact one */
    private double[] df(double u) {
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double sumAbs = 0;
                double sumDz = 0;
                for (int j = 0; j < m; j++) {
                    double dzij = dz(i, j, u);
                    double ac = Math.abs(a[j * k + c]);
                    sumAbs += ac * (Math.max(z[i * m + j], 0) + dzij);
                    sumDz += ac * dzij;
                }
                out[i * k + c] = gamma(m + 1, u) * sumAbs + sumDz;
            }
        }
        return out;
    }

    private double[] dr(double u) {
        double[] dfs = df(u);
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            double maxDf = 0;
            for (int c = 0; c < k; c++) {
                maxDf = Math.max(maxDf, dfs[i * k + c]);
            }
            for (int c = 0; c < k; c++) {
                double ar = Math.abs(r[i * k + c]);
                out[i * k + c] = loss == Loss.SQUARE
                        ? dfs[i * k + c] * (1 + 2 * u) + 2 * u * ar
                        : maxDf / 2 * (1 + 2 * u) + 2 * u * ar + 2 * gamma(k + 6, U64);
            }
        }
        return out;
    }

    /** @return {dS_a (m, k), dS_w (m, d), dS_b (m), S_a, S_w, S_b} at roundoff u */
    private double[][] sumBounds(double u) {
        double[] drs = dr(u);
        double[] dSa = new double[m * k];
        double[] dSw = new double[m * d];
        double[] dSb = new double[m];
        double[] sa = new double[m * k];
        double[] sw = new double[m * d];
        double[] sb = new double[m];
        double g = gamma(n + 1, u);
        double gk = gamma(k, u);
        for (int j = 0; j < m; j++) {
            double[] absA = new double[k];
            double[] accA = new double[k];
            double absB = 0;
            double accB = 0;
            for (int i = 0; i < n; i++) {
                double zij = z[i * m + j];
                double dzij = dz(i, j, u);
                double h = Math.max(zij, 0);
                boolean unsure = Math.abs(zij) <= 2 * (dzij + dz(i, j, U64));
                boolean active = zij > 0;
                double s = 0;
                double sAbs = 0;
                double sDr = 0;
                for (int c = 0; c < k; c++) {
                    double ac = Math.abs(a[j * k + c]);
                    double ar = Math.abs(r[i * k + c]);
                    double drc = drs[i * k + c];
                    s += a[j * k + c] * r[i * k + c];
                    sAbs += ac * (ar + drc);
                    sDr += ac * drc;
                    absA[c] += (ar + drc) * (h + dzij);
                    accA[c] += drc * (h + dzij) + ar * dzij;
                    sa[j * k + c] += r[i * k + c] * h;
                }
                double ds = gk * sAbs + sDr;
                double big = Math.abs(s) + ds;
                double e = unsure ? big : active ? ds : 0;
                absB += big;
                accB += e;
                if (active) {
                    sb[j] += s;
                }
                for (int q = 0; q < d; q++) {
                    double xa = Math.abs(x[i * d + q]);
                    dSw[j * d + q] += g * big * xa + e * xa;
                    if (active) {
                        sw[j * d + q] += s * x[i * d + q];
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                dSa[j * k + c] = g * absA[c] + accA[c];
            }
            dSb[j] = g * absB + accB;
        }
        return new double[][] {dSa, dSw, dSb, sa, sw, sb};
    }

    /** @return bounds of |kernel - reference| for the gradient {ga (m, k), gw (m, d), gb (m)} */
    public double[][] gradientBounds() {
        double[][] kb = sumBounds(uKernel);
        double[][] ref = sumBounds(U64);
        double[][] out = new double[3][];
        for (int part = 0; part < 3; part++) {
            out[part] = new double[kb[part].length];
            for (int q = 0; q < out[part].length; q++) {
                out[part][q] = (kb[part][q] + ref[part][q]) / n + 4 * U64 * Math.abs(kb[part + 3][q]) / n;
            }
        }
        return out;
    }

    /**
     * @param lrOutput the learning rate of a
     * @param lrHidden the learning rate of w and b
     * @param bias whether b moves
     * @return bounds of |kernel - reference| for {a' (m, k), w' (m, d), b' (m)} after one step
     */
    public double[][] stepBounds(double lrOutput, double lrHidden, boolean bias) {
        double[][] kb = sumBounds(uKernel);
        double[][] ref = sumBounds(U64);
        double[][] p = {a, w, b};
        double[] c = {lrOutput / n, lrHidden / n, bias ? lrHidden / n : 0};
        double[][] out = new double[3][];
        for (int part = 0; part < 3; part++) {
            out[part] = new double[kb[part].length];
            for (int q = 0; q < out[part].length; q++) {
                double pa = Math.abs(p[part][q]);
                double s = kb[part + 3][q];
                out[part][q] = c[part] == 0 ? 0 : updateBound(uKernel, c[part], pa, s, kb[part][q])
                        + updateBound(U64, c[part], pa, s, ref[part][q]);
            }
        }
        return out;
    }

    private static double updateBound(double u, double c, double p, double s, double dS) {
        return c * (1 + 4 * u) * dS + 6 * u * (p + c * (Math.abs(s) + dS));
    }

    /** @return bounds of |kernel - reference| for f (n, k): df_ic(u) + df_ic(u64) */
    public double[] forwardBounds() {
        double[] dk = df(uKernel);
        double[] dr = df(U64);
        for (int q = 0; q < dk.length; q++) {
            dk[q] += dr[q];
        }
        return dk;
    }

    /** @return the bound dL of |kernel loss - reference loss| at these parameters (class comment) */
    public double lossBound() {
        double[] dk = df(uKernel);
        double[] dr = df(U64);
        double exact = 0;
        for (int i = 0; i < n; i++) {
            double maxD = 0;
            for (int c = 0; c < k; c++) {
                double dic = dk[i * k + c] + dr[i * k + c];
                maxD = Math.max(maxD, dic);
                if (loss == Loss.SQUARE) {
                    exact += (2 * Math.abs(r[i * k + c]) * dic + dic * dic) / 2;
                }
            }
            if (loss != Loss.SQUARE) {
                exact += 2 * maxD;
            }
        }
        exact /= n;
        double ref = referenceLoss();
        return loss == Loss.SQUARE
                ? exact + gamma(n * k + 3, U64) * (2 * ref + exact)
                : exact + gamma(n + 4, U64) * (2 * ref + exact) + 4 * gamma(2 * k + 4, U64);
    }

    /** @return the reference's loss at these parameters */
    public double referenceLoss() {
        return Reference.loss(a, w, b, d, k, x, y, loss);
    }
}
