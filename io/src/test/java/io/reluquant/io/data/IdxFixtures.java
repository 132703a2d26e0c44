package io.reluquant.io.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files (and a fake Fashion-MNIST folder) for the tests. */
public final class IdxFixtures {
    private IdxFixtures() {}

    /** @return the bytes of an IDX file: 00 00 type rank, dims, data */
    public static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    /** @return {@code raw} compressed with gzip */
    public static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    /** The pixel value of pixel p of image i in {@link #fashionMnist}: a function of (i, p) that tests can recompute. */
    public static int pixel(int i, int p) {
        return (i * 31 + p * 7) % 256;
    }

    /**
     * Writes the four Fashion-MNIST files (gzip) to {@code dir}: {@code trainCount} and {@code testCount}
     * 28x28 images with pixels {@link #pixel} and labels i % 10.
     */
    public static void fashionMnist(Path dir, int trainCount, int testCount) throws IOException {
        Files.createDirectories(dir);
        for (String prefix : new String[] {"train", "t10k"}) {
            int n = prefix.equals("train") ? trainCount : testCount;
            byte[] images = new byte[n * 784];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
                for (int p = 0; p < 784; p++) {
                    images[i * 784 + p] = (byte) pixel(i, p);
                }
            }
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), gzip(idx(0x08, new int[] {n, 28, 28}, images)));
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(idx(0x08, new int[] {n}, labels)));
        }
    }
}
