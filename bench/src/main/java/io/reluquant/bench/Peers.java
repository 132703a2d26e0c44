package io.reluquant.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peers: the same GD step in other frameworks, each at its best, run as separate processes.
 *
 * <ul>
 *   <li>{@code torch} and {@code numpy} (bench/peers/gd_step.py, Debian's /usr/bin/python3: a pyenv
 *       python earlier on PATH cannot see Debian's packages): written as a performance engineer writes
 *       them, one preallocated n x m buffer, in-place and out= ops, w stored (d, m);</li>
 *   <li>{@code torch-autograd}: PyTorch as a user writes it (loss.backward()), for comparison;</li>
 *   <li>{@code djl} (bench/peers/djl): DJL with its PyTorch engine (libtorch with MKL), what a Java user
 *       would embed instead; its dependencies are resolved by Maven from bench/peers/djl/pom.xml when
 *       the peers run (never by {@code mvn install}), and the program runs on the forks' JDK.</li>
 * </ul>
 *
 * <p>At their best means: no BLAS override inherited. These machines export variables such as
 * {@code OPENBLAS_CORETYPE=Haswell} and {@code OPENBLAS_L2_SIZE} (old OpenBLAS builds crash or miscompute
 * on some CPUs); a peer that inherited them would run OpenBLAS's AVX2 kernels on an AVX-512 CPU, at half
 * its speed. Peers run with every variable of {@link #isOverride} removed and the thread variables set
 * to the team size. Because the override may exist for a reason, every peer's gradient is first checked
 * at a small shape against float64 loops from the formulas ({@code --mode check}); a peer that crashes or
 * disagrees there is checked again with the environment as given and, if that passes, run that way, and
 * the table says so; a peer failing both is left out with the reason.
 *
 * <p>k-class rows (softmax cross-entropy, k outputs): every peer runs its k-class step (gd_step.py's
 * torch, numpy and torch-autograd, DjlStep's; tasks {@code step:N:D:M:K}) after its own k-class check
 * ({@code --loss softmax --classes K}).
 */
final class Peers {
    static final String PYTHON = "/usr/bin/python3";
    static final String INSTALL = "apt-get install -y python3-torch python3-numpy libopenblas0-openmp";
    static final String TORCH = "torch";
    static final String NUMPY = "numpy";
    static final String AUTOGRAD = "torch-autograd";
    static final String DJL = "djl";
    /** every peer, in the order they run */
    static final List<String> IMPLS = List.of(TORCH, NUMPY, AUTOGRAD, DJL);
    /** the peers with a k-class softmax cross-entropy step */
    static final List<String> CLASS_IMPLS = List.of(TORCH, NUMPY, AUTOGRAD, DJL);
    /** the peers that can time the two products of a step with their BLAS (the GEMM limit) */
    static final List<String> GEMM_IMPLS = List.of(TORCH, NUMPY, DJL);
    /** torch-autograd's step allocates several n x m arrays (4 GB at n = 256, m = 1e6): run it up to this size */
    static final long AUTOGRAD_MAX_PAIRS = 1L << 25;

    /** how a peer's environment was set */
    static final String CLEAN = "clean";
    static final String AS_GIVEN = "as given";

    /**
     * One peer measurement: one JSON line of a peer program.
     *
     * @param mode        step (a whole GD step) or gemm (its two products)
     * @param seconds     median wall seconds per step (step) or the summed best times of the products (gemm)
     * @param environment {@link #CLEAN} or {@link #AS_GIVEN}
     * @param blas        the BLAS and its core as the peer reported them
     * @param json        the peer's own line, with the environment added
     */
    record Result(String impl, String mode, int samples, int inputDim, int width, int outputs, int threads,
                  double seconds, double peakRssBytes, String environment, String blas, String json) {
        /** a one-output result (k = 1) */
        Result(String impl, String mode, int samples, int inputDim, int width, int threads, double seconds,
               double peakRssBytes, String environment, String blas, String json) {
            this(impl, mode, samples, inputDim, width, 1, threads, seconds, peakRssBytes, environment, blas, json);
        }

        double pairsPerSecond() {
            return (double) samples * width / seconds;
        }
    }

    /** The outcome of a peer's check at one thread count, of its one-output step (k = 1) or its k-class step. */
    record Check(String impl, int outputs, int threads, String environment, boolean usable, String note, String blas,
                 String versions) {
        /** the peer's name, with "k=K softmax" for the k-class step's check */
        String label() {
            return outputs > 1 ? impl + " k=" + outputs + " softmax" : impl;
        }
    }

    private Peers() {}

    /**
     * Variables that pin a BLAS or a framework to a slower kernel, cache size or instruction set, and
     * which a peer at its best must not inherit. Thread counts are not among them: they are set.
     */
    static boolean isOverride(String name) {
        if (name.startsWith("OPENBLAS_")) {
            return !name.endsWith("NUM_THREADS");
        }
        return name.startsWith("GOTO_") || name.equals("MKL_ENABLE_INSTRUCTIONS") || name.equals("MKL_DEBUG_CPU_TYPE")
                || name.equals("MKL_CBWR") || name.equals("ATEN_CPU_CAPABILITY") || name.equals("NPY_DISABLE_CPU_FEATURES")
                || name.equals("DNNL_MAX_CPU_ISA") || name.equals("ONEDNN_MAX_CPU_ISA");
    }

    /** @return the override variables of {@code given} with their values (what the clean runs remove) */
    static Map<String, String> overrides(Map<String, String> given) {
        Map<String, String> found = new TreeMap<>();
        given.forEach((k, v) -> {
            if (isOverride(k)) {
                found.put(k, v);
            }
        });
        return found;
    }

    /** the environment of a peer process: the given one, without overrides when clean, threads set */
    static void prepare(Map<String, String> env, int threads, boolean clean) {
        if (clean) {
            env.keySet().removeIf(Peers::isOverride);
        }
        for (String var : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(var, Integer.toString(threads));
        }
    }

    /** Where the peers are and how they start. */
    static final class Runner {
        private final Path folder;
        private final Path java;
        private final List<String> available = new ArrayList<>();
        private final List<String> missing = new ArrayList<>();
        private String djlClasspath;
        private final Map<String, Check> checks = new LinkedHashMap<>();

        /**
         * @param folder bench/peers
         * @param java   the java launcher of the DJL peer (the forks' JDK)
         */
        Runner(Path folder, Path java) {
            this.folder = folder;
            this.java = java;
        }

        /** Finds which peers can run here; says what is missing and how to get it. */
        List<String> discover() {
            boolean numpy = Files.isExecutable(Path.of(PYTHON)) && imports("numpy");
            boolean torch = numpy && imports("torch");
            if (torch) {
                available.add(TORCH);
            }
            if (numpy) {
                available.add(NUMPY);
            }
            if (torch) {
                available.add(AUTOGRAD);
            }
            if (!torch) {
                missing.add((numpy ? "torch" : "numpy and torch") + " for " + PYTHON + ": sudo " + INSTALL);
            }
            try {
                djlClasspath = resolveDjl();
                available.add(DJL);
            } catch (IOException e) {
                missing.add("djl: " + e.getMessage());
            }
            return List.copyOf(available);
        }

        List<String> missing() {
            return missing;
        }

        /** the class path of bench/peers/djl/pom.xml, resolved (and downloaded once, ~110 MB) by Maven */
        private String resolveDjl() throws IOException {
            Path pom = folder.resolve("djl").resolve("pom.xml");
            Path out = Files.createTempFile("reluquant-djl", ".classpath");
            try {
                List<String> command = List.of("mvn", "-B", "-q", "-f", pom.toString(), "dependency:build-classpath",
                        "-Dmdep.outputFile=" + out);
                String log = run(new ProcessBuilder(command), 900);
                String cp = Files.readString(out).strip();
                if (cp.isEmpty()) {
                    throw new IOException("Maven resolved no class path from " + pom + ": " + log);
                }
                return cp;
            } finally {
                Files.deleteIfExists(out);
            }
        }

        /**
         * Checks a peer's gradient in a clean environment, then, if it crashed or disagreed, with the
         * environment as given.
         */
        Check check(String impl, int threads) {
            return check(impl, threads, 1);
        }

        /** {@link #check(String, int)} of the k-class step (softmax cross-entropy) when outputs &gt; 1 */
        Check check(String impl, int threads, int outputs) {
            String key = impl + "/" + threads + (outputs > 1 ? "/k" + outputs : "");
            Check known = checks.get(key);
            if (known != null) {
                return known;
            }
            List<String> args = outputs > 1
                    ? List.of("--mode", "check", "--loss", "softmax", "--classes", Integer.toString(outputs))
                    : List.of("--mode", "check");
            String note;
            Check result;
            try {
                String line = launch(impl, threads, true, args, 300);
                result = new Check(impl, outputs, threads, CLEAN, true, "", blasOf(line), versionsOf(line));
            } catch (IOException clean) {
                note = "clean environment failed the check (" + firstLine(clean.getMessage()) + ")";
                try {
                    String line = launch(impl, threads, false, args, 300);
                    result = new Check(impl, outputs, threads, AS_GIVEN, true, note + "; runs with the environment as given",
                            blasOf(line), versionsOf(line));
                } catch (IOException given) {
                    result = new Check(impl, outputs, threads, AS_GIVEN, false, note + "; as given too ("
                            + firstLine(given.getMessage()) + "): left out", "", "");
                }
            }
            checks.put(key, result);
            return result;
        }

        Map<String, Check> checks() {
            return checks;
        }

        /**
         * Runs several shapes of one peer and team in one process (a Python or JVM start-up costs
         * seconds; the shapes run one after the other, each with its own buffers), in the environment
         * its check chose.
         *
         * @param tasks   "step:N:D:M" or "gemm:N:D:M" (outputs 1), "step:N:D:M:K" (outputs K)
         * @param outputs k of every task (1, or the classes of k-class steps): which check chose the environment
         * @param each    called with every result as it arrives (progress)
         */
        List<Result> runAll(String impl, int threads, int outputs, List<String> tasks, int steps,
                            java.util.function.Consumer<Result> each) throws IOException {
            Check c = check(impl, threads, outputs);
            List<String> args = List.of("--tasks", String.join(",", tasks), "--steps", Integer.toString(steps));
            List<Result> results = new ArrayList<>();
            for (String line : launchAll(impl, threads, c.environment().equals(CLEAN), args, 1800)) {
                Result r = parse(line, c.environment());
                results.add(r);
                each.accept(r);
            }
            if (results.size() != tasks.size()) {
                throw new IOException("peer " + impl + " returned " + results.size() + " results for " + tasks.size()
                        + " tasks " + tasks);
            }
            return results;
        }

        private String launch(String impl, int threads, boolean clean, List<String> args, int timeoutSeconds)
                throws IOException {
            return launchAll(impl, threads, clean, args, timeoutSeconds).get(0);
        }

        private List<String> launchAll(String impl, int threads, boolean clean, List<String> args, int timeoutSeconds)
                throws IOException {
            List<String> command = new ArrayList<>();
            if (impl.equals(DJL)) {
                command.addAll(List.of(java.toString(), "-Dai.djl.offline=true",
                        "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1",
                        "-Xmx8g", "-cp", djlClasspath, folder.resolve("djl").resolve("DjlStep.java").toString()));
            } else {
                command.addAll(List.of(PYTHON, folder.resolve("gd_step.py").toString(), "--impl", impl,
                        "--threads", Integer.toString(threads)));
            }
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command);
            prepare(pb.environment(), threads, clean);
            String out = run(pb, timeoutSeconds);
            List<String> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(line.strip());
                }
            }
            if (lines.isEmpty()) {
                throw new IOException("peer " + impl + " printed no result line:\n" + out);
            }
            return lines;
        }

        private static boolean imports(String module) {
            try {
                run(new ProcessBuilder(PYTHON, "-c", "import " + module), 120);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** Runs a process to its end; stdout and stderr together; throws on a non-zero exit or timeout. */
    static String run(ProcessBuilder pb, int timeoutSeconds) throws IOException {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", pb.command()));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", pb.command()), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + (p.exitValue() == 3 ? " (gradient outside the bound)" : "")
                    + ": " + tail(out));
        }
        return out;
    }

    private static String tail(String out) {
        String[] lines = out.strip().split("\n");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }

    private static String firstLine(String message) {
        int cut = message.indexOf('\n');
        return cut < 0 ? message : message.substring(0, cut);
    }

    /** @return the result in one JSON line of a peer, marked with the environment it ran in */
    static Result parse(String json, String environment) {
        String mode = text(json, "mode");
        double seconds = number(json, mode.equals("gemm") ? "gemm_seconds" : "seconds_per_step");
        String marked = json.substring(0, json.lastIndexOf('}')) + ", \"environment\": \"" + environment + "\"}";
        // a k-class step names its k; a one-output line has no "k"
        int outputs = json.contains("\"k\":") ? (int) number(json, "k") : 1;
        return new Result(text(json, "impl"), mode, (int) number(json, "n"), (int) number(json, "d"),
                (int) number(json, "m"), outputs, (int) number(json, "threads"), seconds, number(json, "peak_rss_bytes"),
                environment, blasOf(json), marked);
    }

    /** "OpenBLAS 0.3.21 (Cooperlake)" or the DJL peer's "MKL inside libtorch 2.7.1" */
    static String blasOf(String json) {
        Matcher core = Pattern.compile("\"openblas_core\":\\s*\"([^\"]*)\"").matcher(json);
        Matcher config = Pattern.compile("\"openblas_config\":\\s*\"OpenBLAS ([0-9.]+)").matcher(json);
        if (core.find()) {
            return "OpenBLAS " + (config.find() ? config.group(1) + " " : "") + "core " + core.group(1);
        }
        Matcher other = Pattern.compile("\"blas\":\\s*\"([^\"]*)\"").matcher(json);
        return other.find() ? other.group(1) : "unknown";
    }

    /** the versions object of a peer's line, as "name version, ..." */
    static String versionsOf(String json) {
        Matcher m = Pattern.compile("\"versions\":\\s*\\{([^}]*)}").matcher(json);
        if (!m.find()) {
            return "";
        }
        return m.group(1).replaceAll("\"([^\"]*)\":\\s*\"([^\"]*)\"", "$1 $2").trim();
    }

    private static double number(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + key + "\":\\s*([-+0-9.eE]+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("peer output has no number \"" + key + "\": " + json);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static String text(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + key + "\":\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("peer output has no text \"" + key + "\": " + json);
        }
        return matcher.group(1);
    }

    /** one line per checked peer, for the summary: peer, threads, environment, BLAS, versions, note */
    static List<String> describe(Map<String, Check> checks) {
        List<String> lines = new ArrayList<>();
        for (Check c : checks.values()) {
            lines.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |", c.label(), c.threads(),
                    c.usable() ? c.environment() : "-", c.blas(), c.versions(), c.note().isEmpty() ? "check passed" : c.note()));
        }
        return lines;
    }
}
