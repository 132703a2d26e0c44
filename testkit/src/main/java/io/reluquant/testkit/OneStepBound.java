package io.reluquant.testkit;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Path;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import io.reluquant.kernel.reference.Reference;

/**
 * The one derivation of how far one kernel evaluation (loss, gradient, one GD step) may lie from the
 * float64 {@link Reference} at the same parameters: rigorous forward-error bounds (Higham, "Accuracy and
 * Stability of Numerical Algorithms", ch. 3) for a kernel of unit roundoff u, in ANY summation order,
 * so they hold for every vector width, blocking, chunking and thread count (docs/THEORY.md section 7,
 * docs/KERNEL.md). The kernel's equivalence tests, the bench's per-benchmark cross-check and other
 * modules' tests all use this class; there is no second copy.
 *
 * <p>A sum of k rounded terms (products or FMAs) has error at most gamma(k) sum |terms|, with
 * gamma(k) = k u / (1 - k u). With every quantity taken at the reference's values, propagated through
 * the model of docs/THEORY.md section 1:
 *
 * <pre>
 *   z_ij:  dz_ij = gamma(d+1) (|b_j| + sum_k |w_jk x_ik|)          relu is 1-Lipschitz: dh_ij &lt;= dz_ij
 *   f_i:   df_i  = gamma(m+1) sum_j |a_j| (h_ij + dz_ij) + sum_j |a_j| dz_ij      (f is summed in float64
 *                  from partial sums in the kernel's format; the bound covers the whole sum at u)
 *   r_i (rounded to the kernel's format after a float64 evaluation):
 *          square    r = f - y:              dr_i = df_i (1 + 2u) + 2u |r_i|
 *          logistic  r = -y sigmoid(-y f):   dr_i = df_i / 4 (1 + 2u) + (2u + 8 u64) |r_i|
 *                    (sigmoid is 1/4-Lipschitz; exp, 1 + e and the division in float64 are within 6 u64)
 *   S_a_j  = sum_i r_i h_ij:
 *          dS_a = gamma(n+1) sum_i (|r_i|+dr_i)(h_ij+dz_ij) + sum_i (dr_i (h_ij+dz_ij) + |r_i| dz_ij)
 *   S_w_jk = sum_i r_i [z_ij &gt; 0] x_ik (S_b_j: the same with x = 1): where the mask may flip, that is
 *          |z_ij| &lt;= 2 (dz_ij(u) + dz_ij(u64)) (the kernel's and the reference's z both within their
 *          bound of the exact one), the whole term counts:
 *          dS_w = gamma(n+1) sum_i (|r_i|+dr_i)|x_ik| + sum_i e_ij |x_ik|,
 *          e_ij = |r_i|+dr_i where the mask may flip, dr_i where z_ij &gt; 0 surely, 0 where z_ij &lt; 0 surely
 *   gradient g = s S / n with s = 1 (a) or a_j (w, b), formed in float64 from the kernel's sums:
 *          dg = |s| (dS(u) + dS(u64)) / n + 4 u64 |s S| / n
 *   update p' = p - c s S with c = lr / n, s = 1 (a) or |a_j| (w, b): c, c s and the update rounded,
 *          at most 6 roundings of u:
 *          dp' = c s (1 + 4u) dS + 6u (|p| + c s (|S| + dS))
 *   loss L = (1/n) sum_i loss(f_i, y_i), both sides in float64 from their own f (|f - f_ref| &lt;= df_i(u) + df_i(u64) = D_i):
 *          the exact difference, square (loss = r^2/2):  E = (1/2n) sum_i (2 |r_i| D_i + D_i^2)
 *                                logistic (1-Lipschitz): E = (1/n) sum_i D_i
 *          plus each side's float64 evaluation, at most gamma(c) times its own loss (all terms are
 *          non-negative), the kernel's loss being at most L + E:
 *          dL = E + gamma(c) (2 L + E),  c = n + 3 (square: f - y, the square, n - 1 additions, the
 *          division) or n + 5 (logistic: exp and log1p within one ulp each, the addition)
 * </pre>
 *
 * <p>The mask-bit path sums S_a by the identity sum_i r_i relu(z_ij) = w_j . S_w_j + b_j S_b_j: a double
 * sum over samples and inputs of r_i w_jk x_ik, so for it
 * dS_a = gamma(n+d+5) sum_{i active or unsure} (|r_i|+dr_i)(|b_j| + sum_k |w_jk x_ik| + dz_ij)
 * + sum_i (dr_i (h_ij+dz_ij) + |r_i| dz_ij) + sum_{i unsure} (|r_i|+dr_i) 2 (dz_ij(u) + dz_ij(u64)),
 * the last term because where the mask may flip the whole r_i z_ij may be in or out.
 *
 * <p>The reference is rounded too (u64 = 2^-53), so a component passes when |kernel - reference| is at
 * most bound(u) + bound(u64). Inputs must be float32 numbers when the kernel runs in float32 (see
 * {@link Fixtures}), so converting them into the kernel's format is exact.
 */
