// Proves: train killed at random moments and resumed ends byte-identical to an uninterrupted run, and a failed checkpoint write keeps the previous one.
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.reluquant.io.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code reluquant train} in a child JVM, killed with SIGKILL at random moments while it trains
 * and rewrites its checkpoint, resumed each time: no kill may leave an unreadable checkpoint or
 * lose a saved step, and the final file must be byte-identical to an uninterrupted run. Also a
 * checkpoint write that fails (the file-size limit of the child, set with ulimit -f, stands in for
 * a full disk: the write gets EFBIG where a full disk gives ENOSPC) must keep the previous
 * checkpoint and exit 1 with one line.
 */
class CrashSoakTest extends TrainingFiles {
    static final int KILLS = 20;

    @BeforeEach
    void data() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 64;
        int d = 3;
        double[] xs = new double[n * d];
        double[] ys = new double[n];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < n; i++) {
            ys[i] = Math.abs(xs[i * d]) - 0.5 * xs[i * d + 1];
        }
        write(xs, ys, d);
    }

    private String[] fresh(Path out, long steps, long checkpointEvery) {
        return new String[] {"train", "--x", x.toString(), "--y", y.toString(), "--out", out.toString(), "--width", "1000",
            "--lr", "0.05", "--steps", Long.toString(steps), "--log-every", "7", "--checkpoint-every",
            Long.toString(checkpointEvery), "--threads", "2", "--seed", "9", "--quiet"};
    }

    private String[] resume(Path out) {
        return new String[] {"train", "--x", x.toString(), "--y", y.toString(), "--resume", out.toString(), "--threads", "1", "--quiet"};
    }

    @Test
    void sigkillAtRandomMomentsThenResumeGivesTheUninterruptedFile() throws Exception {
        long steps = 4_000;
        Path full = tmp.resolve("full.npz");
        Cli uninterrupted = Cli.run(fresh(full, steps, 40));
        assertEquals(0, uninterrupted.status, uninterrupted.err);

        Path out = tmp.resolve("killed.npz");
        SplittableRandom rnd = new SplittableRandom(System.nanoTime());
        long t0 = System.nanoTime();
        int kills = 0;
        int leftovers = 0;
        long lastStep = 0;
        List<Long> killedAt = new ArrayList<>();
        while (kills < KILLS) {
            boolean exists = Files.exists(out);
            FileTime before = exists ? Files.getLastModifiedTime(out) : null;
            Process p = Child.start(Child.command(exists ? resume(out) : fresh(out, steps, 40)), tmp, "child");
            // wait until the child is training (it rewrote the checkpoint), then kill it a random moment later:
            // mid-step, mid-write or between the write and the rename
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (p.isAlive() && System.nanoTime() < deadline
                    && (!Files.exists(out) || before != null && Files.getLastModifiedTime(out).equals(before))) {
                Thread.sleep(2);
            }
            if (!p.isAlive()) {
                fail("the run ended after " + kills + " kills (status " + p.exitValue() + ", "
                        + Files.readString(tmp.resolve("child.err")) + "): make it longer");
            }
            Thread.sleep(rnd.nextInt(40));
            p.destroyForcibly(); // SIGKILL on Unix
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "killed child exits");
            kills++;
            try (Stream<Path> files = Files.list(tmp)) {
                leftovers += (int) files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
            }
            assertTrue(Files.exists(out), "a checkpoint exists after the child rewrote it");
            Checkpoint c = Checkpoint.read(out); // never unreadable
            assertTrue(c.step() >= lastStep, "a kill lost saved steps: " + c.step() + " < " + lastStep);
            assertTrue(c.step() < steps, "the run finished before the kill; make it longer");
            lastStep = c.step();
            killedAt.add(c.step());
        }
        String[] last = Child.run(Child.command(resume(out)), tmp, "final");
        assertEquals("0", last[0], last[2]);
        assertArrayEquals(Files.readAllBytes(full), Files.readAllBytes(out),
                "killed and resumed " + kills + " times, the final file equals the uninterrupted run's");
        try (Stream<Path> files = Files.list(tmp)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "the last run removed stale temporary files");
        }
        System.out.printf("crash soak: %d SIGKILLs (%d during a checkpoint write, leaving a temporary file), checkpoints "
                + "at steps %s, final file byte-identical to the uninterrupted run, %.1f s%n", kills, leftovers, killedAt,
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void aFailingCheckpointWriteKeepsThePreviousCheckpointAndExitsWithOneLine() throws Exception {
        Path out = tmp.resolve("run.npz");
        assertEquals(0, Cli.run(fresh(out, 40, 20)).status);
        byte[] saved = Files.readAllBytes(out);
        // a file-size limit below one checkpoint (bash counts ulimit -f in KiB): the next write fails half-way
        long limitKib = saved.length / 1024 / 2;
        List<String> java = Child.command(resume(out));
        java.addAll(List.of("--steps", "100"));
        StringBuilder line = new StringBuilder("ulimit -f " + limitKib + "; exec");
        for (String arg : java) {
            line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        String[] r = Child.run(List.of("bash", "-c", line.toString()), tmp, "full-disk");
        assertEquals("1", r[0], "exit status 1; stderr: " + r[2]);
        List<String> lines = Child.ownLines(r[2]);
        assertEquals(1, lines.size(), "one line: " + r[2]);
        assertTrue(lines.get(0).startsWith("reluquant train: I/O error"), r[2]);
        assertArrayEquals(saved, Files.readAllBytes(out), "the previous checkpoint is intact");
        assertEquals(40, Checkpoint.read(out).step());
        try (Stream<Path> files = Files.list(tmp)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        System.out.println("failing checkpoint write (file-size limit " + limitKib + " KiB < " + saved.length
                + " bytes): " + lines.get(0));
    }
}
