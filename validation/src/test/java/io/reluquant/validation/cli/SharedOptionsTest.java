// Proves: options shared by several commands keep each command's wording and defaults and are checked alike.
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The options that several commands share through mixins (DataOptions, InitOptions, ThreadsOption):
 * each command keeps its own wording and defaults, match checks --init-params as train does, and
 * analyze reads any network file the general reader reads.
 */
class SharedOptionsTest extends TrainingFiles {
    private Path network(double[] a, double[] w, double[] b, int d, Boolean bias) throws IOException {
        Map<String, NdArray> p = new LinkedHashMap<>();
        p.put("a", NdArray.ofDoubles(a, a.length));
        p.put("w", NdArray.ofDoubles(w, a.length, d));
        if (b != null) {
            p.put("b", NdArray.ofDoubles(b, a.length));
        }
        if (bias != null) {
            p.put("bias", NdArray.scalar(bias));
        }
        Path file = Files.createTempFile(tmp, "network", ".npz");
        Npy.writeNpz(file, p);
        return file;
    }

    private void fivePoints() throws IOException {
        write(new double[] {-1, -0.5, 0, 0.5, 1}, new double[] {0.8, -0.9, -0.8, -0.9, 0.8}, 1);
    }

    /** A missing or misnamed resource bundle would silently give match, analyze and report train's wording. */
    @Test
    void eachCommandWordsTheSharedOptionsItsOwnWay() {
        String[][] expected = {
            {"train", "--width=M              width m of a freshly initialized network",
                "--seed=S               seed of the init (default: 0)",
                "--threads=K            worker threads, exactly (default: at most all",
                "--x=X.npy              inputs, shape (n, d) or (n,), float32/float64"},
            {"match", "--width=M             width (default: 1000)",
                "--init=KIND           balanced, he, pytorch-default (default: balanced)",
                "--seed=S              init and synthetic-data seed (default: 0)",
                "--threads=K           SIMD kernel threads (default: all processors)",
                "[--x=X.npy]"},
            {"analyze", "--x=X.npy         training inputs (n, d)", "--y=Y.npy         training targets (n)"},
            {"report", "--threads=K   kernel threads per run (default: available processors)"},
        };
        for (String[] command : expected) {
            String help = Cli.run(command[0], "--help").out;
            for (int k = 1; k < command.length; k++) {
                assertTrue(help.contains(command[k]), command[0] + " --help lacks '" + command[k] + "': " + help);
            }
        }
        assertFalse(Cli.run("train", "--help").out.contains("[--x="), "--x is required in train");
    }

    @Test
    void matchChecksInitParamsAsTrainDoes() throws IOException {
        Path wide = network(new double[] {1, -1}, new double[] {0.5, 0.5, -0.5, 0.25}, new double[] {0, 0.1}, 2, null);
        Cli both = Cli.run("match", "--init-params", wide.toString(), "--width", "8", "--steps", "5", "--threads", "1");
        assertEquals(2, both.status, both.err);
        assertTrue(both.err.contains("--init-params cannot be combined with --width or --init"), both.err);
        Cli otherD = Cli.run("match", "--init-params", wide.toString(), "--steps", "5", "--threads", "1");
        assertEquals(2, otherD.status, otherD.err);
        assertEquals(1, otherD.err.strip().lines().count(), otherD.err);
        assertTrue(otherD.err.contains("has d = 2 but X has d = 1"), otherD.err);
        Path narrow = network(new double[] {1, -1}, new double[] {0.5, -0.5}, new double[] {0, 0.1}, 1, null);
        Cli ok = Cli.run("match", "--init-params", narrow.toString(), "--steps", "5", "--every", "5", "--threads", "1");
        assertEquals(0, ok.status, ok.err);
        assertTrue(ok.out.contains("m = 2"), ok.out);
    }

    @Test
    void analyzeReadsAnyNetworkFile() throws IOException {
        fivePoints();
        String[] data = {"--x", x.toString(), "--y", y.toString()};
        // b absent: zero biases, bias on (the documented default)
        Cli noB = Cli.run(args("analyze", "--params", network(new double[] {1, -1}, new double[] {0.5, -0.5}, null, 1, null).toString(), data));
        assertEquals(0, noB.status, noB.err);
        assertTrue(noB.out.contains("network: width 2, d 1, bias true"), noB.out);
        // a checkpoint's bias flag is honoured
        Cli off = Cli.run(args("analyze", "--params",
                network(new double[] {1, -1}, new double[] {0.5, -0.5}, new double[2], 1, false).toString(), data));
        assertEquals(0, off.status, off.err);
        assertTrue(off.out.contains("bias false"), off.out);
        Cli otherD = Cli.run(args("analyze", "--params",
                network(new double[] {1}, new double[] {0.5, 0.5}, new double[1], 2, null).toString(), data));
        assertEquals(2, otherD.status, otherD.err);
        assertEquals(1, otherD.err.strip().lines().count(), otherD.err);
        assertTrue(otherD.err.startsWith("reluquant analyze: --params ") && otherD.err.contains("has d = 2 but X has d = 1"), otherD.err);
        Map<String, NdArray> badFlag = new LinkedHashMap<>(Npy.readNpz(network(new double[] {1}, new double[] {0.5}, new double[1], 1, null)));
        badFlag.put("bias", NdArray.scalar("yes"));
        Path bad = tmp.resolve("bad-flag.npz");
        Npy.writeNpz(bad, badFlag);
        Cli flag = Cli.run(args("analyze", "--params", bad.toString(), data));
        assertEquals(2, flag.status, flag.err);
        assertTrue(flag.err.contains("'bias' must be a boolean"), flag.err);
    }

    private static String[] args(String command, String option, String value, String[] rest) {
        String[] all = new String[3 + rest.length];
        all[0] = command;
        all[1] = option;
        all[2] = value;
        System.arraycopy(rest, 0, all, 3, rest.length);
        return all;
    }
}
