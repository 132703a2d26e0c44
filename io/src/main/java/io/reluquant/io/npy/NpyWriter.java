package io.reluquant.io.npy;

import static io.reluquant.io.npy.NpyHeader.*;

import io.reluquant.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes .npy files: version 1.0 (2.0 for a huge header), little-endian, C order, data aligned to 64 bytes (see {@link Npy}). */
final class NpyWriter {
    private NpyWriter() {}

    /** How an array is written: its header (padded) and item size. */
    record Encoding(byte[] header, int chars, long itemSize, long dataBytes) {
        long size() {
            return header.length + dataBytes;
        }
    }

    /** Writes one .npy file atomically, streaming the data (no copy of the array in memory). */
    static void writeNpy(Path file, NdArray array) throws IOException {
        Encoding e = encoding(array);
        AtomicFiles.write(file, out -> write(out, array, e));
    }

    /** The bytes of the .npy file for {@code array} (small arrays; files stream instead). */
    static byte[] toBytes(NdArray array) {
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
    static long npySize(NdArray array) {
        return encoding(array).size();
    }

    static Encoding encoding(NdArray array) {
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
    static void write(OutputStream out, NdArray array, Encoding e) throws IOException {
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
}
