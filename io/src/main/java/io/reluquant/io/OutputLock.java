package io.reluquant.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive claim on an output file for the length of a run, so that two runs never write the same
 * file: an OS lock ({@code fcntl}, released by the kernel when the process dies, so a killed run never
 * leaves a stale claim) on {@code .<name>.lock} beside it, which holds the owner's process id for the
 * message a second run prints.
 *
 * <p>The lock file stays after the run (empty of meaning once unlocked): removing it would let a run
 * that opened it just before the removal lock a file no longer in the folder while a third run locks
 * a new one. Claims inside one JVM are kept in a set and never touch the file twice, because POSIX
 * drops all of a process's locks on a file when any of its descriptors for that file is closed.
 */
public final class OutputLock implements AutoCloseable {
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** @return the lock file of {@code target}: {@code .<name>.lock} beside it */
    public static Path lockFile(Path target) {
        return target.resolveSibling("." + AtomicFiles.stem(target.getFileName().toString()) + ".lock");
    }

    /**
     * Claims {@code target} (a path from {@link AtomicFiles#target}) or fails at once.
     *
     * @param option how the message names the path, e.g. "--out o.npz"
     * @throws OutputRefusedException if another run holds it, naming that run's process id
     */
    public static OutputLock acquire(Path target, String option) throws IOException {
        Path file = lockFile(target);
        if (!HELD.add(file)) {
            throw refused(option, "this process, " + AtomicFiles.pid(), file);
        }
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    ch.close();
                    throw refused(option, holder(file), file);
                }
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((AtomicFiles.pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                ch.force(false);
                return new OutputLock(file, ch, lock);
            } catch (IOException | RuntimeException e) {
                if (ch.isOpen()) {
                    ch.close();
                }
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    private static OutputRefusedException refused(String option, String holder, Path file) {
        return new OutputRefusedException(option + " is being written by another reluquant run (" + holder + "; lock file "
                + file.getFileName() + "): wait for it to end or choose another file");
    }

    private static String holder(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            text = "";
        }
        return !text.isEmpty() && text.length() < 20 && text.chars().allMatch(Character::isDigit) ? "process " + text
                : "process id not yet recorded";
    }

    /** Ends the claim (the lock file stays, unlocked). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD.remove(file);
            }
        }
    }
}
