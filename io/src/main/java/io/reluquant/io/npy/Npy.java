package io.reluquant.io.npy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

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
    private Npy() {}

    /** Reads one .npy file, streaming (constant extra memory: one 64 KiB buffer). */
    public static NdArray readNpy(Path file) throws IOException {
        return NpyReader.readNpy(file);
    }

    /**
     * Reads every array of an .npz archive, in archive order, keyed by name (the entry name without
     * ".npy"). Each entry is streamed: its declared shape is checked against the heap before
     * anything is allocated, and no more than that many bytes are ever inflated (a zip bomb is
     * refused, not expanded).
     */
    public static Map<String, NdArray> readNpz(Path file) throws IOException {
        return Npz.readNpz(file);
    }

    /** Parses the bytes of one .npy file; {@code source} names it in error messages. */
    public static NdArray parse(byte[] bytes, String source) throws NpyFormatException {
        return NpyReader.parse(bytes, source);
    }

    /** Writes one .npy file atomically, streaming the data (no copy of the array in memory). */
    public static void writeNpy(Path file, NdArray array) throws IOException {
        NpyWriter.writeNpy(file, array);
    }

    /**
     * Writes an .npz archive (uncompressed, like np.savez) atomically; arrays in map order. Names
     * must be non-empty and free of '/' and '\'. Streams: each array is encoded twice through one
     * buffer (once for the CRC the entry header needs, once for the data); entries past 4 GiB use
     * zip64, as numpy does.
     */
    public static void writeNpz(Path file, Map<String, NdArray> arrays) throws IOException {
        Npz.writeNpz(file, arrays);
    }

    /** The bytes of the .npy file for {@code array} (small arrays; files stream instead). */
    public static byte[] toBytes(NdArray array) {
        return NpyWriter.toBytes(array);
    }

    /** @return the size in bytes of the .npy file of {@code array} */
    public static long npySize(NdArray array) {
        return NpyWriter.npySize(array);
    }

    /**
     * Text from a file made safe for a one-line message: control characters (a newline in a
     * corrupt header, say) shown by their code, at most 200 characters.
     */
    public static String printable(String text) {
        return NpyHeader.printable(text);
    }
}
