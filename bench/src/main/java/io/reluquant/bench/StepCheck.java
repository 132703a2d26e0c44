package io.reluquant.bench;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import io.reluquant.kernel.reference.Reference;
import java.util.Locale;

/**
 * The cross-check every benchmark runs in its {@code @Setup} before timing: one loss evaluation and one
 * GD step of the kernel against {@link Reference}, from the same parameters, on the benchmark's n, d,
 * precision and thread count and its first {@link #CHECK_WIDTH} neurons (the same code paths as the
 * full width; neurons beyond a 64-neuron block only repeat them). It throws when any component is
 * further from the reference than a rigorous bound, and prints the largest difference.
 *
 * <h2>The bound</h2>
 * Higham's forward-error analysis ("Accuracy and Stability of Numerical Algorithms", ch. 3): a sum of
 * k rounded terms has error at most gamma(k) sum |terms|, gamma(k) = k u / (1 - k u), in any order, so
 * it holds for every vector width, blocking and thread count. With u the kernel's unit roundoff
 * (2^-24 or 2^-53) and every quantity taken at the reference's values:
 * <pre>
 *   dz_ij  = gamma(d+1) (|b_j| + sum_k |w_jk x_ik|)         relu is 1-Lipschitz, so dh_ij <= dz_ij
 *   df_i   = gamma(m+1) sum_j |a_j| (h_ij + dz_ij) + sum_j |a_j| dz_ij
 *   dr_i   = df_i (1 + 2u) + 2u |r_i|                         (f - y, then rounded to the kernel format)
 *   S_a_j  = sum_i r_i h_ij:           dS_a = gamma(n+1) sum_i (|r_i|+dr_i)(h_ij+dz_ij) + sum_i (dr_i (h_ij+dz_ij) + |r_i| dz_ij)
 *   S_w_jk = sum_i r_i [z_ij>0] x_ik:  dS_w = gamma(n+1) sum_i (|r_i|+dr_i)|x_ik| + sum_i e_ij |x_ik|
 *            e_ij = |r_i|+dr_i where the mask may flip (|z_ij| <= 2 (dz_ij(kernel) + dz_ij(reference))),
 *                   dr_i where z_ij > 0 surely, 0 where z_ij < 0 surely;  S_b: the same with x = 1
 *   p' = p - c s S with c = lr/n, s = 1 (a) or |a_j| (w, b), at most 6 roundings:
 *          dp' = c s (1 + 4u) dS + 6u (|p| + c s (|S| + dS))
 *   L = (1/2n) sum r_i^2:  dL = (1/2n) sum (2 |r_i| dr_i + dr_i^2) + gamma(n+4) 2L   (float64 sum)
 * </pre>
 * The mask-bit path sums S_a as w_j . S_w_j + b_j S_b_j (relu(z) = [z > 0] z): a double sum over samples
 * and features, so for it dS_a = gamma(n+d+5) sum_{i active or unsure} (|r_i|+dr_i)(zAbs_ij + dz_ij)
 * + sum_i (dr_i (h_ij+dz_ij) + |r_i| dz_ij) + sum_{unsure} (|r_i|+dr_i) 2 (dz_ij(kernel) + dz_ij(reference)).
 * The reference is rounded too (u = 2^-53), so a component passes when |kernel - reference| is at
 * most bound(u_kernel) + bound(2^-53). The inputs are float32 numbers already ({@link Workload}), so
 * converting them into the kernel's format is exact.
 */
final class StepCheck {
    /** neurons in the check: 32 blocks of 64 (the kernel's padding unit), a few ms of reference work */
    static final int CHECK_WIDTH = 2048;
    /** a learning rate large enough that the update is far above the rounding of the parameters */
    static final double CHECK_LR = 0.5;
    static final double U64 = 0x1p-53;
    /** samples x neurons x inputs of the check at most (a second or so of reference work) */
    static final long CHECK_WORK = 200_000_000L;

    private StepCheck() {}

    /** @return the unit roundoff of a precision */
    static double unitRoundoff(Precision precision) {
        return precision == Precision.FLOAT32 ? 0x1p-24 : U64;
    }

