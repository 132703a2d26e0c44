// Proves: at the limits the CLI refuses before allocating or training (sizes past the heap, zip bombs, unusable --out) and reports Errors in one line.
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.Checkpoint;
import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.kernel.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a new user runs into at the limits: sizes beyond the heap refused before allocating, a zip
 * bomb refused before inflating, an unusable --out refused before training, and Errors (not only
 * Exceptions) reported in one line.
 */
class CliRobustnessTest extends TrainingFiles {
    @BeforeEach
    void data() throws IOException {
        write(new double[] {0.1, -0.4, 0.7, 0.2, -0.9, 0.5}, new double[] {0.3, -0.1, 0.2}, 2);
    }

    private static List<String> lines(String text) {
        return text.strip().lines().collect(java.util.stream.Collectors.toList());
    }

    @Test
    void aWidthBeyondTheHeapIsRefusedAtOnceNamingBytesAndXmx() {
        Path out = tmp.resolve("out.npz");
        long t0 = System.nanoTime();
        Cli r = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "1000000000",
                "--lr", "0.1", "--steps", "10");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.status);
        assertEquals(1, lines(r.err).size(), r.err);
        assertTrue(r.err.contains("32000000000 bytes") && r.err.contains("-Xmx") && r.err.contains("JAVA_OPTS"), r.err);
        assertTrue(seconds < 10, "refused before allocating, in " + seconds + " s");
        assertFalse(Files.exists(out));
    }

    /** An .npz of a few hundred KiB whose w inflates to 400 MB, read by a JVM with a 128 MB heap. */
    @Test
    void aZipBombInitParamsIsRefusedBeforeInflating() throws Exception {
        Path bomb = tmp.resolve("bomb.npz");
        int m = 50_000_000;
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            writeEntry(zip, "a", NdArray.ofDoubles(new double[] {1}, 1));
            zip.putNextEntry(new ZipEntry("w.npy"));
            String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + m + ", 2), }";
            byte[] header = npyHeader(dict);
            zip.write(header);
            byte[] zeros = new byte[1 << 20];
            for (long left = 16L * m; left > 0; left -= zeros.length) {
                zip.write(zeros, 0, (int) Math.min(left, zeros.length));
            }
            zip.closeEntry();
        }
        assertTrue(Files.size(bomb) < 2_000_000, "the bomb is small: " + Files.size(bomb));
        String[] r = Child.run(Child.command(System.getProperty("java.class.path"), List.of("-Xmx128m"), "train", "--x",
                x.toString(), "--y", y.toString(), "--out", tmp.resolve("o.npz").toString(), "--init-params",
                bomb.toString(), "--lr", "0.1", "--steps", "1"), tmp, "bomb");
        List<String> own = Child.ownLines(r[2]);
        assertEquals("2", r[0], r[2]);
        assertEquals(1, own.size(), r[2]);
        assertTrue(own.get(0).contains("w.npy") && own.get(0).contains("800000000 bytes") && own.get(0).contains("-Xmx"), own.get(0));
        System.out.println("zip bomb (" + Files.size(bomb) + " bytes -> 800 MB) with -Xmx128m: " + own.get(0));
    }

    private static void writeEntry(ZipOutputStream zip, String name, NdArray array) throws IOException {
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        zip.write(Npy.toBytes(array));
        zip.closeEntry();
    }

    static byte[] npyHeader(String dict) {
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        StringBuilder h = new StringBuilder(dict);
        while (10 + h.length() + 1 < padded) {
            h.append(' ');
        }
        h.append('\n');
        byte[] out = new byte[padded];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
        System.arraycopy(magic, 0, out, 0, 8);
        out[8] = (byte) (h.length() & 0xff);
        out[9] = (byte) (h.length() >> 8);
        System.arraycopy(h.toString().getBytes(StandardCharsets.ISO_8859_1), 0, out, 10, h.length());
        return out;
    }

    @Test
    void anUnusableOutIsRefusedBeforeTraining() throws Exception {
        Cli missing = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", tmp.resolve("no/such/dir/o.npz").toString(),
                "--width", "4", "--lr", "0.1", "--steps", "10");
        assertEquals(2, missing.status);
        assertTrue(missing.err.contains("does not exist") && lines(missing.err).size() == 1, missing.err);
        Path folder = Files.createDirectory(tmp.resolve("folder.npz"));
        Cli dir = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", folder.toString(),
                "--width", "4", "--lr", "0.1", "--steps", "10");
        assertEquals(2, dir.status);
        assertTrue(dir.err.contains("is a folder"), dir.err);
        // a stale temporary file of a killed run is removed; the estimate of one checkpoint bounds the real size
        Path out = tmp.resolve("o.npz");
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        Path stale = Files.writeString(tmp.resolve(".o.npz." + gone.pid() + "-0123456789abcdef.tmp"), "half a checkpoint");
        Cli ok = Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "300",
                "--lr", "0.1", "--steps", "50", "--log-every", "1");
        assertEquals(0, ok.status, ok.err);
        assertFalse(Files.exists(stale));
        long estimate = TrainCommand.checkpointBytes(Checkpoint.read(out));
        assertTrue(Files.size(out) <= estimate && estimate < 2 * Files.size(out) + 20_000,
                "estimate " + estimate + " vs " + Files.size(out));
    }

    @Test
    void anErrorIsReportedInOneLineWithTheTraceOnlyWhenDebugging() {
        StringWriter err = new StringWriter();
        int status = ReluquantCommand.fatal(new PrintWriter(err), new OutOfMemoryError("Java heap space"));
        assertEquals(1, status);
        assertEquals(1, lines(err.toString()).size(), err.toString());
        assertTrue(err.toString().contains("out of memory") && err.toString().contains("JAVA_OPTS=-Xmx"), err.toString());
        StringWriter err2 = new StringWriter();
        ReluquantCommand.fatal(new PrintWriter(err2), new NoClassDefFoundError("picocli/CommandLine"));
        assertTrue(err2.toString().contains("broken installation") && lines(err2.toString()).size() == 1, err2.toString());
    }

    /** The launcher's class path without picocli: NoClassDefFoundError, as after a rebuild under a running install. */
    @Test
    void aMissingLibraryEndsInOneLineAndExitOneAndATraceWithDebug() throws Exception {
        List<String> cp = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {ReluquantCommand.class, Trainer.class}) {
            cp.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        List<String> cmd = Child.command(String.join(java.io.File.pathSeparator, cp), List.of(), "train", "--help");
        String[] plain = Child.run(cmd, tmp, "nopicocli");
        List<String> own = Child.ownLines(plain[2]);
        assertEquals("1", plain[0], plain[2]);
        assertEquals(1, own.size(), plain[2]);
        assertTrue(own.get(0).startsWith("reluquant: broken installation: java.lang.NoClassDefFoundError"), own.get(0));
        String[] debug = Child.run(cmd, tmp, "nopicocli-debug", "RELUQUANT_DEBUG", "1");
        assertEquals("1", debug[0]);
        assertTrue(debug[2].contains("\tat "), "a stack trace with RELUQUANT_DEBUG=1: " + debug[2]);
        System.out.println("missing library: " + own.get(0));
    }

    @Test
    void checkOutputRejectsAFolderThatIsAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        UsageException e = assertThrows(UsageException.class, () -> TrainCommand.checkFolder(file.resolve("o.npz")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
