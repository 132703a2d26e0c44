// Proves: IDX files read alike raw and gzipped; every bad file is one line naming it, and no declared size is allocated before the file proves it holds it.
package io.reluquant.io.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 37);
        }
        return b;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsRawAndGzipAlike() throws IOException {
        byte[] data = ramp(3 * 5 * 7);
        byte[] raw = IdxFixtures.idx(0x08, new int[] {3, 5, 7}, data);
        for (Path p : new Path[] {write("a-idx3-ubyte", raw), write("a-idx3-ubyte.gz", IdxFixtures.gzip(raw)),
            write("gzip-without-suffix", IdxFixtures.gzip(raw))}) {
            Idx.Array a = Idx.read(p, 3);
            assertArrayEquals(new int[] {3, 5, 7}, a.dims(), p.toString());
            assertArrayEquals(data, a.data(), p.toString());
            assertEquals(0, a.get(0));
            assertEquals((37 * 7) & 0xFF, a.get(7), "unsigned");
        }
    }

    /** Every bad file gives an IdxFormatException whose message is one line naming the file and saying what is wrong. */
    private void rejects(byte[] bytes, int dims, String... words) throws IOException {
        Path p = write("bad" + System.nanoTime(), bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(p, dims));
        String m = e.getMessage();
        System.out.println("rejected: " + m);
        assertTrue(m.startsWith(p.toString()), m);
        assertFalse(m.contains("\n"), m);
        for (String w : words) {
            assertTrue(m.contains(w), "'" + w + "' in: " + m);
        }
    }

    @Test
    void rejectsWrongHeaders() throws IOException {
        byte[] good = IdxFixtures.idx(0x08, new int[] {2, 3}, ramp(6));
        byte[] magic = good.clone();
        magic[0] = 1;
        rejects(magic, 2, "not an IDX file");
        rejects("PK\3\4 a zip file".getBytes(), 2, "not an IDX file");
        rejects(IdxFixtures.idx(0x0D, new int[] {2, 3}, new byte[24]), 2, "element type 0x0d");
        rejects(good, 3, "2 dimensions, expected 3");
        rejects(IdxFixtures.idx(0x08, new int[] {2, 0}, new byte[0]), 2, "dimension 1 is 0");
        rejects(IdxFixtures.idx(0x08, new int[] {-5}, new byte[0]), 1, "dimension 0 is -5");
        rejects(new byte[] {0, 0, 8}, 1, "truncated");
        rejects(Arrays.copyOf(good, 9), 2, "truncated in the header");
    }

    @Test
    void rejectsTruncatedAndTrailingData() throws IOException {
        byte[] good = IdxFixtures.idx(0x08, new int[] {4, 5}, ramp(20));
        rejects(Arrays.copyOf(good, good.length - 1), 2, "truncated");
        rejects(Arrays.copyOf(good, good.length + 3), 2, "trailing bytes");
        byte[] gz = IdxFixtures.gzip(good);
        rejects(Arrays.copyOf(gz, gz.length - 12), 2, "gzip");
        // a well-formed gzip stream whose content is short or long: the decompressed length is checked
        rejects(IdxFixtures.gzip(Arrays.copyOf(good, good.length - 1)), 2, "truncated: 19 of 20");
        rejects(IdxFixtures.gzip(Arrays.copyOf(good, good.length + 1)), 2, "trailing bytes");
    }

    @Test
    void rejectsCorruptGzip() throws IOException {
        byte[] gz = IdxFixtures.gzip(IdxFixtures.idx(0x08, new int[] {50}, ramp(50)));
        byte[] crc = gz.clone();
        crc[crc.length - 6] ^= 0x55; // the CRC32 of the trailer
        rejects(crc, 1, "corrupt gzip");
        byte[] header = gz.clone();
        header[2] = 7; // compression method other than deflate
        rejects(header, 1, "corrupt gzip");
    }

    @Test
    void neverAllocatesADeclaredSizeTheFileCannotHold() throws IOException {
        // 60000 x 28 x 28 declared, 10 bytes present: rejected from the header, before any allocation
        rejects(IdxFixtures.idx(0x08, new int[] {60_000, 28, 28}, new byte[10]), 3, "declare 47040016 bytes", "the file has 26");
        // more elements than a Java array holds
        rejects(IdxFixtures.idx(0x08, new int[] {65_536, 65_536}, new byte[0]), 2, "exceeds");
        // gzip: the declared size must fit in what deflate can expand the file to (1032:1)
        rejects(IdxFixtures.gzip(IdxFixtures.idx(0x08, new int[] {1_000_000_000}, new byte[10])), 1, "more than the compressed file can hold");
        // within that bound but the stream ends early: the buffer only grows with the bytes that arrive
        byte[] lying = IdxFixtures.idx(0x08, new int[] {200_000}, new byte[0]);
        byte[] zeros = new byte[100_000];
        new java.util.Random(1).nextBytes(zeros); // incompressible, so the deflate bound does not catch it first
        byte[] content = ByteBuffer.allocate(lying.length + zeros.length).put(lying).put(zeros).array();
        rejects(IdxFixtures.gzip(content), 1, "truncated: 100000 of 200000");
    }

    @Test
    void missingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> Idx.read(dir.resolve("absent.gz"), 1));
        assertThrows(IllegalArgumentException.class, () -> Idx.read(dir.resolve("absent.gz"), 0));
    }
}
