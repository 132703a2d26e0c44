package io.reluquant.io.npy;

import static io.reluquant.io.npy.NpyHeader.*;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads one .npy file or stream, validating fully before returning (see {@link Npy}). */
final class NpyReader {
    private NpyReader() {}

    /** Reads one .npy file, streaming (constant extra memory: one 64 KiB buffer). */
    static NdArray readNpy(Path file) throws IOException {
        String source = file.toString();
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new NpyFormatException(source + ": not a regular file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new BufferedInputStream(Channels.newInputStream(ch), CHUNK), ch.size(), source);
        }
    }

    /** Parses the bytes of one .npy file; {@code source} names it in error messages. */
    static NdArray parse(byte[] bytes, String source) throws NpyFormatException {
        try {
            return read(new java.io.ByteArrayInputStream(bytes), bytes.length, source);
        } catch (NpyFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new NpyFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one .npy of {@code length} bytes from {@code in}, leaving the stream after it. Validates
     * magic, version, header, dtype, that the shape's elements fit a Java array and the heap, and
     * that the length is exactly the header plus the data, all before allocating the array.
     */
    static NdArray read(InputStream in, long length, String source) throws IOException {
        if (length < 10) {
            throw new NpyFormatException(source + ": not a .npy file (missing the \\x93NUMPY magic)");
        }
        byte[] prefix = new byte[12];
        readFully(in, prefix, 10, source, "header");
        if (!startsWithMagic(prefix)) {
            throw new NpyFormatException(source + ": not a .npy file (missing the \\x93NUMPY magic)");
        }
        int major = prefix[6] & 0xff;
        int minor = prefix[7] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
        int headerStart;
        long headerLength;
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (length < 12) {
                throw new NpyFormatException(source + ": truncated header");
            }
            readFully(in, prefix, 2, source, "header", 10);
            headerLength = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new NpyFormatException(source + ": unsupported .npy format version " + major + "." + minor);
        }
        if (headerStart + headerLength > length) {
            throw new NpyFormatException(source + ": truncated header (needs " + headerLength + " bytes, file has "
                    + (length - headerStart) + ")");
        }
        if (headerLength > MAX_HEADER) {
            throw new NpyFormatException(source + ": header of " + headerLength + " bytes is longer than the "
                    + MAX_HEADER + " this reader accepts (corrupt?)");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        readFully(in, headerBytes, headerBytes.length, source, "header");
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = Header.parse(header, source);
        long dataStart = headerStart + headerLength;
        long count = 1;
        for (int s : h.shape) {
            count *= s; // each s < 2^31 and count <= MAX_ELEMENTS before: no overflow
            if (count > MAX_ELEMENTS) {
                throw new NpyFormatException(source + ": shape " + shapeText(h.shape) + " has more elements than a Java array holds ("
                        + MAX_ELEMENTS + ")");
            }
        }
        if (h.dtype == DType.UNICODE && h.chars > MAX_CHARS) {
            throw new NpyFormatException(source + ": unicode elements of " + h.chars + " characters are longer than the "
                    + MAX_CHARS + " this reader accepts");
        }
        long itemSize = h.dtype == DType.UNICODE ? 4L * h.chars : h.dtype.size();
        long need = byteOffset(0, count, itemSize);
        long have = length - dataStart;
        if (have < need) {
            throw new NpyFormatException(source + ": truncated data (shape " + shapeText(h.shape) + " of " + printable(h.descr)
                    + " needs " + need + " bytes, file has " + have + ")");
        }
        if (have > need) {
            throw new NpyFormatException(source + ": " + (have - need) + " unexpected bytes after the data (corrupt or not a .npy)");
        }
        // the heap the decoded array takes (numbers widen to 8 bytes; a string costs its object and chars)
        long perElement = h.dtype == DType.UNICODE ? 56 + 2L * h.chars : 8;
        try {
            io.reluquant.kernel.Memory.require(source + ": array of shape " + shapeText(h.shape) + " (" + h.descr + ")",
                    count * (perElement + (h.fortranOrder ? 4 : 0)));
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(e.getMessage());
        }
        int n = (int) count;
        int[] cIndex = h.fortranOrder ? fortranToC(h.shape) : null;
        double[] doubles = h.dtype.isFloating() ? new double[n] : null;
        long[] longs = h.dtype.isIntegral() ? new long[n] : null;
        String[] strings = h.dtype == DType.UNICODE ? new String[n] : null;
        int perChunk = (int) Math.max(1, CHUNK / itemSize);
        byte[] chunk = new byte[(int) Math.min(need, perChunk * itemSize)];
        ByteBuffer data = ByteBuffer.wrap(chunk).order(h.order);
        for (int first = 0; first < n; first += perChunk) {
            int k = Math.min(perChunk, n - first);
            readFully(in, chunk, (int) (k * itemSize), source, "data");
            for (int e = 0; e < k; e++) {
                int i = first + e;
                int to = cIndex == null ? i : cIndex[i];
                if (doubles != null) {
                    doubles[to] = h.dtype == DType.FLOAT32 ? data.getFloat(4 * e) : data.getDouble(8 * e);
                } else if (longs != null) {
                    longs[to] = readInteger(data, h.dtype, e, i, source);
                } else {
                    StringBuilder sb = new StringBuilder();
                    for (int c = 0; c < h.chars; c++) {
                        int cp = data.getInt((int) (itemSize * e + 4L * c));
                        if (cp == 0) {
                            break;
                        }
                        if (!Character.isValidCodePoint(cp)) {
                            throw new NpyFormatException(source + ": invalid unicode code point " + cp + " in element " + i);
                        }
                        sb.appendCodePoint(cp);
                    }
                    strings[to] = sb.toString();
                }
            }
        }
        return NdArray.adopt(h.dtype, h.shape, doubles, longs, strings);
    }

    /**
     * Byte offset of element {@code index} of {@code itemSize} bytes in data starting at
     * {@code dataStart}: long arithmetic, so arrays past 2^31 bytes are addressed correctly.
     *
     * @throws NpyFormatException if the offset does not fit in a long
     */
    static long byteOffset(long dataStart, long index, long itemSize) throws NpyFormatException {
        try {
            return Math.addExact(dataStart, Math.multiplyExact(index, itemSize));
        } catch (ArithmeticException e) {
            throw new NpyFormatException("element " + index + " of " + itemSize + " bytes after offset " + dataStart
                    + " lies beyond any file size");
        }
    }

    private static void readFully(InputStream in, byte[] into, int count, String source, String what) throws IOException {
        readFully(in, into, count, source, what, 0);
    }

    private static void readFully(InputStream in, byte[] into, int count, String source, String what, int offset)
            throws IOException {
        int got = in.readNBytes(into, offset, count);
        if (got < count) {
            throw new NpyFormatException(source + ": truncated " + what + " (the stream ended " + (count - got)
                    + " bytes early)");
        }
    }

    private static long readInteger(ByteBuffer data, DType t, int e, int i, String source) throws NpyFormatException {
        switch (t) {
            case INT8: return data.get(e);
            case UINT8: return data.get(e) & 0xffL;
            case BOOL: {
                byte v = data.get(e);
                if (v != 0 && v != 1) {
                    throw new NpyFormatException(source + ": boolean element " + i + " has byte value " + v);
                }
                return v;
            }
            case INT16: return data.getShort(2 * e);
            case UINT16: return data.getShort(2 * e) & 0xffffL;
            case INT32: return data.getInt(4 * e);
            case UINT32: return data.getInt(4 * e) & 0xffffffffL;
            case INT64: return data.getLong(8 * e);
            case UINT64: {
                long v = data.getLong(8 * e);
                if (v < 0) {
                    throw new NpyFormatException(source + ": uint64 element " + i + " exceeds the int64 range");
                }
                return v;
            }
            default: throw new AssertionError(t);
        }
    }

    /** For each position in Fortran (first axis fastest) order, the C-order (last axis fastest) index. */
    private static int[] fortranToC(int[] shape) {
        int count = 1;
        for (int s : shape) {
            count *= s;
        }
        int[] cStride = new int[shape.length];
        int stride = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            cStride[k] = stride;
            stride *= shape[k];
        }
        int[] out = new int[count];
        int[] index = new int[shape.length];
        for (int f = 0; f < count; f++) {
            int c = 0;
            for (int k = 0; k < shape.length; k++) {
                c += index[k] * cStride[k];
            }
            out[f] = c;
            for (int k = 0; k < shape.length; k++) {
                if (++index[k] < shape[k]) {
                    break;
                }
                index[k] = 0;
            }
        }
        return out;
    }
}
