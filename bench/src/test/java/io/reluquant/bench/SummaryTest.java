// Proves: the summary's derived columns (% of peak per busy physical core, x reference, x best peer, peers matched on k) and its targets say met or MISSED with the measured value, k-class rows against their own peer targets.
package io.reluquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void derivedColumnsUsePeakPerBusyCoreTheReferenceAtTheSameNdAndTheBestPeer() {
        Row one = TableTest.row("headline", "float32", 256, 1_000_000, 1, 0.05);
        Row two = TableTest.row("headline", "float32", 256, 1_000_000, 2, 0.026);
        Row four = TableTest.row("strong", "float32", 256, 1_000_000, 4, 0.026);
        Row ref = new Row("reference", "reference", "float64", 256, 1, 16384, 1, "25", 16384 * 256 / 5e7, 1, 1, 1, 0, 1);
        List<Peers.Result> peers = List.of(PeerResults.step("numpy", 256, 1, 1_000_000, 1, 2.56e8, 3e9),
                PeerResults.step("torch", 256, 1, 1_000_000, 1, 4e8, 3.5e9),
                PeerResults.gemm("numpy", 256, 1, 1_000_000, 1, 0.001));
        Summary.derive(List.of(one, two, four, ref), 100, 50, 2, peers);
        // 256e6 pairs / 0.05 s * 14 flops = 71.68 GFLOP/s of a 100 GFLOP/s core
        assertEquals(71.68, one.percentOfPeak, 1e-9);
        assertEquals(100 * two.gflops() / 200, two.percentOfPeak, 1e-9);
        assertEquals(100 * four.gflops() / 200, four.percentOfPeak, 1e-9);
        assertEquals(5.12e9 / 5e7, one.speedupOverReference, 1e-6);
        assertEquals(5.12e9 / 4e8, one.ratioToBestPeer, 1e-9);
        assertEquals("torch", one.bestPeer, "the fastest step; a GEMM time is not a peer");
        assertEquals(100 * 0.001 / 0.05, one.percentOfGemmLimit, 1e-9);
        assertEquals("numpy", one.gemmLimitBy);
        assertTrue(Double.isNaN(two.ratioToBestPeer), "no peer at 2 threads");
        assertTrue(Double.isNaN(ref.speedupOverReference));
        assertEquals(0.05 / 0.026 / 2, Summary.efficiency(one, two, 2), 1e-12);
        assertEquals(0.05 / 0.026 / 2, Summary.efficiency(one, four, 2), 1e-12);
    }

    /**
     * A k-class row is compared with the peers' k-class steps only (a faster one-output peer at the same
     * shape is not its peer), has no reference (the reference rows are one-output) and no GEMM limit
     * (that limit counts a one-output step's two products); a one-output row never picks a k-class peer.
     */
    @Test
    void kClassRowsMatchPeersOnK() {
        Row plain = TableTest.row("dims", "float32", 256, 65_536, 1, 0.01);
        Row classes = TableTest.row("outputs", "float32", 256, 65_536, 1, 0.064);
        classes.outputs = 10;
        Row big = new Row("outputs", "fused", "float32", 1000, 784, 1024, 1, "25", 0.04, 1, 1, 1, 0, 1);
        big.outputs = 10;
        Row ref = new Row("reference", "reference", "float64", 256, 1, 16384, 1, "25", 16384 * 256 / 5e7, 1, 1, 1, 0, 1);
        List<Peers.Result> peers = List.of(PeerResults.step("torch", 256, 1, 65_536, 1, 1e9, 1e9),
                new Peers.Result("torch", "step", 256, 1, 65_536, 10, 1, 256 * 65_536 / 5e7, 1e9, Peers.CLEAN, "x", "{}"),
                new Peers.Result("numpy", "step", 256, 1, 65_536, 10, 1, 256 * 65_536 / 4e7, 1e9, Peers.CLEAN, "x", "{}"),
                new Peers.Result("numpy", "step", 1000, 784, 1024, 10, 1, 0.05, 1e9, Peers.CLEAN, "x", "{}"),
                PeerResults.gemm("numpy", 1000, 784, 1024, 1, 0.03));
        Summary.derive(List.of(plain, classes, big, ref), 100, 50, 2, peers);
        assertEquals(256 * 65_536 / 0.064 / 5e7, classes.ratioToBestPeer, 1e-9);
        assertEquals("torch", classes.bestPeer);
        assertEquals(256 * 65_536 / 0.01 / 1e9, plain.ratioToBestPeer, 1e-9, "the one-output row keeps its peer");
        assertTrue(Double.isNaN(classes.speedupOverReference), "no k-class reference");
        assertTrue(!Double.isNaN(plain.speedupOverReference));
        assertEquals(0.05 / 0.04, big.ratioToBestPeer, 1e-9);
        assertTrue(Double.isNaN(big.percentOfGemmLimit), "a one-output GEMM limit is not a k-class row's");
        // 256 * 65536 pairs / 0.064 s * (8 + 60) flops
        assertEquals(100 * 256 * 65_536 / 0.064 * 68 / 1e9 / 100, classes.percentOfPeak, 1e-9);
        Summary.bandwidth(List.of(plain, classes), 40, 80, 2);
        assertTrue(!Double.isNaN(plain.percentOfBandwidth));
        assertTrue(Double.isNaN(classes.percentOfBandwidth), "the fused byte count is not the k-output engine's");

        List<String> lines = Summary.targets(List.of(plain, classes, big, ref), 2, peers);
        assertTrue(lines.contains("| k=10 softmax >= 10x the best peer (torch) | float32 n=256 d=1 m=65536 k=10 threads=1 "
                + "(outputs) | 5.24x ± ? | MISSED |"), lines.toString());
        assertTrue(lines.contains("| k=10 softmax >= 1.0x the best peer (numpy) | float32 n=1000 d=784 m=1024 k=10 "
                + "threads=1 (outputs) | 1.25x ± ? | met |"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("k=10") && (l.contains("of peak") || l.contains("GEMM"))),
                "k-class rows have peer targets only: " + lines);
        assertEquals(10, Summary.peerTarget(2, 10));
        assertEquals(1.0, Summary.peerTarget(784, 10));
        assertEquals(Summary.peerTarget(784), Summary.peerTarget(784, 1));
    }

    @Test
    void targetsSayMetOrMissedWithTheMeasuredValue() {
        Row one = TableTest.row("headline", "float32", 256, 1_000_000, 1, 0.05);
        Row two = TableTest.row("headline", "float32", 256, 1_000_000, 2, 0.03);
        Row small = TableTest.row("sync", "float32", 8, 1024, 1, 1e-5);
        Summary.derive(List.of(one, two, small), 100, 50, 2, List.of());
        List<String> lines = Summary.targets(List.of(one, two, small), 2, List.of());
        assertTrue(lines.contains("| float32 d=1 1 thread >= 75% of peak | float32 n=256 d=1 m=1000000 threads=1 "
                + "(headline) | 71.7% ± ? | MISSED |"), lines.toString());
        assertTrue(lines.contains("| compute-bound: 2 threads >= 1.85x one thread | float32 n=256 d=1 m=1000000 "
                + "threads=2 (headline) | 1.67x ± ? | MISSED |"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("m=1024 threads=1")), "small shapes are not % of peak targets");

        one.secondsPerStepError = 0.05 * 0.03;
        two.secondsPerStepError = 0.03 * 0.04;
        Summary.derive(List.of(one, two, small), 100, 50, 2, List.of());
        lines = Summary.targets(List.of(one, two, small), 2, List.of());
        // 71.68% with 3% relative error; speed-up 1.667 with hypot(3%, 4%) = 5%
        assertTrue(lines.contains("| float32 d=1 1 thread >= 75% of peak | float32 n=256 d=1 m=1000000 threads=1 "
                + "(headline) | 71.7% ± 2.2% | MISSED |"), lines.toString());
        assertTrue(lines.contains("| compute-bound: 2 threads >= 1.85x one thread | float32 n=256 d=1 m=1000000 "
                + "threads=2 (headline) | 1.67x ± 0.08x | MISSED |"), lines.toString());
    }

    /** SMT siblings are not cores: % of peak at 2 threads on one physical core is over one core's peak. */
    @Test
    void percentOfPeakCountsPhysicalCores() {
        Row two = TableTest.row("headline", "float32", 256, 1_000_000, 2, 0.05);
        Summary.derive(List.of(two), 100, 50, 1, List.of());
        assertEquals(71.68, two.percentOfPeak, 1e-9);
    }

    /**
     * Each input dimension has its own target against the best peer (20x at d <= 2, 4x to d = 32, 2x to
     * 128, 1.1x above) and d = 784 also against the GEMM limit (90%).
     */
    @Test
    void peerTargetsDependOnTheInputDimension() {
        Row d16 = new Row("dims", "fused", "float32", 256, 16, 65536, 1, "25", 0.02, 10, 20, 30, 0, 50);
        Row d64 = new Row("dims", "fused", "float32", 2048, 64, 4096, 1, "25", 0.02, 10, 20, 30, 0, 50);
        Row d784 = new Row("dims", "fused", "float32", 1000, 784, 1024, 1, "25", 0.03, 10, 20, 30, 0, 50);
        // peers: d=16 at 3x below the kernel (MISSED), d=64 at 4x below (met), d=784 at 1/0.9x (met)
        List<Peers.Result> peers = List.of(
                PeerResults.step("numpy", 256, 16, 65536, 1, 256 * 65536 / 0.02 / 3, 1e9),
                PeerResults.step("numpy", 2048, 64, 4096, 1, 2048 * 4096 / 0.02 / 4, 1e9),
                PeerResults.step("torch", 1000, 784, 1024, 1, 1000 * 1024 / 0.03 * 0.9, 1e9),
                PeerResults.gemm("djl", 1000, 784, 1024, 1, 0.025),
                PeerResults.gemm("numpy", 1000, 784, 1024, 1, 0.026));
        List<Row> rows = List.of(d16, d64, d784);
        Summary.derive(rows, 100, 50, 2, peers);
        List<String> lines = Summary.targets(rows, 2, peers);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("| >= 4x the best peer (numpy) | float32 n=256 d=16")
                && l.endsWith("| MISSED |")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("| >= 2x the best peer (numpy) | float32 n=2048 d=64")
                && l.endsWith("| met |")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("| >= 1.1x the best peer (torch) | float32 n=1000 d=784")
                && l.contains("| 1.11x") && l.endsWith("| met |")), lines.toString());
        // the fastest BLAS sets the limit: 0.025 s of products in a 0.03 s step is 83%
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("| >= 90% of the GEMM limit (djl) | float32 n=1000 d=784")
                && l.contains("| 83%") && l.endsWith("| MISSED |")), lines.toString());
    }

    /**
     * The memory roof: a fused step moves 2 x 4 bytes x m (d + 2) (float32); at n = 8 that takes longer
     * at the measured bandwidth than the flops at peak, so the row is held to 80% of the bandwidth,
     * with one thread and two, and two threads must not be slower than one.
     */
    @Test
    void bandwidthBoundRowsAreHeldToTheMemoryRoof() {
        Row one = TableTest.row("headline", "float32", 8, 1_000_000, 1, 0.002);
        Row two = TableTest.row("headline", "float32", 8, 1_000_000, 2, 0.0025);
        List<Row> rows = List.of(one, two);
        Summary.derive(rows, 100, 50, 2, List.of());
        Summary.bandwidth(rows, 20, 25, 2); // GB/s, one core and both
        assertEquals(2L * 4 * 1_000_000 * 3, one.fusedBytesPerStep());
        assertEquals(100 * 24e6 / 20e9 / 0.002, one.percentOfBandwidth, 1e-9); // 60%
        assertEquals(100 * 24e6 / 25e9 / 0.0025, two.percentOfBandwidth, 1e-9); // 38.4%
        assertTrue(Summary.bandwidthBound(one), "8e6 pairs x 14 flops at 100 GFLOP/s: 1.1 ms < 2 ms");
        List<String> lines = Summary.targets(rows, 2, List.of());
        assertTrue(lines.contains("| bandwidth-bound: >= 80% of the measured bandwidth | float32 n=8 d=1 m=1000000 "
                + "threads=1 (headline) | 60.0% ± ? | MISSED |"), lines.toString());
        assertTrue(lines.contains("| 2 threads >= 1.0x one thread | float32 n=8 d=1 m=1000000 threads=2 (headline) "
                + "| 0.80x ± ? | MISSED |"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("75% of peak")), "a bandwidth-bound row has no peak target");
    }

    /** A row faster per core than the probe raises the peak it is divided by: no share above 100%. */
    @Test
    void noShareOfPeakAboveOneHundred() {
        Row fast = TableTest.row("dims", "float32", 256, 1_000_000, 1, 0.01); // 358 GFLOP/s
        StringBuilder note = new StringBuilder();
        double peak = Summary.effectivePeak(List.of(fast), "float32", 100, 2, note);
        assertEquals(fast.gflops(), peak, 1e-9);
        assertTrue(note.toString().contains("raised from the probe's 100.0"), note.toString());
        Summary.derive(List.of(fast), peak, 50, 2, List.of());
        assertEquals(100, fast.percentOfPeak, 1e-9);
        StringBuilder none = new StringBuilder();
        assertEquals(1000, Summary.effectivePeak(List.of(fast), "float32", 1000, 2, none), 0);
        assertEquals("", none.toString());
    }
}
