package io.reluquant.kernel;

import io.reluquant.kernel.reference.Reference;

/**
 * Rigorous forward-error bounds (Higham, "Accuracy and Stability of Numerical Algorithms", ch. 3) for
 * one evaluation of the loss, the gradient and one GD step of docs/THEORY.md section 1, for a kernel with
 * unit roundoff u, in ANY summation order (so it holds for every vector width, chunking and thread
 * count). A sum of k rounded terms (products or FMAs) has error at most gamma(k) * sum |terms| with
 * gamma(k) = k u / (1 - k u). Propagated through the model:
 *
 * <pre>
 *   z_ij:    dz_ij = gamma(d+1) (|b_j| + sum_k |w_jk x_ik|)                    relu is 1-Lipschitz: dh <= dz
 *   f_i:     df_i  = gamma(m+1) sum_j |a_j| (|h_ij| + dz_ij) + sum_j |a_j| dz_ij
 *   r_i:     dr_i  = df_i (1 + 2u) + 2u |r_i|                  (f - y in float64, then rounded to u)
 *   S_a_j = sum_i r_i h_ij:
 *            dS_a  = gamma(n+1) sum_i (|r_i|+dr_i)(|h_ij|+dz_ij) + sum_i (dr_i (|h_ij|+dz_ij) + |r_i| dz_ij)
 *   S_w_jk = sum_i r_i [z_ij > 0] x_ik (S_b: x = 1): where |z_ij| <= dz the mask may flip, and the
 *            whole term |r_i x_ik| counts:
 *            dS_w  = gamma(n+1) sum_i (|r_i|+dr_i)|x_ik| + sum_{sure} dr_i |x_ik| + sum_{unsure} (|r_i|+dr_i)|x_ik|
 *   update with c = lr/n (rounded: 2u), a' = a - c S_a, w' = w - (c a) S_w:
 *            da'   = c (1+2u) dS_a + 4u (|a| + c (|S_a| + dS_a))
 *            dw'   = c |a| (1+4u) dS_w + 6u (|w| + c |a| (|S_w| + dS_w))
 *   loss L = (1/2n) sum r_i^2:  dL = (1/2n) sum (2 |r_i| df_i + df_i^2) + gamma(n+4) in float64 * 2L
 * </pre>
 *
 * <p>The logistic loss: r = -y sigmoid(-y f) is 1/4-Lipschitz in f, so dr_i = df_i/4 (1 + 2u) + (2u + 8 u64) |r_i|
 * (float64 exp and division, then the rounding to u); the per-sample loss log(1 + exp(-y f)) is
 * 1-Lipschitz: dL = (1/n) sum df_i + (gamma(n+4) 2 + 8 u64) L.
 *
 * <p>The mask-bit path computes S_a by the identity sum_i r_i relu(z_ij) = w_j . S_w_j + b_j S_b_j: a
 * double sum over samples and features of s_i w_jk x_ik, so its rounding is bounded by
 * gamma(n+d+5) sum_{i active or unsure} (|r_i|+dr_i)(sum_k |w_jk x_ik| + |b_j| + dz_ij), and where the mask may flip
 * the term r_i z_ij, |z_ij| <= 2 (dz_ij + dz64_ij), may be in or out.
 *
 * A comparison of kernel against reference (also rounded, u = 2^-53) passes when
 * |kernel - reference| <= bound(u_kernel) + bound(2^-53), every quantity evaluated at the reference's
 * values (which are within their own bound of the exact ones; the mask-unsure test uses the sum of
 * both z bounds, doubled, to cover that).
 */
final class OneStepBound {
    static final double U64 = 0x1p-53;

    final double[] a;
    final double[] w;
    final double[] b;
    final int d;
    final double[] x;
    final double[] y;
    final int m;
    final int n;
    final double uKernel;
    final Loss loss;
    /** the kernel sums S_a by the identity w . S_w + b S_b (the mask-bit path) */
    final boolean identitySums;

    // reference values
    final double[] z; // (n, m)
    final double[] zAbs;
    final double[] f;
    final double[] r;

    OneStepBound(Parameters p, Dataset data, double uKernel) {
        this(p, data, uKernel, Loss.SQUARE, false);
    }

    OneStepBound(Parameters p, Dataset data, double uKernel, Loss loss, boolean identitySums) {
        this(p.outputWeights(), p.inputWeights(), p.biases(), data.inputs(), data.targets(), p.inputDim(), uKernel,
                loss, identitySums);
    }

