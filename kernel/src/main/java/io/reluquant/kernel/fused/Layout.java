package io.reluquant.kernel.fused;

/**
 * How the width is padded and cut into chunks. Both depend only on (width, samples), never on the
 * thread count or the vector width, which is what makes results bitwise identical for every thread
 * count: each chunk's partial sums are computed the same way whichever thread runs it, and are
 * reduced in chunk order.
 */
public final class Layout {
    /**
     * The width is padded with zero neurons (a = 0, w = 0, b = 0) to a multiple of this: the largest
     * block (16 float lanes x unroll 4), so no vector width needs a masked tail. Zero neurons have zero
     * gradient and stay exactly zero (docs/THEORY.md section 1), so padding changes nothing.
     */
    public static final int NEURON_GRANULE = 64;
    /** Chunks are at least this many neurons (unless the width is smaller): enough work per task. */
    static final int MIN_CHUNK = 1024;
    /** At most this many chunks: bounds the per-chunk partial sums and the final reduction. */
    static final int MAX_CHUNKS = 256;
    /** chunks * samples partial sums (doubles) kept at most about this many. */
    static final long MAX_PARTIALS = 1L << 22;

    public final int width;
    public final int paddedWidth;
    final int chunkNeurons;
    public final int chunks;

    private Layout(int width, int paddedWidth, int chunkNeurons, int chunks) {
        this.width = width;
        this.paddedWidth = paddedWidth;
        this.chunkNeurons = chunkNeurons;
        this.chunks = chunks;
    }

    public static Layout of(int width, int samples) {
        int padded = roundUp(width, NEURON_GRANULE);
        long maxChunks = chunksAtMost(samples);
        int perChunk = roundUp((int) Math.max(MIN_CHUNK, (padded + maxChunks - 1) / maxChunks), NEURON_GRANULE);
        perChunk = Math.min(perChunk, padded);
        int chunks = (padded + perChunk - 1) / perChunk;
        return new Layout(width, padded, perChunk, chunks);
    }

    /**
     * @param samples n
     * @return the most chunks a width is cut into for n samples (the chunks' partial sums are n doubles each)
     */
    public static long chunksAtMost(long samples) {
        return Math.max(1, Math.min(MAX_CHUNKS, MAX_PARTIALS / samples));
    }

    /**
     * @param width m
     * @return m padded with zero neurons to a multiple of {@link #NEURON_GRANULE}, as the engines store it
     */
    public static long paddedWidth(long width) {
        return (width + NEURON_GRANULE - 1) / NEURON_GRANULE * NEURON_GRANULE;
    }

    /** First neuron of chunk c. */
    public int chunkStart(int c) {
        return c * chunkNeurons;
    }

    /** One past the last neuron of chunk c. */
    public int chunkEnd(int c) {
        return Math.min(paddedWidth, (c + 1) * chunkNeurons);
    }

    static int roundUp(int value, int multiple) {
        long r = ((long) value + multiple - 1) / multiple * multiple;
        if (r > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("width " + value + " overflows int indexing once padded");
        }
        return (int) r;
    }
}
