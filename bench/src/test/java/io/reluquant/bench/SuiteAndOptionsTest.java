// Proves: the bench's suites and options: sizes parse, the default suite holds the headline shapes, the peak, the reference and the k = 10 softmax rows, the full sweep covers the targets, the heap covers the largest shape, peer lines parse (with k).
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
                "scaling and width sweeps are in the full sweep (the default stays near 10 minutes)");
    }

    /** The embedding group runs a host's loop and the in-kernel optimizers beside bare gradient calls, and serving; its trials count every method. */
    @Test
    void embeddingGroupTimesTheHostLoopBesideBareGradientsAndServing() {
        List<Suite.Run> runs = Suite.standard(2).stream().filter(r -> r.group().equals(Suite.EMBEDDING)).toList();
        Suite.Run loop = runs.stream().filter(r -> r.benchmark().startsWith(OptimizerLoop.class.getName())).findFirst().orElseThrow();
        Suite.Run serving = runs.stream().filter(r -> r.benchmark().startsWith(PredictorBench.class.getName())).findFirst().orElseThrow();
        assertEquals(List.of("64", "256"), loop.params().get("batch"));
        assertEquals(2 * 5, BenchMain.trials(loop), "gradient, host momentum, sgd, in-kernel momentum and AdamW at two batch sizes");
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

    /** --classes K makes the custom lists time the K-class step (peers beside it), without reference rows; K < 2 is refused. */
    @Test
    void customRunsWithClassesTimeTheKClassStep() throws Exception {
        BenchMain main = new BenchMain();
        new picocli.CommandLine(main).parseArgs("--dims", "1,784", "--widths", "1024", "--classes", "10", "--precisions", "float32");
        List<Suite.Run> runs = main.planForTest(2);
        List<Suite.Run> custom = runs.stream().filter(r -> r.group().equals(Suite.CUSTOM)).toList();
        assertEquals(1, custom.size(), runs.toString());
        assertTrue(custom.get(0).benchmark().startsWith(OutputsStep.class.getName()), custom.get(0).benchmark());
        assertEquals(List.of("10"), custom.get(0).params().get("k"));
        assertEquals(List.of("1", "784"), custom.get(0).params().get("d"));
        assertTrue(runs.stream().noneMatch(r -> r.benchmark().startsWith(ReferenceStep.class.getName())), "no reference rows at k > 1");
        BenchMain one = new BenchMain();
        new picocli.CommandLine(one).parseArgs("--classes", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.planForTest(2));
        assertTrue(e.getMessage().contains("--classes") && e.getMessage().contains("got 1"), e.getMessage());
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

    /**
     * The outputs group: k = 10 softmax steps (OutputsStep), float32, one thread, at d = 1 and 2 and the
     * Fashion-MNIST-sized layer; the full sweep adds the Fashion-MNIST training shape. The one-output
     * runs carry no k parameter, so their rows and JSON stay as they were; --groups outputs picks it alone.
     */
    @Test
    void outputsGroupRunsTenClassesBesideTheOneOutputRows() throws Exception {
        List<Suite.Run> runs = Suite.standard(2);
        List<Suite.Run> outputs = runs.stream().filter(r -> r.group().equals(Suite.OUTPUTS)).toList();
        assertEquals(List.of(List.of("256", "1", "65536"), List.of("256", "2", "65536"), List.of("1000", "784", "1024")),
                outputs.stream().map(r -> List.of(r.params().get("n").get(0), r.params().get("d").get(0),
                        r.params().get("m").get(0))).toList());
        for (Suite.Run r : outputs) {
            assertEquals(OutputsStep.class.getName() + ".step", r.benchmark());
            assertEquals(List.of("10"), r.params().get("k"));
            assertEquals(List.of("FLOAT32"), r.params().get("precision"));
            assertEquals(List.of("1"), r.params().get("threads"));
            assertEquals(1, BenchMain.trials(r));
        }
        assertTrue(runs.stream().filter(r -> r.benchmark().startsWith(FusedStep.class.getName()))
                .noneMatch(r -> r.params().containsKey("k")), "one-output runs have no k parameter");
        assertTrue(BenchMain.PEER_GROUPS.contains(Suite.OUTPUTS), "the peers run beside the k-class rows");
        assertTrue(Suite.full(2).stream().anyMatch(r -> r.group().equals(Suite.OUTPUTS)
                && r.params().get("n").equals(List.of("60000")) && r.params().get("d").equals(List.of("784"))
                && r.params().get("k").equals(List.of("10"))), "the full sweep adds (60000, 784, 1024)");
        assertTrue(runs.stream().noneMatch(r -> r.params().getOrDefault("n", List.of()).equals(List.of("60000"))
                && r.group().equals(Suite.OUTPUTS)));
        BenchMain main = new BenchMain();
        new picocli.CommandLine(main).parseArgs("--groups", "outputs");
        assertEquals(List.of(Suite.PEAK, Suite.OUTPUTS, Suite.OUTPUTS, Suite.OUTPUTS, Suite.PEAK),
                main.planForTest(2).stream().map(Suite.Run::group).toList());
        // the heap covers the k-class shape: a is (m, k), the engine holds f and the residuals as n x k
        long live = Suite.bytesNeeded(1000, 784, 10, 1024);
        assertTrue(live > Suite.bytesNeeded(1000, 784, 1024), "k outputs need more than one");
        assertEquals(Suite.bytesNeeded(256, 1, 65_536), Suite.bytesNeeded(256, 1, 1, 65_536));
        assertTrue(outputs.get(2).heapMiB() * (1 << 20) >= 2 * live, outputs.get(2).heapMiB() + " MiB for " + live);
    }

    /** A k-class peer line names its k; a one-output line has none and reads as k = 1. */
    @Test
    void peerLineWithClassesParses() {
        Peers.Result p = Peers.parse("{\"impl\": \"numpy\", \"mode\": \"step\", \"loss\": \"softmax\", \"n\": 256, "
                + "\"d\": 2, \"m\": 65536, \"seconds_per_step\": 0.5, \"k\": 10, \"threads\": 1, \"peak_rss_bytes\": 1}",
                Peers.CLEAN);
        assertEquals(10, p.outputs());
        assertEquals(2, p.inputDim());
        assertEquals(256 * 65_536 / 0.5, p.pairsPerSecond(), 1e-6);
        Peers.Result one = Peers.parse("{\"impl\": \"numpy\", \"mode\": \"step\", \"n\": 256, \"d\": 2, \"m\": 65536, "
                + "\"seconds_per_step\": 0.5, \"threads\": 1, \"peak_rss_bytes\": 1}", Peers.CLEAN);
        assertEquals(1, one.outputs());
        assertEquals("torch k=10 softmax", new Peers.Check("torch", 10, 1, Peers.CLEAN, true, "", "b", "v").label());
        assertEquals("torch", new Peers.Check("torch", 1, 1, Peers.CLEAN, true, "", "b", "v").label());
        assertEquals(Peers.IMPLS, Peers.CLASS_IMPLS, "every peer has a k-class step");
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