    OneStepBound(double[] a, double[] w, double[] b, double[] x, double[] y, int d, double uKernel) {
        this(a, w, b, x, y, d, uKernel, Loss.SQUARE, false);
    }

    /** Bounds for the kernel the trainer runs (its path tells whether S_a comes from the identity). */
    static OneStepBound forTrainer(Trainer t, double[] a, double[] w, double[] b, Dataset data, double uKernel) {
        return new OneStepBound(a, w, b, data.inputs(), data.targets(), t.inputDim(), uKernel, t.lossFunction(),
                t.kernel().startsWith("maskbit"));
    }

    OneStepBound(double[] a, double[] w, double[] b, double[] x, double[] y, int d, double uKernel, Loss loss,
                 boolean identitySums) {
        this.loss = loss;
        this.identitySums = identitySums;
        this.a = a;
        this.w = w;
        this.b = b;
        this.d = d;
        this.x = x;
        this.y = y;
        this.m = a.length;
        this.n = y.length;
        this.uKernel = uKernel;
        z = new double[n * m];
        zAbs = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                z[i * m + j] = Reference.preActivation(w, b, d, j, x, i);
                double s = Math.abs(b[j]);
                for (int k = 0; k < d; k++) {
                    s += Math.abs(w[j * d + k] * x[i * d + k]);
                }
                zAbs[i * m + j] = s;
            }
        }
        f = Reference.forward(a, w, b, d, x);
        r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = loss.residual(f[i], y[i]);
        }
    }

    static double gamma(int k, double u) {
        return k * u / (1 - k * u);
    }

    double dz(int i, int j, double u) {
        return gamma(d + 1, u) * zAbs[i * m + j];
    }

    double df(int i, double u) {
        double sumAbs = 0;
        double sumDz = 0;
        for (int j = 0; j < m; j++) {
            double dzij = dz(i, j, u);
            sumAbs += Math.abs(a[j]) * (Math.max(z[i * m + j], 0) + dzij);
            sumDz += Math.abs(a[j]) * dzij;
        }
        return gamma(m + 1, u) * sumAbs + sumDz;
    }

    private double[] dr(double u) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = loss == Loss.SQUARE
                    ? df(i, u) * (1 + 2 * u) + 2 * u * Math.abs(r[i])
                    : df(i, u) / 4 * (1 + 2 * u) + (2 * u + 8 * U64) * Math.abs(r[i]);
        }
        return out;
    }

    /** Bounds of the gradient sums: {dS_a (m), dS_w (m, d), dS_b (m)} and the sums themselves. */
    double[][] sumBounds(double u) {
        return sumBounds(u, false);
    }

    /** @param identity S_a summed as w . S_w + b S_b (see the class comment) */
    double[][] sumBounds(double u, boolean identity) {
        double[] drs = dr(u);
        double[] dSa = new double[m];
        double[] dSw = new double[m * d];
        double[] dSb = new double[m];
        double[] sa = new double[m];
        double[] sw = new double[m * d];
        double[] sb = new double[m];
        double g = gamma(n + 1, u);
        double gIdentity = gamma(n + d + 5, u);
        for (int j = 0; j < m; j++) {
            double accA = 0;
            double absA = 0;
            double accB = 0;
            double absB = 0;
            for (int i = 0; i < n; i++) {
                double zij = z[i * m + j];
                double dzij = dz(i, j, u);
                double h = Math.max(zij, 0);
                double ar = Math.abs(r[i]);
                // unsure when the kernel (or the reference) could see the other sign
                boolean unsure = Math.abs(zij) <= 2 * (dzij + dz(i, j, U64));
                boolean active = zij > 0;
                if (identity) {
                    absA += active || unsure ? (ar + drs[i]) * (zAbs[i * m + j] + dzij) : 0;
                    accA += drs[i] * (h + dzij) + ar * dzij + (unsure ? (ar + drs[i]) * 2 * (dzij + dz(i, j, U64)) : 0);
                } else {
                    absA += (ar + drs[i]) * (h + dzij);
                    accA += drs[i] * (h + dzij) + ar * dzij;
                }
                sa[j] += r[i] * h;
                absB += ar + drs[i];
                accB += unsure ? ar + drs[i] : active ? drs[i] : 0;
                if (active) {
                    sb[j] += r[i];
                }
                for (int k = 0; k < d; k++) {
                    double xa = Math.abs(x[i * d + k]);
                    dSw[j * d + k] += g * (ar + drs[i]) * xa
                            + (unsure ? (ar + drs[i]) * xa : active ? drs[i] * xa : 0);
                    if (active) {
                        sw[j * d + k] += r[i] * x[i * d + k];
                    }
                }
            }
            dSa[j] = (identity ? gIdentity : g) * absA + accA;
            dSb[j] = g * absB + accB;
        }
        return new double[][] {dSa, dSw, dSb, sa, sw, sb};
    }

    /** Bounds of |kernel - reference| for the gradient (ga, gw, gb) of Reference.gradient. */
    double[][] gradientBounds() {
        double[][] k = sumBounds(uKernel, identitySums);
        double[][] ref = sumBounds(U64);
        double[] ga = new double[m];
        double[] gw = new double[m * d];
        double[] gb = new double[m];
        for (int j = 0; j < m; j++) {
            double aj = Math.abs(a[j]);
            ga[j] = (k[0][j] + ref[0][j]) / n + 4 * U64 * Math.abs(k[3][j]) / n;
            gb[j] = aj * (k[2][j] + ref[2][j]) / n + 4 * U64 * aj * Math.abs(k[5][j]) / n;
            for (int q = 0; q < d; q++) {
                int jq = j * d + q;
                gw[jq] = aj * (k[1][jq] + ref[1][jq]) / n + 4 * U64 * aj * Math.abs(k[4][jq]) / n;
            }
        }
        return new double[][] {ga, gw, gb};
    }

    /** Bounds of |kernel - reference| for the parameters after one step with learning rate lr. */
    double[][] stepBounds(double lr, boolean bias) {
        return stepBounds(lr, lr, bias);
    }

    /** Bounds after one step with a learning rate for a and one for (w, b). */
    double[][] stepBounds(double lrOutput, double lrHidden, boolean bias) {
        double[][] k = sumBounds(uKernel, identitySums);
        double[][] ref = sumBounds(U64);
        double ca = lrOutput / n;
        double c = lrHidden / n;
        double[] da = new double[m];
        double[] dw = new double[m * d];
        double[] db = new double[m];
        for (int j = 0; j < m; j++) {
            double aj = Math.abs(a[j]);
            da[j] = updateBound(uKernel, ca, 1, Math.abs(a[j]), k[3][j], k[0][j])
                    + updateBound(U64, ca, 1, Math.abs(a[j]), k[3][j], ref[0][j]);
            db[j] = bias ? updateBound(uKernel, c, aj, Math.abs(b[j]), k[5][j], k[2][j])
                    + updateBound(U64, c, aj, Math.abs(b[j]), k[5][j], ref[2][j]) : 0;
            for (int q = 0; q < d; q++) {
                int jq = j * d + q;
                dw[jq] = updateBound(uKernel, c, aj, Math.abs(w[jq]), k[4][jq], k[1][jq])
                        + updateBound(U64, c, aj, Math.abs(w[jq]), k[4][jq], ref[1][jq]);
            }
        }
        return new double[][] {da, dw, db};
    }

    /** p' = p - c * scale * S with c, scale*c and the update rounded (up to 6 roundings of u). */
    private static double updateBound(double u, double c, double scale, double p, double s, double dS) {
        return c * scale * (1 + 4 * u) * dS + 6 * u * (p + c * scale * (Math.abs(s) + dS));
    }

    /** Bound of |kernel loss - reference loss| at these parameters. */
    double lossBound() {
        if (loss == Loss.LOGISTIC) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += df(i, uKernel) + df(i, U64);
            }
            double value = referenceLoss();
            return sum / n + (2 * gamma(n + 4, U64) + 8 * U64) * value;
        }
        double sum = 0;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double dfi = df(i, uKernel) + df(i, U64);
            sum += 2 * Math.abs(r[i]) * dfi + dfi * dfi;
            loss += r[i] * r[i];
        }
        loss /= 2.0 * n;
        return sum / (2.0 * n) + gamma(n + 4, U64) * loss * 2;
    }

    double referenceLoss() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += loss.value(f[i], y[i]);
        }
        return s / n;
    }

    /** Largest |got - want| / bound over the arrays (a value <= 1 passes); NaN if got has NaN. */
    static double worstRatio(double[] got, double[] want, double[] bound) {
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            double diff = Math.abs(got[i] - want[i]);
            if (!(diff <= bound[i])) {
                worst = Math.max(worst, bound[i] == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / bound[i]);
                if (Double.isNaN(diff)) {
                    return Double.NaN;
                }
            } else if (bound[i] > 0) {
                worst = Math.max(worst, diff / bound[i]);
            }
        }
        return worst;
    }

    static double maxAbsDiff(double[] got, double[] want) {
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
        }
        return worst;
    }
}
