/*
 * The Java peer: the bench's GD step written on DJL with its PyTorch engine (libtorch with MKL), as a
 * Java user embedding a trainer would write it instead of this kernel. Run by the bench with the JDK's
 * single-file source launcher and the class path of bench/peers/djl/pom.xml:
 *
 *   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=T -cp CP DjlStep.java --mode step --n N --d D --m M
 *
 * Same model, loss, data distributions and step as bench/peers/gd_step.py (square loss): forward, the
 * hand-written gradient, update of a, w, b; w stored (d, m) so that both products are plain GEMMs.
 * DJL has no out= products, so each step allocates its two n x m arrays (z, then relu(z) turned in
 * place into the masked residuals) inside an NDScope that frees them at the end of the step; every
 * other elementwise operation is in place. Modes as in gd_step.py: step (median wall time per step),
 * check (one gradient at a small shape against float64 loops from the formulas, exit 3 on mismatch),
 * gemm (best time of the step's two products). Prints one JSON line.
 *
 * With k classes (--loss softmax --classes K for the check, tasks step:N:D:M:K) the step is
 * gd_step.py's k-class softmax cross-entropy step: a of shape (m, k), labels a function of x_1 as the
 * Java bench draws them; Z = X W + b, H = relu(Z), F = H A, a stable softmax, R = (P - Y)/n, gA = H^T R,
 * G = (R A^T) [Z > 0] (H turned into G in place), gW = X^T G, gb = colsum G; the update.
 */

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

public final class DjlStep {
    static final float LR = 1e-6f;

