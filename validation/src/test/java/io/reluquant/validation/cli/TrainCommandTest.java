// Proves: reluquant train / compare end to end: output layout, kill and resume, bad arguments and files.
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.Checkpoint;
import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** reluquant train / compare end to end: output layout, kill and resume, bad arguments and files. */
class TrainCommandTest extends TrainingFiles {
    @BeforeEach
    void data() throws IOException {
        // n = 20 points in d = 2, targets from a fixed piecewise-linear rule plus noise
        Random random = new Random(7);
        int n = 20;
        double[] xs = new double[2 * n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = random.nextDouble() * 2 - 1;
            xs[2 * i + 1] = random.nextDouble() * 2 - 1;
            ys[i] = Math.abs(xs[2 * i]) - 0.5 * xs[2 * i + 1] + 0.1 * random.nextGaussian();
        }
        write(xs, ys, 2);
    }

    private String[] train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    @Test
    void writesTheDocumentedLayout() throws IOException {
        Path out = tmp.resolve("out.npz");
        Cli r = Cli.run(train(out, "--width", "64", "--lr", "0.05", "--steps", "105", "--log-every", "10", "--threads", "1"));
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("steps/s") && r.out.contains("pairs/s") && r.out.contains("loss"), r.out);
        Map<String, NdArray> z = Npy.readNpz(out);
        assertArrayEquals(new int[] {64}, z.get("a").shape());
        assertArrayEquals(new int[] {64, 2}, z.get("w").shape());
        assertArrayEquals(new int[] {64}, z.get("b").shape());
        assertArrayEquals(new long[] {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 105}, z.get("loss_step").toLongs());
        assertEquals(105, z.get("step").toLongs()[0]);
        double[] loss = z.get("loss").toDoubles();
        assertTrue(loss[loss.length - 1] < loss[0], "loss decreases: " + loss[0] + " -> " + loss[loss.length - 1]);
        Checkpoint c = Checkpoint.read(out);
        assertEquals("f32", c.precision());
        assertEquals("balanced", c.init());
    }

    @Test
    void initParamsWithZeroStepsReturnsTheInitExactly() throws IOException, URISyntaxException {
        Path params = Path.of(getClass().getResource("/npy/params.npz").toURI());
        Path out = tmp.resolve("out.npz");
        Cli r = Cli.run(train(out, "--init-params", params.toString(), "--lr", "0.1", "--steps", "0", "--precision", "f64"));
        assertEquals(0, r.status, r.err);
        Map<String, NdArray> in = Npy.readNpz(params);
        Map<String, NdArray> z = Npy.readNpz(out);
        for (String name : new String[] {"a", "w", "b"}) {
            assertEquals(in.get(name), z.get(name), name);
        }
    }

    /**
     * A run killed (SIGKILL) after a checkpoint and resumed with another thread count ends bitwise
     * identical to an uninterrupted run: same bytes in OUT.npz.
     */
    @Test
    void killedRunResumedWithOtherThreadsIsBitwiseIdentical() throws Exception {
        // m = 256, n = 20: ~10^4 steps/s here, so the child is still running when the first checkpoint appears
        String[] options = {"--width", "256", "--lr", "0.05", "--steps", "60000", "--log-every", "300",
            "--checkpoint-every", "500", "--seed", "3"};
        Path full = tmp.resolve("full.npz");
        List<String> args = new ArrayList<>(List.of(train(full, options)));
        args.addAll(List.of("--threads", "2"));
        assertEquals(0, Cli.run(args.toArray(new String[0])).status);

        Path killed = tmp.resolve("killed.npz");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                ReluquantCommand.class.getName()));
        cmd.addAll(List.of(train(killed, options)));
        cmd.addAll(List.of("--threads", "2"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(killed) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        child.destroyForcibly().waitFor();
        Checkpoint atKill = Checkpoint.read(killed);
        System.out.println("killed the child at checkpoint step " + atKill.step());
        assertTrue(atKill.step() > 0 && atKill.step() < 60000 && atKill.step() % 500 == 0,
                "expected a mid-run checkpoint, got step " + atKill.step() + "; child log: " + Files.readString(tmp.resolve("child.log")));

        Cli r = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--resume", killed.toString(), "--threads", "1");
        assertEquals(0, r.status, r.err);
        assertEquals(Npy.readNpz(full), Npy.readNpz(killed));
        assertArrayEquals(Files.readAllBytes(full), Files.readAllBytes(killed));
    }

    /** Resuming a finished run for more steps, and the reference engine, also match uninterrupted runs. */
    @Test
    void extendingAFinishedRunMatchesOneLongRun() throws IOException {
        for (String engine : new String[] {"simd", "reference"}) {
            Path full = tmp.resolve(engine + "-full.npz");
            Path part = tmp.resolve(engine + "-part.npz");
            String[] common = {"--width", "32", "--lr", "0.05", "--log-every", "20", "--engine", engine, "--init", "he"};
            List<String> a = new ArrayList<>(List.of(train(full, common)));
            a.addAll(List.of("--steps", "400", "--threads", "2"));
            assertEquals(0, Cli.run(a.toArray(new String[0])).status);
            List<String> b = new ArrayList<>(List.of(train(part, common)));
            b.addAll(List.of("--steps", "130", "--threads", "1"));
            assertEquals(0, Cli.run(b.toArray(new String[0])).status);
            Cli r = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--resume", part.toString(), "--steps", "400");
            assertEquals(0, r.status, r.err);
            Map<String, NdArray> expected = Npy.readNpz(full);
            Map<String, NdArray> got = Npy.readNpz(part);
            // steps_target differs by design (130 then 400 vs 400): every other array must be identical
            for (String name : expected.keySet()) {
                assertEquals(expected.get(name), got.get(name), engine + ": " + name);
            }
        }
    }

    @Test
    void badArgumentsGiveOneLineAndStatus2() throws IOException, URISyntaxException {
        Path out = tmp.resolve("out.npz");
        Path corrupt = tmp.resolve("corrupt.npy");
        byte[] xBytes = Files.readAllBytes(x);
        Files.write(corrupt, java.util.Arrays.copyOf(xBytes, xBytes.length - 3));
        Path shortY = tmp.resolve("short.npy");
        Npy.writeNpy(shortY, NdArray.ofDoubles(new double[] {1, 2, 3}, 3));
        Path foreign = Path.of(getClass().getResource("/npy/params.npz").toURI());
        String[][] cases = {
            {"train", "--bogus"},
            {"train", "--x", x.toString(), "--out", out.toString()},
            train(out, "--width", "8", "--lr", "0.1", "--steps", "10", "--precision", "f16"),
            train(out, "--width", "8", "--lr", "0.1", "--steps", "10", "--engine", "reference", "--precision", "f32"),
            train(out, "--width", "8", "--lr", "-1", "--steps", "10"),
            train(out, "--width", "0", "--lr", "0.1", "--steps", "10"),
            train(out, "--width", "8", "--lr", "0.1", "--steps", "ten"),
            train(out, "--width", "8", "--lr", "0.1"),
            {"train", "--x", corrupt.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "8", "--lr", "0.1", "--steps", "10"},
            {"train", "--x", x.toString(), "--y", shortY.toString(), "--out", out.toString(), "--width", "8", "--lr", "0.1", "--steps", "10"},
            {"train", "--x", x.toString(), "--y", tmp.resolve("missing.npy").toString(), "--out", out.toString(), "--width", "8", "--lr", "0.1", "--steps", "10"},
            {"train", "--x", x.toString(), "--y", y.toString(), "--resume", foreign.toString()},
            {"compare", foreign.toString()},
            {"nosuchcommand"},
        };
        for (String[] c : cases) {
            Cli r = Cli.run(c);
            String what = String.join(" ", c);
            assertEquals(2, r.status, what);
            assertEquals(1, r.err.strip().lines().count(), what + " -> " + r.err);
            assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), what + " -> " + r.err);
            assertFalse(Files.exists(out), what + " wrote " + out);
        }
        assertTrue(Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--resume", foreign.toString())
                .err.contains("not a reluquant training checkpoint"));
    }

    @Test
    void resumeRejectsCorruptCheckpointsOtherDataAndContradictions() throws IOException {
        Path out = tmp.resolve("out.npz");
        assertEquals(0, Cli.run(train(out, "--width", "8", "--lr", "0.1", "--steps", "20")).status);
        byte[] good = Files.readAllBytes(out);
        Path bad = tmp.resolve("bad.npz");
        // truncated at a few places, and a flipped byte in the middle of the parameter data
        for (int len : new int[] {0, 10, good.length / 2, good.length - 1}) {
            Files.write(bad, java.util.Arrays.copyOf(good, len));
            Cli r = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--resume", bad.toString());
            assertEquals(2, r.status, "truncated to " + len);
            assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOf(good, len)),
                    java.util.Arrays.toString(Files.readAllBytes(bad)), "the bad file is left alone");
        }
        byte[] flipped = good.clone();
        flipped[200] ^= 0x10;
        Files.write(bad, flipped);
        assertEquals(2, Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--resume", bad.toString()).status);

        Npy.writeNpy(y, NdArray.ofDoubles(new double[20], 20));
        Cli other = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--resume", out.toString());
        assertEquals(2, other.status);
        assertTrue(other.err.contains("other data"), other.err);
        data();
        Cli lr = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--resume", out.toString(), "--lr", "0.2");
        assertEquals(2, lr.status);
        assertTrue(lr.err.contains("--lr"), lr.err);
        assertArrayEquals(good, Files.readAllBytes(out), "a rejected resume leaves the checkpoint untouched");
    }

    @Test
    void nonFiniteStepSavesTheLastFiniteStateAndFails() throws IOException {
        Path out = tmp.resolve("out.npz");
        Cli r = Cli.run(train(out, "--width", "16", "--init", "he", "--lr", "1e150", "--steps", "50", "--precision", "f64"));
        assertEquals(1, r.status);
        assertTrue(r.err.contains("non-finite"), r.err);
        Checkpoint c = Checkpoint.read(out);
        assertTrue(c.step() < 50, "saved at step " + c.step());
        for (double v : c.parameters().inputWeights()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void compareReportsDifferencesAndHonoursTolerance() throws IOException {
        Path a = tmp.resolve("a.npz");
        Path b = tmp.resolve("b.npz");
        Npy.writeNpz(a, Map.of("v", NdArray.ofDoubles(new double[] {1, -2, 4}, 3)));
        Npy.writeNpz(b, Map.of("v", NdArray.ofDoubles(new double[] {1, -2, 4.002}, 3)));
        Cli r = Cli.run("compare", a.toString(), b.toString());
        assertEquals(0, r.status);
        // max abs 2e-3, relative to max|A| = 4: 5e-4
        assertTrue(r.out.contains("2.0000e-03") && r.out.contains("5.0000e-04"), r.out);
        assertEquals(1, Cli.run("compare", a.toString(), b.toString(), "--tolerance", "1e-4").status);
        assertEquals(0, Cli.run("compare", a.toString(), b.toString(), "--tolerance", "1e-3").status);
    }

    /** --loss logistic and a learning rate per layer: trained, saved, kept by a resume, contradictions refused. */
    @Test
    void logisticLossAndLayerRates() throws IOException {
        double[] ys = Npy.readNpy(y).toDoubles();
        Path out = tmp.resolve("logistic.npz");
        Cli bad = Cli.run(train(out, "--width", "64", "--lr", "0.05", "--steps", "10", "--loss", "logistic"));
        assertEquals(2, bad.status, bad.err);
        assertTrue(bad.err.contains("--loss logistic needs targets in {-1, +1}"), bad.err);

        for (int i = 0; i < ys.length; i++) {
            ys[i] = ys[i] >= 0 ? 1 : -1;
        }
        Npy.writeNpy(y, NdArray.ofDoubles(ys, ys.length));
        Cli r = Cli.run(train(out, "--width", "128", "--init-scale", "1e-2", "--lr-output", "0.2", "--lr-hidden", "0.4",
                "--steps", "300", "--loss", "logistic", "--threads", "1"));
        assertEquals(0, r.status, r.err);
        Checkpoint c = Checkpoint.read(out);
        assertEquals("logistic", c.lossFunction());
        assertEquals(0.2, c.lr());
        assertEquals(0.4, c.lrHidden());
        // the logistic loss starts at log 2 (f = 0 at a tiny init) and decreases
        assertEquals(Math.log(2), c.loss()[0], 1e-3);
        assertTrue(c.loss()[c.loss().length - 1] < 0.6 * Math.log(2), "loss " + c.loss()[c.loss().length - 1]);

        Cli more = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--resume", out.toString(), "--steps", "400");
        assertEquals(0, more.status, more.err);
        Checkpoint resumed = Checkpoint.read(out);
        assertEquals(400, resumed.step());
        assertEquals("logistic", resumed.lossFunction());
        assertEquals(0.4, resumed.lrHidden());
        Cli contradict = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--resume", out.toString(),
                "--steps", "500", "--loss", "square");
        assertEquals(2, contradict.status, contradict.err);
        assertTrue(contradict.err.contains("--loss square contradicts"), contradict.err);
    }
}
