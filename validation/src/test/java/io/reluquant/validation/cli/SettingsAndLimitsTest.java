package io.reluquant.validation.cli;

// Proves: a resume refuses every setting it cannot honour and another kernel, limits (threads, steps, init scale, float32 range, match sizes) are refused before any work in one line, int64 values compare exactly, and log records before a failure are one line each.

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.Checkpoint;
import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SettingsAndLimitsTest extends TrainingFiles {
    @BeforeEach
    void data() throws IOException {
        write(new double[] {0.1, -0.4, 0.7, 0.2, -0.9, 0.5}, new double[] {0.3, -0.1, 0.2}, 2);
    }

    private static void assertOneLine(int status, Cli r, String... words) {
        assertEquals(status, r.status, r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        for (String w : words) {
            assertTrue(r.err.contains(w), "'" + w + "' in: " + r.err);
        }
    }

    private Cli resume(Path ck, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--x", x.toString(), "--y", y.toString(), "--resume", ck.toString(),
                "--steps", "10", "--threads", "1"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void aResumeRefusesEverySettingItCannotHonourAndAnotherKernel() throws Exception {
        Path ck = tmp.resolve("ck.npz");
        assertEquals(0, Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", ck.toString(), "--width", "8", "--lr", "0.1",
                "--steps", "5", "--threads", "1", "--init-scale", "0.01", "--seed", "4").status);
        byte[] saved = Files.readAllBytes(ck);
        for (String[] option : new String[][] {{"--seed", "3"}, {"--seed", "4"}, {"--init-scale", "0.5"}, {"--init", "he"},
            {"--init", "balanced"}, {"--width", "8"}}) {
            // even the saved value is refused: given again, the option could only be ignored
            assertOneLine(2, resume(ck, option), option[0] + " does not apply", "seed 4", "init-scale 0.01");
        }
        assertArrayEquals(saved, Files.readAllBytes(ck), "a refused resume leaves the checkpoint as it was");
        // the checkpoint as if another kernel (another vector width or path) had written it
        Checkpoint c = Checkpoint.read(ck);
        Checkpoint other = new Checkpoint(c.parameters(), c.step(), c.stepsTarget(), c.lr(), c.bias(), c.precision(), c.engine(),
                "vector-64/float32", c.init(), c.initScale(), c.seed(), c.logEvery(), c.checkpointEvery(), c.dataHash(), c.loss(),
                c.lossStep(), c.lrHidden(), c.lossFunction());
        other.write(ck);
        byte[] otherBytes = Files.readAllBytes(ck);
        Cli refused = resume(ck);
        assertEquals(2, refused.status, refused.err);
        assertTrue(refused.err.contains("trained by kernel vector-64/float32 but this JVM runs " + c.kernel())
                && refused.err.contains("--allow-kernel-change"), refused.err);
        assertArrayEquals(otherBytes, Files.readAllBytes(ck));
        assertOneLine(2, Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", tmp.resolve("n.npz").toString(), "--width",
                "8", "--lr", "0.1", "--steps", "5", "--allow-kernel-change"), "--allow-kernel-change applies only with --resume");
        Cli allowed = resume(ck, "--allow-kernel-change");
        assertEquals(0, allowed.status, allowed.err);
        assertTrue(allowed.err.contains("continuing") && allowed.err.contains("vector-64/float32"), allowed.err);
        assertEquals(10, Checkpoint.read(ck).step());
        assertEquals(c.kernel(), Checkpoint.read(ck).kernel(), "the checkpoint now names the kernel that ran last");
    }

    @Test
    void limitsAreRefusedBeforeAnyWork() throws Exception {
        Path out = tmp.resolve("o.npz");
        long t0 = System.nanoTime();
        int cores = Runtime.getRuntime().availableProcessors();
        assertOneLine(2, Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "8", "--lr", "0.1",
                "--steps", "5", "--threads", "100000"), "--threads", cores + " available", "100000");
        assertOneLine(2, Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "8", "--lr", "0.1",
                "--steps", Long.toString(1L << 59), "--log-every", "1"), "--steps 576460752303423488", "--log-every");
        assertOneLine(2, Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "16", "--lr", "0.1",
                "--steps", "5", "--init-scale", "1e200"), "--init-scale 1.0E200", "overflows");
        assertOneLine(2, Cli.run("match", "--synthetic", "-1:2", "--steps", "2"), "N >= 1");
        assertOneLine(2, Cli.run("match", "--synthetic", "3000000:1000", "--steps", "2"), "3000000000 values");
        assertOneLine(2, Cli.run("match", "--synthetic", "100000000:100000", "--steps", "2"), "10000000000000 values");
        assertOneLine(2, Cli.run("match", "--steps", "2", "--threads", "100000"), "--threads");
        assertOneLine(2, Cli.run("match", "--steps", "2", "--lr", "-1"), "--lr");
        assertOneLine(2, Cli.run("match", "--steps", "2", "--csv", tmp.resolve("nodir/m.csv").toString()), "--csv", "does not exist");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 20, "all refused before any work: " + seconds + " s");
        assertFalse(Files.exists(out));
        // --steps 2^59 with the default logging is a valid (if endless) run: the size arithmetic does not overflow
        assertEquals(8 * 8 * (2 + 2) + 16 * 1002 + 8000, TrainCommand.checkpointBytes(new Checkpoint(io.reluquant.kernel.Initializers.balanced(8,
                2, 0.1, 1, true), 0, 1L << 59, 0.1, true, "f32", "simd", "", "balanced", 0.1, 1, (1L << 59) / 1000, 0, 0,
                new double[0], new long[0], 0.1, "square")));
    }

    @Test
    void valuesBeyondFloat32AreNamedAsSuchNotBlamedOnTheLearningRate() throws Exception {
        Path bx = tmp.resolve("bx.npy");
        Npy.writeNpy(bx, NdArray.ofDoubles(new double[] {0.1, 1e39, 0.7}, 3));
        Path out = tmp.resolve("o.npz");
        String[] args = {"train", "--x", bx.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "8", "--lr", "1e-90",
            "--steps", "1", "--threads", "1"};
        assertOneLine(2, Cli.run(args), "bx.npy[1] = 1.0E39", "float32's range", "--precision f64");
        assertFalse(Files.exists(out));
        List<String> f64 = new java.util.ArrayList<>(List.of(args));
        f64.addAll(List.of("--precision", "f64"));
        Cli ok = Cli.run(f64.toArray(new String[0]));
        assertEquals(0, ok.status, ok.err);
        // a scale float64 holds but float32 does not: named, with --precision f64
        assertOneLine(2, Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "8", "--lr",
                "0.1", "--steps", "1", "--init-scale", "1e50"), "initial ", "float32's range", "--init-scale");
    }

    @Test
    void int64ValuesCompareExactly() throws Exception {
        Path a = tmp.resolve("a.npy");
        Path b = tmp.resolve("b.npy");
        Npy.writeNpy(a, NdArray.ofLongs(new long[] {1L << 62, 5}, 2));
        Npy.writeNpy(b, NdArray.ofLongs(new long[] {(1L << 62) + 1, 5}, 2));
        Cli r = Cli.run("compare", a.toString(), b.toString(), "--tolerance", "0");
        assertEquals(1, r.status, r.out);
        assertTrue(r.out.contains("NOT within tolerance"), r.out);
        Npy.writeNpy(b, NdArray.ofLongs(new long[] {Long.MIN_VALUE, 5}, 2)); // a difference past Long.MAX_VALUE
        Cli far = Cli.run("compare", a.toString(), b.toString());
        assertEquals(0, far.status);
        assertTrue(far.out.contains("1.3835e+19"), far.out);
        Cli same = Cli.run("compare", a.toString(), a.toString(), "--tolerance", "0");
        assertEquals(0, same.status, same.out);
    }

    /** A failure after the kernel started (a step that goes non-finite): every log record is one line, then the error's one line. */
    @Test
    void logRecordsBeforeAFailureAreOneLineEach() throws Exception {
        Path out = tmp.resolve("o.npz");
        String[] r = Child.run(Child.command("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "8",
                "--lr", "1e300", "--steps", "5", "--threads", "1", "--init-scale", "1"), tmp, "nonfinite");
        assertEquals("1", r[0], r[2]);
        List<String> lines = r[2].strip().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        long records = lines.stream().filter(l -> l.startsWith("INFO: reluquant: ")).count();
        assertTrue(records >= 1, r[2]);
        assertEquals(records + 1, lines.size(), "only one-line records and the error: " + r[2]);
        assertTrue(lines.get(lines.size() - 1).startsWith("reluquant train: step 1 would make"), r[2]);
        assertTrue(r[1].isEmpty(), "nothing on stdout: " + r[1]);
    }
}
