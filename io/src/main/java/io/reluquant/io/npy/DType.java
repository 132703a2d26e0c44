package io.reluquant.io.npy;

/**
 * The NumPy element types this reader/writer supports. Floating-point kinds are held as double[],
 * integer and boolean kinds as long[], unicode strings ('U') as String[].
 */
public enum DType {
    FLOAT32('f', 4), FLOAT64('f', 8),
    INT8('i', 1), INT16('i', 2), INT32('i', 4), INT64('i', 8),
    UINT8('u', 1), UINT16('u', 2), UINT32('u', 4), UINT64('u', 8),
    BOOL('b', 1),
    /** NumPy 'U': fixed-length UTF-32 strings; the item size is 4 x the longest string. */
    UNICODE('U', 4);

    private final char kind;
    private final int size;

    DType(char kind, int size) {
        this.kind = kind;
        this.size = size;
    }

    /** @return NumPy's kind character: f, i, u, b or U */
    public char kind() {
        return kind;
    }

    /** @return bytes per element (per character for UNICODE) */
    public int size() {
        return size;
    }

    /** @return whether the values are held as double[] */
    public boolean isFloating() {
        return kind == 'f';
    }

    /** @return whether the values are held as long[] */
    public boolean isIntegral() {
        return kind == 'i' || kind == 'u' || kind == 'b';
    }

    /** @return the type with this kind and size, or null */
    static DType of(char kind, int size) {
        for (DType t : values()) {
            if (t.kind == kind && (t == UNICODE || t.size == size)) {
                return t;
            }
        }
        return null;
    }
}