    /**
     * Runs the check; throws {@link IllegalStateException} on disagreement or when the Vector API
     * kernel is not the one running.
     *
     * @return a one-line report with the largest difference and its ratio to the bound
     */
    static String verify(Workload full, Precision precision, int threads, Kernel kernel) {
        // the first samples too when n d is large: the same code paths, a bounded reference cost
        int samples = (int) Math.max(Math.min(full.samples, 97), Math.min(full.samples, CHECK_WORK / ((long) CHECK_WIDTH * full.inputDim)));
        Workload s = full.firstNeurons(CHECK_WIDTH).firstSamples(samples);
        double[] a = s.a.clone();
        double[] w = s.w.clone();
        double[] b = s.b.clone();
        double lossKernel;
        String name;
        try (Trainer t = Trainer.builder(s.dataset(), s.parameters()).precision(precision).threads(threads)
                .kernel(kernel).build()) {
            name = t.kernel();
            if (kernel == Kernel.FUSED && !name.startsWith("vector-") && !name.startsWith("maskbit/vector-")) {
                throw new IllegalStateException("the fused kernel runs as " + name + ", not on the Vector API: "
                        + "the fork needs --add-modules=jdk.incubator.vector (and C2)");
            }
            lossKernel = t.loss();
            t.step(CHECK_LR);
            t.copyParameters(a, w, b);
        }
        double u = unitRoundoff(kernel == Kernel.REFERENCE ? Precision.FLOAT64 : precision);
        Bound bound = new Bound(s, u, name.startsWith("maskbit"));
        double lossRef = Reference.loss(s.a, s.w, s.b, s.inputDim, s.x, s.y);
        double[] ra = s.a.clone();
        double[] rw = s.w.clone();
        double[] rb = s.b.clone();
        Reference.step(ra, rw, rb, s.inputDim, s.x, s.y, CHECK_LR, true);
        double[][] steps = bound.stepBounds(CHECK_LR);
        Worst worst = new Worst();
        worst.add("loss", lossKernel, lossRef, bound.lossBound());
        worst.addAll("a", a, ra, steps[0]);
        worst.addAll("w", w, rw, steps[1]);
        worst.addAll("b", b, rb, steps[2]);
        String line = String.format(Locale.ROOT, "cross-check %s n=%d (of %d) d=%d m=%d (of %d) threads=%d: "
                        + "max |kernel-reference| = %.3g, worst ratio to the bound = %.3g (at %s)", name, s.samples,
                full.samples, s.inputDim, s.width, full.width, threads, worst.maxDiff, worst.ratio, worst.where);
        if (!(worst.ratio <= 1)) {
            throw new IllegalStateException("FAILED " + line);
        }
        return line;
    }

    /** Largest |got - want| and largest |got - want| / bound, with where the latter occurred. */
    static final class Worst {
        double maxDiff;
        double ratio;
        String where = "-";

        void add(String name, double got, double want, double bound) {
            double diff = Math.abs(got - want);
            double r = diff == 0 ? 0 : diff / bound;
            if (Double.isNaN(diff)) {
                r = Double.NaN;
            }
            maxDiff = Math.max(maxDiff, diff);
            if (Double.isNaN(ratio)) {
                return; // a NaN stays the verdict
            }
            if (Double.isNaN(r) || r > ratio) {
                ratio = r;
                where = name;
            }
        }

        void addAll(String name, double[] got, double[] want, double[] bound) {
            for (int q = 0; q < got.length; q++) {
                add(name + "[" + q + "]", got[q], want[q], bound[q]);
            }
        }
    }

    /** The error bounds of the class comment, evaluated at one shape's reference values. */
    static final class Bound {
        private final Workload s;
        private final double uKernel;
        private final double[] z;     // (n, m) pre-activations
        private final double[] zAbs;  // (n, m) |b_j| + sum_k |w_jk x_ik|
        private final double[] r;     // (n) reference residuals
        private final boolean identity; // the kernel sums S_a as w . S_w + b S_b

