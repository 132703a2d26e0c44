package io.reluquant.kernel;

/**
 * Heap checks made BEFORE a large allocation, so that a size the JVM cannot hold is refused at once
 * with a message naming the bytes needed and the heap to ask for, instead of an OutOfMemoryError
 * after the JVM has tried (and perhaps after minutes of work). Public so that code embedding the
 * kernel (readers of large files, for instance) refuses with the same message.
 */
public final class Memory {
    private static final long GIB = 1L << 30;

    private Memory() {}

    /**
     * @param what what is about to be allocated, e.g. "width 1000000000 * inputDim 1 parameters"
     * @param bytes how many bytes it needs
     * @throws IllegalArgumentException if the heap cannot hold {@code bytes} more (after one full
     *         collection); the message names the bytes and an -Xmx that would do
     */
    public static void require(String what, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException(what + " needs more than " + Long.MAX_VALUE + " bytes");
        }
        if (bytes <= available()) {
            return;
        }
        Runtime rt = Runtime.getRuntime();
        if (bytes <= rt.maxMemory()) {
            // what looks used may be garbage: one full collection before refusing
            System.gc();
        }
        long free = available();
        if (bytes <= free) {
            return;
        }
        throw new IllegalArgumentException(what + " needs " + describe(bytes) + " but the Java heap has "
                + describe(Math.max(0, free)) + " free of its " + describe(rt.maxMemory()) + " maximum: " + heapAdvice(bytes));
    }

    /**
     * The one wording of the advice when something does not fit the heap, for every refusal of the
     * project (the kernel's, the file readers', the bench's).
     *
     * @param bytes how many more bytes are needed
     * @return e.g. "start Java with a larger heap, e.g. -Xmx6g (bin/reluquant: JAVA_OPTS=-Xmx6g)": a heap
     *         that holds what is in use now plus {@code bytes}, with a quarter to spare
     */
    public static String heapAdvice(long bytes) {
        Runtime rt = Runtime.getRuntime();
        long gib = suggestedHeapGib(rt.totalMemory() - rt.freeMemory(), bytes);
        return "start Java with a larger heap, e.g. -Xmx" + gib + "g (bin/reluquant: JAVA_OPTS=-Xmx" + gib + "g)";
    }

    /** @return bytes the heap can still grow into: the maximum less what is in use */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** A heap in GiB that holds what is used now plus {@code bytes}, with a quarter to spare. */
    static long suggestedHeapGib(long used, long bytes) {
        double need = (double) used + bytes;
        return Math.max(1, (long) Math.ceil(need * 1.25 / GIB));
    }

    /** @return e.g. "3.20 GB (3200000000 bytes)" */
    static String describe(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.2f GB (%d bytes)", bytes / 1e9, bytes);
        }
        if (bytes >= 1_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.2f MB (%d bytes)", bytes / 1e6, bytes);
        }
        return bytes + " bytes";
    }

    /** bytes of doubles, saturating instead of overflowing. */
    static long doubles(long... counts) {
        long total = 0;
        for (long c : counts) {
            if (c > Long.MAX_VALUE / 8 - total / 8 - 1) {
                return Long.MAX_VALUE;
            }
            total += 8 * c;
        }
        return total;
    }
}
