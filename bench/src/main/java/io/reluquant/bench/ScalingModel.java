package io.reluquant.bench;

import io.reluquant.kernel.fused.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model of a step's time on p cores, calibrated on the machine the bench ran on, to say what to
 * expect from 1 to 64 cores:
 *
 * <pre>
 *   T(p) = max( W / (p R) x imbalance(p),  B / BW(p) ) + o (p - 1) + s
 * </pre>
 *
 * <ul>
 *   <li>W: the step's flops (n m (4(d+1)+6)); R: the rate the kernel reaches on one core at this shape,
 *       from the one-thread row itself (at n = 8 the step reaches neither roof on one core: its cost is
 *       per-block work that every core does for its own neurons, so it scales like compute until the
 *       memory roof caps it);</li>
 *   <li>imbalance(p) = ceil(C / p) / (C / p) for C tasks (chunks of neurons; a member that finishes early
 *       steals, so this is the worst case);</li>
 *   <li>B: the bytes the step must move ({@link Row#fusedBytesPerStep}, fused rows); BW(p): the memory
 *       bandwidth of p cores, min(p BW1, BWmax), with BW1 the one-core probe and BWmax the bandwidth of
 *       the socket, which a 2-core VM cannot measure: two curves bracket it, {@code BWmax} = the all-core
 *       bandwidth measured here (no more bandwidth beyond this VM: pessimistic) and {@code BWmax} =
 *       infinity (every core brings its own: optimistic);</li>
 *   <li>o: the team's per-step cost per extra member (unparking, the final barrier), from the sync rows:
 *       (2-thread step) - (1-thread step) / 2;</li>
 *   <li>s: the serial reduction of the per-chunk partial sums in chunk order (C n doubles read once by the
 *       caller), at the one-core bandwidth.</li>
 * </ul>
 *
 * <p>Assumptions, and where the model stops holding: one socket with a shared last-level cache (no
 * NUMA: on two sockets, remote parameters cost more than BW(p) says); the clock does not drop as more
 * cores run 512-bit FMAs (many Xeons lower it by 10-25%, an error of that size in S(p)); no SMT (siblings
 * share one core's FMA units: count physical cores); the team's overhead grows linearly with its size
 * (one unpark per worker by the caller; a tree of wake-ups would grow as log p).
 */
final class ScalingModel {
    /** the model's inputs for one shape */
    record Calibration(String label, double flops, double bytes, int tasks, double coreFlopsPerSecond,
                       double bandwidthOne, double bandwidthAll, double overheadPerMember, double serialSeconds) {
        /** predicted seconds per step on p cores with the socket bandwidth {@code bandwidthMax} (bytes/s) */
        double seconds(int p, double bandwidthMax) {
            double compute = flops / (p * coreFlopsPerSecond) * imbalance(p);
            double memory = bytes == 0 ? 0 : bytes / Math.min(p * bandwidthOne, bandwidthMax);
            return Math.max(compute, memory) + overheadPerMember * (p - 1) + serialSeconds;
        }

        double imbalance(int p) {
            if (tasks <= 0) {
                return 1;
            }
            double perMember = (double) tasks / p;
            return Math.ceil(perMember) / perMember;
        }

        /** speed-up over one core, pessimistic (the socket's bandwidth is what this machine's cores have) */
        double speedupPessimistic(int p) {
            return seconds(1, bandwidthAll) / seconds(p, bandwidthAll);
        }

        /** speed-up over one core, optimistic (every core brings its own bandwidth) */
        double speedupOptimistic(int p) {
            return seconds(1, Double.POSITIVE_INFINITY) / seconds(p, Double.POSITIVE_INFINITY);
        }
    }

    /** the core counts the model is drawn for */
    static final int[] CORES = {1, 2, 4, 8, 16, 32, 64};

    private ScalingModel() {}

    /**
     * Calibrates the model for a one-thread row.
     *
     * @param overhead     the team's per-step cost per extra member, seconds (NaN: not measured, taken as 0)
     * @param bandwidthOne one core's bandwidth, GB/s
     * @param bandwidthAll every core's, GB/s
     * @param peak         the FMA peak of one core in the row's precision, GFLOP/s (R if the row has no time)
     */
    static Calibration calibrate(Row row, double overhead, double bandwidthOne, double bandwidthAll, double peak) {
        double flops = (double) row.samples * row.width * Row.flopsPerPair(row.inputDim, row.outputs);
        boolean fused = row.inputDim <= 2;
        double bytes = fused ? row.fusedBytesPerStep() : 0;
        double rate = flops / row.secondsPerStep;
        if (!(rate > 0) || Double.isInfinite(rate)) {
            rate = peak * 1e9;
        }
        int chunks = fused ? Layout.of(row.width, row.samples).chunks : 0;
        double serial = fused ? chunks * (double) row.samples * 8 / (bandwidthOne * 1e9) : 0;
        return new Calibration(String.format(Locale.ROOT, "%s n=%d d=%d m=%d", row.precision, row.samples, row.inputDim,
                row.width), flops, bytes, chunks, rate, bandwidthOne * 1e9, bandwidthAll * 1e9,
                Double.isNaN(overhead) ? 0 : Math.max(0, overhead), serial);
    }

    /** CSV lines: label, cores, pessimistic and optimistic speed-up and efficiency */
    static List<String> csv(List<Calibration> models) {
        List<String> lines = new ArrayList<>();
        lines.add("shape,cores,speedup_pessimistic,speedup_optimistic,efficiency_pessimistic,efficiency_optimistic");
        for (Calibration c : models) {
            for (int p : CORES) {
                lines.add(String.format(Locale.ROOT, "\"%s\",%d,%.4f,%.4f,%.4f,%.4f", c.label(), p, c.speedupPessimistic(p),
                        c.speedupOptimistic(p), c.speedupPessimistic(p) / p, c.speedupOptimistic(p) / p));
            }
        }
        return lines;
    }
}
