// Proves: the Fashion-MNIST cut is a balanced, seeded two-class problem, with class names, and bad arguments and mismatched files are refused by name.
package io.reluquant.io.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void cutsABalancedSeededTwoClassProblem() throws IOException {
        IdxFixtures.fashionMnist(dir, 100, 40); // 10 per class in train, 4 in test
        FashionMnist fm = FashionMnist.load(dir);
        assertEquals(100, fm.train().size());
        FashionMnist.Pair p = fm.pair(1, 6, 9, 0, 3);
        Dataset tr = p.train();
        assertEquals(9, tr.samples());
        assertEquals(784, tr.inputDim());
        int plus = 0;
        Set<Integer> seen = new HashSet<>();
        for (int r = 0; r < tr.samples(); r++) {
            plus += tr.y(r) > 0 ? 1 : 0;
            // find which source image this row is: labels are i % 10, pixels a known function of i
            int match = -1;
            for (int i = 0; i < 100; i++) {
                if (tr.x(r, 0) == (float) (IdxFixtures.pixel(i, 0) / 255.0) && tr.x(r, 783) == (float) (IdxFixtures.pixel(i, 783) / 255.0)
                        && (i % 10 == 1 || i % 10 == 6)) {
                    match = i;
                }
            }
            assertTrue(match >= 0, "row " + r + " is an image of class 1 or 6");
            assertEquals(match % 10 == 1 ? 1.0 : -1.0, tr.y(r), "class A is +1");
            assertTrue(seen.add(match), "drawn without replacement");
            for (int q = 0; q < 784; q++) {
                double v = tr.x(r, q);
                assertTrue(v >= 0 && v <= 1);
            }
        }
        assertEquals(5, plus, "odd size: class A gets the extra image");
        assertEquals(8, p.test().samples(), "test size 0: all of the two classes");
        FashionMnist.Pair again = fm.pair(1, 6, 9, 0, 3);
        assertArrayEquals(tr.inputs(), again.train().inputs(), "same seed, same set");
        FashionMnist.Pair other = fm.pair(1, 6, 9, 0, 4);
        assertTrue(!java.util.Arrays.equals(tr.inputs(), other.train().inputs()), "another seed, another draw");
        assertEquals("trouser (+1) vs shirt (-1)", p.label());
    }

    @Test
    void rejectsBadArgumentsNamingThem() throws IOException {
        IdxFixtures.fashionMnist(dir, 100, 40);
        FashionMnist fm = FashionMnist.load(dir);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.pair(1, 1, 4, 0, 0)).getMessage().contains("differ"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.pair(1, 10, 4, 0, 0)).getMessage().contains("got 10"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.pair(1, 2, 22, 0, 0)).getMessage().contains("train size 22"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.pair(1, 2, 4, 10, 0)).getMessage().contains("test size 10"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.pair(1, 2, 1, 0, 0)).getMessage().contains("got 1"));
    }

    @Test
    void classNames() {
        assertEquals(0, FashionMnist.classOf("t-shirt"));
        assertEquals(0, FashionMnist.classOf("T-shirt/top"));
        assertEquals(9, FashionMnist.classOf("Ankle_boot"));
        assertEquals(6, FashionMnist.classOf("6"));
        String m = assertThrows(IllegalArgumentException.class, () -> FashionMnist.classOf("jacket")).getMessage();
        assertTrue(m.contains("'jacket'") && m.contains("trouser"), m);
    }

    @Test
    void labelsMustMatchImages() throws IOException {
        IdxFixtures.fashionMnist(dir, 20, 10);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFixtures.gzip(IdxFixtures.idx(0x08, new int[] {9}, new byte[9])));
        String m = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir)).getMessage();
        assertTrue(m.contains("9 labels for 10 images"), m);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFixtures.gzip(IdxFixtures.idx(0x08, new int[] {10}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 10})));
        m = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir)).getMessage();
        assertTrue(m.contains("label 10 at index 9"), m);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        m = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir)).getMessage();
        assertTrue(m.contains("dataset-fashion-mnist"), m);
    }
}
