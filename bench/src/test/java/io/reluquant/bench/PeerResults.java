package io.reluquant.bench;

/** Test data: peer results as the peer programs would report them. */
final class PeerResults {
    private PeerResults() {}

    /** a peer step at (n, d, m, threads) running at {@code pairsPerSecond}, with the given peak RSS */
    static Peers.Result step(String impl, int n, int d, int m, int threads, double pairsPerSecond, double rssBytes) {
        return new Peers.Result(impl, "step", n, d, m, threads, (double) n * m / pairsPerSecond, rssBytes, Peers.CLEAN,
                "OpenBLAS 0.3.21 core Cooperlake", "{}");
    }

    /** the two products of a step at (n, d, m, threads) taking {@code seconds} together */
    static Peers.Result gemm(String impl, int n, int d, int m, int threads, double seconds) {
        return new Peers.Result(impl, "gemm", n, d, m, threads, seconds, 1e9, Peers.CLEAN, "OpenBLAS 0.3.21 core Cooperlake",
                "{}");
    }
}
