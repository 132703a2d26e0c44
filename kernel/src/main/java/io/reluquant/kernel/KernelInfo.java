package io.reluquant.kernel;

import java.util.Locale;

/**
 * What a {@link Trainer} runs, as values to switch on (its string form is {@link Trainer#kernel()}).
 *
 * @param path how a step is organized
 * @param vectorBits the Vector API kernel's vector width in bits, or 0 for scalar code (and the reference)
 * @param precision the floating-point format of the kernel's arithmetic
 */
public record KernelInfo(Path path, int vectorBits, Precision precision) {
    /**
     * @param path how a step is organized, not null
     * @param vectorBits 0 (scalar code, and the reference) or a vector width of at least 128 bits (the
     *        provider's: 128, 256, 512, or wider where the hardware's preferred width is wider)
     * @param precision not null (FLOAT64 for the reference)
     */
    public KernelInfo {
        Checks.notNull("path", path);
        Checks.notNull("precision", precision);
        if (vectorBits != 0 && vectorBits < 128) {
            throw new IllegalArgumentException("vectorBits must be 0 or at least 128, got " + vectorBits);
        }
        if (path == Path.REFERENCE && (vectorBits != 0 || precision != Precision.FLOAT64)) {
            throw new IllegalArgumentException("the reference is scalar float64, got vectorBits " + vectorBits
                    + " and precision " + precision);
        }
    }

    /** @return whether the Vector API kernel runs (not its scalar twin, not the reference) */
    public boolean vector() {
        return vectorBits > 0;
    }

    /**
     * @return the kernel's name as {@link Trainer#kernel()} and the provider's log line give it, e.g.
     *         "vector-512/float32", "maskbit/scalar/float64", "reference/float64"
     */
    @Override
    public String toString() {
        String p = precision.name().toLowerCase(Locale.ROOT);
        if (path == Path.REFERENCE) {
            return "reference/" + p;
        }
        return (path == Path.MASKBIT ? "maskbit/" : "") + (vectorBits > 0 ? "vector-" + vectorBits : "scalar") + "/" + p;
    }
}
