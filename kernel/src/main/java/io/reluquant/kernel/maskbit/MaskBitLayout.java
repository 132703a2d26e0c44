package io.reluquant.kernel.maskbit;

/**
 * Padding and tiling of the mask-bit engine. None of these depend on the thread count, so results
 * are bitwise identical for any team: the backward pass sums each neuron's gradient over the samples
 * tile by tile in a fixed order, and the forward pass sums f(x_i) over the neurons panel by panel in
 * a fixed order, whichever thread runs a task.
 */
public final class MaskBitLayout {
    /** Neurons per panel: one 64-bit word of activation bits per (sample, panel). */
    public static final int PANEL = 64;
    /** The input dimension is padded with zero features to a multiple of this (backward tile rows). */
    public static final int FEATURE_TILE = 4;
    /** Rows of the forward register tile. */
    public static final int ROW_TILE = 6;
    /**
     * Samples per forward task and per backward cache tile: a multiple of {@link #ROW_TILE}; the
     * sample count is padded to a multiple of it with zero rows whose residual is 0.
     */
    public static final int SAMPLE_TILE = 96;

    private MaskBitLayout() {}

    public static int roundUp(long value, int multiple) {
        long r = (value + multiple - 1) / multiple * multiple;
        if (r > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException(value + " overflows int indexing once padded to a multiple of " + multiple);
        }
        return (int) r;
    }
}
