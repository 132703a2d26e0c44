package io.reluquant.io.data;

import io.reluquant.kernel.Memory;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of IDX files (the format of MNIST and Fashion-MNIST): two zero bytes, an element-type byte,
 * the number of dimensions, each dimension as a big-endian int32, then the elements in C order.
 * Only unsigned bytes (type 0x08) are read, the type of every image and label file of those sets.
 * Files compressed with gzip are recognised by their magic bytes, whatever their name.
 *
 * <p>A declared size is never trusted for an allocation: it must fit in a Java array, in the free
 * heap, and (for a raw file) match the file's length exactly, or (for gzip) be within the largest
 * expansion deflate can produce from the compressed length; the buffer then grows only as bytes
 * actually arrive, so a lying header costs at most what the stream really holds.
 */
public final class Idx {
    /** IDX element type code of unsigned bytes. */
    public static final int UBYTE = 0x08;
    /** Largest dimension count accepted (images are 3, labels 1). */
    public static final int MAX_DIMS = 4;
    // deflate cannot expand by more than 1032:1; a gzip member adds at least 18 bytes of framing
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int CHUNK = 1 << 16;

    private Idx() {}

    /**
     * An IDX array of unsigned bytes.
     *
     * @param dims the dimensions as declared, each >= 1
     * @param data the elements in C order, as stored (read them with {@code & 0xFF})
     */
    public record Array(int[] dims, byte[] data) {
        public Array {
            dims = dims.clone();
        }

        @Override
        public int[] dims() {
            return dims.clone();
        }

        /** @return element {@code index} (C order) as an int in 0..255 */
        public int get(int index) {
            return data[index] & 0xFF;
        }
    }

    /**
     * Reads an unsigned-byte IDX file, raw or gzip-compressed.
     *
     * @param file the file
     * @param expectedDims the number of dimensions the caller needs (1 for labels, 3 for images)
     * @throws NoSuchFileException if the file does not exist
     * @throws IdxFormatException if the file is not such an IDX file (one line naming the file and the problem)
     */
    public static Array read(Path file, int expectedDims) throws IOException {
        if (expectedDims < 1 || expectedDims > MAX_DIMS) {
            throw new IllegalArgumentException("expectedDims must be in 1.." + MAX_DIMS + ", got " + expectedDims);
        }
        long fileSize = Files.size(file);
        boolean gzip;
        try (InputStream probe = Files.newInputStream(file)) {
            byte[] magic = probe.readNBytes(2);
            gzip = magic.length == 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b;
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), CHUNK);
                InputStream in = gzip ? new GZIPInputStream(raw, CHUNK) : raw) {
            long limit = gzip ? MAX_DEFLATE_RATIO * fileSize : fileSize;
            return parse(in, file.toString() + (gzip ? " (gzip)" : ""), expectedDims, gzip ? -1 : fileSize, limit);
        } catch (ZipException | EOFException e) {
            // a damaged gzip stream: bad header, bad deflate data, CRC or length mismatch, cut short
            IdxFormatException corrupt = new IdxFormatException(file + ": corrupt gzip data (" + (e.getMessage() == null ? "ends early" : e.getMessage()) + ")");
            corrupt.initCause(e);
            throw corrupt;
        }
    }

    /**
     * Parses an unsigned-byte IDX stream (already decompressed).
     *
     * @param source names the stream in messages
     * @param exactSize the stream's total length when known (a raw file), else -1
     * @param maxSize an upper bound on the stream's length (the declared size must not exceed it)
     */
    static Array parse(InputStream in, String source, int expectedDims, long exactSize, long maxSize) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new IdxFormatException(source + ": truncated: " + header.length + " bytes, an IDX header has at least 4");
        }
        if (header[0] != 0 || header[1] != 0) {
            throw new IdxFormatException(String.format("%s: not an IDX file (magic %02x %02x %02x %02x, expected 00 00 08 %02x)", source,
                    header[0] & 0xFF, header[1] & 0xFF, header[2] & 0xFF, header[3] & 0xFF, expectedDims));
        }
        int type = header[2] & 0xFF;
        if (type != UBYTE) {
            throw new IdxFormatException(String.format("%s: element type 0x%02x is not supported (only unsigned bytes, 0x08)", source, type));
        }
        int rank = header[3] & 0xFF;
        if (rank != expectedDims) {
            throw new IdxFormatException(source + ": " + rank + " dimensions, expected " + expectedDims);
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new IdxFormatException(source + ": truncated in the header: " + (4 + dimBytes.length) + " of " + (4 + 4 * rank) + " bytes");
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int k = 0; k < rank; k++) {
            dims[k] = ((dimBytes[4 * k] & 0xFF) << 24) | ((dimBytes[4 * k + 1] & 0xFF) << 16) | ((dimBytes[4 * k + 2] & 0xFF) << 8)
                    | (dimBytes[4 * k + 3] & 0xFF);
            if (dims[k] < 1) {
                throw new IdxFormatException(source + ": dimension " + k + " is " + dims[k] + ", must be >= 1 (dims "
                        + Arrays.toString(Arrays.copyOf(dims, k + 1)) + ")");
            }
            count *= dims[k];
            if (count > MAX_ARRAY) {
                throw new IdxFormatException(source + ": declared size " + Arrays.toString(Arrays.copyOf(dims, k + 1)) + "... exceeds "
                        + MAX_ARRAY + " elements, the largest array this reader holds");
            }
        }
        long headerSize = 4 + 4L * rank;
        if (exactSize >= 0 && headerSize + count != exactSize) {
            throw new IdxFormatException(source + ": dims " + Arrays.toString(dims) + " declare " + (headerSize + count) + " bytes, the file has "
                    + exactSize + (exactSize < headerSize + count ? " (truncated)" : " (trailing bytes)"));
        }
        if (headerSize + count > maxSize) {
            throw new IdxFormatException(source + ": dims " + Arrays.toString(dims) + " declare " + count
                    + " bytes of data, more than the compressed file can hold (at most " + maxSize + ")");
        }
        long free = Memory.available();
        if (count > free) {
            throw new IdxFormatException(source + ": dims " + Arrays.toString(dims) + " declare " + count + " bytes, more than the free heap ("
                    + free + " bytes): " + Memory.heapAdvice(count));
        }
        byte[] data = readFully(in, (int) count, source, dims);
        if (in.read() >= 0) {
            throw new IdxFormatException(source + ": trailing bytes after the " + count + " declared by dims " + Arrays.toString(dims));
        }
        return new Array(dims, data);
    }

    // grows the buffer only as bytes arrive, so a header that lies about its size allocates no more than the stream holds
    private static byte[] readFully(InputStream in, int count, String source, int[] dims) throws IOException {
        byte[] buf = new byte[Math.min(count, CHUNK)];
        int have = 0;
        while (have < count) {
            if (have == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(count, 2L * buf.length));
            }
            int r = in.read(buf, have, buf.length - have);
            if (r < 0) {
                throw new IdxFormatException(source + ": truncated: " + have + " of " + count + " data bytes declared by dims " + Arrays.toString(dims));
            }
            have += r;
        }
        return buf;
    }
}