        Bound(Workload s, double uKernel, boolean identity) {
            this.s = s;
            this.uKernel = uKernel;
            this.identity = identity;
            int n = s.samples;
            int m = s.width;
            int d = s.inputDim;
            z = new double[n * m];
            zAbs = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    z[i * m + j] = Reference.preActivation(s.w, s.b, d, j, s.x, i);
                    double abs = Math.abs(s.b[j]);
                    for (int k = 0; k < d; k++) {
                        abs += Math.abs(s.w[j * d + k] * s.x[i * d + k]);
                    }
                    zAbs[i * m + j] = abs;
                }
            }
            r = Reference.residuals(s.a, s.w, s.b, d, s.x, s.y);
        }

        static double gamma(long k, double u) {
            return k * u / (1 - k * u);
        }

        private double dz(int ij, double u) {
            return gamma(s.inputDim + 1, u) * zAbs[ij];
        }

        /** dr_i for every sample at unit roundoff u */
        double[] residualBounds(double u) {
            int m = s.width;
            double[] dr = new double[s.samples];
            for (int i = 0; i < s.samples; i++) {
                double sumAbs = 0;
                double sumDz = 0;
                for (int j = 0; j < m; j++) {
                    double dzij = dz(i * m + j, u);
                    double aj = Math.abs(s.a[j]);
                    sumAbs += aj * (Math.max(z[i * m + j], 0) + dzij);
                    sumDz += aj * dzij;
                }
                double df = gamma(m + 1, u) * sumAbs + sumDz;
                dr[i] = df * (1 + 2 * u) + 2 * u * Math.abs(r[i]);
            }
            return dr;
        }

        double lossBound() {
            double[] dk = residualBounds(uKernel);
            double[] dref = residualBounds(U64);
            double sum = 0;
            double loss = 0;
            for (int i = 0; i < s.samples; i++) {
                double dr = dk[i] + dref[i];
                sum += 2 * Math.abs(r[i]) * dr + dr * dr;
                loss += r[i] * r[i];
            }
            int n = s.samples;
            return sum / (2.0 * n) + gamma(n + 4, U64) * loss / n;
        }

        /** @return bounds of |kernel - reference| for {a', w', b'} after one step */
        double[][] stepBounds(double lr) {
            double[][] kernel = updateBounds(lr, uKernel);
            double[][] reference = updateBounds(lr, U64);
            for (int p = 0; p < 3; p++) {
                for (int q = 0; q < kernel[p].length; q++) {
                    kernel[p][q] += reference[p][q];
                }
            }
            return kernel;
        }

        private double[][] updateBounds(double lr, double u) {
            int n = s.samples;
            int m = s.width;
            int d = s.inputDim;
            double c = lr / n;
            double g = gamma(n + 1, u);
            boolean viaIdentity = identity && u == uKernel;
            double gA = viaIdentity ? gamma(n + d + 5, u) : g;
            double[] dr = residualBounds(u);
            double[] da = new double[m];
            double[] dw = new double[m * d];
            double[] db = new double[m];
            double[] sw = new double[d];
            double[] absW = new double[d];
            double[] extraW = new double[d];
            for (int j = 0; j < m; j++) {
                double sa = 0, absA = 0, extraA = 0;
                double sb = 0, absB = 0, extraB = 0;
                java.util.Arrays.fill(sw, 0);
                java.util.Arrays.fill(absW, 0);
                java.util.Arrays.fill(extraW, 0);
                for (int i = 0; i < n; i++) {
                    int ij = i * m + j;
                    double zij = z[ij];
                    double dzij = dz(ij, u);
                    double h = Math.max(zij, 0);
                    double ar = Math.abs(r[i]);
                    sa += r[i] * h;
                    boolean unsure = Math.abs(zij) <= 2 * (dz(ij, uKernel) + dz(ij, U64));
                    extraA += dr[i] * (h + dzij) + ar * dzij;
                    if (viaIdentity) {
                        absA += zij > 0 || unsure ? (ar + dr[i]) * (zAbs[ij] + dzij) : 0;
                        extraA += unsure ? (ar + dr[i]) * 2 * (dz(ij, uKernel) + dz(ij, U64)) : 0;
                    } else {
                        absA += (ar + dr[i]) * (h + dzij);
                    }
                    double e = unsure ? ar + dr[i] : zij > 0 ? dr[i] : 0;
                    if (zij > 0) {
                        sb += r[i];
                    }
                    absB += ar + dr[i];
                    extraB += e;
                    for (int k = 0; k < d; k++) {
                        double xa = Math.abs(s.x[i * d + k]);
                        if (zij > 0) {
                            sw[k] += r[i] * s.x[i * d + k];
                        }
                        absW[k] += (ar + dr[i]) * xa;
                        extraW[k] += e * xa;
                    }
                }
                double aj = Math.abs(s.a[j]);
                da[j] = update(u, c, 1, s.a[j], sa, gA * absA + extraA);
                db[j] = update(u, c, aj, s.b[j], sb, g * absB + extraB);
                for (int k = 0; k < d; k++) {
                    dw[j * d + k] = update(u, c, aj, s.w[j * d + k], sw[k], g * absW[k] + extraW[k]);
                }
            }
            return new double[][] {da, dw, db};
        }

        /** p' = p - c scale S with c, c*scale and the update rounded: at most 6 roundings of u */
        private static double update(double u, double c, double scale, double p, double sum, double dSum) {
            return c * scale * (1 + 4 * u) * dSum + 6 * u * (Math.abs(p) + c * scale * (Math.abs(sum) + dSum));
        }
    }
}
