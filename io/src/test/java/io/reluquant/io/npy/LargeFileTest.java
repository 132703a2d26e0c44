// Proves: arrays past 2^31 bytes stream out and back, checked at offsets beyond 2^31 and by numpy.
package io.reluquant.io.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Arrays past 2^31 bytes: a float64 .npy of 2 GiB + 8 KiB written by streaming, checked at byte
 * offsets beyond 2^31 and by numpy; then one numpy wrote read back. Needs about 2.2 GB of heap and
 * 4.5 GB of disk under target/ (deleted after); with less, the largest size that fits is used and
 * printed.
 */
class LargeFileTest {
    @Test
    void offsetArithmeticIsLongAndRefusesOverflow() throws NpyFormatException {
        assertEquals(128 + 8L * (1L << 28), NpyReader.byteOffset(128, 1L << 28, 8));
        assertEquals(64 + 8L * Integer.MAX_VALUE, NpyReader.byteOffset(64, Integer.MAX_VALUE, 8), "past 2^34");
        assertEquals(Long.MAX_VALUE, NpyReader.byteOffset(Long.MAX_VALUE - 8, 1, 8));
        assertThrows(NpyFormatException.class, () -> NpyReader.byteOffset(Long.MAX_VALUE - 7, 1, 8));
        assertThrows(NpyFormatException.class, () -> NpyReader.byteOffset(0, Long.MAX_VALUE / 4, 8));
        // a whole file's size: the padded header plus the elements
        assertEquals(128 + 8L * 3, Npy.npySize(NdArray.ofDoubles(new double[3], 3)));
    }

    @Test
    void aFloat64ArrayPast2GiBRoundTripsWithNumpy() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "large-npy"));
        Path ours = dir.resolve("ours.npy");
        Path theirs = dir.resolve("theirs.npy");
        boolean numpy = hasNumpy();
        long free = Files.getFileStore(dir).getUsableSpace();
        long heap = Runtime.getRuntime().maxMemory();
        long want = (1L << 28) + 1024; // 2 GiB + 8 KiB of data
        long fits = Math.min((free / 3 - (1L << 28)) / 8, (heap - (256L << 20)) / 8);
        int n = (int) Math.max(1024, Math.min(want, fits));
        long t0 = System.nanoTime();
        try {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = i + 0.25; // exact: every element distinct and checkable
            }
            Npy.writeNpy(ours, NdArray.adopt(DType.FLOAT64, new int[] {n}, v, null, null));
            v = null;
            long dataStart = 128;
            assertEquals(NpyReader.byteOffset(dataStart, n, 8), Files.size(ours));
            try (FileChannel ch = FileChannel.open(ours, StandardOpenOption.READ)) {
                for (long i : new long[] {0, n / 2, (1L << 28) - 1, n - 1}) {
                    if (i >= n) {
                        continue;
                    }
                    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    ch.read(b, NpyReader.byteOffset(dataStart, i, 8));
                    assertEquals(i + 0.25, b.getDouble(0), "element " + i + " at byte " + NpyReader.byteOffset(dataStart, i, 8));
                }
            }
            if (numpy) {
                String check = python("import numpy as np, sys\n"
                        + "a = np.load(sys.argv[1], mmap_mode='r'); n = " + n + "\n"
                        + "assert a.dtype == np.float64 and a.shape == (n,), (a.dtype, a.shape)\n"
                        + "for i in (0, n // 2, n - 1): assert a[i] == i + 0.25, (i, a[i])\n"
                        + "assert np.array_equal(a[-4096:], np.arange(n - 4096, n) + 0.25)\n"
                        + "b = np.lib.format.open_memmap(sys.argv[2], mode='w+', dtype='<f8', shape=(n,))\n"
                        + "b[:] = -np.arange(n, dtype='<f8'); b.flush(); del b\n"
                        + "print('numpy ok')\n", ours.toString(), theirs.toString());
                assertTrue(check.contains("numpy ok"), check);
                Files.delete(ours);
                NdArray back = Npy.readNpy(theirs);
                double[] values = back.rawDoubles();
                assertEquals(n, values.length);
                for (int i = 0; i < n; i++) {
                    if (values[i] != -i) {
                        throw new AssertionError("element " + i + " of numpy's file reads " + values[i]);
                    }
                }
            } else {
                NdArray back = Npy.readNpy(ours);
                double[] values = back.rawDoubles();
                for (int i = 0; i < n; i++) {
                    if (values[i] != i + 0.25) {
                        throw new AssertionError("element " + i + " reads " + values[i]);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(ours);
            Files.deleteIfExists(theirs);
        }
        System.out.printf("large .npy: %d float64 (%d bytes%s) written, read at offsets past 2^31, %s, %.1f s%n", n, 8L * n,
                n == want ? ", past 2^31" : ", the largest that fits here: heap " + heap + ", disk " + free,
                numpy ? "checked by numpy and numpy's own file read back" : "numpy unavailable: read back by this reader only",
                (System.nanoTime() - t0) / 1e9);
    }

    private static boolean hasNumpy() {
        try {
            return python("import numpy\nprint('numpy ok')\n").contains("numpy ok");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String python(String script, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[3 + args.length];
        cmd[0] = "python3";
        cmd[1] = "-c";
        cmd[2] = script;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }
}
