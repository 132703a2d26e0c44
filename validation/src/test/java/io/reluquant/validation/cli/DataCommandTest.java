// Proves: reluquant data writes the train and test splits as .npy and answers bad arguments with one line.
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.TrainingData;
import io.reluquant.io.data.IdxFixtures;
import io.reluquant.io.npy.DType;
import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.kernel.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTrainAndTestSplitsAsNpy() throws IOException {
        Path data = dir.resolve("fm");
        IdxFixtures.fashionMnist(data, 100, 50);
        Path out = dir.resolve("out");
        Cli r = Cli.run("data", "fashion-mnist", "--classes", "trouser,6", "--train", "8", "--test", "6", "--seed", "2", "--data-dir",
                data.toString(), "--out", out.toString());
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("trouser (+1) vs shirt (-1): 8 training and 6 test images"), r.out);
        NdArray x = Npy.readNpy(out.resolve("x.npy"));
        assertEquals(DType.FLOAT32, x.dtype());
        assertArrayEquals(new int[] {8, 784}, x.shape());
        assertArrayEquals(new int[] {6, 784}, Npy.readNpy(out.resolve("x_test.npy")).shape());
        // every other command reads them: the training loader gives the same pixels and +-1 targets
        Dataset d = TrainingData.load(out.resolve("x.npy"), out.resolve("y.npy"));
        double sum = 0;
        for (int i = 0; i < 8; i++) {
            assertTrue(Math.abs(d.y(i)) == 1);
            sum += d.y(i);
            for (int p = 0; p < 784; p++) {
                assertTrue(d.x(i, p) >= 0 && d.x(i, p) <= 1);
            }
        }
        assertEquals(0, sum, "balanced");
        // same arguments, same files
        Path again = dir.resolve("again");
        Cli.run("data", "fashion-mnist", "--classes", "1,shirt", "--train", "8", "--test", "6", "--seed", "2", "--data-dir", data.toString(),
                "--out", again.toString());
        assertArrayEquals(Files.readAllBytes(out.resolve("x.npy")), Files.readAllBytes(again.resolve("x.npy")));
        assertArrayEquals(Files.readAllBytes(out.resolve("y_test.npy")), Files.readAllBytes(again.resolve("y_test.npy")));
    }

    /** --classes all: ten classes, an equal share each, y the int64 labels 0..9 of shape (n,); the same pixels as the IDX files. */
    @Test
    void allClassesWritesIntegerLabels() throws IOException {
        Path data = dir.resolve("fm");
        IdxFixtures.fashionMnist(data, 200, 60);
        Path out = dir.resolve("out");
        Cli r = Cli.run("data", "fashion-mnist", "--classes", "all", "--train", "23", "--seed", "4", "--data-dir", data.toString(), "--out",
                out.toString());
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("all ten classes (y = labels 0-9): 23 training and 60 test images (d = 784)"), r.out);
        NdArray x = Npy.readNpy(out.resolve("x.npy"));
        NdArray y = Npy.readNpy(out.resolve("y.npy"));
        assertEquals(DType.FLOAT32, x.dtype());
        assertArrayEquals(new int[] {23, 784}, x.shape());
        assertEquals(DType.INT64, y.dtype());
        assertArrayEquals(new int[] {23}, y.shape());
        assertArrayEquals(new int[] {60}, Npy.readNpy(out.resolve("y_test.npy")).shape());
        int[] count = new int[10];
        double[] px = x.toDoubles();
        long[] labels = y.toLongs();
        for (int r0 = 0; r0 < 23; r0++) {
            int label = (int) labels[r0];
            count[label]++;
            // the fixture's image i has label i % 10 and pixels IdxFixtures.pixel(i, p): find an image of that label with these pixels
            boolean found = false;
            for (int i = label; i < 200 && !found; i += 10) {
                boolean same = true;
                for (int p = 0; p < 784 && same; p++) {
                    same = px[r0 * 784 + p] == (float) (IdxFixtures.pixel(i, p) / 255.0);
                }
                found = same;
            }
            assertTrue(found, "row " + r0 + " is an image of class " + label);
        }
        // 23 = 10 * 2 + 3: labels 0, 1, 2 get one more
        assertArrayEquals(new int[] {3, 3, 3, 2, 2, 2, 2, 2, 2, 2}, count);
        Path again = dir.resolve("again");
        Cli.run("data", "fashion-mnist", "--classes", "ALL", "--train", "23", "--seed", "4", "--data-dir", data.toString(), "--out",
                again.toString());
        assertArrayEquals(Files.readAllBytes(out.resolve("x.npy")), Files.readAllBytes(again.resolve("x.npy")));
        assertArrayEquals(Files.readAllBytes(out.resolve("y.npy")), Files.readAllBytes(again.resolve("y.npy")));
        // the two-class files keep +-1 float32 targets
        Path pair = dir.resolve("pair");
        assertEquals(0, Cli.run("data", "fashion-mnist", "--classes", "0,1", "--train", "4", "--test", "2", "--data-dir", data.toString(),
                "--out", pair.toString()).status);
        assertEquals(DType.FLOAT32, Npy.readNpy(pair.resolve("y.npy")).dtype());
    }

    private void usage(String expected, String... args) {
        Cli r = Cli.run(args);
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains(expected), "'" + expected + "' in: " + r.err);
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
    }

    @Test
    void badArgumentsExit2WithOneLineAndWriteNothing() throws IOException {
        Path data = dir.resolve("fm");
        IdxFixtures.fashionMnist(data, 100, 50);
        Path out = dir.resolve("out");
        String d = data.toString();
        String o = out.toString();
        usage("unknown data set 'mnist'", "data", "mnist", "--classes", "0,1", "--data-dir", d, "--out", o);
        usage("--classes needs two classes", "data", "fashion-mnist", "--classes", "0,1,2", "--data-dir", d, "--out", o);
        usage("unknown Fashion-MNIST class 'jacket'", "data", "fashion-mnist", "--classes", "jacket,1", "--data-dir", d, "--out", o);
        usage("the two classes must differ", "data", "fashion-mnist", "--classes", "trouser,1", "--data-dir", d, "--out", o);
        usage("train size 100 needs 50 + 50", "data", "fashion-mnist", "--classes", "0,1", "--train", "100", "--data-dir", d, "--out", o);
        usage("no such file", "data", "fashion-mnist", "--classes", "0,1", "--data-dir", dir.resolve("nowhere").toString(), "--out", o);
        usage("train size must be >= 10", "data", "fashion-mnist", "--classes", "all", "--train", "9", "--data-dir", d, "--out", o);
        usage("test size must be 0 (all) or >= 10, got 5", "data", "fashion-mnist", "--classes", "all", "--test", "5", "--data-dir", d, "--out", o);
        usage("train size 1000 needs 100 images of t-shirt/top, the train split has 10", "data", "fashion-mnist", "--classes", "all",
                "--data-dir", d, "--out", o);
        usage("--classes all stands alone (the ten classes), got all,1", "data", "fashion-mnist", "--classes", "all,1", "--data-dir", d,
                "--out", o);
        assertFalse(Files.exists(out), "nothing written");
        Files.write(data.resolve("train-images-idx3-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
        usage("corrupt gzip data", "data", "fashion-mnist", "--classes", "0,1", "--data-dir", d, "--out", o);
        assertFalse(Files.exists(out), "nothing written");
    }
}
