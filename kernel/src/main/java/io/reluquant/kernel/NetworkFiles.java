package io.reluquant.kernel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Saves and loads networks as NumPy {@code .npz} files, with no dependency: the format
 * {@code bin/reluquant train} writes and {@code bin/reluquant analyze} reads, and what
 * {@code numpy.load} reads ({@code a}, {@code w}, {@code b} as arrays).
 *
 * <p>A network file holds {@code a} (m) for one output or (m, k) for k &gt; 1 outputs (a file with
 * {@code a} of shape (m) reads as k = 1, as every file before k outputs), {@code w} (m, d) and
 * {@code b} (m) as float32 or float64
 * ({@code <f4}/{@code <f8}; big-endian and Fortran order are read too), and a boolean scalar
 * {@code bias} where the network was trained without biases ({@code b} is then zero). {@code w} may
 * be (m) for d = 1 and {@code b} may be absent (zero). Every other array in the archive (a
 * {@code reluquant train} checkpoint's loss curve, step, settings) is skipped, so a checkpoint is a
 * network file. Members may be stored or deflated ({@code np.savez}, {@code np.savez_compressed}).
 *
 * <p>{@link #write} keeps the storage of the {@link Parameters} (float32 stays float32), writes
 * {@code a}, {@code w}, {@code b} and {@code bias} uncompressed like {@code np.savez}, and replaces
 * the file atomically (a temporary file in the same folder, forced to disk, then renamed), so a
 * reader never sees half a file.
 */
public final class NetworkFiles {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** numpy's member timestamp is irrelevant; a fixed one makes equal networks equal files */
    private static final long ENTRY_TIME = 315532800000L + 86400000L;

    private NetworkFiles() {}

    /**
     * A network and whether it has biases.
     *
     * @param parameters a, w, b (b zero where the file has none)
     * @param bias the file's {@code bias} scalar where it has one, else true
     */
    public record Network(Parameters parameters, boolean bias) {}

    /**
     * @param file an .npz network file (or a {@code reluquant train} checkpoint)
     * @return its parameters
     * @throws IOException if the file cannot be read or is not a network file (the message names the file and why)
     */
    public static Parameters read(Path file) throws IOException {
        return readNetwork(file).parameters();
    }

    /**
     * @param file an .npz network file (or a {@code reluquant train} checkpoint)
     * @return its parameters and bias flag
     * @throws IOException if the file cannot be read or is not a network file (the message names the file and why)
     */
    public static Network readNetwork(Path file) throws IOException {
        Checks.notNull("file", file);
        try (InputStream in = Files.newInputStream(file)) {
            return readNetwork(in, file.toString());
        }
    }

    /**
     * @param in an .npz archive (read to its end, not closed)
     * @param source names the archive in error messages
     * @return its parameters and bias flag
     * @throws IOException if the stream fails or is not a network archive
     */
    public static Network readNetwork(InputStream in, String source) throws IOException {
        Checks.notNull("in", in);
        Checks.notNull("source", source);
        Array a = null;
        Array w = null;
        Array b = null;
        Boolean bias = null;
        ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in));
        boolean any = false;
        try {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                any = true;
                String name = e.getName();
                String where = source + ": '" + name + "'";
                switch (name) {
                    case "a.npy": a = readArray(zip, where); break;
                    case "w.npy": w = readArray(zip, where); break;
                    case "b.npy": b = readArray(zip, where); break;
                    case "bias.npy": bias = readFlag(zip, where); break;
                    default: break; // other arrays of a checkpoint: skipped
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(source + ": not a valid .npz (zip) archive: " + e.getMessage(), e);
        }
        if (!any) {
            throw new IOException(source + ": not an .npz archive (no zip entries)");
        }
        if (a == null || w == null) {
            throw new IOException(source + ": not a network file (needs arrays 'a' and 'w', found"
                    + (a == null ? "" : " 'a'") + (w == null ? "" : " 'w'") + (b == null ? "" : " 'b'") + ")");
        }
        // (m,): one output, as every file before k outputs; (m, k): k outputs
        if (a.shape.length < 1 || a.shape.length > 2 || a.shape[0] < 1 || (a.shape.length == 2 && a.shape[1] < 1)) {
            throw new IOException(source + ": 'a' has shape " + shape(a.shape) + ", expected (m,) or (m, k) with m, k >= 1");
        }
        int m = (int) a.shape[0];
        int k = a.shape.length == 2 ? (int) a.shape[1] : 1;
        long[] ws = w.shape.length == 1 && w.shape[0] == m ? new long[] {m, 1} : w.shape;
        if (ws.length != 2 || ws[0] != m || ws[1] < 1) {
            throw new IOException(source + ": 'w' has shape " + shape(w.shape) + ", expected (" + m + ", d) to match 'a'");
        }
        if (b != null && (b.shape.length != 1 || b.shape[0] != m)) {
            throw new IOException(source + ": 'b' has shape " + shape(b.shape) + ", expected (" + m + ",)");
        }
        int d = (int) ws[1];
        Parameters p;
        try {
            if (a.floats != null && w.floats != null && (b == null || b.floats != null)) {
                p = k == 1 ? Parameters.of(a.floats, w.floats, b == null ? new float[m] : b.floats, d)
                        : Parameters.of(a.floats, w.floats, b == null ? new float[m] : b.floats, d, k);
            } else {
                p = k == 1 ? Parameters.of(a.doubles(), w.doubles(), b == null ? new double[m] : b.doubles(), d)
                        : Parameters.of(a.doubles(), w.doubles(), b == null ? new double[m] : b.doubles(), d, k);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        boolean hasBias = bias == null || bias;
        if (!hasBias) {
            for (int j = 0; j < m; j++) {
                if (p.b(j) != 0) {
                    throw new IOException(source + ": 'bias' is False but b[" + j + "] = " + p.b(j));
                }
            }
        }
        return new Network(p, hasBias);
    }

    /**
     * Writes a network with biases.
     *
     * @param file the .npz to write (replaced atomically)
     * @param parameters the network
     * @throws IOException if the file cannot be written (a previous file stays as it was)
     */
    public static void write(Path file, Parameters parameters) throws IOException {
        write(file, parameters, true);
    }

    /**
     * @param file the .npz to write (replaced atomically)
     * @param parameters the network
     * @param bias false for a network without biases (its b must be zero)
     * @throws IOException if the file cannot be written (a previous file stays as it was)
     * @throws IllegalArgumentException if bias is false but b is not zero
     */
    public static void write(Path file, Parameters parameters, boolean bias) throws IOException {
        Checks.notNull("file", file);
        checkBias(parameters, bias);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
                write(out, parameters, bias);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Writes a network as an .npz archive to a stream (finished, not closed).
     *
     * @param out where the archive goes
     * @param parameters the network
     * @param bias false for a network without biases (its b must be zero)
     * @throws IOException if the stream fails
     */
    public static void write(OutputStream out, Parameters parameters, boolean bias) throws IOException {
        Checks.notNull("out", out);
        checkBias(parameters, bias);
        int m = parameters.width();
        int d = parameters.inputDim();
        int k = parameters.outputs();
        boolean f32 = parameters.storage() == Precision.FLOAT32;
        ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(out, 1 << 16));
        Member[] members = {
            // one output keeps the shape (m,) every reader of the format knows; k outputs (m, k)
            new Member("a", f32, k == 1 ? new long[] {m} : new long[] {m, k}, f32 ? parameters.rawAFloat() : parameters.rawA()),
            new Member("w", f32, new long[] {m, d}, f32 ? parameters.rawWFloat() : parameters.rawW()),
            new Member("b", f32, new long[] {m}, f32 ? parameters.rawBFloat() : parameters.rawB()),
            new Member("bias", bias),
        };
        for (Member member : members) {
            CRC32 crc = new CRC32();
            member.writeTo(new CheckedOutputStream(OutputStream.nullOutputStream(), crc));
            ZipEntry entry = new ZipEntry(member.name + ".npy");
            // stored, size and CRC known up front, as np.savez writes its members
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(member.size());
            entry.setCompressedSize(member.size());
            entry.setCrc(crc.getValue());
            entry.setTime(ENTRY_TIME);
            zip.putNextEntry(entry);
            member.writeTo(zip);
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    private static void checkBias(Parameters parameters, boolean bias) {
        Checks.notNull("parameters", parameters);
        if (!bias) {
            for (int j = 0; j < parameters.width(); j++) {
                if (parameters.b(j) != 0) {
                    throw new IllegalArgumentException("b[" + j + "] = " + parameters.b(j) + " but bias is false (b must be 0)");
                }
            }
        }
    }

    /** One .npy member to write: a float array or the boolean scalar. */
    private static final class Member {
        final String name;
        final byte[] header;
        final Object data;
        final boolean flag;

        Member(String name, boolean f32, long[] shape, Object data) {
            this.name = name;
            this.data = data;
            this.flag = false;
            this.header = header(f32 ? "<f4" : "<f8", shape);
        }

        Member(String name, boolean flag) {
            this.name = name;
            this.data = null;
            this.flag = flag;
            this.header = header("|b1", new long[0]);
        }

        long size() {
            if (data == null) {
                return header.length + 1L;
            }
            return header.length + (data instanceof float[] ? 4L * ((float[]) data).length : 8L * ((double[]) data).length);
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(header);
            if (data == null) {
                out.write(flag ? 1 : 0);
                return;
            }
            byte[] chunk = new byte[1 << 16];
            ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            if (data instanceof float[]) {
                float[] v = (float[]) data;
                for (int i = 0; i < v.length; i += chunk.length / 4) {
                    int n = Math.min(chunk.length / 4, v.length - i);
                    buf.clear();
                    buf.asFloatBuffer().put(v, i, n);
                    out.write(chunk, 0, 4 * n);
                }
            } else {
                double[] v = (double[]) data;
                for (int i = 0; i < v.length; i += chunk.length / 8) {
                    int n = Math.min(chunk.length / 8, v.length - i);
                    buf.clear();
                    buf.asDoubleBuffer().put(v, i, n);
                    out.write(chunk, 0, 8 * n);
                }
            }
        }
    }

    /** The .npy 1.0 header numpy writes: magic, version, length, the dict padded to 64 bytes with a newline. */
    private static byte[] header(String descr, long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long s : shape) {
            dims.append(s).append(", ");
        }
        String dimText = shape.length == 1 ? dims.toString().trim() : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dimText + "), }";
        int total = MAGIC.length + 4 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        StringBuilder text = new StringBuilder(dict);
        while (MAGIC.length + 4 + text.length() + 1 < padded) {
            text.append(' ');
        }
        text.append('\n');
        byte[] h = text.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        return out.array();
    }

    /** A float array read from a member: float32 kept as it is, float64 as it is. */
    private static final class Array {
        long[] shape;
        float[] floats;
        double[] doubles;

        double[] doubles() {
            if (doubles != null) {
                return doubles;
            }
            double[] out = new double[floats.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = floats[i];
            }
            return out;
        }
    }

    /** The header of a member: dtype, order, shape. */
    private static final class Header {
        String descr;
        boolean fortran;
        long[] shape;
    }

    private static Header readHeader(DataInputStream in, String where) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(where + " is not an .npy array (bad magic)");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        long length;
        if (major == 1) {
            length = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        } else if (major == 2 || major == 3) {
            length = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
        } else {
            throw new IOException(where + ": .npy version " + major + " is not supported (1, 2 or 3)");
        }
        if (length > 1 << 20) {
            throw new IOException(where + ": .npy header of " + length + " bytes is too long");
        }
        byte[] text = new byte[(int) length];
        in.readFully(text);
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = new Header();
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException(where + ": malformed .npy header " + dict.trim());
        }
        h.descr = descr.group(1);
        h.fortran = fortran.group(1).equals("True");
        String[] parts = shape.group(1).split(",");
        java.util.List<Long> dims = new java.util.ArrayList<>();
        for (String part : parts) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new IOException(where + ": malformed shape (" + shape.group(1) + ")");
            }
        }
        h.shape = dims.stream().mapToLong(Long::longValue).toArray();
        return h;
    }

    private static Array readArray(InputStream entry, String where) throws IOException {
        DataInputStream in = new DataInputStream(entry);
        try {
            Header h = readHeader(in, where);
            ByteOrder order;
            int bytes;
            switch (h.descr) {
                case "<f4": order = ByteOrder.LITTLE_ENDIAN; bytes = 4; break;
                case ">f4": order = ByteOrder.BIG_ENDIAN; bytes = 4; break;
                case "<f8": order = ByteOrder.LITTLE_ENDIAN; bytes = 8; break;
                case ">f8": order = ByteOrder.BIG_ENDIAN; bytes = 8; break;
                default:
                    throw new IOException(where + " must be a float32 or float64 array, got dtype '" + h.descr + "'");
            }
            if (h.shape.length < 1 || h.shape.length > 2) {
                throw new IOException(where + " has shape " + shape(h.shape) + ", expected 1 or 2 dimensions");
            }
            long count = 1;
            for (long s : h.shape) {
                count = Math.multiplyExact(count, s);
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(where + " has " + count + " values, more than a Java array holds");
            }
            Memory.require(where + " of shape " + shape(h.shape), count * bytes);
            Array out = new Array();
            out.shape = h.shape;
            int n = (int) count;
            byte[] chunk = new byte[1 << 16];
            ByteBuffer buf = ByteBuffer.wrap(chunk).order(order);
            int per = chunk.length / bytes;
            if (bytes == 4) {
                out.floats = new float[n];
                for (int i = 0; i < n; i += per) {
                    int k = Math.min(per, n - i);
                    in.readFully(chunk, 0, k * 4);
                    buf.clear();
                    buf.asFloatBuffer().get(out.floats, i, k);
                }
            } else {
                out.doubles = new double[n];
                for (int i = 0; i < n; i += per) {
                    int k = Math.min(per, n - i);
                    in.readFully(chunk, 0, k * 8);
                    buf.clear();
                    buf.asDoubleBuffer().get(out.doubles, i, k);
                }
            }
            if (h.fortran && h.shape.length == 2) {
                // column-major on disk: transpose into the row-major layout Parameters takes
                int rows = (int) h.shape[0];
                int cols = (int) h.shape[1];
                if (out.floats != null) {
                    float[] t = new float[n];
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++) {
                            t[r * cols + c] = out.floats[c * rows + r];
                        }
                    }
                    out.floats = t;
                } else {
                    double[] t = new double[n];
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++) {
                            t[r * cols + c] = out.doubles[c * rows + r];
                        }
                    }
                    out.doubles = t;
                }
            }
            return out;
        } catch (EOFException e) {
            throw new IOException(where + " is truncated", e);
        }
    }

    private static boolean readFlag(InputStream entry, String where) throws IOException {
        DataInputStream in = new DataInputStream(entry);
        try {
            Header h = readHeader(in, where);
            if (h.shape.length != 0) {
                throw new IOException(where + " must be a scalar, got shape " + shape(h.shape));
            }
            switch (h.descr) {
                case "|b1":
                case "|u1":
                case "|i1":
                    return in.readUnsignedByte() != 0;
                case "<i8":
                    return Long.reverseBytes(in.readLong()) != 0;
                case ">i8":
                    return in.readLong() != 0;
                default:
                    throw new IOException(where + " must be a boolean scalar, got dtype '" + h.descr + "'");
            }
        } catch (EOFException e) {
            throw new IOException(where + " is truncated", e);
        }
    }

    private static String shape(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString().toLowerCase(Locale.ROOT);
    }
}
