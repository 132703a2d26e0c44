package io.reluquant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH profiler reporting the fork's peak resident set size (VmHWM of /proc/self/status, Linux) after
 * every iteration as the secondary result {@code rss.peak} in MiB; reports nothing elsewhere.
 */
public class PeakRssProfiler implements InternalProfiler {
    static final String RESULT = "rss.peak";

    @Override
    public String getDescription() {
        return "peak resident set size of the forked JVM (VmHWM)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        // nothing to start: the kernel keeps the high-water mark
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long kib = peakRssKiB(Path.of("/proc/self/status"));
        return kib < 0 ? List.of() : List.of(new ScalarResult(RESULT, kib / 1024.0, "MiB", AggregationPolicy.MAX));
    }

    /** @return VmHWM in KiB from a /proc status file, or -1 when it cannot be read */
    static long peakRssKiB(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
