package io.reluquant.io.npy;

import static io.reluquant.io.npy.NpyHeader.*;

import io.reluquant.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** .npz archives: zip files of .npy members, read with every CRC checked twice, written like np.savez (see {@link Npy}). */
final class Npz {
    /** zip entry time: fixed so that equal arrays give byte-identical archives */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {}

    /**
     * Reads every array of an .npz archive, in archive order, keyed by name (the entry name without
     * ".npy"). Each entry is streamed: its declared shape is checked against the heap before
     * anything is allocated, and no more than that many bytes are ever inflated (a zip bomb is
     * refused, not expanded).
     */
    static Map<String, NdArray> readNpz(Path file) throws IOException {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw Files.exists(file) ? new NpyFormatException(source + ": not a regular file")
                    : new NoSuchFileException(source, null, "no such file");
        }
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String entryName = entry.getName();
                String where = source + " entry '" + printable(entryName) + "'";
                if (!entryName.endsWith(".npy")) {
                    throw new NpyFormatException(where + ": not a .npy member (not an array archive written by numpy.savez)");
                }
                String name = entryName.substring(0, entryName.length() - 4);
                if (arrays.containsKey(name)) {
                    throw new NpyFormatException(where + ": duplicate array name '" + name + "'");
                }
                long size = entry.getSize();
                if (size < 0) {
                    throw new NpyFormatException(where + ": the zip directory does not give its size (corrupt)");
                }
                // deflate cannot expand more than 1032:1, and a stored entry not at all: a larger declared
                // size is a forged directory (a zip bomb's trick), refused before anything is inflated
                long packed = entry.getCompressedSize();
                if (packed >= 0 && (entry.getMethod() == ZipEntry.STORED ? size != packed : size > 1100 * packed + 1024)) {
                    throw new NpyFormatException(where + ": declares " + size + " bytes from " + packed
                            + " compressed, more than the zip format can hold (corrupt, or a zip bomb)");
                }
                // ZipFile does not verify CRCs: do it while streaming, so a flipped byte in the data is caught
                CRC32 crc = new CRC32();
                NdArray array;
                try (CheckedInputStream in = new CheckedInputStream(
                        new BufferedInputStream(zip.getInputStream(entry), CHUNK), crc)) {
                    array = NpyReader.read(in, size, where);
                    if (in.read() != -1) {
                        throw new NpyFormatException(where + ": holds more than the " + size + " bytes its directory entry declares (corrupt)");
                    }
                } catch (ZipException | java.io.EOFException e) {
                    throw new NpyFormatException(where + ": corrupt or truncated (" + printable(e.getMessage()) + ")", e);
                }
                if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                    throw new NpyFormatException(where + ": CRC mismatch (file is corrupt)");
                }
                arrays.put(name, array);
            }
            crossCheckLocalHeaders(file, arrays.size(), zip);
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            // IllegalArgumentException: ZipFile's reaction to a malformed entry name
            throw new NpyFormatException(source + ": not a valid .npz (zip) archive (" + printable(e.getMessage()) + ")", e);
        }
        return arrays;
    }

    /**
     * ZipFile trusts the central directory at the end of the archive; a zip also names and sizes
     * every entry in a local header before its data. Reading the archive a second time front to
     * back (ZipInputStream, which also checks every entry's CRC) and requiring the same entries in
     * the same order with the same contents catches corruption in either copy of the metadata.
     * Streams each entry through one buffer and stops past its declared size.
     */
    private static void crossCheckLocalHeaders(Path file, int expected, ZipFile zip) throws IOException {
        String source = file.toString();
        int count = 0;
        Enumeration<? extends ZipEntry> central = zip.entries();
        byte[] buf = new byte[CHUNK];
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(
                new BufferedInputStream(Files.newInputStream(file), CHUNK))) {
            ZipEntry local;
            while ((local = in.getNextEntry()) != null) {
                ZipEntry c = central.hasMoreElements() ? central.nextElement() : null;
                if (c == null || !c.getName().equals(local.getName())) {
                    throw new NpyFormatException(source + ": corrupt zip (local header names '" + printable(local.getName())
                            + "' where the directory has '" + (c == null ? "nothing" : printable(c.getName())) + "')");
                }
                CRC32 crc = new CRC32();
                long total = 0;
                for (int k = in.read(buf); k >= 0; k = in.read(buf)) {
                    crc.update(buf, 0, k);
                    total += k;
                    if (total > c.getSize()) {
                        throw new NpyFormatException(source + " entry '" + printable(c.getName()) + "': holds more than the "
                                + c.getSize() + " bytes its directory entry declares (corrupt)");
                    }
                }
                if (total != c.getSize() || crc.getValue() != c.getCrc()) {
                    throw new NpyFormatException(source + " entry '" + printable(c.getName()) + "': CRC mismatch (file is corrupt)");
                }
                count++;
            }
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            throw new NpyFormatException(source + ": corrupt zip (" + printable(e.getMessage()) + ")", e);
        }
        if (count != expected) {
            throw new NpyFormatException(source + ": corrupt zip (" + count + " local entries, " + expected + " in the directory)");
        }
    }

    /**
     * Writes an .npz archive (uncompressed, like np.savez) atomically; arrays in map order. Names
     * must be non-empty and free of '/' and '\'. Streams: each array is encoded twice through one
     * buffer (once for the CRC the entry header needs, once for the data); entries past 4 GiB use
     * zip64, as numpy does.
     */
    static void writeNpz(Path file, Map<String, NdArray> arrays) throws IOException {
        Map<String, NpyWriter.Encoding> encodings = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("array name '" + name + "' is empty or contains a path separator");
            }
            encodings.put(name, NpyWriter.encoding(e.getValue()));
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                NpyWriter.Encoding enc = encodings.get(e.getKey());
                CRC32 crc = new CRC32();
                NpyWriter.write(new CheckedOutputStream(OutputStream.nullOutputStream(), crc), e.getValue(), enc);
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                // stored with size and CRC known up front, as np.savez writes its members
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(enc.size());
                entry.setCompressedSize(enc.size());
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                NpyWriter.write(zip, e.getValue(), enc);
                zip.closeEntry();
            }
            zip.finish(); // writes the directory; the caller flushes, forces and closes the file
        });
    }
}
