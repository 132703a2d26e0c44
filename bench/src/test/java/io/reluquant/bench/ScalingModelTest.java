package io.reluquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

// Proves: the scaling model's arithmetic (compute and memory roofs, imbalance, team cost, serial reduction) and its calibration from the rows.
class ScalingModelTest {
    /** Hand-computed times: a compute-bound and a bandwidth-bound shape, with and without the socket's bandwidth. */
    @Test
    void timesFollowTheRoofsTheTeamCostAndTheReduction() {
        // 1e9 flops at 1e10 flop/s per core, 16 tasks; 4e8 bytes at 20 GB/s per core, 30 GB/s for the socket
        var c = new ScalingModel.Calibration("x", 1e9, 4e8, 16, 1e10, 20e9, 30e9, 1e-6, 1e-5);
        assertEquals(Math.max(0.1, 0.02) + 1e-5, c.seconds(1, 30e9), 1e-15);
        // 3 cores: 16 tasks -> 6 on the busiest member = 16/3 x 1.125
        assertEquals(1e9 / (3 * 1e10) * (6 / (16.0 / 3)) + 2e-6 + 1e-5, c.seconds(3, 30e9), 1e-12);
        assertEquals(1.125, c.imbalance(3), 1e-12);
        assertEquals(1, c.imbalance(4), 0);
        // 64 cores: compute 1e9 / 6.4e11 x (1 / 0.25) ... the memory roof wins: 4e8 / 30e9
        assertEquals(4e8 / 30e9 + 63e-6 + 1e-5, c.seconds(64, 30e9), 1e-12);
        assertTrue(c.speedupOptimistic(64) > c.speedupPessimistic(64), "bandwidth per core is the optimistic bound");
        var memoryBound = new ScalingModel.Calibration("y", 1e6, 4e8, 256, 1e10, 20e9, 25e9, 2e-6, 0);
        assertEquals(20e9 / 20e9, memoryBound.speedupPessimistic(1), 1e-12);
        assertEquals((4e8 / 20e9) / (4e8 / 25e9 + 2e-6), memoryBound.speedupPessimistic(2), 1e-12);
    }

    /** Each shape's R is its own one-thread rate; the bytes, tasks and reduction follow its layout. */
    @Test
    void calibrationTakesEachShapesOwnRate() {
        Row small = TableTest.row("headline", "float32", 8, 1_000_000, 1, 0.002);
        Row large = TableTest.row("headline", "float32", 256, 1_000_000, 1, 0.05);
        Row sync1 = TableTest.row("sync", "float32", 8, 1024, 1, 4e-6);
        Row sync2 = TableTest.row("sync", "float32", 8, 1024, 2, 3e-6);
        List<Row> rows = List.of(small, large, sync1, sync2);
        Summary.derive(rows, 100, 50, 2, List.of());
        Summary.bandwidth(rows, 20, 25, 2);
        assertEquals(1e-6, Summary.teamOverheadSeconds(rows), 1e-15);
        List<ScalingModel.Calibration> models = Summary.models(rows, 20, 25, 100, 50);
        assertEquals(2, models.size());
        ScalingModel.Calibration n8 = models.get(0);
        assertEquals("float32 n=8 d=1 m=1000000", n8.label());
        assertEquals(small.gflops() * 1e9, n8.coreFlopsPerSecond(), 1e-3, "R: the row's own rate");
        assertEquals(small.secondsPerStep, n8.seconds(1, 25e9), 1e-4, "the model's one-core time is the measured one");
        assertEquals(small.fusedBytesPerStep(), n8.bytes(), 0);
        assertEquals(253, n8.tasks(), "the kernel's layout at m = 1e6, n = 8: chunks of 3968 neurons (1e6 / 256 rounded up to 64)");
        assertEquals(253 * 8 * 8 / 20e9, n8.serialSeconds(), 1e-18);
        assertEquals(large.gflops() * 1e9, models.get(1).coreFlopsPerSecond(), 1e-3);
        assertTrue(ScalingModel.csv(models).get(1).startsWith("\"float32 n=8 d=1 m=1000000\",1,1.0000,1.0000"));
    }
}
