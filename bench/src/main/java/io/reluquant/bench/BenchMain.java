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
        description = "JMH benchmarks of the fused GD step (default suite: about 6 minutes on 2 cores).",
        footer = {"", "Everything after -- goes to JMH unchanged, e.g. -- -wi 2 -i 3 -f 1 -p threads=1,2",
                "Example: mvn -pl bench exec:java -Dexec.args=\"--widths 2^12,2^16 --threads 1,2 -- -i 5\""})
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--full", description = "the full sweep: widths 2^10..2^22, d 1,2,8,16, n 8,256,1024, every team size (long)")
    boolean full;

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

    @Option(names = "--groups", split = ",", paramLabel = "G",
            description = "only these groups of the suite (peak always runs): headline, width, dims, samples, strong, weak, sync, reference, footprint")
    List<String> groups;

    @Option(names = "--no-peers", description = "skip the PyTorch/NumPy peers")
    boolean noPeers;

    @Option(names = "--peer-steps", description = "timed steps per peer run (default ${DEFAULT-VALUE})")
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
        System.out.println("Forks run on " + jdk + " (the newest >= " + Jdks.MINIMUM
                + " found; -Dbench.jvm=/path/to/jdk overrides); this JVM is " + Runtime.version());
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
        for (int k = 0; k < runs.size(); k++) {
            Suite.Run run = runs.get(k);
            System.out.printf(Locale.ROOT, "%n=== [%d/%d] %s: %s %s (elapsed %s)%n", k + 1, runs.size(), run.group(),
                    simpleName(run.benchmark()), run.params(), elapsed(start));
            // one JSON per JMH run as it completes (kept if a later run fails), merged below
            results.addAll(runOne(run, jdk, jmh, folder.resolve("jmh-runs").resolve(String.format(Locale.ROOT,
                    "jmh-%02d-%s.json", k + 1, run.group())), groupOf(k, runs)));
        }
        writeMergedJson(results, folder.resolve("jmh-result.json"));
        List<Peers.Result> peers = runPeers(results, folder);
        report(results, peers, machine, jmhSettings(jmh), folder, start);
        return 0;
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

    private List<Suite.Run> plan(int cores) {
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
        boolean custom = widths != null || dims != null || samples != null || threads != null || precisions != null;
        List<Suite.Run> runs;
        if (custom) {
            runs = Suite.custom(
                    precisions == null ? Suite.BOTH : precisions.stream().map(p -> p.toUpperCase(Locale.ROOT)).toList(),
                    samples == null ? List.of(256) : samples, dims == null ? List.of(1) : dims,
                    widths == null ? List.of(Suite.MILLION) : widths, threads == null ? List.of(1) : threads);
        } else {
            runs = full ? Suite.full(cores) : Suite.standard(cores);
        }
        if (groups != null) {
            runs = runs.stream().filter(r -> r.group().equals(Suite.PEAK) || groups.contains(r.group())).toList();
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

    private List<Peers.Result> runPeers(List<RunResult> results, Path folder) throws IOException {
        List<Peers.Result> peers = new ArrayList<>();
        if (noPeers) {
            System.out.println("Peers skipped (--no-peers).");
            return peers;
        }
        List<String> impls = Peers.available();
        if (!impls.containsAll(Peers.IMPLS)) {
            System.out.println("Peers: " + (impls.isEmpty() ? "none" : impls) + " available with " + Peers.PYTHON
                    + "; for all of them install the Debian packages: sudo " + Peers.INSTALL);
        }
        if (impls.isEmpty()) {
            return peers;
        }
        Path script = Path.of(System.getProperty("bench.peers", "bench/peers")).resolve("gd_step.py");
        List<String> lines = new ArrayList<>();
        List<int[]> shapes = results.stream().filter(r -> isFused(r) && param(r, "precision").equals("FLOAT32")
                        && List.of(Suite.HEADLINE, Suite.CUSTOM, Suite.DIMS, Suite.FASHION).contains(GROUPS.get(r)))
                .map(r -> new int[] {intParam(r, "n"), intParam(r, "d"), intParam(r, "m"), intParam(r, "threads")})
                .toList();
        int k = 0;
        for (int[] s : shapes) {
            for (String impl : impls) {
                System.out.printf(Locale.ROOT, "peer [%d/%d] %s n=%d d=%d m=%d threads=%d%n", ++k,
                        shapes.size() * impls.size(), impl, s[0], s[1], s[2], s[3]);
                Peers.Result p = Peers.run(script, impl, s[0], s[1], s[2], s[3], peerSteps);
                peers.add(p);
                lines.add(String.format(Locale.ROOT,
                        "{\"impl\":\"%s\",\"n\":%d,\"d\":%d,\"m\":%d,\"threads\":%d,\"seconds_per_step\":%s,"
                                + "\"pairs_per_s\":%s,\"peak_rss_bytes\":%s}", p.impl(), p.samples(), p.inputDim(),
                        p.width(), p.threads(), p.secondsPerStep(), p.pairsPerSecond(), p.peakRssBytes()));
            }
        }
        Files.write(folder.resolve("peers.jsonl"), lines, StandardCharsets.UTF_8);
        return peers;
    }

    private static void report(List<RunResult> results, List<Peers.Result> peers, Machine machine, String settings,
                               Path folder, long start) throws IOException {
        // % of peak per busy core counts physical cores: SMT siblings share one core's FMA units
        int cores = machine.physicalCores();
        double peak32 = Double.NaN;
        double peak64 = Double.NaN;
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String method = p.getBenchmark();
            if (method.startsWith(PeakProbe.class.getName())) {
                double gflops = bestIteration(r, "flops") / 1e3; // flops/us -> GFLOP/s
                if (method.endsWith("fp32")) {
                    peak32 = Double.isNaN(peak32) ? gflops : Math.max(peak32, gflops);
                } else {
                    peak64 = Double.isNaN(peak64) ? gflops : Math.max(peak64, gflops);
                }
                continue;
            }
            rows.add(row(r));
        }
        Summary.derive(rows, peak32, peak64, cores, peers);
        String table = Table.text(rows);
        StringBuilder peaks = new StringBuilder(String.format(Locale.ROOT,
                "Measured FMA peak of one core (best 1 s iteration of the probe at the start and the end; Vector API preferred species, %d chains): float32 %.1f GFLOP/s, float64 %.1f GFLOP/s%n",
                PeakProbe.CHAINS, peak32, peak64));

        List<String> targets = Summary.targets(rows, cores, peers);
        System.out.println();
        System.out.print(peaks);
        System.out.println(table);
        System.out.println("Targets:");
        targets.forEach(System.out::println);
        Files.writeString(folder.resolve("summary.csv"), Table.csv(rows));
        List<Path> plots = Plots.write(rows, folder, cores, peers);
        Files.writeString(folder.resolve("summary.md"), markdown(rows, peaks.toString(), targets, peers, machine, settings, plots));
        Map<String, Object> metadata = new java.util.LinkedHashMap<>(machine.fields());
        metadata.put("jmh_settings", settings);
        metadata.put("peak_float32_gflops_per_core", peak32);
        metadata.put("peak_float64_gflops_per_core", peak64);
        Files.writeString(folder.resolve("metadata.json"), Machine.json(metadata));
        System.out.println();
        System.out.println("Done in " + elapsed(start) + ". Results: " + folder);
    }

    static String markdown(List<Row> rows, String peaks, List<String> targets, List<Peers.Result> peers,
                           Machine machine, String settings, List<Path> plots) {
        StringBuilder md = new StringBuilder("# reluquant bench\n\n");
        md.append(machine.markdown()).append('\n');
        md.append(settings).append(". ").append(peaks).append('\n');
        md.append("Units: pairs/s = n m / (mean step time); GFLOP/s counts n m (4(d+1)+6) flops per step; "
                + "% peak = GFLOP/s / (peak x min(threads, physical cores)); x ref = pairs/s over the float64 naive reference at "
                + "the same (n, d); x best peer = pairs/s over the fastest float32 peer at the same shape and threads; "
                + "latencies from JMH SampleTime after warm-up; B/step = JMH gc.alloc.rate.norm. "
                + Table.ERROR_NOTE + ".\n\n");
        md.append("## Targets\n\n| target | where | measured | verdict |\n|---|---|---:|---|\n");
        targets.forEach(t -> md.append(t).append('\n'));
        md.append("\n## Table\n\n").append(Table.markdown(rows));
        if (!peers.isEmpty()) {
            md.append("\n## Peers (float32, wall time per step)\n\n| peer | n | d | m | threads | s/step | pairs/s | peak RSS MiB |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Peers.Result p : peers) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.4g | %.3g | %.0f |%n", p.impl(),
                        p.samples(), p.inputDim(), p.width(), p.threads(), p.secondsPerStep(), p.pairsPerSecond(),
                        p.peakRssBytes() / (1 << 20)));
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

    private static boolean isFused(RunResult r) {
        return r.getParams().getBenchmark().startsWith(FusedStep.class.getName());
    }

    private static String param(RunResult r, String name) {
        return r.getParams().getParam(name);
    }

    private static int intParam(RunResult r, String name) {
        return Integer.parseInt(param(r, name));
    }

    private static String simpleName(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
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
