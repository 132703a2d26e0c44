package io.reluquant.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files written atomically: to a temporary file beside the target, forced to disk and renamed over it, so that a reader
 * (or a run killed half-way) only ever sees the old or the new complete file.
 *
 * <p>What a write does with what it finds at the path (as {@code sed -i --follow-symlinks} and
 * databases do): a regular file is replaced; a symbolic link is written through (the file it points
 * to is replaced, in that file's folder, and the link stays); a dangling link, a folder, a FIFO, a
 * device or a socket is refused with {@link OutputRefusedException} before anything is written.
 *
 * <p>Temporary files are named {@code .<name>.<pid>-<random>.tmp} (the name shortened with a hash
 * when it is long, so the temporary name stays within 255 bytes): unique per process and write, and
 * only removed by the process that made them, or by {@link #removeStale} once that process is gone.
 * No file name ever reaches a pattern language (glob or regex).
 */
public final class AtomicFiles {
    private static final int BUFFER = 1 << 16;
    private static final long PID = ProcessHandle.current().pid();
    private static final SecureRandom RANDOM = new SecureRandom();
    // longest file name kept as it is inside a temporary or lock name (bytes of UTF-8); NAME_MAX is 255
    private static final int STEM_BYTES = 120;
    private static final Pattern OWNED = Pattern.compile("([0-9]{1,19})-[0-9a-f]{16}");

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
     *
     * @throws OutputRefusedException if the path holds something other than a regular file (or a link to one)
     */
    public static void write(Path file, Content content) throws IOException {
        Path target = target(file);
        Path dir = target.getParent();
        Path tmp = createOwned(target, "tmp");
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

    /**
     * The file a write of {@code file} replaces: its absolute path in its folder's real path, or, for
     * a symbolic link, the real path of the file it points to.
     *
     * @throws OutputRefusedException for a dangling link, a folder or a special file (FIFO, device, socket)
     * @throws NoSuchFileException if the folder does not exist
     */
    public static Path target(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path real;
        if (Files.isSymbolicLink(abs)) {
            try {
                real = abs.toRealPath();
            } catch (NoSuchFileException e) {
                throw new OutputRefusedException(file + " is a symbolic link to a missing file (" + Files.readSymbolicLink(abs)
                        + "): refusing to create a file through it");
            }
        } else {
            Path parent = abs.getParent();
            if (parent == null || abs.getFileName() == null) {
                throw new OutputRefusedException(file + " is not a file name");
            }
            real = parent.toRealPath().resolve(abs.getFileName());
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return real; // a new file
        }
        if (attrs.isDirectory()) {
            throw new OutputRefusedException(file + " is a folder, not a file");
        }
        if (!attrs.isRegularFile()) {
            throw new OutputRefusedException(file + (real.equals(abs) ? "" : " (" + real + ")") + " is a special file (" + kind(real)
                    + "), not a regular file: refusing to replace it (write to a regular file and copy it there yourself)");
        }
        return real;
    }

    private static String kind(Path p) {
        try {
            Object type = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int mode = ((Integer) type) & 0170000;
            switch (mode) {
                case 0010000: return "a FIFO";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: return "mode " + Integer.toOctalString(mode);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "not a regular file";
        }
    }

    /**
     * The name of {@code fileName} as it appears inside temporary and lock names: itself when short,
     * else its first characters and a hash of the whole, so that {@code .<stem>.<pid>-<random>.tmp}
     * stays under the 255-byte limit of a file name.
     */
    static String stem(String fileName) {
        byte[] bytes = fileName.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= STEM_BYTES) {
            return fileName;
        }
        StringBuilder head = new StringBuilder();
        int used = 0;
        for (int i = 0; i < fileName.length();) {
            int cp = fileName.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > 60) {
                break;
            }
            head.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(bytes);
            return head + "~" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * Creates a new empty file {@code .<stem>.<pid>-<random>.<suffix>} beside {@code target} (never
     * an existing one).
     */
    static Path createOwned(Path target, String suffix) throws IOException {
        String stem = stem(target.getFileName().toString());
        for (int attempt = 0; ; attempt++) {
            Path p = target.resolveSibling("." + stem + "." + PID + "-" + HexFormat.of().toHexDigits(RANDOM.nextLong()) + "." + suffix);
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Checks that a new file can be created beside {@code target} (permission bits do not tell about
     * read-only mounts or quotas) by creating and removing one.
     */
    public static void probe(Path target) throws IOException {
        Files.delete(createOwned(target, "probe"));
    }

    /**
     * Removes the temporary files that writes of {@code target} by processes no longer running left
     * behind (a killed run's leftovers: never a complete file). Files of running processes, of this
     * one, and anything not named exactly as this class names its temporary files are left alone.
     * Call it holding {@link OutputLock} for {@code target}, so that no other run is writing it.
     *
     * @return how many were removed
     */
    public static int removeStale(Path target) throws IOException {
        String prefix = "." + stem(target.getFileName().toString()) + ".";
        int removed = 0;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(target.getParent())) {
            for (Path p : all) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || !(name.endsWith(".tmp") || name.endsWith(".probe"))) {
                    continue;
                }
                String middle = name.substring(prefix.length(), name.lastIndexOf('.'));
                Matcher m = OWNED.matcher(middle);
                if (!m.matches()) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != PID && ProcessHandle.of(pid).isEmpty() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** @return the id of this process, as temporary and lock files record it */
    public static long pid() {
        return PID;
    }
}
