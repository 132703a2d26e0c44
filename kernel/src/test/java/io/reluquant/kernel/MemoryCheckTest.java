// Proves: a trainer whose buffers cannot fit the heap fails at build time with one clear message, before allocating.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A trainer whose buffers cannot fit the heap fails at build time with one clear message, before allocating. */
class MemoryCheckTest {
    @Test
    void activationBitsLargerThanTheHeapAreRefusedBeforeAllocation() {
        // 1e6 samples and a width whose activation bits alone (n m / 8 bytes) are 1.25 x the heap, while
        // the bits still fit int indexing; the data and the parameters themselves are small
        int n = 1_000_000;
        int d = 3;
        long heap = Runtime.getRuntime().maxMemory();
        int m = (int) ((long) (1.25 * 8 * heap / n) + 63) / 64 * 64;
        if ((long) n * m / 64 > Integer.MAX_VALUE - 1024) {
            throw new AssertionError("this test needs a heap below ~13 GiB, got " + heap);
        }
        Dataset data = Dataset.of(new double[n * d], new double[n], d);
        Parameters init = Initializers.balanced(m, d, 1e-6, 1, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(data, init).threads(1).build());
        System.out.println("memory check: " + e.getMessage());
        assertTrue(e.getMessage().contains("bytes") && e.getMessage().contains("-Xmx"), e.getMessage());
        assertTrue(e.getMessage().contains("width " + m), e.getMessage());
        // the number refused is the one the public estimate gives: one plan, one bytesNeeded
        long planned = Trainer.bytesNeeded(n, d, m, Precision.FLOAT32, 1);
        assertTrue(e.getMessage().contains("(" + planned + " bytes)"), planned + " bytes expected in: " + e.getMessage());
    }
}
