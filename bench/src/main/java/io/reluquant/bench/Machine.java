package io.reluquant.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What a bench run ran on, so that two summaries can be told apart: CPU model, physical cores and
 * SMT (from /proc/cpuinfo where present, restricted to the CPUs this process may run on), the vector
 * width the kernel chose in a JVM started like the forks, the forks' JDK, the git commit and the date.
 *
 * @param cpuModel       "model name" of /proc/cpuinfo, else os.arch
 * @param logicalCpus    Runtime.availableProcessors() of this JVM (affinity and container limits)
 * @param physicalCores  distinct (physical id, core id) among the CPUs this process may use, at most
 *                       logicalCpus; logicalCpus where /proc/cpuinfo gives no topology
 * @param threadsPerCore hardware threads per core among those CPUs (2 with SMT on)
 * @param vectorKernel   the provider's logged choice in a JVM with the forks' JDK and flags
 * @param jdk            the forks' JDK
 * @param os             os.name, os.version, os.arch
 * @param gitCommit      HEAD, "+dirty" when tracked files differ from it, "unknown" outside a checkout
 * @param date           start of the run, UTC, ISO-8601
 */
record Machine(String cpuModel, int logicalCpus, int physicalCores, int threadsPerCore, String vectorKernel,
               String jdk, String os, String gitCommit, String date) {

    /** The CPU facts of /proc/cpuinfo for a set of allowed CPUs. */
    record Cpus(String model, int logical, int physicalCores) {}

    /** Probes this machine; each part falls back to what Java knows when a file or tool is missing. */
    static Machine probe(Jdks.Jdk jdk, Path repository) {
        int available = Runtime.getRuntime().availableProcessors();
        Cpus cpus = readCpus(Path.of("/proc/cpuinfo"), Path.of("/proc/self/status"));
        int physical = cpus == null ? available : Math.max(1, Math.min(cpus.physicalCores(), available));
        int perCore = cpus == null || cpus.physicalCores() == 0 ? 1
                : Math.max(1, Math.round((float) cpus.logical() / cpus.physicalCores()));
        String model = cpus == null || cpus.model().isEmpty() ? System.getProperty("os.arch") : cpus.model();
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        return new Machine(model, available, physical, perCore, vectorKernel(jdk), jdk.toString(), os,
                gitCommit(repository), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static Cpus readCpus(Path cpuinfo, Path status) {
        try {
            Set<Integer> allowed = null;
            if (Files.isReadable(status)) {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("Cpus_allowed_list:")) {
                        allowed = parseCpuList(line.substring(line.indexOf(':') + 1));
                    }
                }
            }
            return Files.isReadable(cpuinfo) ? parseCpuinfo(Files.readAllLines(cpuinfo), allowed) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * @param lines   /proc/cpuinfo
     * @param allowed the CPUs to count (Cpus_allowed_list), or null for all
     * @return the model and the logical CPUs and physical cores among the allowed ones; a processor
     *         block without "core id" (some VMs, other architectures) counts as its own core
     */
    static Cpus parseCpuinfo(List<String> lines, Set<Integer> allowed) {
        String model = "";
        Set<String> cores = new HashSet<>();
        int logical = 0;
        Map<String, String> block = new HashMap<>();
        List<String> padded = new ArrayList<>(lines);
        padded.add(""); // a blank line ends every block, including the last
        for (String line : padded) {
            if (line.isBlank()) {
                if (block.containsKey("processor")) {
                    int cpu = Integer.parseInt(block.get("processor"));
                    if (allowed == null || allowed.contains(cpu)) {
                        logical++;
                        if (model.isEmpty()) {
                            model = block.getOrDefault("model name", block.getOrDefault("cpu model", ""));
                        }
                        String core = block.get("core id");
                        cores.add(core == null ? "cpu" + cpu : block.getOrDefault("physical id", "0") + "/" + core);
                    }
                }
                block.clear();
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                block.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return new Cpus(model.replaceAll("\\s+", " "), logical, cores.size());
    }

    /** @return the CPUs of a Linux CPU list such as "0-3,8,10-11" */
    static Set<Integer> parseCpuList(String list) {
        Set<Integer> cpus = new TreeSet<>();
        for (String part : list.trim().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
            if (to < from) {
                throw new IllegalArgumentException("CPU list range " + part + " runs backwards");
            }
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    /**
     * The kernel provider's choice as the forks see it: this JVM (Maven's, under exec:java) lacks the
     * incubator module, so a short JVM with the forks' JDK and module flag is asked.
     */
    private static String vectorKernel(Jdks.Jdk jdk) {
        List<String> command = new ArrayList<>(List.of(jdk.java().toString(), "--add-modules=jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), VectorProbe.class.getName()));
        String out = run(command, null);
        return out == null || out.isBlank() ? "unknown (the probe JVM did not answer)" : out.strip();
    }

    private static String gitCommit(Path repository) {
        String head = run(List.of("git", "rev-parse", "HEAD"), repository);
        if (head == null || head.isBlank()) {
            return "unknown";
        }
        String dirty = run(List.of("git", "status", "--porcelain", "--untracked-files=no"), repository);
        return head.strip() + (dirty != null && !dirty.isBlank() ? "+dirty" : "");
    }

    /** @return the command's stdout, or null when it cannot run, fails or takes over 60 s */
    private static String run(List<String> command, Path directory) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** @return SMT as the summary says it */
    String smt() {
        return threadsPerCore > 1 ? "on (" + threadsPerCore + " threads per core)" : "off or absent";
    }

    /** @return the fields in the order of summary.md and metadata.json */
    Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cpu_model", cpuModel);
        f.put("logical_cpus", logicalCpus);
        f.put("physical_cores", physicalCores);
        f.put("threads_per_core", threadsPerCore);
        f.put("vector_kernel", vectorKernel);
        f.put("jdk", jdk);
        f.put("os", os);
        f.put("git_commit", gitCommit);
        f.put("date", date);
        return f;
    }

    /** @return the Markdown lines at the top of summary.md */
    String markdown() {
        return String.format(Locale.ROOT, "| machine | |%n|---|---|%n| CPU | %s |%n| cores | %d physical, %d logical CPUs"
                        + " usable (SMT %s) |%n| vector kernel | %s |%n| JDK (forks) | %s |%n| OS | %s |%n"
                        + "| git commit | %s |%n| date | %s |%n",
                cpuModel, physicalCores, logicalCpus, smt(), vectorKernel, jdk, os, gitCommit, date);
    }

    /** @return a JSON object of the fields and the extra entries (numbers stay numbers) */
    static String json(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder("{\n");
        int k = 0;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            out.append("  ").append(quote(e.getKey())).append(": ");
            Object v = e.getValue();
            out.append(v instanceof Number ? v.toString() : quote(String.valueOf(v)));
            out.append(++k < fields.size() ? ",\n" : "\n");
        }
        return out.append("}\n").toString();
    }

    /** @return a JSON string literal (RFC 8259 escapes) */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
