package io.reluquant.validation.experiments;

import io.reluquant.io.data.FashionMnist;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The real-data probe over seeds: one two-class problem run once per seed 1..k, each seed drawing its own training subset
 * of the pair and its own init ({@link FashionMnist#pair} and the balanced init share the seed), without the contrasts;
 * each of the probe's small-init rows (self-consistency, N_eff at the end of alignment and at L*, each with its control) is
 * judged again over the seeds: it holds only if it holds in every seed ({@link Claims#overSeeds}).
 */
public final class RealDataSeeds {
    private RealDataSeeds() {}

    /**
     * @param label the pair's name ("t-shirt/top (+1) vs trouser (-1)")
     * @param bySeed one probe per seed, seed 1 first
     * @param seconds wall time
     */
    public record Result(String label, List<RealDataResult> bySeed, double seconds) {
        public Result {
            bySeed = List.copyOf(bySeed);
        }
    }

    /**
     * Runs the probe once per seed.
     *
     * @param fm the data
     * @param classA the class labelled +1
     * @param classB the class labelled -1
     * @param trainSize training images per draw
     * @param testSize test images (0: all)
     * @param base the probe's settings (its seed is replaced; run it with contrast width 0)
     * @param seeds seeds 1..this
     * @param log told of each run
     * @return the probes
     */
    public static Result run(FashionMnist fm, int classA, int classB, int trainSize, int testSize, RealDataProbe.Settings base, int seeds,
            Consumer<String> log) {
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
        long t0 = System.nanoTime();
        List<RealDataResult> out = new ArrayList<>();
        String label = null;
        for (long seed = 1; seed <= seeds; seed++) {
            RealDataProbe.Settings s = new RealDataProbe.Settings(base.widths(), base.smallLambda(), base.loss(), base.lr(), base.steps(),
                    base.contrastWidth(), base.contrastSteps(), seed, base.precision(), base.threads());
            FashionMnist.Pair p = fm.pair(classA, classB, trainSize, testSize, seed);
            label = p.label();
            long s0 = System.nanoTime();
            out.add(RealDataProbe.probe(p.train(), p.test(), s, log));
            log.accept(Format.of("seed %d: %.1f s", seed, (System.nanoTime() - s0) * 1e-9));
        }
        return new Result(label, out, (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * The rows over seeds: for each small-init row of the probe (its contrast rows are not run here), PASS only when every seed
     * passed it; the measured text gives how many did, the seed-mean of the row's numbers with their 95% bootstrap interval,
     * and the first failing seed's measurement (or seed 1's). The moment is the worst-matched seed's.
     *
     * @param r the probes
     * @param prefix names the data set at the head of each claim
     * @return one verdict per small-init row
     */
    public static List<Claims.Verdict> judge(Result r, String prefix) {
        int seeds = r.bySeed().size();
        List<List<Claims.Verdict>> per = r.bySeed().stream().map(x -> x.verdicts(prefix).subList(0, 3)).toList();
        List<Claims.Verdict> out = new ArrayList<>();
        for (int row = 0; row < 3; row++) {
            int passed = 0;
            int firstFail = -1;
            WorstMoment moment = new WorstMoment(Claims.Moment.NONE);
            for (int k = 0; k < seeds; k++) {
                Claims.Verdict v = per.get(k).get(row);
                if (v.pass()) {
                    passed++;
                } else if (firstFail < 0) {
                    firstFail = k;
                }
                moment.offer(v.moment());
            }
            Claims.Verdict shown = per.get(firstFail < 0 ? 0 : firstFail).get(row);
            String measured = Format.of("%d of %d seeds pass; %s; seed %d: %s", passed, seeds, numbers(r, row), (firstFail < 0 ? 0 : firstFail) + 1,
                    shown.measured());
            out.add(Claims.overSeeds(shown, seeds).judge(measured, passed == seeds, moment.moment()));
        }
        return out;
    }

    // the row's numbers over seeds: the worst small-init value and the control's, seed-mean with interval
    private static String numbers(Result r, int row) {
        int n = r.bySeed().size();
        double[] claim = new double[n];
        double[] control = new double[n];
        for (int k = 0; k < n; k++) {
            RealDataResult x = r.bySeed().get(k);
            switch (row) {
                case 0 -> {
                    claim[k] = x.worstAlignmentConsistency();
                    control[k] = x.bestPermutedConsistency();
                }
                case 1, 2 -> {
                    boolean atEnd = row == 2;
                    claim[k] = Arrays.stream(x.smallNeff(atEnd)).max().orElse(Double.NaN);
                    control[k] = Arrays.stream(x.controlNeff(atEnd)).min().orElse(Double.NaN);
                }
                default -> throw new IllegalStateException("row " + row);
            }
        }
        return row == 0
                ? Format.of("smallest abs(cos) per seed, mean %s; control's largest, mean %s", Stats.bootstrapMean(claim).describe("%.4f"),
                        Stats.bootstrapMean(control).describe("%.4f"))
                : Format.of("largest small-init N_eff per seed, mean %s; control's smallest, mean %s", Stats.bootstrapMean(claim).describe("%.2f"),
                        Stats.bootstrapMean(control).describe("%.1f"));
    }
}
