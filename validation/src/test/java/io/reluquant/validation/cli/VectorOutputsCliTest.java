// Proves: train and analyze handle k-output networks end to end: softmax with class labels and the square loss with (n, k) targets, a of shape (m, k), bitwise resume, clear refusals.
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.Checkpoint;
import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.kernel.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** train and analyze on k-output networks: softmax with labels, square with (n, k) targets, resume, refusals. */
class VectorOutputsCliTest extends TrainingFiles {
    private Path labels;
    private Path targets;

    @BeforeEach
    void data() throws IOException {
        // 30 points on [-1, 1], three classes by interval; and two numeric targets per point
        int n = 30;
        double[] xs = new double[n];
        long[] classes = new long[n];
        double[] two = new double[2 * n];
        for (int i = 0; i < n; i++) {
            xs[i] = -1 + 2.0 * i / (n - 1);
            classes[i] = xs[i] < -0.3 ? 0 : xs[i] < 0.4 ? 1 : 2;
            two[2 * i] = Math.sin(3 * xs[i]);
            two[2 * i + 1] = Math.abs(xs[i]);
        }
        write(xs, new double[n], 1);
        labels = tmp.resolve("labels.npy");
        Npy.writeNpy(labels, NdArray.ofLongs(classes, n));
        targets = tmp.resolve("targets.npy");
        Npy.writeNpy(targets, NdArray.ofDoubles(two, n, 2));
    }

    private Cli train(Path yFile, Path out, String... extra) {
        String[] base = {"train", "--x", x.toString(), "--y", yFile.toString(), "--out", out.toString(), "--width", "64",
                "--init-scale", "1e-3", "--lr", "0.5", "--threads", "1", "--quiet"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    @Test
    void softmaxWithClassLabelsWritesKOutputsAndLowersTheLoss() throws IOException {
        Path out = tmp.resolve("softmax.npz");
        Cli r = train(labels, out, "--loss", "softmax", "--steps", "300");
        assertEquals(0, r.status, r.err);
        Map<String, NdArray> z = Npy.readNpz(out);
        assertArrayEquals(new int[] {64, 3}, z.get("a").shape(), "k = the largest label + 1");
        assertEquals("softmax", z.get("loss_function").toStrings()[0]);
        double[] loss = z.get("loss").toDoubles();
        assertEquals(Math.log(3), loss[0], 1e-3, "at a small init the cross-entropy starts at ln k");
        assertTrue(loss[loss.length - 1] < 0.5 * loss[0], "loss falls: " + loss[0] + " -> " + loss[loss.length - 1]);

        Cli a = Cli.run("analyze", "--params", out.toString(), "--x", x.toString(), "--y", labels.toString());
        assertEquals(0, a.status, a.err);
        assertTrue(a.out.contains("k 3 outputs") && a.out.contains("class labels") && a.out.contains("N_eff")
                && a.out.contains("attractors of |g|") && a.out.contains("cos(a,g)"), a.out);
    }

    @Test
    void aResumedSoftmaxRunEqualsAnUninterruptedOneBitForBit() throws IOException {
        Path whole = tmp.resolve("whole.npz");
        Path part = tmp.resolve("part.npz");
        assertEquals(0, train(labels, whole, "--loss", "softmax", "--steps", "80").status);
        assertEquals(0, train(labels, part, "--loss", "softmax", "--steps", "40").status);
        Cli r = Cli.run("train", "--x", x.toString(), "--y", labels.toString(), "--resume", part.toString(), "--steps", "80",
                "--threads", "2", "--quiet");
        assertEquals(0, r.status, r.err);
        Checkpoint a = Checkpoint.read(whole);
        Checkpoint b = Checkpoint.read(part);
        assertArrayEquals(a.parameters().outputWeights(), b.parameters().outputWeights());
        assertArrayEquals(a.parameters().inputWeights(), b.parameters().inputWeights());
        assertArrayEquals(a.parameters().biases(), b.parameters().biases());
        assertEquals(3, b.parameters().outputs());
    }

    @Test
    void squareLossTakesKTargetsPerSample() throws IOException {
        Path out = tmp.resolve("square.npz");
        Cli r = train(targets, out, "--steps", "200");
        assertEquals(0, r.status, r.err);
        Map<String, NdArray> z = Npy.readNpz(out);
        assertArrayEquals(new int[] {64, 2}, z.get("a").shape());
        double[] loss = z.get("loss").toDoubles();
        assertTrue(loss[loss.length - 1] < loss[0], loss[0] + " -> " + loss[loss.length - 1]);
        Cli a = Cli.run("analyze", "--params", out.toString(), "--x", x.toString(), "--y", targets.toString());
        assertEquals(0, a.status, a.err);
        assertTrue(a.out.contains("k 2 outputs") && a.out.contains("k targets (square loss)"), a.out);
    }

    @Test
    void refusalsNameTheArgumentAndValue() throws IOException {
        Cli logistic = train(targets, tmp.resolve("l.npz"), "--loss", "logistic", "--steps", "5");
        assertNotEquals(0, logistic.status);
        assertTrue(logistic.err.contains("--loss logistic takes one target per sample") && logistic.err.contains("2 per sample"),
                logistic.err);

        Path fractional = tmp.resolve("fractional.npy");
        double[] values = new double[30];
        values[7] = 1.5;
        Npy.writeNpy(fractional, NdArray.ofDoubles(values, 30));
        Cli bad = train(fractional, tmp.resolve("f.npz"), "--loss", "softmax", "--steps", "5");
        assertNotEquals(0, bad.status);
        assertTrue(bad.err.contains("Y[7] = 1.5") && bad.err.contains("whole numbers"), bad.err);

        Path one = tmp.resolve("one.npy");
        Npy.writeNpy(one, NdArray.ofLongs(new long[30], 30));
        Cli single = train(one, tmp.resolve("o.npz"), "--loss", "softmax", "--steps", "5");
        assertNotEquals(0, single.status);
        assertTrue(single.err.contains("at least 2 classes"), single.err);
    }

    /** One numeric target per sample hashes as before k outputs existed: old checkpoints still resume. */
    @Test
    void theDataHashOfOneTargetPerSampleIsUnchanged() throws Exception {
        double[] xs = {0.1, 0.2, 0.3};
        double[] ys = {1, -1, 0.5};
        long plain = Checkpoint.hashData(Dataset.of(xs, ys, 1));
        // the documented layout, computed here on its own: SHA-256 of d, n, the inputs, the targets; first 8 bytes
        java.nio.ByteBuffer layout = java.nio.ByteBuffer.allocate(8 * (2 + xs.length + ys.length)).putLong(1).putLong(3);
        for (double v : xs) {
            layout.putDouble(v);
        }
        for (double v : ys) {
            layout.putDouble(v);
        }
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(layout.array());
        assertEquals(java.nio.ByteBuffer.wrap(digest).getLong(), plain);
        assertEquals(plain, Checkpoint.hashData(Dataset.of(xs, ys, 1, 1)), "k = 1 written as (n, 1) is the same data");
        assertNotEquals(plain, Checkpoint.hashData(Dataset.ofClasses(xs, new int[] {1, 0, 1}, 1, 2)));
    }
}
