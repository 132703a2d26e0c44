package io.reluquant.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What a bench run measures: a list of JMH runs, each one benchmark class over a product of
 * parameters. The default suite (about 10 minutes on 2 cores with the peers) answers the headline questions; the
 * full sweep adds widths 2^10..2^22, d in {1, 2, 8, 16} x n in {8, 256, 1024}, every team size and the
 * Fashion-MNIST shape.
 */
final class Suite {
    static final String PEAK = "peak";
    static final String HEADLINE = "headline";
    static final String REFERENCE = "reference";
    static final String WIDTH = "width";
    static final String DIMS = "dims";
    static final String SAMPLES = "samples";
    static final String STRONG = "strong";
    static final String WEAK = "weak";
    static final String SYNC = "sync";
    static final String FOOTPRINT = "footprint";
    static final String FASHION = "fashion";
    static final String CUSTOM = "custom";
    static final String EMBEDDING = "embedding";
    static final String OUTPUTS = "outputs";
    /** k of the outputs group: ten classes, as Fashion-MNIST has */
    static final int CLASSES = 10;
    static final int MILLION = 1_000_000;
    /** the groups --groups accepts */
    static final List<String> GROUPS = List.of(PEAK, HEADLINE, WIDTH, DIMS, FASHION, OUTPUTS, SAMPLES, STRONG, WEAK,
            SYNC, REFERENCE, FOOTPRINT, EMBEDDING, CUSTOM);

    /**
     * One JMH run.
     *
     * @param group     the table's group column
     * @param benchmark regex of the benchmark methods
     * @param params    JMH parameters (their product is run)
     * @param timing    false for the footprint run (lean JVM flags, see {@link Jdks#forkFlags})
     */
    record Run(String group, String benchmark, Map<String, List<String>> params, boolean timing) {
        /**
         * @return the heap for the largest shape of this run, in MiB: twice the live data plus room for
         *         JMH when timing; the live data plus 64 MiB for the footprint run
         */
        long heapMiB() {
            if (benchmark.contains(BandwidthProbe.class.getSimpleName())) {
                // two arrays per thread, every core a thread in allCores
                long arrays = 2L * BandwidthProbe.LENGTH * Float.BYTES * Runtime.getRuntime().availableProcessors();
                return ((arrays >> 20) + 256 + 15) / 16 * 16;
            }
            long worst = 0;
            for (String n : params.getOrDefault("n", List.of("256"))) {
                for (String d : params.getOrDefault("d", List.of("1"))) {
                    for (String m : params.getOrDefault("m", List.of("1"))) {
                        for (String k : params.getOrDefault("k", List.of("1"))) {
                            worst = Math.max(worst, bytesNeeded(Integer.parseInt(n), Integer.parseInt(d),
                                    Integer.parseInt(k), Integer.parseInt(m)));
                        }
                    }
                }
            }
            long mib = timing ? (2 * worst >> 20) + 192 : (worst >> 20) + 64;
            return (mib + 15) / 16 * 16;
        }
    }

    /**
     * bytes live in a fork at set-up: the bench's float64 workload (x, y) and Parameters' float64 copy
     * (a, w, b), plus what the trainer itself needs, as the kernel plans it (float64, the larger
     * precision, and one thread; more threads add only per-thread scratch)
     */
    static long bytesNeeded(int n, int d, int m) {
        long workload = 8L * n * (d + 1) + 8L * m * (d + 2);
        return workload + io.reluquant.kernel.Trainer.bytesNeeded(n, d, m, io.reluquant.kernel.Precision.FLOAT64, 1);
    }

    /** {@link #bytesNeeded(int, int, int)} for a network with k outputs (k-class runs: a is (m, k), labels n) */
    static long bytesNeeded(int n, int d, int k, int m) {
        if (k == 1) {
            return bytesNeeded(n, d, m);
        }
        long workload = 8L * n * (d + 1) + 4L * n + 8L * m * (d + 1 + k);
        return workload + io.reluquant.kernel.Trainer.bytesNeeded(n, d, k, m, io.reluquant.kernel.Precision.FLOAT64, 1);
    }

    private Suite() {}

