package io.reluquant.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mvn -pl bench exec:java}: runs the JMH suite in forked JVMs and writes one timestamped folder
 * of results (raw JMH JSON, CSV, Markdown summary, PNG plots); see bench/README.md.
 *
 * <p>Forks are set up by hand because the defaults break under exec:java: the class path is rebuilt
 * from exec's class loader ({@link ForkClasspath}), the fork JVM flags are explicit (otherwise Maven's
 * own -Xmx and classworlds properties leak in), the heap is fixed and pre-touched (-Xms = -Xmx,
 * AlwaysPreTouch) so that no timed step pays for page faults (except in the footprint run, which
 * measures RSS), and a failed fork fails the run.
 *
 * <p>Defaults: 2 forks x (1 warm-up + 2 measurement iterations of 1 s). A second fork shows the
 * variation between JVMs (JIT decisions, memory layout) that one fork hides from the confidence
 * interval; to stay near the same total time as 1 fork x (2 + 3) iterations, each fork warms up for
 * one iteration, which the set-up's cross-check steps precede.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "JMH benchmarks of the GD step beside its peers (default suite: about 10 minutes on 2 cores).",
        footer = {"", "Everything after -- goes to JMH unchanged, e.g. -- -wi 2 -i 3 -f 1 -p threads=1,2",
                "Example: mvn -pl bench exec:java -Dexec.args=\"--widths 2^12,2^16 --threads 1,2 -- -i 5\""})
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--full", description = "the full sweep: widths 2^10..2^22, d 1,2,8,16 x n 8,256,1024, every team size, strong and weak scaling, the Fashion-MNIST shape (long)")
    boolean full;

    @Option(names = "--scaling", description = "the scaling study: strong and weak scaling over every team size, the team's"
            + " per-step cost, the headline shapes at 1 and 2 threads, the roofs and the model (--groups strong,weak,sync,headline)")
    boolean scaling;

    @Option(names = "--widths", split = ",", paramLabel = "M", converter = SizeConverter.class,
            description = "widths m (1e6 and 2^k forms allowed): runs the product of the chosen lists instead of the suite")
    List<Integer> widths;

    @Option(names = "--dims", split = ",", paramLabel = "D", converter = SizeConverter.class, description = "input dimensions d")
    List<Integer> dims;

    @Option(names = "--samples", split = ",", paramLabel = "N", converter = SizeConverter.class, description = "samples n")
    List<Integer> samples;

    @Option(names = "--threads", split = ",", paramLabel = "T", converter = SizeConverter.class, description = "team sizes")
    List<Integer> threads;

    @Option(names = "--precisions", split = ",", paramLabel = "P", description = "FLOAT32 and/or FLOAT64")
    List<String> precisions;

    @Option(names = "--classes", paramLabel = "K", description = "with the custom lists: time the K-class softmax cross-entropy step"
            + " (K >= 2 outputs, OutputsStep) instead of the one-output step; the peers run the same K-class step")
    Integer classes;

    @Option(names = "--groups", split = ",", paramLabel = "G",
            description = "only these groups (peak always runs): headline, dims, outputs (k = 10 softmax), sync, reference, embedding, footprint; from the full sweep: width, fashion, samples, strong, weak")
    List<String> groups;

    @Option(names = "--no-peers", description = "skip the peers (PyTorch, NumPy, DJL)")
    boolean noPeers;

    @Option(names = "--peer-steps", description = "at least this many timed steps per peer run, for at least 1 s (default ${DEFAULT-VALUE})")
    int peerSteps = 3;

    @Option(names = "--out", description = "parent folder of the results (default: bench/target, -Dbench.out)")
    Path out;

    @Parameters(paramLabel = "JMH-OPTION", description = "JMH options, after --")
    List<String> jmhArgs = new ArrayList<>();

    /** Runs the bench; exits only when started as a plain program (never under exec:java). */
    public static void main(String[] args) throws Exception {
        CommandLine cli = new CommandLine(new BenchMain());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            throw e;
        });
        int code = cli.execute(args);
        if (code != 0) {
            // under exec:java an exception fails the build; System.exit would end Maven itself
            throw new IllegalStateException("bench failed (exit code " + code + ")");
        }
    }

    /** JMH defaults of every run; options after -- override them */
    static final int FORKS = 2;
    static final int WARMUP_ITERATIONS = 1;
    static final int MEASUREMENT_ITERATIONS = 2;
    static final int ITERATION_SECONDS = 1;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        int cores = Runtime.getRuntime().availableProcessors();
        List<Suite.Run> runs = plan(cores); // bad options fail here, before anything is written
        Jdks.Jdk jdk = Jdks.choose(System.getProperty("bench.jvm"), System.getenv("JAVA_HOME"),
                System.getProperty("java.home"), Path.of("/usr/lib/jvm"));
        // the FMA peak is the machine's, not a JIT's: the probe always runs on the newest JDK here
        Jdks.Jdk peakJdk = Jdks.choose(null, System.getenv("JAVA_HOME"), System.getProperty("java.home"), Path.of("/usr/lib/jvm"));
        System.out.println("Forks run on " + jdk + " (the newest >= " + Jdks.MINIMUM
                + " found; -Dbench.jvm=/path/to/jdk overrides); the peak probe on " + peakJdk + "; this JVM is "
                + Runtime.version());
        ForkClasspath.install(BenchMain.class.getClassLoader());
        Path folder = outputFolder();
        Files.createDirectories(folder.resolve("jmh-runs"));
        System.out.println("Results go to " + folder);
        Machine machine = Machine.probe(jdk, repository());
        System.out.printf(Locale.ROOT, "Machine: %s; %d physical cores, %d logical CPUs usable (SMT %s); %s; commit %s%n",
                machine.cpuModel(), machine.physicalCores(), machine.logicalCpus(), machine.smt(), machine.vectorKernel(),
                machine.gitCommit());
        CommandLineOptions jmh;
        try {
            jmh = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new IllegalArgumentException("JMH options " + jmhArgs + ": " + e.getMessage(), e);
        }
        List<RunResult> results = new ArrayList<>();
        Progress progress = new Progress(start, runs.stream().mapToInt(BenchMain::trials).sum(),
                noPeers ? 0 : Progress.PEER_ESTIMATE_SECONDS * runs.stream()
                        .filter(r -> PEER_GROUPS.contains(r.group())).mapToInt(BenchMain::trials).sum());
        for (int k = 0; k < runs.size(); k++) {
            Suite.Run run = runs.get(k);
            System.out.printf(Locale.ROOT, "%n=== [%d/%d] %s: %s %s (%s)%n", k + 1, runs.size(), run.group(),
                    simpleName(run.benchmark()), run.params(), progress.line());
            // one JSON per JMH run as it completes (kept if a later run fails), merged below
            results.addAll(runOne(run, run.group().equals(Suite.PEAK) ? peakJdk : jdk, jmh,
                    folder.resolve("jmh-runs").resolve(String.format(Locale.ROOT, "jmh-%02d-%s.json", k + 1, run.group())),
                    groupOf(k, runs)));
            progress.trialsDone(trials(run));
        }
        writeMergedJson(results, folder.resolve("jmh-result.json"));
        PeerRun peers = runPeers(results, folder, jdk, progress);
        report(results, peers, machine, jmhSettings(jmh), peakJdk, folder, start);
        return 0;
    }

    /** the groups whose float32 shapes the peers run */
    static final List<String> PEER_GROUPS = List.of(Suite.HEADLINE, Suite.CUSTOM, Suite.DIMS, Suite.FASHION, Suite.OUTPUTS);

    /** @return how many parameter combinations (JMH trials) a run has */
    static int trials(Suite.Run run) {
        return run.params().values().stream().mapToInt(List::size).reduce(1, (x, y) -> x * y) * Suite.methods(run);
    }

    /**
     * The progress line: elapsed time and an ETA from the mean time of the JMH trials done so far
     * (every trial has the same forks and iterations) plus an estimate of the peers still to run.
     */
    static final class Progress {
        /** wall seconds the peers take per float32 shape, on average (measured on 2 cores) */
        static final int PEER_ESTIMATE_SECONDS = 9;
        private final long start;
        private final int trials;
        private int done;
        private double peerSeconds;

        Progress(long start, int trials, double peerSeconds) {
            this.start = start;
            this.trials = trials;
            this.peerSeconds = peerSeconds;
        }

        void trialsDone(int count) {
            done += count;
        }

        /** the peers' own estimate, once their shapes are known */
        void peersLeft(double seconds) {
            peerSeconds = seconds;
        }

        String line() {
            double elapsed = (System.nanoTime() - start) * 1e-9;
            double perTrial = done == 0 ? 12 : elapsed / done;
            double eta = perTrial * (trials - done) + peerSeconds;
            return "elapsed " + clock(elapsed) + ", ETA " + clock(eta);
        }

        static String clock(double seconds) {
            long s = Math.round(seconds);
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }

    /** The whole run as one JMH JSON document, in JMH's own format (what JMH visualizers load). */
    static void writeMergedJson(Collection<RunResult> results, Path file) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
        }
    }

    /** the repository root (git commit), from the bench's peers folder that exec:java passes in */
    private static Path repository() {
        String peers = System.getProperty("bench.peers");
        Path bench = peers == null ? null : Path.of(peers).toAbsolutePath().getParent();
        return bench != null && bench.getParent() != null ? bench.getParent() : Path.of("").toAbsolutePath();
    }

    /** @return the JMH settings every run used, as the summary states them */
    private static String jmhSettings(CommandLineOptions cli) {
        return String.format(Locale.ROOT, "JMH: %d forks x (%d warm-up + %d measurement iterations of %s)%s",
                cli.getForkCount().orElse(FORKS), cli.getWarmupIterations().orElse(WARMUP_ITERATIONS),
                cli.getMeasurementIterations().orElse(MEASUREMENT_ITERATIONS),
                cli.getMeasurementTime().orElse(TimeValue.seconds(ITERATION_SECONDS)),
                cli.getWarmupTime().hasValue() ? " (warm-up iterations of " + cli.getWarmupTime().get() + ")" : "");
    }

    /** the runs the options ask for (tests) */
    List<Suite.Run> planForTest(int cores) {
        return plan(cores);
    }

    private List<Suite.Run> plan(int cores) {
        if (scaling && groups != null) {
            throw new IllegalArgumentException("--scaling chooses its groups: leave out --groups " + groups);
        }
        List<String> groups = scaling ? List.of(Suite.STRONG, Suite.WEAK, Suite.SYNC, Suite.HEADLINE) : this.groups;
        if (precisions != null) {
            for (String p : precisions) {
                if (!Suite.BOTH.contains(p.toUpperCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("--precisions: " + p + " is not float32 or float64");
                }
            }
        }
        if (groups != null) {
            for (String g : groups) {
                if (!Suite.GROUPS.contains(g)) {
                    throw new IllegalArgumentException("--groups: " + g + " is not one of " + Suite.GROUPS);
                }
            }
        }
        if (classes != null && classes < 2) {
            throw new IllegalArgumentException("--classes: K must be >= 2 (one output is the default step), got " + classes);
        }
        boolean custom = widths != null || dims != null || samples != null || threads != null || precisions != null || classes != null;
        List<Suite.Run> runs;
        if (custom) {
            runs = Suite.custom(
                    precisions == null ? Suite.BOTH : precisions.stream().map(p -> p.toUpperCase(Locale.ROOT)).toList(),
                    samples == null ? List.of(256) : samples, dims == null ? List.of(1) : dims,
                    widths == null ? List.of(Suite.MILLION) : widths, threads == null ? List.of(1) : threads,
                    classes == null ? 1 : classes);
        } else {
            runs = full ? Suite.full(cores) : Suite.standard(cores);
        }
        if (groups != null) {
            // a group that only the full sweep has (width, strong, ...) comes from the full sweep
            List<Suite.Run> all = new ArrayList<>(runs);
            if (!custom && !full) {
                List<String> present = runs.stream().map(Suite.Run::group).distinct().toList();
                Suite.full(cores).stream().filter(r -> !present.contains(r.group())).forEach(r -> all.add(all.size() - 1, r));
            }
            runs = all.stream().filter(r -> r.group().equals(Suite.PEAK) || groups.contains(r.group())).toList();
        }
        return runs;
    }

    private static String groupOf(int k, List<Suite.Run> runs) {
        return runs.get(k).group();
    }

    private Path outputFolder() {
        Path parent = out != null ? out : Path.of(System.getProperty("bench.out", "target"));
        return parent.toAbsolutePath().resolve("bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** One JMH run; the command line's JMH options win over these defaults. */
    private static Collection<RunResult> runOne(Suite.Run run, Jdks.Jdk jdk, CommandLineOptions cli, Path json,
                                                String group) throws RunnerException {
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        options.include(run.benchmark());
        if (!cli.getWarmupIterations().hasValue()) {
            options.warmupIterations(WARMUP_ITERATIONS);
        }
        if (!cli.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(ITERATION_SECONDS));
        }
        if (!cli.getMeasurementIterations().hasValue()) {
            options.measurementIterations(MEASUREMENT_ITERATIONS);
        }
        if (!cli.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(ITERATION_SECONDS));
        }
        if (!cli.getForkCount().hasValue()) {
            options.forks(FORKS);
        }
        if (!cli.getJvm().hasValue()) {
            options.jvm(jdk.java().toString());
        }
        if (!cli.getJvmArgs().hasValue()) {
            options.jvmArgs(Jdks.forkFlags(jdk, run.heapMiB(), run.timing()).toArray(String[]::new));
        }
        for (Map.Entry<String, List<String>> p : run.params().entrySet()) {
            if (!cli.getParameter(p.getKey()).hasValue()) {
                options.param(p.getKey(), p.getValue().toArray(String[]::new));
            }
        }
        if (!group.equals(Suite.PEAK)) {
            options.addProfiler(GCProfiler.class);
            options.addProfiler(PeakRssProfiler.class);
        }
        options.shouldFailOnError(true);
        options.resultFormat(ResultFormatType.JSON);
        options.result(json.toString());
        Collection<RunResult> results = new Runner(options.build()).run();
        if (results.isEmpty()) {
            throw new IllegalStateException("JMH ran nothing for " + run.benchmark() + " " + run.params());
        }
        return tag(results, group);
    }

    private static Collection<RunResult> tag(Collection<RunResult> results, String group) {
        results.forEach(r -> GROUPS.put(r, group));
        return results;
    }

    /** the suite group of each result (JMH's RunResult has no room for it) */
    private static final Map<RunResult, String> GROUPS = new java.util.IdentityHashMap<>();

    /**
     * What the peers did: their results (steps and GEMM limits), each peer's check and environment, the
     * override variables removed from the clean runs, and the peers that could not run here.
     */
    record PeerRun(List<Peers.Result> results, Map<String, Peers.Check> checks, Map<String, String> overrides,
                   List<String> missing) {
        static PeerRun none(String why) {
            return new PeerRun(List.of(), Map.of(), Map.of(), List.of(why));
        }
    }

    /** one peer launch: a step or the GEMM limit, of one peer, at one shape (n, d, m, threads, k) */
    record PeerTask(String mode, String impl, int[] shape) {}

    /**
     * Runs the peers at the float32 shapes of the headline, dims, custom and Fashion-MNIST rows.
     * torch and numpy (engineered) run at every shape and team; torch-autograd and DJL, never the
     * fastest (see the dims rows), run one thread up to {@link Peers#AUTOGRAD_MAX_PAIRS} pairs. The GEMM
     * limit is timed at d >= 16 with each distinct BLAS (torch is skipped when it maps numpy's library).
     */
    private PeerRun runPeers(List<RunResult> results, Path folder, Jdks.Jdk jdk, Progress progress) throws IOException {
        if (noPeers) {
            System.out.println("Peers skipped (--no-peers).");
            return PeerRun.none("skipped (--no-peers)");
        }
        Peers.Runner runner = new Peers.Runner(Path.of(System.getProperty("bench.peers", "bench/peers")), jdk.java());
        List<String> impls = runner.discover();
        runner.missing().forEach(m -> System.out.println("Peer not available: " + m));
        Map<String, String> overrides = Peers.overrides(System.getenv());
        System.out.println("Peers run without " + (overrides.isEmpty() ? "(no BLAS override set here)" : overrides)
                + ", each checked first at a small shape against float64 loops");
        // each float32 shape and team once, in the order the rows ran
        List<int[]> distinct = results.stream().filter(r -> isFused(r) && param(r, "precision").equals("FLOAT32")
                        && PEER_GROUPS.contains(GROUPS.get(r)))
                .map(r -> List.of(intParam(r, "n"), intParam(r, "d"), intParam(r, "m"), intParam(r, "threads"),
                        outputsOf(r)))
                .distinct().map(s -> s.stream().mapToInt(Integer::intValue).toArray()).toList();
        List<PeerTask> plan = new ArrayList<>();
        for (int[] s : distinct) {
            for (String impl : impls) {
                if (s[4] > 1 && !Peers.CLASS_IMPLS.contains(impl)) {
                    continue; // no k-class step in this peer
                }
                boolean slow = impl.equals(Peers.AUTOGRAD) || impl.equals(Peers.DJL);
                if (!slow || (s[3] == 1 && (long) s[0] * s[2] <= Peers.AUTOGRAD_MAX_PAIRS)) {
                    plan.add(new PeerTask("step", impl, s));
                }
            }
            // the GEMM limit counts the two products of a one-output step: k-class rows have none
            if (s[1] >= 16 && s[4] == 1) {
                impls.stream().filter(Peers.GEMM_IMPLS::contains).forEach(impl -> plan.add(new PeerTask("gemm", impl, s)));
            }
        }
        // one process per peer and team size runs all its shapes (a start-up costs seconds)
        Map<String, List<PeerTask>> groups = new java.util.LinkedHashMap<>();
        for (PeerTask task : plan) {
            // k-class steps in their own process: their own check chose its environment
            groups.computeIfAbsent(task.impl() + "/" + task.shape()[3] + "/" + task.shape()[4], k -> new ArrayList<>())
                    .add(task);
        }
        long peersStart = System.nanoTime();
        List<Peers.Result> peers = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int[] done = {0};
        int total = plan.size();
        for (List<PeerTask> group : groups.values()) {
            String impl = group.get(0).impl();
            int team = group.get(0).shape()[3];
            int outputs = group.get(0).shape()[4];
            Peers.Check check = runner.check(impl, team, outputs);
            if (!check.usable()) {
                System.out.println("peer " + check.label() + " threads=" + team + " left out: " + check.note());
                done[0] += group.size();
                continue;
            }
            List<String> tasks = new ArrayList<>();
            for (PeerTask task : group) {
                int[] s = task.shape();
                if (task.mode().equals("gemm") && impl.equals(Peers.TORCH) && impls.contains(Peers.NUMPY)
                        && check.blas().equals(runner.check(Peers.NUMPY, team).blas())) {
                    total--; // torch maps numpy's BLAS library: its GEMM time says nothing new
                    continue;
                }
                tasks.add(task.mode() + ":" + s[0] + ":" + s[1] + ":" + s[2] + (s[4] > 1 ? ":" + s[4] : ""));
            }
            if (tasks.isEmpty()) {
                continue;
            }
            System.out.printf(Locale.ROOT, "peer %s threads=%d: %d shapes (%s)%n", check.label(), team, tasks.size(),
                    progress.line());
            int all = total;
            peers.addAll(runner.runAll(impl, team, outputs, tasks, peerSteps, p -> {
                done[0]++;
                double spent = (System.nanoTime() - peersStart) * 1e-9;
                progress.peersLeft(spent / done[0] * (all - done[0]));
                System.out.printf(Locale.ROOT, "  [%d/%d] %s %s n=%d d=%d m=%d%s threads=%d: %.3g s (%s)%n", done[0], all,
                        p.impl(), p.mode(), p.samples(), p.inputDim(), p.width(), p.outputs() > 1 ? " k=" + p.outputs() : "",
                        p.threads(), p.seconds(), progress.line());
                lines.add(p.json());
            }));
        }
        Files.write(folder.resolve("peers.jsonl"), lines, StandardCharsets.UTF_8);
        return new PeerRun(peers, runner.checks(), overrides, runner.missing());
    }

    private static void report(List<RunResult> results, PeerRun peerRun, Machine machine, String settings,
                               Jdks.Jdk peakJdk, Path folder, long start) throws IOException {
        // % of peak per busy core counts physical cores: SMT siblings share one core's FMA units
        int cores = machine.physicalCores();
        double probe32 = Double.NaN;
        double probe64 = Double.NaN;
        List<Row> rows = new ArrayList<>();
        List<RunResult> embedding = new ArrayList<>();
        double bandwidthOne = Double.NaN;
        double bandwidthAll = Double.NaN;
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String method = p.getBenchmark();
            if (method.startsWith(BandwidthProbe.class.getName())) {
                double gbs = bestIteration(r, "bytes") / 1e3; // bytes/us -> GB/s
                if (method.endsWith("oneCore")) {
                    bandwidthOne = Double.isNaN(bandwidthOne) ? gbs : Math.max(bandwidthOne, gbs);
                } else {
                    bandwidthAll = Double.isNaN(bandwidthAll) ? gbs : Math.max(bandwidthAll, gbs);
                }
                continue;
            }
            if (method.startsWith(PeakProbe.class.getName())) {
                double gflops = bestIteration(r, "flops") / 1e3; // flops/us -> GFLOP/s
                if (method.endsWith("fp32")) {
                    probe32 = Double.isNaN(probe32) ? gflops : Math.max(probe32, gflops);
                } else {
                    probe64 = Double.isNaN(probe64) ? gflops : Math.max(probe64, gflops);
                }
                continue;
            }
            if (EmbeddingSummary.owns(r)) {
                embedding.add(r);
                continue;
            }
            rows.add(row(r));
        }
        List<Peers.Result> peers = peerRun.results();
        StringBuilder raised = new StringBuilder();
        double peak32 = Summary.effectivePeak(rows, "float32", probe32, cores, raised);
        double peak64 = Summary.effectivePeak(rows, "float64", probe64, cores, raised);
        Summary.derive(rows, peak32, peak64, cores, peers);
        Summary.bandwidth(rows, bandwidthOne, bandwidthAll, cores);
        String table = Table.text(rows);
        StringBuilder peaks = new StringBuilder(String.format(Locale.ROOT,
                "Measured FMA peak of one core (best 1 s iteration of the probe at the start and the end, on %s; Vector API"
                        + " preferred species, %d chains): float32 %.1f GFLOP/s, float64 %.1f GFLOP/s.%s%n",
                peakJdk, PeakProbe.CHAINS, peak32, peak64, raised));
        if (!Double.isNaN(bandwidthOne)) {
            peaks.append(String.format(Locale.ROOT, "Measured memory bandwidth (STREAM-like scale over 2 x %d MiB arrays per"
                    + " thread, best 1 s iteration, read + write bytes): one core %.1f GB/s, all %d cores %.1f GB/s.%n",
                    BandwidthProbe.LENGTH * 4 >> 20, bandwidthOne, Runtime.getRuntime().availableProcessors(), bandwidthAll));
        }

        List<String> targets = new ArrayList<>(Summary.targets(rows, cores, peers));
        List<EmbeddingSummary.Loop> loops = EmbeddingSummary.loops(embedding);
        List<EmbeddingSummary.Serving> serving = EmbeddingSummary.serving(embedding);
        targets.addAll(EmbeddingSummary.targets(loops));
        String embeddingText = EmbeddingSummary.markdown(loops, serving);
        System.out.println();
        System.out.print(peaks);
        System.out.println(table);
        System.out.print(embeddingText);
        System.out.println("Targets:");
        targets.forEach(System.out::println);
        Files.writeString(folder.resolve("summary.csv"), Table.csv(rows));
        List<ScalingModel.Calibration> models = Summary.models(rows, bandwidthOne, bandwidthAll, peak32, peak64);
        if (!models.isEmpty()) {
            Files.write(folder.resolve("scaling-model.csv"), ScalingModel.csv(models), StandardCharsets.UTF_8);
            peaks.append(modelText(models, Summary.teamOverheadSeconds(rows)));
        }
        List<Path> plots = Plots.write(rows, folder, cores, peers, models);
        Files.writeString(folder.resolve("summary.md"), markdown(rows, peaks.toString(), targets, peerRun, machine, settings,
                plots, embeddingText));
        Map<String, Object> metadata = new java.util.LinkedHashMap<>(machine.fields());
        metadata.put("jmh_settings", settings);
        metadata.put("peak_jdk", peakJdk.toString());
        metadata.put("peak_float32_gflops_per_core", peak32);
        metadata.put("peak_float64_gflops_per_core", peak64);
        metadata.put("peak_probe_float32_gflops_per_core", probe32);
        metadata.put("peak_probe_float64_gflops_per_core", probe64);
        metadata.put("bandwidth_one_core_gb_per_s", bandwidthOne);
        metadata.put("bandwidth_all_cores_gb_per_s", bandwidthAll);
        metadata.put("peer_overrides_removed", peerRun.overrides().toString());
        for (Peers.Check c : peerRun.checks().values()) {
            metadata.put("peer_" + c.impl() + "_threads_" + c.threads() + (c.outputs() > 1 ? "_k_" + c.outputs() : ""),
                    String.format(Locale.ROOT,
                    "environment %s; BLAS %s; %s; threads %d; %s", c.usable() ? c.environment() : "-", c.blas(),
                    c.versions(), c.threads(), c.note().isEmpty() ? "check passed" : c.note()));
        }
        for (int k = 0; k < peerRun.missing().size(); k++) {
            metadata.put("peer_missing_" + (k + 1), peerRun.missing().get(k));
        }
        Files.writeString(folder.resolve("metadata.json"), Machine.json(metadata));
        System.out.println();
        System.out.println("Done in " + elapsed(start) + ". Results: " + folder);
    }

    /** the model's calibration and its predictions at 16 and 64 cores, for the summary */
    static String modelText(List<ScalingModel.Calibration> models, double overhead) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%nScaling model (docs/KERNEL.md; scaling-model.csv"
                + " and .png): T(p) = max(W / (p R) x imbalance, B / min(p BW1, BWmax)) + o (p - 1) + s, with the team's"
                + " cost o = %.2f us per extra member (sync rows). Predicted speed-up over one core, BWmax = this machine's"
                + " all-core bandwidth / bandwidth per core:%n%n| shape | R GFLOP/s per core | B MB/step | 2 cores | 16 cores"
                + " | 64 cores |%n|---|---:|---:|---:|---:|---:|%n", Double.isNaN(overhead) ? 0 : overhead * 1e6));
        for (ScalingModel.Calibration c : models) {
            text.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f / %.2f | %.1f / %.1f | %.1f / %.1f |%n",
                    c.label(), c.coreFlopsPerSecond() / 1e9, c.bytes() / 1e6, c.speedupPessimistic(2), c.speedupOptimistic(2),
                    c.speedupPessimistic(16), c.speedupOptimistic(16), c.speedupPessimistic(64), c.speedupOptimistic(64)));
        }
        return text.toString();
    }

    static String markdown(List<Row> rows, String peaks, List<String> targets, PeerRun peerRun,
                           Machine machine, String settings, List<Path> plots, String embedding) {
        List<Peers.Result> peers = peerRun.results();
        StringBuilder md = new StringBuilder("# reluquant bench\n\n");
        md.append(machine.markdown()).append('\n');
        md.append(settings).append(". ").append(peaks).append('\n');
        md.append("Units: pairs/s = n m / (mean step time); GFLOP/s counts n m (4(d+1)+6k) flops per step (k outputs: "
                + "4(d+1)+6 for every one-output row); "
                + "% peak = GFLOP/s / (peak x min(threads, physical cores)); x ref = pairs/s over the float64 naive reference at "
                + "the same (n, d); x best peer = pairs/s over the fastest float32 peer step at the same shape and threads "
                + "(peers at their best: see below); % GEMM limit = (the best BLAS's time for the step's two products "
                + "(n x d)(d x m) and (d x n)(n x m)) / (kernel step time), at d >= 16; "
                + "latencies from JMH SampleTime after warm-up; B/step = JMH gc.alloc.rate.norm. "
                + Table.ERROR_NOTE + ".\n\n");
        md.append("## Targets\n\n| target | where | measured | verdict |\n|---|---|---:|---|\n");
        targets.forEach(t -> md.append(t).append('\n'));
        md.append("\n## Table\n\n").append(Table.markdown(rows));
        md.append(embedding);
        md.append("\n## Peers\n\n");
        md.append("torch and numpy: the step as a performance engineer writes it (one preallocated n x m buffer, in-place "
                + "and out= ops, w stored (d, m)); torch-autograd: as a user writes it (loss.backward()); djl: DJL with "
                + "its PyTorch engine (libtorch + MKL), the Java alternative. Peers run in an environment without the BLAS "
                + "overrides of this machine (" + (peerRun.overrides().isEmpty() ? "none set" : peerRun.overrides())
                + ") and with the thread variables set to the team size, after a check of their gradient at a small "
                + "shape against float64 loops; a peer failing the check clean runs with the environment as given.\n\n");
        if (!peerRun.missing().isEmpty()) {
            peerRun.missing().forEach(m -> md.append("- not run: ").append(m).append('\n'));
            md.append('\n');
        }
        if (!peerRun.checks().isEmpty()) {
            md.append("| peer | threads | environment | BLAS (core) | versions | check |\n|---|---:|---|---|---|---|\n");
            Peers.describe(peerRun.checks()).forEach(l -> md.append(l).append('\n'));
        }
        if (!peers.isEmpty()) {
            md.append("\n| peer | what | n | d | m | threads | seconds | pairs/s | peak RSS MiB | environment |\n"
                    + "|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Peers.Result p : peers) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %.4g | %.3g | %.0f | %s |%n", p.impl(),
                        p.mode().equals("gemm") ? "two products" : p.outputs() > 1 ? "step k=" + p.outputs() + " softmax" : "step",
                        p.samples(), p.inputDim(), p.width(), p.threads(),
                        p.seconds(), p.pairsPerSecond(), p.peakRssBytes() / (1 << 20), p.environment()));
            }
        }
        md.append("\n## Plots\n\n");
        plots.forEach(p -> md.append("![").append(p.getFileName()).append("](").append(p.getFileName()).append(")\n"));
        return md.toString();
    }

    private static Row row(RunResult r) {
        BenchmarkParams p = r.getParams();
        Statistics st = r.getPrimaryResult().getStatistics();
        double toSeconds = 1e-6; // SampleTime in microseconds (the benchmarks' @OutputTimeUnit)
        Map<String, Result> secondary = r.getSecondaryResults();
        boolean fused = isFused(r);
        Row row = new Row(GROUPS.get(r), fused ? "fused" : "reference",
                fused ? param(r, "precision").toLowerCase(Locale.ROOT) : "float64",
                intParam(r, "n"), intParam(r, "d"), intParam(r, "m"), fused ? intParam(r, "threads") : 1,
                p.getJdkVersion(), st.getMean() * toSeconds, st.getPercentile(50), st.getPercentile(99),
                st.getPercentile(99.9), score(secondary, "gc.alloc.rate.norm"), score(secondary, PeakRssProfiler.RESULT));
        row.secondsPerStepError = r.getPrimaryResult().getScoreError() * toSeconds;
        row.allocBytesPerStepError = error(secondary, "gc.alloc.rate.norm");
        row.peakRssMiBError = error(secondary, PeakRssProfiler.RESULT);
        row.outputs = fused ? outputsOf(r) : 1;
        return row;
    }

    /** @return JMH's 99.9% CI half-width of a secondary result, NaN when absent */
    private static double error(Map<String, Result> secondary, String name) {
        Result result = secondary.get(name);
        return result == null ? Double.NaN : result.getScoreError();
    }

    /**
     * The peak is the best measured iteration of the probe (at the start and the end of the suite):
     * another process sharing the core can only lower an iteration's rate, never raise it.
     */
    private static double bestIteration(RunResult r, String secondary) {
        return r.getBenchmarkResults().stream().flatMap(b -> b.getIterationResults().stream())
                .mapToDouble(i -> i.getSecondaryResults().get(secondary).getScore()).max().orElse(Double.NaN);
    }

    private static double score(Map<String, Result> secondary, String name) {
        Result result = secondary.get(name);
        return result == null ? Double.NaN : result.getScore();
    }

    /** a Trainer.step row: the one-output step or the k-class step */
    private static boolean isFused(RunResult r) {
        String method = r.getParams().getBenchmark();
        return method.startsWith(FusedStep.class.getName() + ".") || method.startsWith(OutputsStep.class.getName() + ".");
    }

    /** k of a Trainer.step row: the k parameter of the k-class step, 1 otherwise */
    private static int outputsOf(RunResult r) {
        return r.getParams().getBenchmark().startsWith(OutputsStep.class.getName() + ".") ? intParam(r, "k") : 1;
    }

    private static String param(RunResult r, String name) {
        return r.getParams().getParam(name);
    }

    private static int intParam(RunResult r, String name) {
        return Integer.parseInt(param(r, name));
    }

    /** "FusedStep.step", "PeakProbe.fp(32|64) + BandwidthProbe", "OptimizerLoop": class names for the progress line */
    static String simpleName(String benchmark) {
        List<String> names = new ArrayList<>();
        String alternatives = benchmark.startsWith("(") && benchmark.endsWith(")")
                ? benchmark.substring(1, benchmark.length() - 1) : benchmark;
        for (String part : alternatives.split("\\|(?=[a-z]+\\.)")) {
            String name = part.substring(part.lastIndexOf('.', part.lastIndexOf('.') - 1) + 1);
            names.add(name.endsWith(".*") ? name.substring(0, name.length() - 2) : name);
        }
        return String.join(" + ", names);
    }

    private static String elapsed(long start) {
        Duration d = Duration.ofNanos(System.nanoTime() - start);
        return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    /** Reads sizes as integers, "1e6" or "2^20". */
    static final class SizeConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseSize(value);
        }
    }

    static int parseSize(String value) {
        String v = value.trim();
        double parsed;
        try {
            if (v.startsWith("2^")) {
                parsed = Math.pow(2, Integer.parseInt(v.substring(2)));
            } else {
                parsed = Double.parseDouble(v);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size " + value + " is not an integer, 1e6 or 2^k form");
        }
        if (!(parsed >= 1 && parsed <= Integer.MAX_VALUE) || parsed != Math.rint(parsed)) {
            throw new IllegalArgumentException("size " + value + " must be a positive integer below 2^31");
        }
        return (int) parsed;
    }
}
