// Proves: the bench's charts hold the kernel at every shape of a group and each peer where it ran the same shape.
package io.reluquant.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlotsTest {
    /** The dims chart: the kernel at every d of the group, each peer where it ran the same shape, the GEMM limit. */
    @Test
    void dimsChartHasTheKernelAndEachPeerOnTheSameShapes() {
        Row d4 = new Row("dims", "fused", "float32", 256, 4, 65536, 1, "25", 0.01, 10, 20, 30, 0, 50);
        Row d64 = new Row("dims", "fused", "float32", 2048, 64, 4096, 1, "25", 0.02, 10, 20, 30, 0, 50);
        Row twoThreads = new Row("dims", "fused", "float32", 2048, 64, 4096, 2, "25", 0.01, 10, 20, 30, 0, 50);
        List<Peers.Result> peers = List.of(PeerResults.step("numpy", 256, 4, 65536, 1, 1e8, 1e9),
                PeerResults.step("numpy", 2048, 64, 4096, 1, 1e8, 1e9),
                PeerResults.step("torch", 2048, 64, 4096, 1, 2e8, 1e9),
                PeerResults.gemm("numpy", 2048, 64, 4096, 1, 0.01));
        List<Row> rows = List.of(d64, d4, twoThreads);
        Summary.derive(rows, 100, 50, 2, peers);
        var chart = Plots.dimsChart(rows, peers, false);
        assertEquals(4, chart.getSeriesCollection().size()); // reluquant, torch, numpy, the GEMM limit
        var kernel = series(chart, "reluquant");
        assertArrayEquals(new double[] {4, 64}, kernel.getXData(), "one thread, sorted by d");
        assertArrayEquals(new double[] {d4.pairsPerSecond(), d64.pairsPerSecond()}, kernel.getYData());
        assertArrayEquals(new double[] {1e8, 1e8}, series(chart, "numpy").getYData());
        var percent = Plots.dimsChart(rows, peers, true);
        // a peer's share of the peak: the kernel's share scaled by the ratio of pairs per second
        assertEquals(d64.percentOfPeak * 2e8 / d64.pairsPerSecond(), series(percent, "torch").getYData()[0], 1e-9);
        // the GEMM limit drawn as the rate of a step that took only its two products' time
        assertArrayEquals(new double[] {2048 * 4096 / 0.01}, series(chart, "GEMM limit (best BLAS)").getYData(), 1e-3);
        assertNull(Plots.dimsChart(List.of(), peers, false));
    }

    private static org.knowm.xchart.XYSeries series(org.knowm.xchart.XYChart chart, String name) {
        return chart.getSeriesCollection().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
    }
}
