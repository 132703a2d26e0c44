package io.reluquant.kernel.fused;

// Proves: the fused path's per-thread scratch length is computed in long arithmetic and a sample count whose scratch no array holds is refused with the limit, not wrapped negative.

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScratchLimitTest {
    @Test
    void aScratchBeyondOneArrayIsRefusedNamingTheLimit() {
        VectorNeuronKernelF32 k32 = new VectorNeuronKernelF32();
        int l = VectorNeuronKernelF32.L;
        assertEquals(2 * (1 << 20) * l + 4 * VectorNeuronKernelF32.UNROLL * l + l, k32.scratchLength(1 << 20, 2));
        // 2^27 samples (a 1 GiB float32 x at d = 2): 2 n L wrapped to a negative int before
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k32.scratchLength(1 << 27, 2));
        assertTrue(e.getMessage().contains("n = 134217728 samples") && e.getMessage().contains("maskbit"), e.getMessage());
        long most = (Integer.MAX_VALUE - 8L - 4L * VectorNeuronKernelF32.UNROLL * l - l) / (2L * l);
        assertTrue(e.getMessage().contains("at most " + most + " samples"), e.getMessage());
        assertTrue(k32.scratchLength((int) most, 2) > 0, "the largest count the message names is accepted");
        assertThrows(IllegalArgumentException.class, () -> k32.scratchLength((int) most + 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new VectorNeuronKernelF64().scratchLength(1 << 27, 2));
    }
}
