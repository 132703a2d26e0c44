// Proves: the .npy/.npz reader reads numpy's files, the writer writes numpy's exact bytes, corrupt and foreign files are refused.
package io.reluquant.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader against files numpy 2.4.6 wrote (src/test/resources/npy, made by make_fixtures.py),
 * the writer against numpy's exact bytes, and rejection of corrupt, truncated and foreign files.
 */
class NpyTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixtures' grid: 0.25 k - 1 for k = 0..11, shape (3, 4). */
    static double[] grid() {
        double[] g = new double[12];
        for (int k = 0; k < 12; k++) {
            g[k] = 0.25 * k - 1;
        }
        return g;
    }

    @Test
    void readsFloatArraysNumpyWrote() throws IOException {
        for (String name : new String[] {"f64_2d.npy", "f64_fortran.npy", "f64_bigendian.npy", "f64_v2.npy"}) {
            NdArray a = Npy.readNpy(fixture(name));
            assertEquals(DType.FLOAT64, a.dtype(), name);
            assertArrayEquals(new int[] {3, 4}, a.shape(), name);
            // Fortran order must come back in C order: same values at the same (i, j)
            assertArrayEquals(grid(), a.toDoubles(), 0.0, name);
        }
        NdArray f32 = Npy.readNpy(fixture("f32_1d.npy"));
        assertEquals(DType.FLOAT32, f32.dtype());
        assertArrayEquals(new int[] {12}, f32.shape());
        assertArrayEquals(grid(), f32.toDoubles(), 0.0);
        NdArray scalar = Npy.readNpy(fixture("f64_scalar.npy"));
        assertEquals(0, scalar.ndim());
        assertArrayEquals(new double[] {-2.5}, scalar.toDoubles(), 0.0);
        NdArray empty = Npy.readNpy(fixture("f64_empty.npy"));
        assertArrayEquals(new int[] {0, 3}, empty.shape());
        assertEquals(0, empty.size());
    }

    @Test
    void readsIntegerBooleanAndStringArraysNumpyWrote() throws IOException {
        assertArrayEquals(new long[] {-3_000_000_000_000L, -2_000_000_000_000L, -1_000_000_000_000L, 0,
            1_000_000_000_000L, 2_000_000_000_000L, 3_000_000_000_000L}, Npy.readNpy(fixture("i64_1d.npy")).toLongs());
        NdArray i32 = Npy.readNpy(fixture("i32_2d.npy"));
        assertEquals(DType.INT32, i32.dtype());
        assertArrayEquals(new int[] {2, 3}, i32.shape());
        assertArrayEquals(new long[] {-2, -1, 0, 1, 2, 3}, i32.toLongs());
        assertArrayEquals(new long[] {0, 1, 255}, Npy.readNpy(fixture("u8_1d.npy")).toLongs());
        NdArray bool = Npy.readNpy(fixture("bool_1d.npy"));
        assertEquals(DType.BOOL, bool.dtype());
        assertArrayEquals(new long[] {1, 0, 1}, bool.toLongs());
        assertArrayEquals(new String[] {"f32"}, Npy.readNpy(fixture("unicode_scalar.npy")).toStrings());
    }

    @Test
    void writerProducesNumpysExactBytes() throws IOException {
        // byte-identical to np.save output means numpy reads ours back exactly as its own files
        assertArrayEquals(Files.readAllBytes(fixture("f64_2d.npy")), Npy.toBytes(NdArray.ofDoubles(grid(), 3, 4)));
        assertArrayEquals(Files.readAllBytes(fixture("f32_1d.npy")), Npy.toBytes(NdArray.ofFloating(DType.FLOAT32, grid(), 12)));
        assertArrayEquals(Files.readAllBytes(fixture("i64_1d.npy")), Npy.toBytes(NdArray.ofLongs(
                new long[] {-3_000_000_000_000L, -2_000_000_000_000L, -1_000_000_000_000L, 0,
                    1_000_000_000_000L, 2_000_000_000_000L, 3_000_000_000_000L}, 7)));
        assertArrayEquals(Files.readAllBytes(fixture("f64_scalar.npy")), Npy.toBytes(NdArray.scalar(-2.5)));
        assertArrayEquals(Files.readAllBytes(fixture("unicode_scalar.npy")), Npy.toBytes(NdArray.scalar("f32")));
        assertArrayEquals(Files.readAllBytes(fixture("f64_empty.npy")), Npy.toBytes(NdArray.ofDoubles(new double[0], 0, 3)));
    }

    @Test
    void readsNpzFromSavezAndSavezCompressed() throws IOException {
        for (String name : new String[] {"params.npz", "params_compressed.npz"}) {
            Map<String, NdArray> z = Npy.readNpz(fixture(name));
            assertEquals(java.util.List.of("a", "w", "b"), java.util.List.copyOf(z.keySet()), name);
            assertArrayEquals(new double[] {0.5, -0.25, 1.0}, z.get("a").toDoubles(), 0.0);
            assertArrayEquals(new int[] {3, 2}, z.get("w").shape());
            assertArrayEquals(new double[] {1.0, -2.0, 0.5, 0.0, -1.5, 3.0}, z.get("w").toDoubles(), 0.0);
            assertArrayEquals(new double[] {0.0, 0.125, -0.75}, z.get("b").toDoubles(), 0.0);
        }
    }

    @Test
    void npzRoundTripKeepsEveryBitAndOrder() throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("w", NdArray.ofDoubles(new double[] {Double.MIN_VALUE, -0.0, Double.MAX_VALUE, Math.PI, Double.NaN, 1e-300}, 2, 3));
        arrays.put("step", NdArray.scalar(123_456_789_012L));
        arrays.put("flag", NdArray.scalar(true));
        arrays.put("name", NdArray.scalar("vector-512/float32 \u00e9"));
        arrays.put("f32", NdArray.ofFloating(DType.FLOAT32, new double[] {0.1f, -3.5f}, 2));
        Path file = tmp.resolve("round.npz");
        Npy.writeNpz(file, arrays);
        Map<String, NdArray> back = Npy.readNpz(file);
        assertEquals(arrays, back);
        assertEquals(java.util.List.copyOf(arrays.keySet()), java.util.List.copyOf(back.keySet()));
        // equal contents give byte-identical archives (fixed entry times), so checkpoints compare as files
        Path again = tmp.resolve("again.npz");
        Npy.writeNpz(again, back);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
        try (var listing = Files.list(tmp)) {
            assertEquals(2, listing.count(), "no temporary files left behind");
        }
    }

    @Test
    void rejectsEveryTruncationOfANpy() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("f64_2d.npy"));
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, len);
            assertThrows(NpyFormatException.class, () -> Npy.parse(cut, "cut"), "prefix of " + len + " bytes");
        }
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.parse(longer, "long"));
        assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
    }

    @Test
    void rejectsForeignAndUnsupportedFiles() throws IOException {
        NpyFormatException structured = assertThrows(NpyFormatException.class, () -> Npy.readNpy(fixture("structured.npy")));
        assertTrue(structured.getMessage().contains("structured dtype"), structured.getMessage());
        NpyFormatException npzAsNpy = assertThrows(NpyFormatException.class, () -> Npy.readNpy(fixture("params.npz")));
        assertTrue(npzAsNpy.getMessage().contains("magic"), npzAsNpy.getMessage());
        NpyFormatException npyAsNpz = assertThrows(NpyFormatException.class, () -> Npy.readNpz(fixture("f64_2d.npy")));
        assertTrue(npyAsNpz.getMessage().contains("not a valid .npz"), npyAsNpz.getMessage());
        Path text = tmp.resolve("text.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(text))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        NpyFormatException foreign = assertThrows(NpyFormatException.class, () -> Npy.readNpz(text));
        assertTrue(foreign.getMessage().contains("not a .npy member"), foreign.getMessage());
        byte[] badVersion = Files.readAllBytes(fixture("f64_2d.npy"));
        badVersion[6] = 9;
        assertTrue(assertThrows(NpyFormatException.class, () -> Npy.parse(badVersion, "v9")).getMessage().contains("version 9"));
    }

    /**
     * Every single-byte corruption of an .npz, and every truncation, is either rejected with an
     * NpyFormatException or (in zip metadata that carries no array content, such as timestamps)
     * loads exactly the original arrays: never a different array, never another exception.
     */
    @Test
    void corruptOrTruncatedNpzIsRejectedNeverSilentlyWrong() throws IOException {
        for (String name : new String[] {"params.npz", "params_compressed.npz"}) {
            byte[] bytes = Files.readAllBytes(fixture(name));
            Map<String, NdArray> original = Npy.readNpz(fixture(name));
            Path file = tmp.resolve("bad.npz");
            int rejected = 0;
            for (int i = 0; i < bytes.length; i++) {
                byte[] bad = bytes.clone();
                bad[i] ^= 0x5a;
                Files.write(file, bad);
                try {
                    assertEquals(original, Npy.readNpz(file), name + ": byte " + i + " flipped gave different arrays");
                } catch (NpyFormatException expected) {
                    rejected++;
                }
            }
            for (int len = 0; len < bytes.length; len++) {
                Files.write(file, java.util.Arrays.copyOf(bytes, len));
                assertThrows(NpyFormatException.class, () -> Npy.readNpz(file), name + " truncated to " + len);
            }
            System.out.printf("%s: %d of %d single-byte corruptions rejected, the rest harmless (zip metadata)%n",
                    name, rejected, bytes.length);
            assertTrue(rejected > bytes.length / 2, name + ": only " + rejected + " rejected");
        }
    }
}
