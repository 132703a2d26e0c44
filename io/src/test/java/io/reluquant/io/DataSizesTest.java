package io.reluquant.io;

// Proves: the training-data hash is streamed (no size limit, unchanged for existing checkpoints, correct at 2^28 values) and an array of 2^31 values is refused at once with a message naming the limit.

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.npy.NpyFormatException;
import io.reluquant.kernel.Dataset;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSizesTest {
    @TempDir
    Path tmp;

    /** The hash as the previous version computed it (one buffer of the whole data): checkpoints written before still resume. */
    private static long wholeBufferHash(double[] x, double[] y, int d) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(8 * (x.length + y.length + 2));
        buf.putLong(d).putLong(y.length);
        for (double v : x) {
            buf.putDouble(v);
        }
        for (double v : y) {
            buf.putDouble(v);
        }
        return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(buf.array())).getLong();
    }

    @Test
    void theStreamedHashEqualsTheWholeBufferHashAcrossBufferBoundaries() throws Exception {
        for (int n : new int[] {1, 3, 8190, 8191, 8192, 20_000}) {
            int d = 3;
            double[] x = new double[n * d];
            double[] y = new double[n];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.sin(i) * 1e3;
            }
            for (int i = 0; i < n; i++) {
                y[i] = Math.cos(i);
            }
            assertEquals(wholeBufferHash(x, y, d), Checkpoint.hashData(Dataset.of(x, y, d)), "n = " + n);
            assertEquals(wholeBufferHash(x, y, d), Checkpoint.hashData(x, y, d));
        }
    }

    /**
     * 2^28 input values (a 1 GiB float32 x: the size whose hash overflowed int arithmetic): the
     * streamed hash equals SHA-256 of the specified byte stream, computed independently. Needs about
     * 2.3 GB of heap; with less it runs at the largest size that fits and says so.
     */
    @Test
    void theHashOf2To28ValuesIsTheSpecifiedDigest() throws Exception {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long want = 1L << 28;
        // float storage: the caller's array and the dataset's copy, 4 bytes each, plus headroom
        long fits = Math.max(1 << 20, (free - (256L << 20)) / 8);
        int values = (int) Math.min(want, Integer.highestOneBit((int) Math.min(fits, Integer.MAX_VALUE)));
        int d = 4;
        int n = values / d;
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 1000) * 0.25f - 17;
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % 7;
        }
        Dataset data = Dataset.of(x, y, d);
        x = null;
        long t0 = System.nanoTime();
        long got = Checkpoint.hashData(data);
        double seconds = (System.nanoTime() - t0) / 1e9;
        // the specified stream, built in bulk blocks (not through the dataset's accessors, as hashData reads it)
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(ByteBuffer.allocate(16).putLong(d).putLong(n).array());
        double[] block = new double[8192];
        ByteBuffer bytes = ByteBuffer.allocate(8 * block.length);
        for (long start = 0; start < (long) n * d + n; start += block.length) {
            int len = (int) Math.min(block.length, (long) n * d + n - start);
            for (int j = 0; j < len; j++) {
                long idx = start + j;
                block[j] = idx < (long) n * d ? idx % 1000 * 0.25f - 17 : y[(int) (idx - (long) n * d)];
            }
            bytes.clear();
            bytes.asDoubleBuffer().put(block, 0, len);
            md.update(bytes.array(), 0, 8 * len);
        }
        assertEquals(ByteBuffer.wrap(md.digest()).getLong(), got);
        System.out.printf("data hash at %d input values (%s; wanted 2^28 = %d, heap free %d MB): %.1f s%n", (long) n * d,
                (long) n * d == want ? "the full size ran" : "REDUCED to fit this heap", want, free >> 20, seconds);
    }

    /**
     * An .npy declaring 2^31 float32 values (an 8 GiB sparse file: no disk used): refused at once with
     * the limit, as a size and not as a damaged header. Also (2^16, 2^15), whose entries fit but whose product does not.
     */
    @Test
    void anArrayOf2To31ValuesIsRefusedAtOnceNamingTheLimit() throws Exception {
        for (String shape : new String[] {"(2147483648,)", "(65536, 32768)", "(00000000000000000000002147483648,)"}) {
            Path f = tmp.resolve("big.npy");
            Files.deleteIfExists(f);
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
            int total = 10 + dict.length() + 1;
            String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
                b.put(header.getBytes(StandardCharsets.US_ASCII)).flip();
                ch.write(b);
                ch.write(ByteBuffer.wrap(new byte[] {0}), (long) b.limit() + 4L * (1L << 31) - 1); // sparse: 8 GiB of data declared
            }
            assertEquals(8L * (1L << 30) + 128, Files.size(f));
            long t0 = System.nanoTime();
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> TrainingData.load(f, f));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains("more elements than a Java array holds") && !e.getMessage().contains("bad .npy header"),
                    e.getMessage());
            assertTrue(seconds < 5, seconds + " s");
            System.out.println("2^31 values " + shape + ": " + e.getMessage());
        }
    }

}
