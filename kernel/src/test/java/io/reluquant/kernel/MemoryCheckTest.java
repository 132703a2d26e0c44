package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A trainer whose buffers cannot fit the heap fails at build time with one clear message, before allocating. */
class MemoryCheckTest {
    @Test
    void activationBitsLargerThanTheHeapAreRefusedBeforeAllocation() {
        // 2e6 samples x 2^19 neurons: 131 GB of activation bits; the data and parameters themselves are small
        int n = 2_000_000;
        int d = 3;
        Dataset data = Dataset.of(new double[n * d], new double[n], d);
        Parameters init = Initializers.balanced(1 << 19, d, 1e-6, 1, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(data, init).threads(1).build());
        System.out.println("memory check: " + e.getMessage());
        assertTrue(e.getMessage().contains("bytes") && e.getMessage().contains("-Xmx"), e.getMessage());
        assertTrue(e.getMessage().contains("width 524288"), e.getMessage());
    }
}
