// Proves: every reader fed hostile files ends in one-line NpyFormatException or a correct read: never another exception, a hang or an allocation of a declared size.
package io.reluquant.io.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.reluquant.io.Checkpoint;
import io.reluquant.kernel.Parameters;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reader (.npy, .npz, training checkpoints) fed hostile files: truncations at every length,
 * wrong magic, version, dtype and shape, huge declared shapes, forged zip sizes (a zip bomb's trick),
 * duplicate and missing entries, random byte flips. Each must end, within the time limit, either in
 * an {@link NpyFormatException} whose message is one line naming the file, or (where the format
 * carries no checksum, or in zip metadata without content) in a successful read: never another
 * exception, never a hang, never an allocation of the declared size before validation. Checksummed
 * formats (.npz, checkpoints) must then give exactly the original arrays.
 */
class HostileFilesTest {
    @TempDir
    Path tmp;

    private int cases;
    private int rejected;

    interface Read {
        Object read(Path file) throws IOException;
    }

    /** Reads {@code bytes} as a file; @param original the only acceptable successful result (null: any) */
    private void expect(String what, byte[] bytes, Read reader, Object original) throws IOException {
        Path file = tmp.resolve("hostile.bin");
        Files.write(file, bytes);
        cases++;
        try {
            Object got = reader.read(file);
            if (original != null && !same(original, got)) {
                fail(what + ": read without error but the content differs");
            }
        } catch (NpyFormatException e) {
            rejected++;
            String m = e.getMessage();
            assertTrue(m != null && !m.contains("\n") && !m.contains("\r") && m.contains(tmp.toString()), what + ": message " + m);
        } catch (IOException | RuntimeException | Error e) {
            throw new AssertionError(what + ": " + e + " instead of an NpyFormatException", e);
        }
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Checkpoint && b instanceof Checkpoint) {
            return ((Checkpoint) a).toArrays().equals(((Checkpoint) b).toArrays());
        }
        return a.equals(b);
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(HostileFilesTest.class.getResource("/npy/" + name).toURI());
    }

    static byte[] npy(String dict, int dataBytes, int version) {
        int prefix = version == 1 ? 10 : 12;
        int padded = (prefix + dict.length() + 1 + 63) / 64 * 64;
        ByteBuffer b = ByteBuffer.allocate(padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            b.putShort((short) (padded - prefix));
        } else {
            b.putInt(padded - prefix);
        }
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        while (b.position() < padded - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    private static Checkpoint checkpoint() {
        SplittableRandom rnd = new SplittableRandom(1);
        int m = 5;
        int d = 2;
        double[] a = new double[m];
        double[] w = new double[m * d];
        double[] b = new double[m];
        for (int j = 0; j < m; j++) {
            a[j] = rnd.nextDouble();
            b[j] = rnd.nextDouble();
            w[2 * j] = rnd.nextDouble();
            w[2 * j + 1] = rnd.nextDouble();
        }
        return new Checkpoint(Parameters.of(a, w, b, d), 30, 100, 0.05, true, "f32", "simd", "vector-512/float32",
                "balanced", 1e-4, 42, 10, 10, 77, new double[] {1, 0.5, 0.25, 0.125}, new long[] {0, 10, 20, 30}, 0.05, "square");
    }

    @Test
    void everyReaderRefusesHostileFilesInOneLineWithoutHangingOrAllocating() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), this::fuzz);
    }

    private void fuzz() throws Exception {
        long t0 = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(20);
        Read npyReader = Npy::readNpy;
        Read npzReader = Npy::readNpz;
        Read ckReader = Checkpoint::read;

        // .npy: truncations at every length and random byte flips of every fixture (no checksum: any read is fine)
        for (String name : new String[] {"f64_2d.npy", "f32_1d.npy", "i32_2d.npy", "u8_1d.npy", "bool_1d.npy", "f64_v2.npy",
            "f64_fortran.npy", "f64_bigendian.npy", "unicode_scalar.npy", "f64_empty.npy", "f64_scalar.npy"}) {
            byte[] good = Files.readAllBytes(fixture(name));
            for (int len = 0; len < good.length; len++) {
                expect(name + " cut to " + len, Arrays.copyOf(good, len), npyReader, null);
            }
            for (int k = 0; k < 80; k++) {
                byte[] bad = good.clone();
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 + rnd.nextInt(255));
                expect(name + " flipped", bad, npyReader, null);
            }
        }
        // .npy: crafted headers
        String[] dicts = {
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1073741824, 4), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3.5,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 'x'), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': [3], }",
            "{'descr': '<U2147483647', 'fortran_order': False, 'shape': (1,), }",
            "{'descr': '<U99999', 'fortran_order': False, 'shape': (30000,), }",
            "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }",
            "{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }",
            "{'descr': 'O', 'fortran_order': False, 'shape': (1,), }",
            "{'descr': '<M8[s]', 'fortran_order': False, 'shape': (1,), }",
            "{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (1,), }",
            "{'descr': '<f8', 'fortran_order': 'yes', 'shape': (1,), }",
            "{'descr': '<f8', 'shape': (1,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1, }",
            "{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), ",
            "not a dict at all",
            "",
        };
        for (String dict : dicts) {
            for (int version : new int[] {1, 2, 3}) {
                for (int data : new int[] {0, 8, 24}) {
                    expect("header " + dict, npy(dict, data, version), npyReader, null);
                }
            }
        }
        byte[] good = Files.readAllBytes(fixture("f64_2d.npy"));
        for (int version : new int[] {0, 4, 255}) {
            byte[] bad = good.clone();
            bad[6] = (byte) version;
            expect("version " + version, bad, npyReader, null);
        }
        for (int i = 0; i < 6; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x20;
            expect("magic byte " + i, bad, npyReader, null);
        }
        // a version 2 header length of 4 GiB: refused before reading (or allocating) it
        byte[] hugeHeader = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 8, 2);
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -2);
        expect("header length 4 GiB", hugeHeader, npyReader, null);
        expect("a directory", new byte[0], f -> Npy.readNpy(f.getParent()), null);

        // .npz: fixtures, one written here with several arrays, truncations, flips, forged sizes
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("a", NdArray.ofDoubles(new double[] {1, 2, 3}, 3));
        arrays.put("w", NdArray.ofDoubles(new double[] {4, 5, 6, 7, 8, 9}, 3, 2));
        arrays.put("n", NdArray.scalar(5L));
        Path ours = tmp.resolve("ours.npz");
        Npy.writeNpz(ours, arrays);
        for (Path zip : new Path[] {fixture("params.npz"), fixture("params_compressed.npz"), ours}) {
            byte[] bytes = Files.readAllBytes(zip);
            Map<String, NdArray> original = Npy.readNpz(zip);
            for (int len = 0; len < bytes.length; len++) {
                expect(zip.getFileName() + " cut to " + len, Arrays.copyOf(bytes, len), npzReader, original);
            }
            for (int k = 0; k < 150; k++) {
                byte[] bad = bytes.clone();
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 + rnd.nextInt(255));
                expect(zip.getFileName() + " flipped", bad, npzReader, original);
            }
            for (long forged : new long[] {0x7fff_fff0L, 0xffff_fff0L, 1L << 20}) {
                expect(zip.getFileName() + " entry sizes forged to " + forged, forgeSizes(bytes, forged), npzReader, original);
            }
        }
        expect("duplicate entry", zipOf("a.npy", "a.npy"), npzReader, null);
        expect("directory entry", zipOf("sub/", "a.npy"), npzReader, null);
        expect("foreign entry", zipOf("a.npy", "notes.txt"), npzReader, null);
        expect("empty archive", zipOf(), npzReader, Map.of());
        expect("zip of a huge shape", zipWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483640,), }"), npzReader, null);

        // checkpoints: truncations at every length, every byte flipped, each array missing or of the wrong kind
        Checkpoint ck = checkpoint();
        Path ckFile = tmp.resolve("ck.npz");
        ck.write(ckFile);
        byte[] ckBytes = Files.readAllBytes(ckFile);
        // every length of the last 300 bytes (the zip directory), every 5th before: the reader sees the
        // directory first, so a cut anywhere in the data is a cut of the directory as well
        for (int len = 0; len < ckBytes.length; len += len < ckBytes.length - 300 ? 5 : 1) {
            expect("checkpoint cut to " + len, Arrays.copyOf(ckBytes, len), ckReader, ck);
        }
        for (int k = 0; k < 800; k++) {
            int i = rnd.nextInt(ckBytes.length);
            byte[] bad = ckBytes.clone();
            bad[i] ^= (byte) (1 + rnd.nextInt(255));
            expect("checkpoint byte " + i + " flipped", bad, ckReader, ck);
        }
        Map<String, NdArray> all = ck.toArrays();
        for (String name : all.keySet()) {
            Map<String, NdArray> missing = new LinkedHashMap<>(all);
            missing.remove(name);
            expectArrays("checkpoint without '" + name + "'", missing, ckReader);
            for (NdArray wrong : new NdArray[] {NdArray.scalar("text"), NdArray.scalar(-1L), NdArray.scalar(Double.NaN),
                NdArray.ofDoubles(new double[] {1, 2}, 2), NdArray.ofLongs(new long[6], 2, 3)}) {
                Map<String, NdArray> changed = new LinkedHashMap<>(all);
                changed.put(name, wrong);
                if (!changed.equals(all)) {
                    expectArrays("checkpoint with '" + name + "' = " + wrong, changed, ckReader);
                }
            }
        }
        System.out.printf("hostile files: %d cases (.npy, .npz, checkpoints), %d rejected with one line, the rest read "
                + "(no checksum in .npy, or zip metadata without content), %.1f s%n", cases, rejected, (System.nanoTime() - t0) / 1e9);
        assertTrue(cases > 5_000 && rejected > cases / 2, cases + " cases, " + rejected + " rejected");
    }

    /**
     * Writes the arrays as a checkpoint .npz and reads it: it must be rejected, or read faithfully
     * (writing the result back gives exactly these arrays: a seed of -1 is a valid seed, a bias of
     * -1 is not a boolean).
     */
    private void expectArrays(String what, Map<String, NdArray> arrays, Read reader) throws IOException {
        Path file = tmp.resolve("arrays.npz");
        Npy.writeNpz(file, arrays);
        cases++;
        try {
            Checkpoint got = (Checkpoint) reader.read(file);
            assertEquals(arrays, got.toArrays(), what + ": accepted, but not as written");
        } catch (NpyFormatException e) {
            rejected++;
            assertTrue(!e.getMessage().contains("\n") && e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    /** Sets the uncompressed size of every entry, in the local headers and the directory. */
    private static byte[] forgeSizes(byte[] zip, long size) {
        byte[] out = zip.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 46 <= out.length; i++) {
            int sig = b.getInt(i);
            if (sig == 0x04034b50 && i + 30 <= out.length) {
                b.putInt(i + 22, (int) size);
            } else if (sig == 0x02014b50) {
                b.putInt(i + 24, (int) size);
            }
        }
        return out;
    }

    private static byte[] zipOf(String... names) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            List<String> seen = new ArrayList<>();
            for (String name : names) {
                ZipEntry e = new ZipEntry(seen.contains(name) ? name + "\u0000" : name);
                seen.add(name);
                if (e.getName().contains("\u0000")) {
                    // ZipOutputStream refuses duplicates: write another name and patch it to the same bytes below
                    e = new ZipEntry(name.replace(".npy", ".npz"));
                }
                zip.putNextEntry(e);
                if (!name.endsWith("/")) {
                    zip.write(Npy.toBytes(NdArray.scalar(1.0)));
                }
                zip.closeEntry();
            }
        }
        byte[] out = bytes.toByteArray();
        // make a duplicate: rename every "a.npz" to "a.npy"
        byte[] from = "a.npz".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + from.length <= out.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(out, i, i + from.length), from)) {
                out[i + 4] = 'y';
            }
        }
        return out;
    }

    private static byte[] zipWith(String dict) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("w.npy"));
            zip.write(npy(dict, 64, 1));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
