package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.vectorization.KernelProvider;
import org.junit.jupiter.api.Test;

// Proves: a team is never larger than a step's work pays for unless the caller forces it, and the forced or allowed count is what runs.
class TeamSizeTest {
    private static Trainer.Builder builder(int samples, int width) {
        double[] x = new double[samples];
        double[] y = new double[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = -1 + 2.0 * i / samples;
            y[i] = Math.sin(3 * x[i]);
        }
        return Trainer.builder(Dataset.of(x, y, 1), Initializers.balanced(width, 1, 1e-3, 7, true));
    }

    /** The rule: one member per 2^20 flops of a step, at most the maximum, at least one. */
    @Test
    void teamSizeFollowsTheWorkPerMember() {
        // (8, 1, 1024): 8192 pairs x 14 flops = 114688 flops: one member
        assertEquals(1, KernelProvider.teamSize(4, 8, 1, 1024));
        // (256, 1, 1e6): 3.6e9 flops: every member asked for
        assertEquals(4, KernelProvider.teamSize(4, 256, 1, 1_000_000));
        // exactly 3 x 2^20 flops: 3 members
        assertEquals(3, KernelProvider.teamSize(8, 1, 1, 3 * (1 << 20) / 14 + 1));
        assertEquals(2, KernelProvider.teamSize(8, 1, 1, 3 * (1 << 20) / 14 - 1));
        assertEquals(1, KernelProvider.teamSize(1, 60_000, 784, 1024));
    }

    @Test
    void theTrainerUsesFewerThreadsOnlyWhenAllowed() {
        try (Trainer small = builder(8, 1024).maxThreads(2).build()) {
            assertEquals(1, small.threads(), "a step of 1.1e5 flops is too small for a second member");
            double[] f = new double[8];
            small.step(1e-3);
            small.forward(new double[8], f);
        }
        try (Trainer forced = builder(8, 1024).threads(2).build()) {
            assertEquals(2, forced.threads(), "threads(k) forces k");
        }
        try (Trainer large = builder(256, 1 << 16).maxThreads(2).build()) {
            assertEquals(2, large.threads(), "2.3e8 flops a step: both members pay for themselves");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        try (Trainer byDefault = builder(8, 1024).build()) {
            assertEquals(1, byDefault.threads(), "the default is at most " + cores + " threads, fewer where they cannot help");
        }
        try (Trainer byDefault = builder(256, 1 << 16).build()) {
            assertEquals(Math.min(cores, KernelProvider.teamSize(cores, 256, 1, 1 << 16)), byDefault.threads());
            assertTrue(byDefault.threads() >= 1);
        }
    }

    /** The same bits whatever the team: a shrunk team changes only the time. */
    @Test
    void aShrunkTeamGivesTheForcedTeamsBits() {
        try (Trainer shrunk = builder(8, 1024).maxThreads(2).build();
             Trainer forced = builder(8, 1024).threads(2).build()) {
            for (int t = 0; t < 5; t++) {
                assertEquals(Double.doubleToLongBits(forced.step(0.05)), Double.doubleToLongBits(shrunk.step(0.05)));
            }
            Parameters a = shrunk.parameters();
            Parameters b = forced.parameters();
            assertTrue(java.util.Arrays.equals(a.outputWeights(), b.outputWeights())
                    && java.util.Arrays.equals(a.inputWeights(), b.inputWeights())
                    && java.util.Arrays.equals(a.biases(), b.biases()));
        }
    }
}
