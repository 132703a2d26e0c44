package io.reluquant.validation.npy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

/**
 * Reads and writes NumPy's .npy and .npz files (format versions 1.0, 2.0 and 3.0, as specified in
 * {@code numpy.lib.format}): magic {@code \x93NUMPY}, version, a little-endian header length, a
 * Python-literal header dict {@code {'descr': '<f8', 'fortran_order': False, 'shape': (n, d), }},
 * then the raw data. An .npz is a zip archive of .npy files, one per array name (np.savez stores
 * them uncompressed, np.savez_compressed deflates them; both are read).
 *
 * <p>Every read validates fully before returning (magic, version, header, dtype, exact data length,
 * the zip CRC of each entry) and throws {@link NpyFormatException} with a one-line message naming
 * the file; nothing is ever half-loaded. Reads and writes stream through one 64 KiB buffer (no
 * whole-file byte[]), so arrays past 2 GiB work; a declared shape is checked against int indexing
 * and the heap before anything is allocated or inflated. Writes go to a temporary file in the target's directory,
 * are forced to disk, and are renamed over the target atomically, so a reader (or a killed run)
 * only ever sees the old or the new complete file.
 *
 * <p>Writing uses version 1.0 (2.0 when the header does not fit in 65535 bytes), little-endian,
 * C order, the header padded so the data starts at a multiple of 64 bytes, as numpy does.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** zip entry time: fixed so that equal arrays give byte-identical archives */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npy() {}

    // ---------------------------------------------------------------- reading

    /** Largest header accepted: numpy writes about a hundred bytes; a huge one is corruption. */
    static final int MAX_HEADER = 1 << 20;
    /** Most elements one array may hold: Java arrays are int-indexed. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Longest unicode element accepted, in characters. */
    static final int MAX_CHARS = 1 << 16;
    /** Bytes read or written per chunk: the only buffer besides the array itself. */
    private static final int CHUNK = 1 << 16;

    /** Reads one .npy file, streaming (constant extra memory: one 64 KiB buffer). */
    public static NdArray readNpy(Path file) throws IOException {
        String source = file.toString();
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new NpyFormatException(source + ": not a regular file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new BufferedInputStream(Channels.newInputStream(ch), CHUNK), ch.size(), source);
        }
    }

    /**
     * Reads every array of an .npz archive, in archive order, keyed by name (the entry name without
     * ".npy"). Each entry is streamed: its declared shape is checked against the heap before
     * anything is allocated, and no more than that many bytes are ever inflated (a zip bomb is
     * refused, not expanded).
     */
    public static Map<String, NdArray> readNpz(Path file) throws IOException {
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
                    array = read(in, size, where);
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

    /** Parses the bytes of one .npy file; {@code source} names it in error messages. */
    public static NdArray parse(byte[] bytes, String source) throws NpyFormatException {
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

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Text from a file made safe for a one-line message: control characters (a newline in a
     * corrupt header, say) shown by their code, at most 200 characters.
     */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 200; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() < text.length() ? sb + "..." : sb.toString();
    }

    static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                sb.append(shape.length == 1 ? "," : ", ");
            }
        }
        return sb.append(')').toString();
    }

    // ---------------------------------------------------------------- writing

    /** What a file's content is: written to a stream, which it must not close. */
    @FunctionalInterface
    public interface Content {
        /** Writes the content to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** How an array is written: its header (padded) and item size. */
    private record Encoding(byte[] header, int chars, long itemSize, long dataBytes) {
        long size() {
            return header.length + dataBytes;
        }
    }

    /** Writes one .npy file atomically, streaming the data (no copy of the array in memory). */
    public static void writeNpy(Path file, NdArray array) throws IOException {
        Encoding e = encoding(array);
        writeAtomically(file, out -> write(out, array, e));
    }

    /**
     * Writes an .npz archive (uncompressed, like np.savez) atomically; arrays in map order. Names
     * must be non-empty and free of '/' and '\'. Streams: each array is encoded twice through one
     * buffer (once for the CRC the entry header needs, once for the data); entries past 4 GiB use
     * zip64, as numpy does.
     */
    public static void writeNpz(Path file, Map<String, NdArray> arrays) throws IOException {
        Map<String, Encoding> encodings = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("array name '" + name + "' is empty or contains a path separator");
            }
            encodings.put(name, encoding(e.getValue()));
        }
        writeAtomically(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                Encoding enc = encodings.get(e.getKey());
                CRC32 crc = new CRC32();
                write(new CheckedOutputStream(OutputStream.nullOutputStream(), crc), e.getValue(), enc);
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                // stored with size and CRC known up front, as np.savez writes its members
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(enc.size());
                entry.setCompressedSize(enc.size());
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                write(zip, e.getValue(), enc);
                zip.closeEntry();
            }
            zip.finish(); // writes the directory; the caller flushes, forces and closes the file
        });
    }

    /** The bytes of the .npy file for {@code array} (small arrays; files stream instead). */
    public static byte[] toBytes(NdArray array) {
        Encoding e = encoding(array);
        if (e.size() > MAX_ELEMENTS) {
            throw new IllegalArgumentException(array + " is too large for one byte[] (" + e.size() + " bytes)");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) e.size());
        try {
            write(out, array, e);
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
        return out.toByteArray();
    }

    /** @return the size in bytes of the .npy file of {@code array} */
    public static long npySize(NdArray array) {
        return encoding(array).size();
    }

    private static Encoding encoding(NdArray array) {
        DType t = array.dtype();
        int chars = 1;
        String descr;
        if (t == DType.UNICODE) {
            for (String s : array.rawStrings()) {
                chars = Math.max(chars, s.codePointCount(0, s.length()));
            }
            descr = "<U" + chars;
        } else {
            descr = (t.size() == 1 ? "|" : "<") + t.kind() + t.size();
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText(array.shape()) + ", }";
        byte[] dictBytes = dict.getBytes(StandardCharsets.ISO_8859_1);
        int version = dictBytes.length + 1 + 10 + 63 > 65535 ? 2 : 1;
        int prefix = version == 1 ? 10 : 12;
        int total = prefix + dictBytes.length + 1;
        int padded = (total + 63) / 64 * 64;
        ByteBuffer out = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) version).put((byte) 0);
        int headerLength = padded - prefix;
        if (version == 1) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(dictBytes);
        while (out.position() < padded - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        long itemSize = t == DType.UNICODE ? 4L * chars : t.size();
        return new Encoding(out.array(), chars, itemSize, itemSize * array.size());
    }

    /** Streams the .npy of {@code array} to {@code out} through one buffer of about 64 KiB. */
    private static void write(OutputStream out, NdArray array, Encoding e) throws IOException {
        out.write(e.header());
        DType t = array.dtype();
        int n = array.size();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.max(CHUNK, e.itemSize())).order(ByteOrder.LITTLE_ENDIAN);
        double[] doubles = array.rawDoubles();
        long[] longs = array.rawLongs();
        String[] strings = array.rawStrings();
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < e.itemSize()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            switch (t) {
                case FLOAT32: buf.putFloat((float) doubles[i]); break;
                case FLOAT64: buf.putDouble(doubles[i]); break;
                case INT8: case UINT8: case BOOL: buf.put((byte) longs[i]); break;
                case INT16: case UINT16: buf.putShort((short) longs[i]); break;
                case INT32: case UINT32: buf.putInt((int) longs[i]); break;
                case INT64: case UINT64: buf.putLong(longs[i]); break;
                case UNICODE: {
                    String s = strings[i];
                    int written = 0;
                    for (int c = 0; c < s.length(); c = s.offsetByCodePoints(c, 1)) {
                        buf.putInt(s.codePointAt(c));
                        written++;
                    }
                    for (; written < e.chars(); written++) {
                        buf.putInt(0);
                    }
                    break;
                }
                default: throw new AssertionError(t);
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /**
     * Writes {@code bytes} to a temporary file next to {@code file}, forces it to disk, renames it
     * over {@code file} atomically and forces the directory entry, so that a crash at any moment
     * leaves either the old or the new complete file.
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        writeAtomically(file, out -> out.write(bytes));
    }

    /**
     * Writes {@code content} atomically (see {@link #writeAtomically(Path, byte[])}): on any failure
     * (a full disk, say) the temporary file is removed and {@code file} is left as it was.
     */
    public static void writeAtomically(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream os = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), CHUNK);
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

    // ---------------------------------------------------------------- header

    /** The parsed header dict. */
    private static final class Header {
        String descr;
        DType dtype;
        ByteOrder order;
        int chars;
        boolean fortranOrder;
        int[] shape;

        static Header parse(String text, String source) throws NpyFormatException {
            Map<String, Object> dict = new HeaderParser(text, source).dict();
            for (String key : new String[] {"descr", "fortran_order", "shape"}) {
                if (!dict.containsKey(key)) {
                    throw new NpyFormatException(source + ": header has no '" + key + "' key");
                }
            }
            if (dict.size() != 3) {
                throw new NpyFormatException(source + ": header has unexpected keys " + printable(dict.keySet().toString()));
            }
            Header h = new Header();
            Object descr = dict.get("descr");
            if (!(descr instanceof String)) {
                throw new NpyFormatException(source + ": structured dtype " + printable(String.valueOf(descr)) + " is not supported (only plain numeric and unicode arrays)");
            }
            h.descr = (String) descr;
            h.parseDescr(source);
            Object fortran = dict.get("fortran_order");
            if (!(fortran instanceof Boolean)) {
                throw new NpyFormatException(source + ": fortran_order must be True or False, got " + printable(String.valueOf(fortran)));
            }
            h.fortranOrder = (Boolean) fortran;
            Object shape = dict.get("shape");
            if (!(shape instanceof int[])) {
                throw new NpyFormatException(source + ": shape must be a tuple of integers, got " + printable(String.valueOf(shape)));
            }
            h.shape = (int[]) shape;
            return h;
        }

        private void parseDescr(String source) throws NpyFormatException {
            String d = descr;
            if (d.length() < 2) {
                throw new NpyFormatException(source + ": unsupported dtype '" + printable(d) + "'");
            }
            char orderChar = d.charAt(0);
            String rest = d;
            if (orderChar == '<' || orderChar == '>' || orderChar == '|' || orderChar == '=') {
                rest = d.substring(1);
            } else {
                orderChar = '=';
            }
            order = orderChar == '>' ? ByteOrder.BIG_ENDIAN : orderChar == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
            char kind = rest.charAt(0);
            int size;
            try {
                size = Integer.parseInt(rest.substring(1));
            } catch (NumberFormatException e) {
                throw new NpyFormatException(source + ": unsupported dtype '" + printable(d) + "'");
            }
            dtype = DType.of(kind, size);
            if (dtype == null || size <= 0) {
                throw new NpyFormatException(source + ": unsupported dtype '" + printable(d)
                        + "' (supported: float32/64, int8..64, uint8..64, bool, unicode)");
            }
            chars = dtype == DType.UNICODE ? size : 0;
        }
    }

    /** Parser for the Python literal subset numpy writes: a dict of str keys to str, bool and int tuples. */
    private static final class HeaderParser {
        private final String s;
        private final String source;
        private int p;

        HeaderParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Map<String, Object> dict() throws NpyFormatException {
            skip();
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            skip();
            while (peek() != '}') {
                Object key = value();
                if (!(key instanceof String)) {
                    throw error("dict key must be a string");
                }
                skip();
                expect(':');
                out.put((String) key, value());
                skip();
                if (peek() == ',') {
                    p++;
                    skip();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            p++;
            skip();
            if (p != s.length()) {
                throw error("unexpected text after the header dict");
            }
            return out;
        }

        private Object value() throws NpyFormatException {
            skip();
            char c = peek();
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, p + 1);
                if (end < 0) {
                    throw error("unterminated string");
                }
                String v = s.substring(p + 1, end);
                p = end + 1;
                return v;
            }
            if (s.startsWith("True", p)) {
                p += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", p)) {
                p += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                p++;
                java.util.List<Integer> dims = new java.util.ArrayList<>();
                skip();
                while (peek() != ')') {
                    int start = p;
                    while (p < s.length() && Character.isDigit(s.charAt(p))) {
                        p++;
                    }
                    if (start == p) {
                        throw error("shape entries must be non-negative integers");
                    }
                    long v = Long.parseLong(s.substring(start, Math.min(p, start + 18)));
                    if (p - start > 10 || v > Integer.MAX_VALUE) {
                        throw error("shape entry " + s.substring(start, p) + " is too large");
                    }
                    if (peek() == 'L') {
                        p++; // Python 2 long suffix, written by old numpy
                    }
                    dims.add((int) v);
                    skip();
                    if (peek() == ',') {
                        p++;
                        skip();
                    } else if (peek() != ')') {
                        throw error("expected ',' or ')' in shape");
                    }
                }
                p++;
                int[] shape = new int[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i);
                }
                return shape;
            }
            if (c == '[') {
                // a structured dtype's field list: report it as such rather than as a syntax error
                int depth = 0;
                int start = p;
                do {
                    char ch = peek();
                    depth += ch == '[' ? 1 : ch == ']' ? -1 : 0;
                    p++;
                } while (depth > 0 && p < s.length());
                return java.util.List.of(s.substring(start, p));
            }
            throw error("unsupported value");
        }

        private void skip() {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
        }

        private char peek() throws NpyFormatException {
            if (p >= s.length()) {
                throw error("header ends early");
            }
            return s.charAt(p);
        }

        private void expect(char c) throws NpyFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            p++;
        }

        private NpyFormatException error(String what) {
            String shown = s.length() > 120 ? s.substring(0, 120) + "..." : s;
            return new NpyFormatException(source + ": bad .npy header (" + what + " at offset " + p + "): " + printable(shown.strip()));
        }
    }
}
