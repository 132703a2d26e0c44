package io.reluquant.validation.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files written atomically: to a temporary file beside the target, forced to disk and renamed over it, so that a reader
 * (or a run killed half-way) only ever sees the old or the new complete file.
 */
public final class AtomicFiles {
    private static final int BUFFER = 1 << 16;

    /** What a file's content is: written to a stream, which it must not close. */
    @FunctionalInterface
    public interface Content {
        /** Writes the content to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes {@code bytes} to a temporary file next to {@code file}, forces it to disk, renames it
     * over {@code file} atomically and forces the directory entry, so that a crash at any moment
     * leaves either the old or the new complete file.
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /**
     * Writes {@code content} atomically (see {@link #write(Path, byte[])}): on any failure
     * (a full disk, say) the temporary file is removed and {@code file} is left as it was.
     */
    public static void write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream os = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
                content.writeTo(os);
                os.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        // persist the rename itself; some platforms cannot open a directory for sync, which is not an error
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the data file itself is already on disk
        }
    }
}
