// Proves: the bench's suites and options: sizes parse, the default suite holds the headline shapes, the peak and the reference, the full sweep covers the targets, the heap covers the largest shape.
package io.reluquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteAndOptionsTest {
    @Test
    void sizesAcceptIntegersPowersAndExponents() {
        assertEquals(1 << 20, BenchMain.parseSize("2^20"));
        assertEquals(1_000_000, BenchMain.parseSize("1e6"));
        assertEquals(256, BenchMain.parseSize(" 256 "));
        for (String bad : List.of("0", "-3", "1.5", "2^31", "abc", "3e9")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchMain.parseSize(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void defaultSuiteHoldsTheHeadlineShapesThePeakAndTheReference() {
        List<Suite.Run> runs = Suite.standard(2);
        assertEquals(Suite.PEAK, runs.get(0).group());
        Suite.Run headline = runs.stream().filter(r -> r.group().equals(Suite.HEADLINE)).findFirst().orElseThrow();
        assertEquals(List.of("FLOAT32", "FLOAT64"), headline.params().get("precision"));
        assertEquals(List.of("8", "256"), headline.params().get("n"));
        assertEquals(List.of("1"), headline.params().get("d"));
        assertEquals(List.of("1000000"), headline.params().get("m"));
        assertEquals(List.of("1", "2"), headline.params().get("threads"));
        assertTrue(runs.stream().anyMatch(r -> r.group().equals(Suite.REFERENCE)
                && r.params().get("n").equals(List.of("256")) && r.params().get("d").equals(List.of("1"))));
        assertTrue(runs.stream().anyMatch(r -> r.group().equals(Suite.REFERENCE)
                && r.params().get("n").equals(List.of("8")) && r.params().get("d").equals(List.of("1"))));
        assertTrue(runs.stream().anyMatch(r -> r.group().equals(Suite.FOOTPRINT) && !r.timing()));
        assertTrue(runs.stream().noneMatch(r -> r.group().equals(Suite.STRONG) || r.group().equals(Suite.WIDTH)),
                "scaling and width sweeps are in the full sweep (the default stays near 8 minutes)");
    }

    /** The embedding group runs a host's loop beside bare gradient calls, and serving; its trials count every method. */
    @Test
    void embeddingGroupTimesTheHostLoopBesideBareGradientsAndServing() {
        List<Suite.Run> runs = Suite.standard(2).stream().filter(r -> r.group().equals(Suite.EMBEDDING)).toList();
        Suite.Run loop = runs.stream().filter(r -> r.benchmark().startsWith(OptimizerLoop.class.getName())).findFirst().orElseThrow();
        Suite.Run serving = runs.stream().filter(r -> r.benchmark().startsWith(PredictorBench.class.getName())).findFirst().orElseThrow();
        assertEquals(List.of("64", "256"), loop.params().get("batch"));
        assertEquals(2 * 3, BenchMain.trials(loop), "gradient, momentum and sgd at two batch sizes");
        assertEquals(2, BenchMain.trials(serving), "single and batch at d = 10");
        assertTrue(Suite.full(2).stream().anyMatch(r -> r.group().equals(Suite.EMBEDDING)
                && r.params().getOrDefault("d", List.of()).equals(List.of("784"))), "the full sweep serves and loops at d = 784");
    }

    /** The progress line names each run's benchmark classes, not a piece of its regex. */
    @Test
    void progressLineNamesTheBenchmarks() {
        assertEquals("FusedStep.step", BenchMain.simpleName(Suite.fused(Suite.DIMS, Suite.params()).benchmark()));
        assertEquals("PeakProbe.fp(32|64) + BandwidthProbe", BenchMain.simpleName(Suite.roofs().benchmark()));
        assertEquals("PeakProbe.fp(32|64)", BenchMain.simpleName(Suite.peak().benchmark()));
        assertEquals("OptimizerLoop", BenchMain.simpleName(Suite.embedding(false).get(0).benchmark()));
    }

    /** A group only the full sweep has is taken from it when --groups names it. */
    @Test
    void groupsOfTheFullSweepCanBeChosenAlone() throws Exception {
        BenchMain main = new BenchMain();
        new picocli.CommandLine(main).parseArgs("--groups", "strong");
        List<Suite.Run> runs = main.planForTest(2);
        assertEquals(List.of(Suite.PEAK, Suite.STRONG, Suite.PEAK), runs.stream().map(Suite.Run::group).toList());
        BenchMain study = new BenchMain();
        new picocli.CommandLine(study).parseArgs("--scaling");
        assertEquals(List.of(Suite.PEAK, Suite.HEADLINE, Suite.SYNC, Suite.STRONG, Suite.WEAK, Suite.WEAK, Suite.PEAK),
                study.planForTest(2).stream().map(Suite.Run::group).toList());
        assertTrue(study.planForTest(2).get(0).benchmark().contains("BandwidthProbe"), "the roofs come first");
    }

    @Test
    void fullSweepCoversTheTargetRanges() {
        List<Suite.Run> runs = Suite.full(2);
        Suite.Run width = runs.stream().filter(r -> r.group().equals(Suite.WIDTH)).findFirst().orElseThrow();
        assertEquals(13, width.params().get("m").size());
        assertEquals("1024", width.params().get("m").get(0));
        assertEquals(Integer.toString(1 << 22), width.params().get("m").get(12));
        Suite.Run dims = runs.stream().filter(r -> r.group().equals(Suite.DIMS)).findFirst().orElseThrow();
        assertEquals(List.of("1", "2", "8", "16"), dims.params().get("d"));
        assertTrue(runs.stream().anyMatch(r -> r.group().equals(Suite.FASHION)));
        assertEquals(List.of("8", "256", "1024"), dims.params().get("n"));
        assertEquals(12, runs.stream().filter(r -> r.group().equals(Suite.REFERENCE)).count());
        Suite.Run strong = runs.stream().filter(r -> r.group().equals(Suite.STRONG)).findFirst().orElseThrow();
        assertEquals(List.of("1", "2", "4"), strong.params().get("threads"));
        assertEquals(Suite.PEAK, runs.get(runs.size() - 1).group(), "the probe runs again at the end");
    }

    @Test
    void referenceWidthKeepsAStepNearFourMillionPairs() {
        assertEquals(1 << 19, Suite.referenceWidth(8));
        assertEquals(1 << 14, Suite.referenceWidth(256));
        assertEquals(1 << 12, Suite.referenceWidth(1024));
        assertEquals(1 << 10, Suite.referenceWidth(1 << 20));
    }

    @Test
    void heapCoversTheLargestShape() {
        Suite.Run run = Suite.fused("x", Suite.params("n", 256, "d", 1, "m", List.of(1024, 1_000_000)));
        long live = Suite.bytesNeeded(256, 1, 1_000_000);
        long heap = run.heapMiB();
        assertEquals(0, heap % 16);
        assertTrue(heap * (1 << 20) >= 2 * live, heap + " MiB for " + live + " live bytes");
        assertTrue(heap * (1 << 20) <= 2 * live + (256L << 20), heap + " MiB for " + live + " live bytes");
        long lean = Suite.footprint().heapMiB();
        assertTrue(lean * (1 << 20) >= live && lean * (1 << 20) <= live + (96L << 20), lean + " MiB");
    }

    @TempDir
    Path dir;

    @Test
    void peakRssParsesVmHwmAndReportsMissing() throws Exception {
        Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\nVmPeak:\t 999 kB\nVmHWM:\t  123456 kB\n");
        assertEquals(123456, PeakRssProfiler.peakRssKiB(status));
        assertEquals(-1, PeakRssProfiler.peakRssKiB(Files.writeString(dir.resolve("other"), "Name:\tx\n")));
        assertEquals(-1, PeakRssProfiler.peakRssKiB(dir.resolve("missing")));
    }

    @Test
    void peerLineParses() {
        String line = "{\"impl\": \"torch\", \"mode\": \"step\", \"n\": 256, \"d\": 1, "
                + "\"m\": 1000000, \"steps\": 3, \"seconds_per_step\": 0.75, \"pairs_per_s\": 3.41e8, "
                + "\"versions\": {\"numpy\": \"1.24.2\", \"torch\": \"1.13.0a0\"}, \"blas\": {\"libraries\": [], "
                + "\"openblas_core\": \"Cooperlake\", \"openblas_config\": \"OpenBLAS 0.3.21 DYNAMIC_ARCH\"}, "
                + "\"threads\": 2, \"peak_rss_bytes\": 3650000000}";
        Peers.Result p = Peers.parse(line, Peers.CLEAN);
        assertEquals("torch", p.impl());
        assertEquals(256, p.samples());
        assertEquals(1_000_000, p.width());
        assertEquals(2, p.threads());
        assertEquals(0.75, p.seconds());
        assertEquals(3.65e9, p.peakRssBytes());
        assertEquals("OpenBLAS 0.3.21 core Cooperlake", p.blas());
        assertEquals("numpy 1.24.2, torch 1.13.0a0", Peers.versionsOf(line));
        assertTrue(p.json().endsWith(", \"environment\": \"clean\"}"), p.json());
        Peers.Result gemm = Peers.parse("{\"impl\": \"djl\", \"mode\": \"gemm\", \"n\": 1000, \"d\": 784, \"m\": 1024, "
                + "\"gemm_seconds\": 0.06, \"threads\": 1, \"peak_rss_bytes\": 1, \"blas\": {\"blas\": \"MKL inside libtorch 2.7.1\"}}",
                Peers.AS_GIVEN);
        assertEquals(0.06, gemm.seconds());
        assertEquals("MKL inside libtorch 2.7.1", gemm.blas());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Peers.parse("{\"impl\": \"x\", \"mode\": \"step\"}", Peers.CLEAN));
        assertTrue(e.getMessage().contains("\"seconds_per_step\""), e.getMessage());
    }

    /** Peers at their best: every variable that pins a BLAS kernel is removed, thread counts are set. */
    @Test
    void peerEnvironmentDropsBlasOverridesAndSetsThreads() {
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("OPENBLAS_CORETYPE", "Haswell",
                "OPENBLAS_L2_SIZE", "512", "GOTO_NUM_THREADS", "9", "MKL_ENABLE_INSTRUCTIONS", "AVX2", "PATH", "/bin",
                "OPENBLAS_NUM_THREADS", "7"));
        assertEquals(java.util.Set.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "GOTO_NUM_THREADS", "MKL_ENABLE_INSTRUCTIONS"),
                Peers.overrides(env).keySet());
        java.util.Map<String, String> clean = new java.util.HashMap<>(env);
        Peers.prepare(clean, 2, true);
        assertEquals(java.util.Map.of("PATH", "/bin", "OPENBLAS_NUM_THREADS", "2", "OMP_NUM_THREADS", "2",
                "MKL_NUM_THREADS", "2"), clean);
        java.util.Map<String, String> given = new java.util.HashMap<>(env);
        Peers.prepare(given, 1, false);
        assertEquals("Haswell", given.get("OPENBLAS_CORETYPE"), "the fallback keeps the environment as given");
        assertEquals("1", given.get("OMP_NUM_THREADS"));
    }
}