    public static void main(String[] args) throws Exception {
        String mode = "step";
        String tasks = null;
        int n = 256, d = 1, m = 65536, steps = 3;
        double seconds = 0.5;
        String loss = "square";
        int classes = 10;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--mode" -> mode = v;
                case "--n" -> n = Integer.parseInt(v);
                case "--d" -> d = Integer.parseInt(v);
                case "--m" -> m = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--tasks" -> tasks = v;
                case "--loss" -> loss = v;
                case "--classes" -> classes = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!loss.equals("square") && !loss.equals("softmax")) {
            throw new IllegalArgumentException("--loss must be square or softmax, got " + loss);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("--classes must be at least 2, got " + classes);
        }
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", 1);
        // several shapes in one JVM (MODE:N:D:M,...) save the start-up of each; one JSON line each
        List<String> work = tasks == null
                ? List.of(mode + ":" + n + ":" + d + ":" + m + (loss.equals("softmax") ? ":" + classes : ""))
                : List.of(tasks.split(","));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (String task : work) {
                String[] t = task.split(":");
                int tn = Integer.parseInt(t[1]), td = Integer.parseInt(t[2]), tm = Integer.parseInt(t[3]);
                int tk = t.length > 4 ? Integer.parseInt(t[4]) : 1;
                String json = switch (t[0]) {
                    case "check" -> tk > 1 ? ClassNet.check(manager, tk) : check(manager);
                    case "gemm" -> gemm(manager, tn, td, tm, seconds);
                    case "step" -> tk > 1 ? ClassNet.step(manager, tn, td, tm, tk, steps, seconds)
                            : step(manager, tn, td, tm, steps, seconds);
                    default -> throw new IllegalArgumentException("mode must be step, check or gemm, got " + t[0]);
                };
                System.out.println("{\"impl\": \"djl\", " + json + ", \"threads\": " + threads
                        + ", \"precision\": \"float32\", \"peak_rss_bytes\": " + rssBytes()
                        + ", \"versions\": {\"djl\": \"" + djlVersion()
                        + "\", \"libtorch\": \"" + Engine.getEngine("PyTorch").getVersion() + "\", \"java\": \""
                        + Runtime.version() + "\"}, \"blas\": " + blasInfo() + "}");
                if (json.contains("\"ok\": false")) {
                    System.exit(3);
                }
            }
        }
    }

    /** The network and data of one shape, drawn as gd_step.py draws them (other generator, same laws). */
    static final class Net implements AutoCloseable {
        final int n, d, m;
        final float[] xs, ys, as, ws, bs; // x (n, d), y (n), a (m), w (m, d), b (m)
        final NDArray x, xt, y, a, w, b, ones;

        Net(NDManager manager, int n, int d, int m, long seed) {
            this.n = n;
            this.d = d;
            this.m = m;
            SplittableRandom random = new SplittableRandom(seed);
            xs = new float[n * d];
            ys = new float[n];
            as = new float[m];
            ws = new float[m * d];
            bs = new float[m];
            for (int i = 0; i < n * d; i++) {
                xs[i] = (float) random.nextDouble(-1, 1);
            }
            for (int i = 0; i < n; i++) {
                ys[i] = (float) Math.sin(Math.PI * xs[i * d]);
            }
            for (int i = 0; i < m * d; i++) {
                ws[i] = (float) gaussian(random);
            }
            for (int j = 0; j < m; j++) {
                bs[j] = (float) random.nextDouble(-1, 1);
                as[j] = (float) (gaussian(random) / Math.sqrt(m));
            }
            float[] wt = new float[d * m];
            float[] xts = new float[d * n];
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < d; k++) {
                    wt[k * m + j] = ws[j * d + k];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    xts[k * n + i] = xs[i * d + k];
                }
            }
            x = manager.create(xs, new Shape(n, d));
            xt = manager.create(xts, new Shape(d, n));
            y = manager.create(ys, new Shape(n));
            a = manager.create(as, new Shape(m));
            w = manager.create(wt, new Shape(d, m));
            b = manager.create(bs, new Shape(m));
            ones = manager.ones(new Shape(n));
        }

        private static double gaussian(SplittableRandom random) {
            double u = random.nextDouble();
            double v = random.nextDouble();
            return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
        }

        /** @return {ga, gw (d, m), gb} of the current parameters; temporaries belong to the caller's scope */
        NDArray[] gradient() {
            NDArray h = x.matMul(w).addi(b).maximum(0f);       // relu(z), n x m
            NDArray r = h.matMul(a).subi(y);                     // residuals f - y
            NDArray ga = r.matMul(h).divi(n);                    // H^T r / n
            h.signi().muli(r.reshape(n, 1));                     // [z > 0] r, in place
            NDArray scale = a.div(n);
            NDArray gb = ones.matMul(h).muli(scale);
            NDArray gw = xt.matMul(h).muli(scale);               // (d, m)
            return new NDArray[] {ga, gw, gb};
        }

        /** set before a step whose footprint (n x m temporaries live) should be sampled */
        boolean sampleRss;

        void step() {
            try (NDScope scope = new NDScope()) {
                NDArray[] g = gradient();
                a.subi(g[0].muli(LR));
                w.subi(g[1].muli(LR));
                b.subi(g[2].muli(LR));
                if (sampleRss) {
                    sampleRss = false;
                    DjlStep.sampleRss();
                }
            }
        }

        @Override
        public void close() {
            for (NDArray array : List.of(x, xt, y, a, w, b, ones)) {
                array.close();
            }
        }
    }

    /** The k-class network and data of one shape (softmax cross-entropy), drawn as gd_step.py draws them. */
    static final class ClassNet implements AutoCloseable {
        final int n, d, m, k;
        final float[] xs, as, ws, bs; // x (n, d), a (m, k), w (m, d), b (m)
        final int[] labels;
        final NDArray x, xt, onehot, a, w, b, ones;

        ClassNet(NDManager manager, int n, int d, int m, int k, long seed) {
            this.n = n;
            this.d = d;
            this.m = m;
            this.k = k;
            SplittableRandom random = new SplittableRandom(seed);
            xs = new float[n * d];
            labels = new int[n];
            as = new float[m * k];
            ws = new float[m * d];
            bs = new float[m];
            for (int i = 0; i < n * d; i++) {
                xs[i] = (float) random.nextDouble(-1, 1);
            }
            float[] y = new float[n * k];
            for (int i = 0; i < n; i++) {
                labels[i] = Math.min(k - 1, (int) Math.floor(k * (1 + Math.sin(3 * Math.PI * xs[i * d])) / 2));
                y[i * k + labels[i]] = 1;
            }
            for (int i = 0; i < m * d; i++) {
                ws[i] = (float) Net.gaussian(random);
            }
            for (int j = 0; j < m; j++) {
                bs[j] = (float) random.nextDouble(-1, 1);
                for (int c = 0; c < k; c++) {
                    as[j * k + c] = (float) (Net.gaussian(random) / Math.sqrt(m));
                }
            }
            float[] wt = new float[d * m];
            float[] xts = new float[d * n];
            for (int j = 0; j < m; j++) {
                for (int q = 0; q < d; q++) {
                    wt[q * m + j] = ws[j * d + q];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < d; q++) {
                    xts[q * n + i] = xs[i * d + q];
                }
            }
            x = manager.create(xs, new Shape(n, d));
            xt = manager.create(xts, new Shape(d, n));
            onehot = manager.create(y, new Shape(n, k));
            a = manager.create(as, new Shape(m, k));
            w = manager.create(wt, new Shape(d, m));
            b = manager.create(bs, new Shape(m));
            ones = manager.ones(new Shape(n));
        }

        /** @return {ga (m, k), gw (d, m), gb} of the current parameters; temporaries belong to the caller's scope */
        NDArray[] gradient() {
            NDArray h = x.matMul(w).addi(b).maximum(0f);               // relu(z), n x m
            NDArray f = h.matMul(a);                                     // F = H A, n x k
            NDArray e = f.subi(f.max(new int[] {1}, true)).exp();       // stable softmax numerators
            NDArray r = e.divi(e.sum(new int[] {1}, true)).subi(onehot).divi(n); // R = (P - Y) / n
            NDArray ga = h.transpose().matMul(r);                        // H^T R, m x k
            NDArray g = r.matMul(a.transpose());                         // R A^T, n x m
            h.signi().muli(g);                                           // G = [z > 0] (R A^T), in place
            NDArray gb = ones.matMul(h);
            NDArray gw = xt.matMul(h);                                   // (d, m)
            return new NDArray[] {ga, gw, gb};
        }

        /** set before a step whose footprint (n x m temporaries live) should be sampled */
        boolean sampleRss;

        void step() {
            try (NDScope scope = new NDScope()) {
                NDArray[] g = gradient();
                a.subi(g[0].muli(LR));
                w.subi(g[1].muli(LR));
                b.subi(g[2].muli(LR));
                if (sampleRss) {
                    sampleRss = false;
                    DjlStep.sampleRss();
                }
            }
        }

        @Override
        public void close() {
            for (NDArray array : List.of(x, xt, onehot, a, w, b, ones)) {
                array.close();
            }
        }

        static String step(NDManager manager, int n, int d, int m, int k, int minSteps, double seconds) {
            try (ClassNet net = new ClassNet(manager, n, d, m, k, 20180713)) {
                net.sampleRss = true; // in the warm-up step
                net.step();
                List<Double> times = new ArrayList<>();
                long started = System.nanoTime();
                while (times.size() < 1000 && (times.size() < minSteps || (System.nanoTime() - started) * 1e-9 < seconds)) {
                    long t0 = System.nanoTime();
                    net.step();
                    times.add((System.nanoTime() - t0) * 1e-9);
                }
                double median = median(times);
                return String.format(Locale.ROOT, "\"mode\": \"step\", \"loss\": \"softmax\", \"n\": %d, \"d\": %d, "
                        + "\"m\": %d, \"k\": %d, \"steps\": %d, \"seconds_per_step\": %.6e, \"min_seconds_per_step\": %.6e, "
                        + "\"pairs_per_s\": %.6e", n, d, m, k, times.size(), median,
                        times.stream().mapToDouble(v -> v).min().orElseThrow(), (double) n * m / median);
            }
        }

        /**
         * One k-class gradient at (37, 19, 53) against float64 loops from the formulas, with gd_step.py's
         * k-class bound: a residual's error is at most half the largest error of its row of f plus its own
         * rounding, |r_ic| &lt;= 1, so (max_c sum_j |a_jc| |z|-sum + 1) / n bounds both per sample; the chain
         * grows by the softmax's and the k-dot's k terms.
         */
        static String check(NDManager manager, int k) {
            int n = 37, d = 19, m = 53;
            try (ClassNet net = new ClassNet(manager, n, d, m, k, 7); NDScope scope = new NDScope()) {
                NDArray[] g = net.gradient();
                float[] ga = g[0].toFloatArray(), gw = g[1].toFloatArray(), gb = g[2].toFloatArray();
                double u = Math.scalb(1.0, -24);
                int chain = d + m + n + 2 * k + 10;
                double gamma = 2 * chain * u / (1 - chain * u);
                double[][] z = new double[n][m];
                double[][] za = new double[n][m];
                double[][] r = new double[n][k];
                double[] ra = new double[n];
                double zmin = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        double s = net.bs[j], sa = Math.abs(net.bs[j]);
                        for (int q = 0; q < d; q++) {
                            s += (double) net.xs[i * d + q] * net.ws[j * d + q];
                            sa += Math.abs((double) net.xs[i * d + q] * net.ws[j * d + q]);
                        }
                        z[i][j] = s;
                        za[i][j] = sa;
                        zmin = Math.min(zmin, Math.abs(s));
                    }
                    double[] f = new double[k];
                    double top = Double.NEGATIVE_INFINITY, faMax = 0;
                    for (int c = 0; c < k; c++) {
                        double fa = 0;
                        for (int j = 0; j < m; j++) {
                            f[c] += net.as[j * k + c] * Math.max(z[i][j], 0);
                            fa += Math.abs(net.as[j * k + c]) * za[i][j];
                        }
                        top = Math.max(top, f[c]);
                        faMax = Math.max(faMax, fa);
                    }
                    double total = 0;
                    for (int c = 0; c < k; c++) {
                        total += Math.exp(f[c] - top);
                    }
                    for (int c = 0; c < k; c++) {
                        r[i][c] = (Math.exp(f[c] - top) / total - (c == net.labels[i] ? 1 : 0)) / n;
                    }
                    ra[i] = (faMax + 1) / n;
                }
                double worst = 0;
                for (int j = 0; j < m; j++) {
                    double aa = 0;
                    for (int c = 0; c < k; c++) {
                        aa += Math.abs(net.as[j * k + c]);
                    }
                    double[] s = new double[n];
                    double eb = 0, magb = 0, mag = 0;
                    for (int i = 0; i < n; i++) {
                        if (z[i][j] > 0) {
                            for (int c = 0; c < k; c++) {
                                s[i] += net.as[j * k + c] * r[i][c];
                            }
                        }
                        eb += s[i];
                        magb += aa * ra[i];
                        mag += ra[i] * za[i][j];
                    }
                    for (int c = 0; c < k; c++) {
                        double e = 0;
                        for (int i = 0; i < n; i++) {
                            e += r[i][c] * Math.max(z[i][j], 0);
                        }
                        worst = Math.max(worst, Math.abs(ga[j * k + c] - e) / (gamma * mag + 1e-300));
                    }
                    worst = Math.max(worst, Math.abs(gb[j] - eb) / (gamma * magb + 1e-300));
                    for (int q = 0; q < d; q++) {
                        double ew = 0, magw = 0;
                        for (int i = 0; i < n; i++) {
                            ew += s[i] * net.xs[i * d + q];
                            magw += aa * ra[i] * Math.abs(net.xs[i * d + q]);
                        }
                        worst = Math.max(worst, Math.abs(gw[q * m + j] - ew) / (gamma * magw + 1e-300));
                    }
                }
                boolean ok = worst <= 1.0 && zmin > gamma * 10;
                return String.format(Locale.ROOT, "\"mode\": \"check\", \"loss\": \"softmax\", \"n\": %d, \"d\": %d, "
                        + "\"m\": %d, \"k\": %d, \"worst_ratio_to_bound\": %.6e, \"ok\": %s", n, d, m, k, worst, ok);
            }
        }
    }

    static String step(NDManager manager, int n, int d, int m, int minSteps, double seconds) {
        try (Net net = new Net(manager, n, d, m, 20180713)) {
            net.sampleRss = true; // in the warm-up step
            net.step();
            List<Double> times = new ArrayList<>();
            long started = System.nanoTime();
            while (times.size() < 1000 && (times.size() < minSteps || (System.nanoTime() - started) * 1e-9 < seconds)) {
                long t0 = System.nanoTime();
                net.step();
                times.add((System.nanoTime() - t0) * 1e-9);
            }
            double median = median(times);
            return String.format(Locale.ROOT, "\"mode\": \"step\", \"loss\": \"square\", \"n\": %d, \"d\": %d, \"m\": %d, "
                    + "\"steps\": %d, \"seconds_per_step\": %.6e, \"min_seconds_per_step\": %.6e, \"pairs_per_s\": %.6e",
                    n, d, m, times.size(), median, times.stream().mapToDouble(v -> v).min().orElseThrow(),
                    (double) n * m / median);
        }
    }

    /**
     * One gradient at (37, 19, 53) against float64 loops from the formulas, with the forward-error bound
     * of gd_step.py's check (gamma of the longest rounding chain, doubled, on the sums of absolute values).
     */
    static String check(NDManager manager) {
        int n = 37, d = 19, m = 53;
        try (Net net = new Net(manager, n, d, m, 7); NDScope scope = new NDScope()) {
            NDArray[] g = net.gradient();
            float[] ga = g[0].toFloatArray(), gw = g[1].toFloatArray(), gb = g[2].toFloatArray();
            double u = Math.scalb(1.0, -24);
            int chain = d + m + n + 10;
            double gamma = 2 * chain * u / (1 - chain * u);
            double[][] z = new double[n][m];
            double[][] za = new double[n][m];
            double[] r = new double[n];
            double[] ra = new double[n];
            double zmin = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double f = 0, fa = 0;
                for (int j = 0; j < m; j++) {
                    double s = net.bs[j], sa = Math.abs(net.bs[j]);
                    for (int k = 0; k < d; k++) {
                        s += (double) net.xs[i * d + k] * net.ws[j * d + k];
                        sa += Math.abs((double) net.xs[i * d + k] * net.ws[j * d + k]);
                    }
                    z[i][j] = s;
                    za[i][j] = sa;
                    zmin = Math.min(zmin, Math.abs(s));
                    f += net.as[j] * Math.max(s, 0);
                    fa += Math.abs(net.as[j]) * sa;
                }
                r[i] = f - net.ys[i];
                ra[i] = fa + Math.abs(net.ys[i]);
            }
            double worst = 0;
            for (int j = 0; j < m; j++) {
                double e = 0, mag = 0, eb = 0, magb = 0;
                for (int i = 0; i < n; i++) {
                    e += r[i] * Math.max(z[i][j], 0);
                    mag += ra[i] * za[i][j];
                    if (z[i][j] > 0) {
                        eb += r[i];
                    }
                    magb += ra[i];
                }
                worst = Math.max(worst, Math.abs(ga[j] - e / n) / (gamma * mag / n));
                double aj = net.as[j];
                worst = Math.max(worst, Math.abs(gb[j] - aj * eb / n) / (gamma * Math.abs(aj) * magb / n + 1e-300));
                for (int k = 0; k < d; k++) {
                    double ew = 0, magw = 0;
                    for (int i = 0; i < n; i++) {
                        if (z[i][j] > 0) {
                            ew += r[i] * net.xs[i * d + k];
                        }
                        magw += ra[i] * Math.abs(net.xs[i * d + k]);
                    }
                    worst = Math.max(worst, Math.abs(gw[k * m + j] - aj * ew / n)
                            / (gamma * Math.abs(aj) * magw / n + 1e-300));
                }
            }
            boolean ok = worst <= 1.0 && zmin > gamma * 10;
            return String.format(Locale.ROOT, "\"mode\": \"check\", \"n\": %d, \"d\": %d, \"m\": %d, "
                    + "\"worst_ratio_to_bound\": %.6e, \"ok\": %s", n, d, m, worst, ok);
        }
    }

    /** best time of (n x d)(d x m) and of (d x n)(n x m); DJL's products allocate their result */
    static String gemm(NDManager manager, int n, int d, int m, double seconds) {
        NDArray x = manager.randomUniform(-1, 1, new Shape(n, d));
        NDArray xt = manager.randomUniform(-1, 1, new Shape(d, n));
        NDArray w = manager.randomNormal(new Shape(d, m));
        NDArray s = manager.randomNormal(new Shape(n, m));
        double[] best = new double[2];
        for (int p = 0; p < 2; p++) {
            NDArray left = p == 0 ? x : xt;
            NDArray right = p == 0 ? w : s;
            left.matMul(right).close();
            List<Double> times = new ArrayList<>();
            long started = System.nanoTime();
            while (times.size() < 3 || ((System.nanoTime() - started) * 1e-9 < seconds / 2 && times.size() < 1000)) {
                long t0 = System.nanoTime();
                NDArray product = left.matMul(right);
                product.toType(product.getDataType(), false); // the product is computed eagerly; keep it live until here
                times.add((System.nanoTime() - t0) * 1e-9);
                if (times.size() == 1) {
                    sampleRss();
                }
                product.close();
            }
            best[p] = times.stream().mapToDouble(v -> v).min().orElseThrow();
        }
        double flops = 2.0 * n * d * m;
        return String.format(Locale.ROOT, "\"mode\": \"gemm\", \"n\": %d, \"d\": %d, \"m\": %d, \"forward_seconds\": %.6e, "
                + "\"backward_seconds\": %.6e, \"gemm_seconds\": %.6e, \"gemm_gflops\": %.4f", n, d, m, best[0], best[1],
                best[0] + best[1], 2 * flops / (best[0] + best[1]) / 1e9);
    }

    /** DJL's version, from its api jar's name on the class path (the jar's manifest does not carry it) */
    private static String djlVersion() {
        String jar = Engine.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        String name = jar.substring(jar.lastIndexOf('/') + 1);
        return name.startsWith("api-") && name.endsWith(".jar") ? name.substring(4, name.length() - 4) : name;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(v -> v).sorted().toArray();
        int k = sorted.length;
        return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    }

    /** the resident set while the last shape's arrays were live (see {@link #sampleRss}) */
    private static long lastRss = -1;

    private static void sampleRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    lastRss = 1024L * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            lastRss = -1;
        }
    }

    private static long rssBytes() throws Exception {
        if (lastRss > 0) {
            return lastRss;
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return 1024L * Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** libtorch's native libraries as mapped; MKL is linked into libtorch_cpu (DJL's CPU build) */
    private static String blasInfo() throws Exception {
        Set<String> libraries = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] parts = line.trim().split("\\s+");
            String path = parts[parts.length - 1];
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (path.startsWith("/") && (name.contains("torch") || name.contains("mkl") || name.contains("blas")
                    || name.contains("omp"))) {
                libraries.add(path);
            }
        }
        StringBuilder json = new StringBuilder("{\"libraries\": [");
        json.append(String.join(", ", libraries.stream().map(p -> "\"" + p + "\"").toList()));
        json.append("], \"blas\": \"MKL inside libtorch ").append(Engine.getEngine("PyTorch").getVersion()).append("\"}");
        return json.toString();
    }
}
