package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * E4: width independence and finitely many functions on the five-point data, {@link Sweep#SEEDS} seeds per width at
 * small and at standard init: distinct patterns J, distinct learned functions, the sup distance to the widest width.
 */
public final class E4FinitelyMany {
    /**
     * Sup-norm distance on [-1, 1] under which two learned functions count as one (1% of max |y|): the distinct-functions
     * column is descriptive (kinks between data points stop anywhere at finite m, docs/THEORY.md section 2); the judged
     * count of functions is FunctionCount's, at a tolerance tied to convergence.
     */
    static final double SAME_FUNCTION = 1e-2;
    private E4FinitelyMany() {}

    /**
     * One width and init over all seeds.
     *
     * @param small balanced lambda = 1e-4 (else standard)
     * @param distinctJ distinct patterns J over the seeds
     * @param distinctFunctions distinct learned functions (sup distance above {@link #SAME_FUNCTION})
     * @param fit the largest |f - P_J y| over the seeds
     * @param sup sup distance of seed 1's function to seed 1's at the widest width
     * @param kinks kink positions of seed 1's clusters holding &gt;= 0.1% of the mass, sorted
     */
    public record Row(int width, boolean small, int distinctJ, int distinctFunctions, double fit, double sup, double[] kinks) {}

    /**
     * @param grid the points of [-1, 1] the functions are evaluated on
     * @param rows from the widest width down, small then standard init
     * @param seed1 seed 1's function on the grid per init (0 small, 1 standard) and width index
     */
    public record Result(Dataset data, int[] widths, double[] grid, List<Row> rows, double[][][] seed1, int maxSmallJ, int minStdJ,
            int minStdFunctions, double maxSmallSup) {
    }

    /** Runs E4. */
    public static Result run(Sweep s) {
        Dataset data = DataSets.fivePoint();
        List<Attractor> att = Attractors.predict(AugmentedInputs.of(data, true), data.targets());
        double[] grid = Stats.grid(-1, 1, 401);
        int[] widths = s.e4Widths();
        List<Row> rows = new ArrayList<>();
        int maxSmallJ = 0;
        int minStdFunctions = Integer.MAX_VALUE;
        int minStdJ = Integer.MAX_VALUE;
        double maxSmallSup = 0;
        double[][][] seed1 = new double[2][widths.length][];
        for (int wi = widths.length - 1; wi >= 0; wi--) {
            for (int kind = 0; kind < 2; kind++) {
                double lambda = kind == 0 ? Sweep.SMALL : 0;
                Set<String> patterns = new HashSet<>();
                List<double[]> functions = new ArrayList<>();
                double fit = 0;
                double[] kinks = new double[0];
                for (int seed = 1; seed <= Sweep.SEEDS; seed++) {
                    Quantized q = s.measure("e4", data, true, att, widths[wi], lambda, seed);
                    patterns.add(key(q.patterns()));
                    double[] f = Neurons.of(q.run().end().parameters(), true).evaluate(grid);
                    if (seed == 1) {
                        seed1[kind][wi] = f;
                        kinks = kinks(q);
                    }
                    functions.add(f);
                    fit = Math.max(fit, q.fitError());
                }
                int distinct = Stats.distinctFunctions(functions, SAME_FUNCTION);
                double sup = Stats.supDistance(seed1[kind][wi], seed1[kind][widths.length - 1]);
                rows.add(new Row(widths[wi], kind == 0, patterns.size(), distinct, fit, sup, kinks));
                if (kind == 0) {
                    maxSmallJ = Math.max(maxSmallJ, patterns.size());
                    maxSmallSup = Math.max(maxSmallSup, sup);
                } else {
                    minStdFunctions = Math.min(minStdFunctions, distinct);
                    minStdJ = Math.min(minStdJ, patterns.size());
                }
            }
        }
        return new Result(data, widths, grid, List.copyOf(rows), seed1, maxSmallJ, minStdJ, minStdFunctions, maxSmallSup);
    }

    /** @return the kink positions of the clusters holding >= 0.1% of the mass, sorted */
    private static double[] kinks(Quantized q) {
        double total = q.endClusters().stream().mapToDouble(Cluster::mass).sum();
        return q.endClusters().stream().filter(c -> c.mass() >= Quantized.PATTERN_SHARE * total)
                .mapToDouble(c -> c.direction()[0] == 0 ? Double.NaN : -c.direction()[1] / c.direction()[0])
                .filter(v -> Math.abs(v) < 1e3).sorted().toArray();
    }

    private static String key(List<BitSet> patterns) {
        return patterns.stream().map(BitSet::toString).sorted().reduce("", (a, b) -> a + b);
    }
}
