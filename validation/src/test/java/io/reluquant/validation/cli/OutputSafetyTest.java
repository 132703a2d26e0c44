package io.reluquant.validation.cli;

// Proves: no command overwrites one of its inputs, replaces a special file, breaks a symbolic link, deletes another run's temporary file or shares its output with a concurrent run, and file names never reach a pattern language.

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.Checkpoint;
import io.reluquant.io.OutputLock;
import io.reluquant.io.OutputRefusedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutputSafetyTest extends TrainingFiles {
    @BeforeEach
    void data() throws IOException {
        write(new double[] {0.1, -0.4, 0.7, 0.2, -0.9, 0.5}, new double[] {0.3, -0.1, 0.2}, 2);
    }

    private Cli train(Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(),
                "--width", "8", "--lr", "0.1", "--steps", "5", "--threads", "1"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    private static void assertOneLine(int status, Cli r, String... words) {
        assertEquals(status, r.status, r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        for (String w : words) {
            assertTrue(r.err.contains(w), "'" + w + "' in: " + r.err);
        }
    }

    @Test
    void anOutputThatIsAnInputByAnyNameIsRefusedAndTheInputKept() throws Exception {
        byte[] xBytes = Files.readAllBytes(x);
        byte[] yBytes = Files.readAllBytes(y);
        assertOneLine(2, train(x), "--out " + x, "same file as --x", "refusing to overwrite an input");
        assertOneLine(2, train(tmp.resolve(".").resolve("y.npy")), "same file as --y");
        Path hard = Files.createLink(tmp.resolve("hard.npy"), y);
        assertOneLine(2, train(hard), "same file as --y");
        Path viaLink = Files.createSymbolicLink(tmp.resolve("xlink.npz"), x);
        assertOneLine(2, train(viaLink), "same file as --x");
        Path sub = Files.createDirectory(tmp.resolve("sub"));
        assertOneLine(2, train(sub.resolve("..").resolve("x.npy")), "same file as --x");
        // an --init-params file too
        Path p = tmp.resolve("p.npz");
        assertEquals(0, train(p).status);
        byte[] pBytes = Files.readAllBytes(p);
        assertOneLine(2, Cli.run("train", "--x", x.toString(), "--y", y.toString(), "--out", p.toString(), "--init-params", p.toString(),
                "--lr", "0.1", "--steps", "5"), "same file as --init-params");
        assertArrayEquals(xBytes, Files.readAllBytes(x));
        assertArrayEquals(yBytes, Files.readAllBytes(y));
        assertArrayEquals(pBytes, Files.readAllBytes(p));
        // match and analyze: their outputs against their inputs and each other
        assertOneLine(2, Cli.run("match", "--x", x.toString(), "--y", y.toString(), "--csv", y.toString(), "--steps", "2"), "--csv",
                "same file as --y");
        Path m = tmp.resolve("m.out");
        assertOneLine(2, Cli.run("match", "--csv", m.toString(), "--plot", m.toString(), "--steps", "2"), "--plot", "same file as --csv");
        assertOneLine(2, Cli.run("analyze", "--params", p.toString(), "--x", x.toString(), "--y", y.toString(), "--json", p.toString()),
                "--json", "same file as --params");
        assertArrayEquals(pBytes, Files.readAllBytes(p));
        assertArrayEquals(yBytes, Files.readAllBytes(y));
    }

    @Test
    void specialFilesAreRefusedAndLinksWrittenThrough() throws Exception {
        Path fifo = tmp.resolve("fifo.npz");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        assertOneLine(2, train(fifo), "a FIFO", "not a regular file");
        assertTrue(Files.readAttributes(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode") instanceof Integer);
        assertEquals(0010000, (Integer) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000, "still a FIFO");
        assertOneLine(2, train(Path.of("/dev/null")), "/dev/null", "a character device");
        assertEquals(0020000, (Integer) Files.getAttribute(Path.of("/dev/null"), "unix:mode") & 0170000);
        // a link to a regular file: the file it points to is replaced, the link stays
        Path real = Files.writeString(tmp.resolve("real.npz"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.npz"), Path.of("real.npz"));
        assertEquals(0, train(link).status);
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(5, Checkpoint.read(real).step(), "its target holds the checkpoint");
        // a link to nothing: refused, nothing created
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.npz"), Path.of("missing.npz"));
        assertOneLine(2, train(dangling), "symbolic link to a missing file");
        assertFalse(Files.exists(tmp.resolve("missing.npz")));
    }

    @Test
    void namesWithPatternCharactersLongNamesAndOtherRunsTemporaryFiles() throws Exception {
        // another run's temporary file (a live process: this test's parent) and one of a process that is gone
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        Path othersLive = Files.writeString(tmp.resolve(".shared.npz." + live + "-00000000000000aa.tmp"), "in progress");
        Path othersGone = Files.writeString(tmp.resolve(".shared.npz." + gone.pid() + "-00000000000000bb.tmp"), "killed");
        Path notOurs = Files.writeString(tmp.resolve(".shared.npz.17.tmp"), "someone else's");
        List<String> names = new java.util.ArrayList<>(List.of("*.npz", "o{1.npz", "[a-z].npz", "a?b.npz", "x".repeat(246) + ".npz"));
        if ("UTF-8".equals(System.getProperty("sun.jnu.encoding"))) {
            names.add("\u00e9t\u00e9 \u6f22.npz"); // a JVM under a non-UTF-8 locale cannot name it (LauncherTest covers that case)
        } else {
            System.out.println("this JVM's file names are " + System.getProperty("sun.jnu.encoding") + ": no UTF-8 name in-process");
        }
        for (String name : names) {
            Path out = tmp.resolve(name);
            Cli r = train(out);
            assertEquals(0, r.status, name + ": " + r.err);
            assertEquals(5, Checkpoint.read(out).step(), name);
        }
        assertTrue(Files.exists(othersLive) && Files.exists(othersGone) && Files.exists(notOurs),
                "runs on other outputs ('*.npz' included) touch no file of shared.npz");
        assertEquals(0, train(tmp.resolve("shared.npz")).status);
        assertTrue(Files.exists(othersLive), "a running process's temporary file stays");
        assertFalse(Files.exists(othersGone), "a gone process's leftover is removed by the next run on that file");
        assertTrue(Files.exists(notOurs), "a file not named as ours is never removed");
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".probe")), "no probe file left");
        }
    }

    /**
     * Two runs on one --out: the second is refused at once with the first's process id, the first ends
     * normally and leaves a valid checkpoint. Inside one JVM the claim is refused too.
     */
    @Test
    void aSecondRunOnTheSameOutIsRefusedAtOnceNamingTheFirst() throws Exception {
        Path out = tmp.resolve("shared.npz");
        Process first = Child.start(Child.command("train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "2000",
                "--lr", "0.001", "--steps", "100000000", "--threads", "1", "--checkpoint-every", "1000", "--log-every", "100000000"), tmp, "first");
        try {
            Path lock = OutputLock.lockFile(out);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (!Files.exists(out) && System.nanoTime() < deadline) { // its first checkpoint: it is training
                Thread.sleep(50);
            }
            assertTrue(Files.exists(out), "the first run wrote a checkpoint");
            assertEquals(Long.toString(first.pid()), Files.readString(lock).strip(), "the lock file names the first run");
            long t0 = System.nanoTime();
            Cli second = train(out);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertOneLine(2, second, "being written by another reluquant run", "process " + first.pid());
            assertTrue(seconds < 5, "refused at once: " + seconds + " s");
            assertTrue(first.isAlive(), "the first run goes on");
        } finally {
            first.destroy(); // SIGTERM: the last complete checkpoint stays
            first.waitFor(30, TimeUnit.SECONDS);
        }
        Checkpoint c = Checkpoint.read(out);
        assertTrue(c.step() > 0 && c.step() % 1000 == 0, "a valid checkpoint of the first run: step " + c.step());
        Cli again = train(out);
        assertEquals(0, again.status, "free again once the first ended: " + again.err);
        try (OutputLock held = OutputLock.acquire(out, "--out " + out)) {
            OutputRefusedException e = org.junit.jupiter.api.Assertions.assertThrows(OutputRefusedException.class,
                    () -> OutputLock.acquire(out, "--out " + out));
            assertTrue(e.getMessage().contains("this process"), e.getMessage());
        }
        OutputLock.acquire(out, "--out " + out).close();
    }
}
