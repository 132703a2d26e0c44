package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.validation.measures.FunctionSpread;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.measures.Quantization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The fair contrast of docs/THEORY.md section 3: N_eff (1-degree clusters, section 4) of small init
 * against contrasts where quantization is not expected, compared AT EQUAL LOSS. Small init (balanced,
 * lambda = {@link Config#lambda()}) is trained for a set number of steps; its final loss is the level
 * every contrast of the same data and width is trained down to (at least {@link Claims#LOSS_FLOOR}):
 * <ul>
 * <li>PyTorch's default init with a random bias ({@link Initializers#pytorchDefault(int, int, long)}) in the NTK scaling,
 *     lr_a = eta/m and lr_v = eta with eta half the stability limit of {@link NtkScaling};</li>
 * <li>large balanced init (lambda = 1) at the small-init rate, capped by {@link Quantized#stableRate};</li>
 * <li>in d = 1 only, He init with b = 0 ({@code Initializers.he}) in the NTK scaling: every neuron
 *     starts at 0 or 180 degrees, a degenerate row shown but not judged.</li>
 * </ul>
 * Whether a contrast reached the level is reported, not assumed.
 */
public final class FairContrast {
    private FairContrast() {}

    /** The regimes compared. */
    public enum Init {
        SMALL("balanced small"), PYTORCH_SMALL("PyTorch default scaled by lambda, small-init rate (control)"),
        PYTORCH("PyTorch default, random bias, NTK rates"), PYTORCH_F0_ZERO("PyTorch default doubled with a -> -a (f0 = 0), NTK rates"),
        LARGE("balanced lambda = 1"),
        HE_NO_BIAS("He, b = 0 (degenerate in d = 1), NTK rates");

        private final String label;

        Init(String label) {
            this.label = label;
        }

        /** @return a short description */
        public String label() {
            return label;
        }
    }

    /**
     * @param widths widths m; the first and {@link Claims#WIDE} are judged (it must be among the widths)
     * @param lambda small init scale
     * @param lr small-init (and large-init) learning rate
     * @param smallSteps steps of the small-init run
     * @param contrastCap step cap of the contrasts
     * @param twoDSamples n of the 2-D set {@code DataSets.twoD(n, 3)}
     * @param seed seed of every init
     * @param parallelRuns runs trained at once, one kernel thread each
     */
    public record Config(int[] widths, double lambda, double lr, long smallSteps, long contrastCap, int twoDSamples, long seed,
            int parallelRuns) {
        /** @return the CI size (widths 1e2 and 1e4) */
        public static Config quick() {
            return new Config(new int[] {100, 10_000}, 1e-4, 0.02, 20_000, 50_000, 20, 1, 2);
        }

        /** @return the report size (widths 1e2, 1e3, 1e4) */
        public static Config full() {
            return new Config(new int[] {100, 1_000, 10_000}, 1e-4, 0.02, 20_000, 100_000, 20, 1, 2);
        }

        /** @return this configuration with every init drawn from another seed */
        public Config withSeed(long other) {
            return new Config(widths, lambda, lr, smallSteps, contrastCap, twoDSamples, other, parallelRuns);
        }
    }

    /**
     * One trained network.
     *
     * @param data "1-D five-point" or "2-D"
     * @param init the regime
     * @param width m
     * @param lrOutput rate of a
     * @param lrHidden rate of (w, b)
     * @param targetLoss the level trained to (small init: none, 0)
     * @param loss the loss reached
     * @param reached whether the contrast reached the target (true for small init)
     * @param steps steps taken
     * @param neffInit N_eff at initialization
     * @param neff N_eff at the end (at equal loss for the contrasts that reached it)
     * @param seconds wall time
     */
    public record Row(String data, Init init, int width, double lrOutput, double lrHidden, double targetLoss, double loss,
            boolean reached, long steps, double neffInit, double neff, double seconds) {
        /** @return one line for a log or a table */
        public String describe() {
            return String.format(Locale.ROOT, "%s %-45s m=%-6d lr_a=%.3g lr_v=%.3g target %.3e loss %.3e reached %s steps %d"
                    + " N_eff init %.1f end %.1f (%.1f s)", data, init.label(), width, lrOutput, lrHidden, targetLoss, loss,
                    reached ? "yes" : "NO", steps, neffInit, neff, seconds);
        }
    }

    /**
     * @param config the sizes
     * @param rows every run
     * @param seconds wall time of the whole experiment
     */
    public record Result(Config config, List<Row> rows, double seconds) {
        /** @return the row of that data set, init and width */
        public Row row(String data, Init init, int width) {
            return rows.stream().filter(r -> r.data().equals(data) && r.init() == init && r.width() == width).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row " + data + " " + init + " " + width));
        }
    }

    /** Names of the two data sets. */
    public static final String ONE_D = "1-D five-point";
    /** The 2-D teacher set. */
    public static final String TWO_D = "2-D teacher";

    /** Trains every regime at every width on both data sets. */
    public static Result run(Config c) {
        long start = System.nanoTime();
        Dataset[] data = {DataSets.fivePoint(), DataSets.twoD(c.twoDSamples(), 3)};
        String[] names = {ONE_D, TWO_D};
        List<Callable<Row>> small = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            for (int m : c.widths()) {
                int ds = s;
                small.add(() -> small(names[ds], data[ds], m, c.seed(), c));
            }
        }
        List<Row> rows = new ArrayList<>(all(small, c.parallelRuns()));
        List<Callable<Row>> contrasts = new ArrayList<>();
        for (Row r : new ArrayList<>(rows)) {
            Dataset ds = r.data().equals(ONE_D) ? data[0] : data[1];
            double target = Math.max(r.loss(), Claims.LOSS_FLOOR);
            contrasts.add(() -> ntk(r.data(), ds, Init.PYTORCH, Initializers.pytorchDefault(r.width(), ds.inputDim(), c.seed()), target, c));
            contrasts.add(() -> ntk(r.data(), ds, Init.PYTORCH_F0_ZERO, ContrastInits.antisymmetric(r.width(), ds.inputDim(), c.seed()),
                    target, c));
            contrasts.add(() -> large(r.data(), ds, r.width(), target, c));
            if (r.width() == Claims.WIDE) {
                contrasts.add(() -> scaledSmall(r.data(), ds, r.width(), target, c));
            }
            if (ds.inputDim() == 1) {
                contrasts.add(() -> ntk(r.data(), ds, Init.HE_NO_BIAS, Initializers.he(r.width(), 1, c.seed()), target, c));
            }
        }
        rows.addAll(all(contrasts, c.parallelRuns()));
        return new Result(c, rows, (System.nanoTime() - start) * 1e-9);
    }

    /**
     * Runs the whole fair contrast once per init seed 1 .. seeds (the data stay the same).
     *
     * @param c the sizes (its seed is replaced)
     * @param seeds how many seeds
     * @return one result per seed, seed 1 first
     */
    public static List<Result> runSeeds(Config c, int seeds) {
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
        List<Result> out = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            out.add(run(c.withSeed(seed)));
        }
        return out;
    }

    private static Row small(String name, Dataset data, int m, long seed, Config c) {
        Parameters init = Initializers.balanced(m, data.inputDim(), c.lambda(), seed, true);
        Training.Run r = Training.run(data, init, Training.Settings.single(c.lr(), c.smallSteps(), Precision.FLOAT64, 1));
        return row(name, Init.SMALL, init, c.lr(), c.lr(), 0, r);
    }

    // the control: the contrast's own draw with every layer scaled by lambda, at the small-init rate, to the same loss
    private static Row scaledSmall(String name, Dataset data, int m, double target, Config c) {
        Parameters init = ContrastInits.scaled(Initializers.pytorchDefault(m, data.inputDim(), c.seed()), c.lambda());
        Training.Run r = Training.run(data, init, Training.Settings.single(c.lr(), c.contrastCap(), Precision.FLOAT64, 1).withTarget(target));
        return row(name, Init.PYTORCH_SMALL, init, c.lr(), c.lr(), target, r);
    }

    /**
     * The PyTorch-default contrast of one width trained to a loss (NTK rates, float64, one kernel thread, at most
     * {@code c.contrastCap()} steps): the control of a claim run elsewhere on the same data.
     *
     * @param name the data set's name
     * @param data the data
     * @param m the width
     * @param seed the init seed
     * @param target the loss to stop at
     * @param c the fair contrast's settings (cap and base rate)
     * @return the trained network's row
     */
    static Row pytorchTo(String name, Dataset data, int m, long seed, double target, Config c) {
        return ntk(name, data, Init.PYTORCH, Initializers.pytorchDefault(m, data.inputDim(), seed), target, c);
    }

    private static Row ntk(String name, Dataset data, Init kind, Parameters init, double target, Config c) {
        NtkScaling.Rates rates = NtkScaling.rates(data, init);
        Training.Run r = Training.run(data, init, Training.Settings.single(c.lr(), c.contrastCap(), Precision.FLOAT64, 1)
                .withRates(rates.output(), rates.hidden()).withTarget(target));
        return row(name, kind, init, rates.output(), rates.hidden(), target, r);
    }

    private static Row large(String name, Dataset data, int m, double target, Config c) {
        Parameters init = Initializers.balanced(m, data.inputDim(), 1, c.seed(), true);
        double lr = Quantized.stableRate(data, init, c.lr());
        Training.Run r = Training.run(data, init, Training.Settings.single(lr, c.contrastCap(), Precision.FLOAT64, 1).withTarget(target));
        return row(name, Init.LARGE, init, lr, lr, target, r);
    }

    private static Row row(String name, Init kind, Parameters init, double lrA, double lrV, double target, Training.Run r) {
        double eps = Math.toRadians(Claims.CLUSTER_EPS_DEGREES);
        double neff0 = Quantization.effectiveCount(Quantization.clusters(Neurons.of(init, true), eps));
        double neff = Quantization.effectiveCount(Quantization.clusters(Neurons.of(r.end().parameters(), true), eps));
        Row row = new Row(name, kind, init.width(), lrA, lrV, target, r.end().loss(), r.reachedTarget() && !r.diverged(),
                r.end().step(), neff0, neff, r.seconds());
        return row;
    }

    /** Runs the tasks on {@code parallel} threads and returns their results in order. */
    static <T> List<T> all(List<Callable<T>> tasks, int parallel) {
        if (parallel <= 0) {
            throw new IllegalArgumentException("parallelRuns must be positive, got " + parallel);
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(t));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The verdicts, per data set: the PyTorch-default contrast's N_eff at least {@link Claims#CONTRAST_RATIO} times small
     * init's at m = {@link Claims#WIDE} at equal loss, while small init of another seed (the control) is not; and the
     * contrast's N_eff growing at least {@link Claims#NEFF_GROWTH_MIN} times from the narrowest width to {@link Claims#WIDE},
     * while small init's (the control) does not.
     */
    public static List<Claims.Verdict> judge(Result r) {
        return judge(List.of(r));
    }

    /**
     * The verdicts over seeds: each row holds when its criterion holds in every seed and its control fails in every seed; the
     * measured text gives the seeds' median with the 95% bootstrap interval of their mean, and the seed most against the
     * claim. The moment is the worst-matched seed's (the largest distance from the small-init loss).
     *
     * @param bySeed one result per seed
     * @return per data set: the ratio rows (PyTorch default, f0 = 0), then the growth row
     */
    public static List<Claims.Verdict> judge(List<Result> bySeed) {
        if (bySeed.isEmpty()) {
            throw new IllegalArgumentException("no seeds to judge");
        }
        List<Claims.Verdict> out = new ArrayList<>();
        int narrow = bySeed.get(0).config().widths()[0];
        int wide = Claims.WIDE;
        int seeds = bySeed.size();
        for (String data : new String[] {ONE_D, TWO_D}) {
            for (Init kind : new Init[] {Init.PYTORCH, Init.PYTORCH_F0_ZERO}) {
                double[] ratio = new double[seeds];
                double[] controlRatio = new double[seeds];
                boolean pass = true;
                WorstMoment moment = new WorstMoment(Claims.Moment.losses(Double.NaN, Double.NaN));
                for (int k = 0; k < seeds; k++) {
                    Result r = bySeed.get(k);
                    Row s = r.row(data, Init.SMALL, wide);
                    Row p = r.row(data, kind, wide);
                    Row control = r.row(data, Init.PYTORCH_SMALL, wide);
                    ratio[k] = p.neff() / s.neff();
                    controlRatio[k] = control.neff() / s.neff();
                    pass &= p.reached() && control.reached() && ratio[k] >= Claims.CONTRAST_RATIO && controlRatio[k] < Claims.CONTRAST_RATIO;
                    // matched when the contrast and the control both stopped at the small-init loss (the worse of the two is shown)
                    moment.losses(s.loss(), Math.abs(p.loss() - s.loss()) >= Math.abs(control.loss() - s.loss()) ? p.loss() : control.loss());
                }
                Row first = bySeed.get(0).row(data, kind, wide);
                Claims.Claim claim = kind == Init.PYTORCH ? Claims.FAIR_CONTRAST_RATIO : Claims.FAIR_CONTRAST_F0_ZERO;
                out.add(claim.about(data).judge(String.format(Locale.ROOT,
                        "%d seeds: N_eff ratio median %.1f, mean %s, smallest %.1f; control (PyTorch draw x lambda) ratio median %.2f, largest %.2f;"
                                + " equal loss reached by every contrast and control: %s (seed 1: N_eff %.1f vs %.2f, loss %.3e vs target %.3e)",
                        seeds, FunctionSpread.median(ratio), Stats.bootstrapMean(ratio).describe("%.1f"), Arrays.stream(ratio).min().getAsDouble(),
                        FunctionSpread.median(controlRatio), Arrays.stream(controlRatio).max().getAsDouble(), reachedAll(bySeed, data, kind, wide) ? "yes" : "NO",
                        first.neff(), bySeed.get(0).row(data, Init.SMALL, wide).neff(), first.loss(), first.targetLoss()), pass, moment.moment()));
            }
            double[] growth = new double[seeds];
            double[] smallGrowth = new double[seeds];
            boolean pass = true;
            WorstMoment moment = new WorstMoment(Claims.Moment.losses(Double.NaN, Double.NaN));
            for (int k = 0; k < seeds; k++) {
                Result r = bySeed.get(k);
                Row p = r.row(data, Init.PYTORCH, wide);
                Row pn = r.row(data, Init.PYTORCH, narrow);
                Row s = r.row(data, Init.SMALL, wide);
                Row sn = r.row(data, Init.SMALL, narrow);
                growth[k] = p.neff() / pn.neff();
                smallGrowth[k] = s.neff() / sn.neff();
                pass &= pn.reached() && p.reached() && growth[k] >= Claims.NEFF_GROWTH_MIN && smallGrowth[k] < Claims.NEFF_GROWTH_MIN;
                moment.losses(sn.loss(), pn.loss());
            }
            out.add(Claims.FAIR_CONTRAST_GROWTH.about(data).judge(String.format(Locale.ROOT,
                    "%d seeds: contrast grows x%.1f (median), mean %s, smallest x%.1f (equal loss reached by all: %s); control: small init grows"
                            + " x%.2f (median), largest x%.2f",
                    seeds, FunctionSpread.median(growth), Stats.bootstrapMean(growth).describe("%.1f"), Arrays.stream(growth).min().getAsDouble(),
                    reachedAll(bySeed, data, Init.PYTORCH, narrow) && reachedAll(bySeed, data, Init.PYTORCH, wide) ? "yes" : "NO",
                    FunctionSpread.median(smallGrowth), Arrays.stream(smallGrowth).max().getAsDouble()), pass, moment.moment()));
        }
        return out;
    }

    private static boolean reachedAll(List<Result> bySeed, String data, Init kind, int width) {
        return bySeed.stream().allMatch(r -> r.row(data, kind, width).reached());
    }
}
