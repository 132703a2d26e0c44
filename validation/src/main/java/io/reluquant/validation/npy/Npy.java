package io.reluquant.validation.npy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * the file; nothing is ever half-loaded. Writes go to a temporary file in the target's directory,
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

    /** Reads one .npy file. */
    public static NdArray readNpy(Path file) throws IOException {
        return parse(readFile(file), file.toString());
    }

    /**
     * Reads every array of an .npz archive, in archive order, keyed by name (the entry name without
     * ".npy").
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
                String where = source + " entry '" + entryName + "'";
                if (!entryName.endsWith(".npy")) {
                    throw new NpyFormatException(where + ": not a .npy member (not an array archive written by numpy.savez)");
                }
                String name = entryName.substring(0, entryName.length() - 4);
                if (arrays.containsKey(name)) {
                    throw new NpyFormatException(where + ": duplicate array name '" + name + "'");
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                } catch (ZipException | java.io.EOFException e) {
                    throw new NpyFormatException(where + ": corrupt or truncated (" + e.getMessage() + ")", e);
                }
                // ZipFile does not verify CRCs of stored entries: do it here so a flipped byte in the data is caught
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                    throw new NpyFormatException(where + ": CRC mismatch (file is corrupt)");
                }
                arrays.put(name, parse(bytes, where));
            }
            crossCheckLocalHeaders(file, arrays.size(), zip);
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            // IllegalArgumentException: ZipFile's reaction to a malformed entry name
            throw new NpyFormatException(source + ": not a valid .npz (zip) archive (" + e.getMessage() + ")", e);
        }
        return arrays;
    }

    /**
     * ZipFile trusts the central directory at the end of the archive; a zip also names and sizes
     * every entry in a local header before its data. Reading the archive a second time front to
     * back (ZipInputStream, which also checks every entry's CRC) and requiring the same entries in
     * the same order with the same contents catches corruption in either copy of the metadata.
     */
    private static void crossCheckLocalHeaders(Path file, int expected, ZipFile zip) throws IOException {
        String source = file.toString();
        int count = 0;
        Enumeration<? extends ZipEntry> central = zip.entries();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(
                new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            ZipEntry local;
            while ((local = in.getNextEntry()) != null) {
                ZipEntry c = central.hasMoreElements() ? central.nextElement() : null;
                if (c == null || !c.getName().equals(local.getName())) {
                    throw new NpyFormatException(source + ": corrupt zip (local header names '" + local.getName()
                            + "' where the directory has '" + (c == null ? "nothing" : c.getName()) + "')");
                }
                byte[] bytes = in.readAllBytes();
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (crc.getValue() != c.getCrc()) {
                    throw new NpyFormatException(source + " entry '" + c.getName() + "': CRC mismatch (file is corrupt)");
                }
                count++;
            }
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            throw new NpyFormatException(source + ": corrupt zip (" + e.getMessage() + ")", e);
        }
        if (count != expected) {
            throw new NpyFormatException(source + ": corrupt zip (" + count + " local entries, " + expected + " in the directory)");
        }
    }

    /** Parses the bytes of one .npy file; {@code source} names it in error messages. */
    public static NdArray parse(byte[] bytes, String source) throws NpyFormatException {
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw new NpyFormatException(source + ": not a .npy file (missing the \\x93NUMPY magic)");
        }
        int major = bytes[6] & 0xff;
        int minor = bytes[7] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerStart;
        long headerLength;
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new NpyFormatException(source + ": truncated header");
            }
            headerLength = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new NpyFormatException(source + ": unsupported .npy format version " + major + "." + minor);
        }
        if (headerStart + headerLength > bytes.length) {
            throw new NpyFormatException(source + ": truncated header (needs " + headerLength + " bytes, file has "
                    + (bytes.length - headerStart) + ")");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = Header.parse(header, source);
        int dataStart = headerStart + (int) headerLength;
        long count = 1;
        for (int s : h.shape) {
            count *= s;
            if (count > Integer.MAX_VALUE - 8) {
                throw new NpyFormatException(source + ": array of " + count + "+ elements is too large for this reader");
            }
        }
        long itemSize = h.dtype == DType.UNICODE ? 4L * h.chars : h.dtype.size();
        long need = count * itemSize;
        long have = bytes.length - dataStart;
        if (have < need) {
            throw new NpyFormatException(source + ": truncated data (shape " + shapeText(h.shape) + " of " + h.descr
                    + " needs " + need + " bytes, file has " + have + ")");
        }
        if (have > need) {
            throw new NpyFormatException(source + ": " + (have - need) + " unexpected bytes after the data (corrupt or not a .npy)");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) need).slice().order(h.order);
        int n = (int) count;
        int[] cIndex = h.fortranOrder ? fortranToC(h.shape) : null;
        double[] doubles = null;
        long[] longs = null;
        String[] strings = null;
        if (h.dtype.isFloating()) {
            doubles = new double[n];
            for (int i = 0; i < n; i++) {
                double v = h.dtype == DType.FLOAT32 ? data.getFloat(4 * i) : data.getDouble(8 * i);
                doubles[cIndex == null ? i : cIndex[i]] = v;
            }
        } else if (h.dtype.isIntegral()) {
            longs = new long[n];
            for (int i = 0; i < n; i++) {
                long v = readInteger(data, h.dtype, i, source);
                longs[cIndex == null ? i : cIndex[i]] = v;
            }
        } else {
            strings = new String[n];
            for (int i = 0; i < n; i++) {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < h.chars; c++) {
                    int cp = data.getInt((int) (itemSize * i + 4L * c));
                    if (cp == 0) {
                        break;
                    }
                    if (!Character.isValidCodePoint(cp)) {
                        throw new NpyFormatException(source + ": invalid unicode code point " + cp + " in element " + i);
                    }
                    sb.appendCodePoint(cp);
                }
                strings[cIndex == null ? i : cIndex[i]] = sb.toString();
            }
        }
        return NdArray.adopt(h.dtype, h.shape, doubles, longs, strings);
    }

    private static long readInteger(ByteBuffer data, DType t, int i, String source) throws NpyFormatException {
        switch (t) {
            case INT8: return data.get(i);
            case UINT8: return data.get(i) & 0xffL;
            case BOOL: {
                byte v = data.get(i);
                if (v != 0 && v != 1) {
                    throw new NpyFormatException(source + ": boolean element " + i + " has byte value " + v);
                }
                return v;
            }
            case INT16: return data.getShort(2 * i);
            case UINT16: return data.getShort(2 * i) & 0xffffL;
            case INT32: return data.getInt(4 * i);
            case UINT32: return data.getInt(4 * i) & 0xffffffffL;
            case INT64: return data.getLong(8 * i);
            case UINT64: {
                long v = data.getLong(8 * i);
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

    private static byte[] readFile(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new NpyFormatException(file + ": not a regular file");
        }
        return Files.readAllBytes(file);
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

    /** Writes one .npy file atomically. */
    public static void writeNpy(Path file, NdArray array) throws IOException {
        writeAtomically(file, toBytes(array));
    }

    /**
     * Writes an .npz archive (uncompressed, like np.savez) atomically; arrays in map order. Names
     * must be non-empty and free of '/' and '\'.
     */
    public static void writeNpz(Path file, Map<String, NdArray> arrays) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                String name = e.getKey();
                if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
                    throw new IllegalArgumentException("array name '" + name + "' is empty or contains a path separator");
                }
                byte[] npy = toBytes(e.getValue());
                ZipEntry entry = new ZipEntry(name + ".npy");
                // stored with size and CRC known up front, as np.savez writes its members
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(npy.length);
                entry.setCompressedSize(npy.length);
                CRC32 crc = new CRC32();
                crc.update(npy);
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                zip.write(npy);
                zip.closeEntry();
            }
        }
        writeAtomically(file, bytes.toByteArray());
    }

    /** The bytes of the .npy file for {@code array}. */
    public static byte[] toBytes(NdArray array) {
        DType t = array.dtype();
        int n = array.size();
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
        long itemSize = t == DType.UNICODE ? 4L * chars : t.size();
        long dataBytes = itemSize * n;
        if (padded + dataBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(array + " is too large for one .npy buffer");
        }
        ByteBuffer out = ByteBuffer.allocate((int) (padded + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
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
        switch (t) {
            case FLOAT32: for (double v : array.rawDoubles()) out.putFloat((float) v); break;
            case FLOAT64: for (double v : array.rawDoubles()) out.putDouble(v); break;
            case INT8: case UINT8: case BOOL: for (long v : array.rawLongs()) out.put((byte) v); break;
            case INT16: case UINT16: for (long v : array.rawLongs()) out.putShort((short) v); break;
            case INT32: case UINT32: for (long v : array.rawLongs()) out.putInt((int) v); break;
            case INT64: case UINT64: for (long v : array.rawLongs()) out.putLong(v); break;
            case UNICODE:
                for (String s : array.rawStrings()) {
                    int written = 0;
                    for (int i = 0; i < s.length(); i = s.offsetByCodePoints(i, 1)) {
                        out.putInt(s.codePointAt(i));
                        written++;
                    }
                    for (; written < chars; written++) {
                        out.putInt(0);
                    }
                }
                break;
            default: throw new AssertionError(t);
        }
        return out.array();
    }

    /**
     * Writes {@code bytes} to a temporary file next to {@code file}, forces it to disk, renames it
     * over {@code file} atomically and forces the directory entry, so that a crash at any moment
     * leaves either the old or the new complete file.
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream os = java.nio.channels.Channels.newOutputStream(ch)) {
                os.write(bytes);
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
                throw new NpyFormatException(source + ": header has unexpected keys " + dict.keySet());
            }
            Header h = new Header();
            Object descr = dict.get("descr");
            if (!(descr instanceof String)) {
                throw new NpyFormatException(source + ": structured dtype " + descr + " is not supported (only plain numeric and unicode arrays)");
            }
            h.descr = (String) descr;
            h.parseDescr(source);
            Object fortran = dict.get("fortran_order");
            if (!(fortran instanceof Boolean)) {
                throw new NpyFormatException(source + ": fortran_order must be True or False, got " + fortran);
            }
            h.fortranOrder = (Boolean) fortran;
            Object shape = dict.get("shape");
            if (!(shape instanceof int[])) {
                throw new NpyFormatException(source + ": shape must be a tuple of integers, got " + shape);
            }
            h.shape = (int[]) shape;
            return h;
        }

        private void parseDescr(String source) throws NpyFormatException {
            String d = descr;
            if (d.length() < 2) {
                throw new NpyFormatException(source + ": unsupported dtype '" + d + "'");
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
                throw new NpyFormatException(source + ": unsupported dtype '" + d + "'");
            }
            dtype = DType.of(kind, size);
            if (dtype == null || size <= 0) {
                throw new NpyFormatException(source + ": unsupported dtype '" + d
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
            return new NpyFormatException(source + ": bad .npy header (" + what + " at offset " + p + "): " + shown.strip());
        }
    }
}