public final class OneStepBound {
    /** Unit roundoff of float64. */
    public static final double U64 = 0x1p-53;
    /** Unit roundoff of float32. */
    public static final double U32 = 0x1p-24;

    /**
     * @param precision a kernel precision
     * @return its unit roundoff u: 2^-24 for float32, 2^-53 for float64
     */
    public static double unitRoundoff(Precision precision) {
        return precision == Precision.FLOAT32 ? U32 : U64;
    }

    private final double[] a;
    private final double[] w;
    private final double[] b;
    private final int d;
    private final double[] x;
    private final double[] y;
    private final int m;
    private final int n;
    private final double uKernel;
    private final Loss loss;
    /** the kernel sums S_a by the identity w . S_w + b S_b (the mask-bit path) */
    private final boolean identitySums;

    // the reference's values
    private final double[] z; // (n, m) pre-activations
    private final double[] zAbs; // (n, m) |b_j| + sum_k |w_jk x_ik|
    private final double[] f;
    private final double[] r;

    /**
     * Bounds of the square loss on the fused path's sums.
     *
     * @param p the parameters both sides start from
     * @param data the training set
     * @param uKernel the kernel's unit roundoff
     */
    public OneStepBound(Parameters p, Dataset data, double uKernel) {
        this(p, data, uKernel, Loss.SQUARE, false);
    }

    /**
     * @param p the parameters both sides start from
     * @param data the training set
     * @param uKernel the kernel's unit roundoff
     * @param loss the loss both sides minimize
     * @param identitySums the kernel sums S_a by the identity w . S_w + b S_b (the mask-bit path)
     */
    public OneStepBound(Parameters p, Dataset data, double uKernel, Loss loss, boolean identitySums) {
        this(p.outputWeights(), p.inputWeights(), p.biases(), data.inputs(), data.targets(), p.inputDim(), uKernel,
                loss, identitySums);
    }

    /**
     * Bounds for the kernel a trainer runs: its loss, and its path tells whether S_a comes from the identity.
     *
     * @param t the trainer (its loss function, input dimension and path are read)
     * @param a output weights (m) both sides start from
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param data the training set
     * @param uKernel the kernel's unit roundoff
     * @return the bounds at these parameters
     */
    public static OneStepBound forTrainer(Trainer t, double[] a, double[] w, double[] b, Dataset data, double uKernel) {
        return new OneStepBound(a, w, b, data.inputs(), data.targets(), t.inputDim(), uKernel, t.lossFunction(),
                t.kernelInfo().path() == Path.MASKBIT);
    }

