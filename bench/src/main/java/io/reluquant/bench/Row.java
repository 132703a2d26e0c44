package io.reluquant.bench;

/**
 * One line of the summary table: a timed step benchmark at one shape, with the columns derived from
 * the peak probe, the reference and the peers of the same run. NaN marks a column that does not apply.
 *
 * <p>Errors are JMH's score error: the half-width of the 99.9% confidence interval of the mean
 * ({@code Result.getScoreError()}); NaN where JMH cannot give one (a single sample or iteration).
 * Rates inherit the relative error of the mean step time (first order: a rate is 1/time); a ratio of
 * two measured rates adds their relative errors in quadrature; the peak is taken as exact.
 */
final class Row {
    /** flops of one neuron-sample pair in one step of a one-output network: {@link #flopsPerPair(int, int)} at k = 1 */
    static long flopsPerPair(int inputDim) {
        return flopsPerPair(inputDim, 1);
    }

    /**
     * flops of one neuron-sample pair in one step of a network with k outputs: 4(d + 1) + 6k. Forward
     * 2(d+1) for z and 2k for the k products a_jc relu(z_ij) of F = H A; backward 2k for the per-pair
     * k-dot s_ij = a_j . r_i, 2k for ga = H^T R, 2(d+1) for s_ij x_ik and s_ij per input weight and
     * bias. At k = 1 this is the one-output count 4(d+1) + 6 (there the 2 flops of the k-dot are the
     * mask and the product r a_j). The mask compare, the softmax (O(n k) per step) and the update
     * (O(m (d + k))) are not counted.
     */
    static long flopsPerPair(int inputDim, int outputs) {
        return 4L * (inputDim + 1) + 6L * outputs;
    }

    final String group;
    final String benchmark;
    final String precision;
    final int samples;
    final int inputDim;
    final int width;
    /** k, the network's outputs (classes of the softmax rows); 1 for every one-output row */
    int outputs = 1;
    final int threads;
    final String jdk;
    /** mean seconds per step */
    final double secondsPerStep;
    final double p50Us;
    final double p99Us;
    final double p999Us;
    final double allocBytesPerStep;
    final double peakRssMiB;
    /** 99.9% CI half-width of secondsPerStep, in seconds */
    double secondsPerStepError = Double.NaN;
    /** 99.9% CI half-width of allocBytesPerStep */
    double allocBytesPerStepError = Double.NaN;
    /** 99.9% CI half-width of peakRssMiB (over forks) */
    double peakRssMiBError = Double.NaN;

    double percentOfPeak = Double.NaN;
    double percentOfPeakError = Double.NaN;
    double speedupOverReference = Double.NaN;
    double speedupOverReferenceError = Double.NaN;
    double ratioToBestPeer = Double.NaN;
    double ratioToBestPeerError = Double.NaN;
    String bestPeer = "";
    /** the fastest BLAS's time for the step's two big products at this shape and team, in seconds */
    double gemmLimitSeconds = Double.NaN;
    /** GEMM limit over the step time, in %: 100 would be a step as fast as its two products alone */
    double percentOfGemmLimit = Double.NaN;
    double percentOfGemmLimitError = Double.NaN;
    /** the step's time if it moved its bytes at the measured bandwidth (fused rows), in seconds */
    double bandwidthLimitSeconds = Double.NaN;
    /** the bandwidth limit over the step time, in % (fused rows) */
    double percentOfBandwidth = Double.NaN;
    double percentOfBandwidthError = Double.NaN;
    /** which peer's BLAS set the GEMM limit */
    String gemmLimitBy = "";

    Row(String group, String benchmark, String precision, int samples, int inputDim, int width, int threads, String jdk,
        double secondsPerStep, double p50Us, double p99Us, double p999Us, double allocBytesPerStep, double peakRssMiB) {
        this.group = group;
        this.benchmark = benchmark;
        this.precision = precision;
        this.samples = samples;
        this.inputDim = inputDim;
        this.width = width;
        this.threads = threads;
        this.jdk = jdk;
        this.secondsPerStep = secondsPerStep;
        this.p50Us = p50Us;
        this.p99Us = p99Us;
        this.p999Us = p999Us;
        this.allocBytesPerStep = allocBytesPerStep;
        this.peakRssMiB = peakRssMiB;
    }

    /**
     * Bytes a fused step must move, counted from the layout: it reads the parameters a, w, b (m (d + 2)
     * values) and writes their updated copy into the other parameter buffer; the O(n) and O(chunks n)
     * arrays are small beside them (write-allocate reads are not counted, as in the bandwidth probe).
     */
    long fusedBytesPerStep() {
        int bytes = precision.equals("float64") ? 8 : 4;
        return 2L * bytes * io.reluquant.kernel.fused.Layout.of(width, samples).paddedWidth * (inputDim + 2);
    }

    /** neuron-sample pairs per second: n m per step */
    double pairsPerSecond() {
        return (double) samples * width / secondsPerStep;
    }

    double gflops() {
        return pairsPerSecond() * flopsPerPair(inputDim, outputs) / 1e9;
    }

    /** @return the relative error of the mean step time (and of every rate derived from it) */
    double relativeError() {
        return secondsPerStepError / secondsPerStep;
    }

    double pairsPerSecondError() {
        return pairsPerSecond() * relativeError();
    }

    double gflopsError() {
        return gflops() * relativeError();
    }

    double microsPerStep() {
        return secondsPerStep * 1e6;
    }

    double microsPerStepError() {
        return secondsPerStepError * 1e6;
    }

    boolean isFused() {
        return benchmark.equals("fused");
    }
}
