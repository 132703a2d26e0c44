package io.reluquant.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the peer scripts of bench/peers (PyTorch with autograd, PyTorch with the hand-written gradient,
 * NumPy; float32) at the bench's shapes and thread counts, with Debian's /usr/bin/python3 (a pyenv
 * python earlier on PATH cannot see Debian's packages).
 */
final class Peers {
    static final String PYTHON = "/usr/bin/python3";
    static final String INSTALL = "apt-get install -y python3-torch python3-numpy libopenblas0-openmp";
    static final List<String> IMPLS = List.of("torch-autograd", "torch-manual", "numpy");

    /** One peer measurement (one JSON line of gd_step.py). */
    record Result(String impl, int samples, int inputDim, int width, int threads, double secondsPerStep,
                  double pairsPerSecond, double peakRssBytes) {}

    private Peers() {}

    /** @return which peers can run here: those whose Python modules import */
    static List<String> available() {
        List<String> impls = new ArrayList<>();
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return impls;
        }
        boolean numpy = imports("numpy");
        boolean torch = numpy && imports("torch");
        if (torch) {
            impls.add("torch-autograd");
            impls.add("torch-manual");
        }
        if (numpy) {
            impls.add("numpy");
        }
        return impls;
    }

    private static boolean imports(String module) {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs one peer; throws when the script fails (a peer that cannot run its own shape is a bug). */
    static Result run(Path script, String impl, int n, int d, int m, int threads, int steps) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString(), "--impl", impl, "--n", Integer.toString(n),
                "--d", Integer.toString(d), "--m", Integer.toString(m), "--threads", Integer.toString(threads),
                "--steps", Integer.toString(steps));
        Map<String, String> env = pb.environment();
        for (String var : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(var, Integer.toString(threads));
        }
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("peer " + impl + " failed at n=" + n + " d=" + d + " m=" + m + ":\n" + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while peer " + impl + " ran", e);
        }
        String[] lines = out.strip().split("\n");
        return parse(lines[lines.length - 1]);
    }

    /** @return the result in one JSON line printed by gd_step.py */
    static Result parse(String json) {
        return new Result(text(json, "impl"), (int) number(json, "n"), (int) number(json, "d"), (int) number(json, "m"),
                (int) number(json, "threads"), number(json, "seconds_per_step"), number(json, "pairs_per_s"),
                number(json, "peak_rss_bytes"));
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
}