    /**
     * @param a output weights (m) both sides start from
     * @param w input weights (m, d) row-major
     * @param b biases (m)
     * @param x inputs (n, d) row-major
     * @param y targets (n)
     * @param d input dimension
     * @param uKernel the kernel's unit roundoff
     * @param loss the loss both sides minimize
     * @param identitySums the kernel sums S_a by the identity w . S_w + b S_b (the mask-bit path)
     */
    public OneStepBound(double[] a, double[] w, double[] b, double[] x, double[] y, int d, double uKernel, Loss loss,
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

    /** @return the kernel's unit roundoff these bounds were made for */
    public double unitRoundoff() {
        return uKernel;
    }

    /** @return the reference's pre-activations z_ij at index i m + j (a copy) */
    public double[] preActivations() {
        return z.clone();
    }

    /**
     * @param k the number of rounded operations
     * @param u the unit roundoff
     * @return gamma(k) = k u / (1 - k u)
     */
    public static double gamma(int k, double u) {
        return k * u / (1 - k * u);
    }

    private double dz(int i, int j, double u) {
        return gamma(d + 1, u) * zAbs[i * m + j];
    }

    /**
     * @param i a sample
     * @param u a unit roundoff
     * @return df_i: how far f(x_i) computed at roundoff u may lie from the exact one
     */
    public double df(int i, double u) {
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

    /**
     * Bounds of the gradient sums and the sums themselves.
     *
     * @param u the unit roundoff of the side bounded
     * @param identity S_a summed as w . S_w + b S_b (see the class comment)
     * @return {dS_a (m), dS_w (m, d), dS_b (m), S_a, S_w, S_b}
     */
    private double[][] sumBounds(double u, boolean identity) {
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

    /** @return bounds of |kernel - reference| for the gradient {ga (m), gw (m, d), gb (m)} of Reference.gradient */
    public double[][] gradientBounds() {
        double[][] k = sumBounds(uKernel, identitySums);
        double[][] ref = sumBounds(U64, false);
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

    /**
     * @param lr the learning rate of every parameter
     * @param bias whether b moves
     * @return bounds of |kernel - reference| for the parameters {a' (m), w' (m, d), b' (m)} after one step
     */
    public double[][] stepBounds(double lr, boolean bias) {
        return stepBounds(lr, lr, bias);
    }

    /**
     * @param lrOutput the learning rate of a
     * @param lrHidden the learning rate of w and b
     * @param bias whether b moves
     * @return bounds of |kernel - reference| for the parameters {a' (m), w' (m, d), b' (m)} after one step
     */
    public double[][] stepBounds(double lrOutput, double lrHidden, boolean bias) {
        double[][] k = sumBounds(uKernel, identitySums);
        double[][] ref = sumBounds(U64, false);
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

    /** @return the bound dL of |kernel loss - reference loss| at these parameters (class comment) */
    public double lossBound() {
        double exact = 0;
        for (int i = 0; i < n; i++) {
            double dfi = df(i, uKernel) + df(i, U64);
            exact += loss == Loss.SQUARE ? (2 * Math.abs(r[i]) * dfi + dfi * dfi) / 2 : dfi;
        }
        exact /= n;
        int roundings = loss == Loss.SQUARE ? n + 3 : n + 5;
        return exact + gamma(roundings, U64) * (2 * referenceLoss() + exact);
    }

    /** @return the reference's loss L at these parameters, summed as the kernel sums it */
    public double referenceLoss() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += loss.value(f[i], y[i]);
        }
        return s / n;
    }

    /**
     * @param got the kernel's values
     * @param want the reference's values
     * @param bound the bound of each component
     * @return the largest |got - want| / bound over the arrays (a value &lt;= 1 passes); NaN if got has NaN
     */
    public static double worstRatio(double[] got, double[] want, double[] bound) {
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

    /**
     * @param got the kernel's values
     * @param want the reference's values
     * @return the largest |got - want|
     */
    public static double maxAbsDiff(double[] got, double[] want) {
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
        }
        return worst;
    }
}