    static Map<String, List<String>> params(Object... keyValues) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            List<?> values = v instanceof List<?> list ? list : List.of(v);
            map.put((String) keyValues[i], values.stream().map(String::valueOf).collect(Collectors.toList()));
        }
        return map;
    }

    static Run fused(String group, Map<String, List<String>> params) {
        return new Run(group, FusedStep.class.getName() + ".step", params, true);
    }

    /** the k-class step ({@link OutputsStep}: softmax cross-entropy, k outputs) */
    static Run outputs(String group, Map<String, List<String>> params) {
        return new Run(group, OutputsStep.class.getName() + ".step", params, true);
    }

    /**
     * The k = 10 softmax cross-entropy step, float32, one thread, with the peers beside it: at d = 1 and
     * 2 (n = 256, m = 2^16, the fused paths' home at k = 1; ~60 ms a step here) and at the
     * Fashion-MNIST-sized layer (1000, 784, 1024); the full sweep adds the Fashion-MNIST training shape
     * (60000, 784, 1024).
     */
    static List<Run> outputs(boolean full) {
        List<Run> runs = new ArrayList<>();
        for (int d : List.of(1, 2)) {
            runs.add(outputs(OUTPUTS, params("precision", "FLOAT32", "n", 256, "d", d, "m", 1 << 16, "k", CLASSES,
                    "threads", 1)));
        }
        runs.add(outputs(OUTPUTS, params("precision", "FLOAT32", "n", 1000, "d", 784, "m", 1024, "k", CLASSES,
                "threads", 1)));
        if (full) {
            runs.add(outputs(OUTPUTS, params("precision", "FLOAT32", "n", 60_000, "d", 784, "m", 1024, "k", CLASSES,
                    "threads", 1)));
        }
        return runs;
    }

    /** the reference's width for n samples: ~2^22 pairs per step, between 2^10 and 2^19 neurons */
    static int referenceWidth(int samples) {
        int m = Integer.highestOneBit(Math.max(1, (1 << 22) / samples));
        return Math.max(1 << 10, Math.min(1 << 19, m));
    }

    static List<Run> referenceRuns(List<int[]> shapes) {
        List<Run> runs = new ArrayList<>();
        for (int[] nd : shapes) {
            runs.add(new Run(REFERENCE, ReferenceStep.class.getName() + ".step",
                    params("n", nd[0], "d", nd[1], "m", referenceWidth(nd[0])), true));
        }
        return runs;
    }

    static Run peak() {
        return new Run(PEAK, PeakProbe.class.getName() + ".fp(32|64)", Map.of(), true);
    }

    /** the FMA peak and the memory bandwidth (one core, all cores): the two roofs, at the start of a run */
    static Run roofs() {
        return new Run(PEAK, "(" + PeakProbe.class.getName() + ".fp(32|64)|" + BandwidthProbe.class.getName() + ".*)",
                Map.of(), true);
    }

    static final List<String> BOTH = List.of("FLOAT32", "FLOAT64");

    /**
     * @return the default suite for a machine with {@code cores} cores: the headline shapes, the input
     *         dimensions with the peers beside them, the k = 10 softmax steps with theirs, the team's
     *         per-step cost, the reference and the
     *         footprint, the k-output rows and the embedding group (about 10 minutes on 2 cores with the peers); widths, sample counts, strong and weak
     *         scaling and the Fashion-MNIST shape are in the full sweep
     */
    static List<Run> standard(int cores) {
        List<Run> runs = new ArrayList<>();
        runs.add(roofs());
        runs.add(fused(HEADLINE, params("precision", BOTH, "n", List.of(8, 256), "d", 1, "m", MILLION,
                "threads", List.of(1, 2))));
        runs.addAll(dims(cores));
        runs.addAll(outputs(false));
        runs.add(fused(SYNC, params("precision", "FLOAT32", "n", 8, "d", 1, "m", 1 << 10,
                "threads", List.of(1, cores).stream().distinct().toList())));
        runs.addAll(referenceRuns(List.of(new int[] {8, 1}, new int[] {256, 1}, new int[] {256, 16})));
        runs.addAll(embedding(false));
        runs.add(footprint());
        runs.add(peak());
        return runs;
    }

    /**
     * What a host embedding the kernel pays: its own optimizer loop beside bare gradient calls (one
     * thread, float32, minibatches) and serving with a predictor. The default suite runs the shape of
     * a small regression at two batch sizes and serving at d = 10 (about a minute); the full sweep adds
     * batches up to n, the Fashion-MNIST-sized layer and serving at d = 1 and 784.
     */
    static List<Run> embedding(boolean full) {
        List<Run> runs = new ArrayList<>();
        runs.add(new Run(EMBEDDING, OptimizerLoop.class.getName() + ".*", params("n", 2000, "d", 10, "m", 4096,
                "batch", full ? List.of(64, 256, 2000) : List.of(64, 256)), true));
        if (full) {
            runs.add(new Run(EMBEDDING, OptimizerLoop.class.getName() + ".*", params("n", 2000, "d", 784, "m", 1024,
                    "batch", List.of(64, 256, 2000)), true));
        }
        runs.add(new Run(EMBEDDING, PredictorBench.class.getName() + ".*", params("precision", "FLOAT32",
                "d", full ? List.of(1, 10, 784) : List.of(10), "m", 4096), true));
        return runs;
    }

    /** @return the benchmark methods a run's regex selects (each is one JMH trial per parameter combination) */
    static int methods(Run run) {
        if (run.benchmark().startsWith(OptimizerLoop.class.getName())) {
            return 5;
        }
        if (run.benchmark().startsWith(PredictorBench.class.getName())) {
            return 2;
        }
        return run.group().equals(PEAK) ? (run.benchmark().contains("Bandwidth") ? 4 : 2) : 1;
    }

    /** @return the full sweep */
    static List<Run> full(int cores) {
        List<Integer> teams = IntStream.rangeClosed(1, cores).boxed().collect(Collectors.toList());
        List<Integer> oversubscribed = new ArrayList<>(teams);
        oversubscribed.add(2 * cores);
        List<Run> runs = new ArrayList<>();
        runs.add(roofs());
        runs.add(fused(HEADLINE, params("precision", BOTH, "n", List.of(8, 256), "d", 1, "m", MILLION,
                "threads", List.of(1, 2))));
        runs.add(fused(WIDTH, params("precision", BOTH, "n", 256, "d", 1,
                "m", IntStream.rangeClosed(10, 22).mapToObj(k -> 1 << k).toList(), "threads", 1)));
        runs.add(fused(DIMS, params("precision", BOTH, "n", List.of(8, 256, 1024), "d", List.of(1, 2, 8, 16),
                "m", 1 << 16, "threads", 1)));
        runs.addAll(dims(cores));
        runs.add(fashion(cores));
        runs.addAll(outputs(true));
        runs.add(fused(SAMPLES, params("precision", "FLOAT32", "n", 1024, "d", 1, "m", 1 << 16, "threads", 1)));
        runs.add(fused(STRONG, params("precision", BOTH, "n", 256, "d", 1, "m", List.of(1 << 18, 1 << 20),
                "threads", oversubscribed)));
        runs.addAll(weak(teams, 1 << 17));
        runs.add(fused(SYNC, params("precision", "FLOAT32", "n", 8, "d", 1, "m", List.of(1 << 10, 1 << 12),
                "threads", teams)));
        List<int[]> shapes = new ArrayList<>();
        for (int n : List.of(8, 256, 1024)) {
            for (int d : List.of(1, 2, 8, 16)) {
                shapes.add(new int[] {n, d});
            }
        }
        runs.addAll(referenceRuns(shapes));
        runs.addAll(embedding(true));
        runs.add(footprint());
        runs.add(peak());
        return runs;
    }

    /**
     * @param classes 1: the one-output step, with the reference at each (n, d); K &gt;= 2: the K-class softmax
     *                cross-entropy step ({@link OutputsStep}; the naive reference has no bench row for it)
     * @return runs at the product of the chosen lists
     */
    static List<Run> custom(List<String> precisions, List<Integer> samples, List<Integer> dims, List<Integer> widths,
                            List<Integer> threads, int classes) {
        List<Run> runs = new ArrayList<>();
        runs.add(roofs());
        if (classes > 1) {
            runs.add(outputs(CUSTOM, params("precision", precisions, "n", samples, "d", dims, "m", widths, "k", classes,
                    "threads", threads)));
            runs.add(peak());
            return runs;
        }
        runs.add(fused(CUSTOM, params("precision", precisions, "n", samples, "d", dims, "m", widths,
                "threads", threads)));
        List<int[]> shapes = new ArrayList<>();
        for (int n : samples) {
            for (int d : dims) {
                shapes.add(new int[] {n, d});
            }
        }
        runs.addAll(referenceRuns(shapes));
        runs.add(peak());
        return runs;
    }

    /** the input dimensions of the dims group, each at the shape its row is known by */
    static final List<Integer> DIM_SWEEP = List.of(1, 2, 4, 8, 16, 32, 64, 128, 784);

    /**
     * float32 steps at d = 1 .. 784, one thread (and the whole machine at d = 64 and 784), with the peers
     * on the same shapes: n = 256, m = 2^16 up to d = 32 (the fused paths' home), n = 2048, m = 4096 at
     * d = 64 and 128, n = 1000, m = 1024 at d = 784 (an MNIST-sized layer).
     */
    static List<Run> dims(int cores) {
        List<Run> runs = new ArrayList<>();
        for (int d : DIM_SWEEP) {
            int n = d <= 32 ? 256 : d <= 128 ? 2048 : 1000;
            int m = d <= 32 ? 1 << 16 : d <= 128 ? 4096 : 1024;
            List<Integer> threads = d == 64 || d == 784 ? List.of(1, cores).stream().distinct().toList() : List.of(1);
            runs.add(fused(DIMS, params("precision", "FLOAT32", "n", n, "d", d, "m", m, "threads", threads)));
        }
        return runs;
    }

    /** The Fashion-MNIST training shape (60000 images of 28 x 28, a layer of 1024), float32, synthetic data. */
    static Run fashion(int cores) {
        return fused(FASHION, params("precision", "FLOAT32", "n", 60_000, "d", 784, "m", 1024,
                "threads", List.of(1, cores).stream().distinct().toList()));
    }

    /** weak scaling: width proportional to the team */
    static List<Run> weak(List<Integer> teams, int widthPerThread) {
        List<Run> runs = new ArrayList<>();
        for (int t : teams) {
            runs.add(fused(WEAK, params("precision", "FLOAT32", "n", 256, "d", 1, "m", widthPerThread * t, "threads", t)));
        }
        return runs;
    }

    /**
     * The (256, 1, 1e6) float32 step in a fork whose heap is not pre-touched, for its peak RSS, and the
     * same fork at m = 1024: the JVM's, JMH's and the JIT's share of that RSS.
     */
    static Run footprint() {
        return new Run(FOOTPRINT, FusedStep.class.getName() + ".step",
                params("precision", "FLOAT32", "n", 256, "d", 1, "m", List.of(1024, MILLION), "threads", 1), false);
    }
}
