// Proves: results are bitwise identical for every thread count and every run, on both paths, with one output and with k outputs, under every provider.
package io.reluquant.kernel;

import io.reluquant.testkit.Fixtures;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Results are bitwise identical for every thread count and every run, on both paths: the fused sweep
 * cuts the width into chunks that depend only on (m, n) and reduces chunk partial sums in chunk order;
 * the mask-bit passes sum each neuron's gradient in one task in a fixed tile order and each f(x_i) in
 * one task in a fixed panel order.
 */
@Tag("per-provider")
class DeterminismTest {
    static final int[] THREADS = {1, 2, 3, 4, 7};

    /** The whole state after full-batch steps, batch steps and a gradient, as raw bits. */
    private static long[] run(Kernel kernel, Precision precision, int threads, int d) {
        // fused (d = 2): ~20 chunks of 1024 neurons, last one ragged; mask-bit (d = 37): 32 panels of 64
        // neurons, last one ragged, and 4 forward tiles of 96 samples, last one ragged
        int m = d == 2 ? 20_011 : 2_011;
        Dataset data = Fixtures.data(d == 2 ? 37 : 301, d, 99);
        try (Trainer t = Trainer.builder(data, Fixtures.params(m, d, 5)).kernel(kernel).precision(precision)
                .threads(threads).build()) {
            double loss = t.steps(1e-3, 20, 5, null);
            double batchLoss = t.step(1e-3, new int[] {3, 1, 4, 1, 5, 9, 2, 6});
            double[] ga = new double[m];
            double[] gw = new double[m * d];
            double[] gb = new double[m];
            double gradLoss = t.gradient(ga, gw, gb);
            double[] out = new double[50];
            t.forward(Fixtures.data(50, d, 7).inputs(), out);
            Parameters p = t.parameters();
            double[][] all = {p.outputWeights(), p.inputWeights(), p.biases(), ga, gw, gb, out,
                              {loss, batchLoss, gradLoss, t.loss()}};
            int total = 0;
            for (double[] arr : all) {
                total += arr.length;
            }
            long[] bits = new long[total];
            int at = 0;
            for (double[] arr : all) {
                for (double v : arr) {
                    bits[at++] = Double.doubleToRawLongBits(v);
                }
            }
            return bits;
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void identicalForEveryThreadCountAndRun(Precision precision) {
        for (int d : new int[] {2, 37}) {
            for (Kernel kernel : Kernels.kernels()) {
                long[] first = run(kernel, precision, 1, d);
                for (int threads : THREADS) {
                    for (int repeat = 0; repeat < 2; repeat++) {
                        assertArrayEquals(first, run(kernel, precision, threads, d), kernel + "/" + precision + " d=" + d
                                + ": threads=" + threads + " run " + repeat + " differs from threads=1");
                    }
                }
                System.out.println("determinism " + kernel + "/" + precision + " d=" + d + ": " + first.length
                        + " values bitwise identical for threads " + java.util.Arrays.toString(THREADS) + ", 2 runs each");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void rebuildingFromParametersContinuesBitwise(Precision precision) {
        Dataset data = Fixtures.data(64, 1, 3);
        Parameters init = Fixtures.params(3000, 1, 4);
        double[] straight;
        double[] resumed;
        try (Trainer t = Trainer.builder(data, init).precision(precision).threads(2).build()) {
            t.steps(1e-3, 40, 40, null);
            straight = t.parameters().outputWeights();
        }
        Parameters half;
        try (Trainer t = Trainer.builder(data, init).precision(precision).threads(1).build()) {
            t.steps(1e-3, 20, 20, null);
            half = t.parameters();
        }
        try (Trainer t = Trainer.builder(data, half).precision(precision).threads(3).build()) {
            t.steps(1e-3, 20, 20, null);
            resumed = t.parameters().outputWeights();
        }
        assertEquals(straight.length, resumed.length);
        for (int j = 0; j < straight.length; j++) {
            assertEquals(Double.doubleToRawLongBits(straight[j]), Double.doubleToRawLongBits(resumed[j]), "a[" + j + "]");
        }
    }

    /** k outputs: the whole state after full-batch steps, batch steps, a gradient and a forward pass, as raw bits. */
    private static long[] runOutputs(Kernel kernel, Precision precision, int threads, int d, int k, Loss loss) {
        // 11 (d = 2) or 5 (d = 300) panels of 64 neurons, last one ragged; 3 forward tiles of 96 samples, last one
        // ragged; d = 1: three chunks of the fused k-output sweep (1024 neurons each, the last one ragged)
        int m = d == 1 ? 2200 : d == 2 ? 701 : 301;
        int n = 199;
        Dataset data = loss == Loss.SQUARE ? Fixtures.data(n, d, k, 99) : Fixtures.labelled(n, d, k, 99);
        try (Trainer t = Trainer.builder(data, Fixtures.params(m, d, k, 5)).kernel(kernel).precision(precision)
                .loss(loss).threads(threads).build()) {
            assertEquals(d <= 2 ? Path.FUSED : Path.MASKBIT, t.kernelInfo().path(), "k outputs at d = " + d);
            double loss1 = t.steps(0.05, 0.02, 10, 5, null);
            double batchLoss = t.step(1e-3, new int[] {3, 1, 4, 1, 5, 9, 2, 6});
            double[] ga = new double[m * k];
            double[] gw = new double[m * d];
            double[] gb = new double[m];
            double gradLoss = t.gradient(ga, gw, gb);
            double[] out = new double[50 * k];
            t.forward(Fixtures.data(50, d, 7).inputs(), out);
            Parameters p = t.parameters();
            double[][] all = {p.outputWeights(), p.inputWeights(), p.biases(), ga, gw, gb, out,
                              {loss1, batchLoss, gradLoss, t.loss()}};
            int total = 0;
            for (double[] arr : all) {
                total += arr.length;
            }
            long[] bits = new long[total];
            int at = 0;
            for (double[] arr : all) {
                for (double v : arr) {
                    bits[at++] = Double.doubleToRawLongBits(v);
                }
            }
            return bits;
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void identicalForEveryThreadCountWithOutputs(Precision precision) {
        // d = 1 and 2 (the fused k-output sweep; d = 1 over three chunks) and d = 300 (mask-bit, relu(z) stored:
        // from d = 256 on)
        int[][] cases = {{1, 17}, {2, 10}, {300, 3}};
        for (int[] c : cases) {
            int d = c[0];
            int k = c[1];
            for (Loss loss : new Loss[] {Loss.SQUARE, Loss.SOFTMAX_CROSS_ENTROPY}) {
                for (Kernel kernel : Kernels.kernels()) {
                    long[] first = runOutputs(kernel, precision, 1, d, k, loss);
                    for (int threads : new int[] {2, 3, 7}) {
                        assertArrayEquals(first, runOutputs(kernel, precision, threads, d, k, loss), kernel + "/" + precision
                                + " " + loss + " k=" + k + " d=" + d + ": threads=" + threads + " differs from threads=1");
                    }
                    System.out.println("determinism " + kernel + "/" + precision + " " + loss + " k=" + k + " d=" + d + ": "
                            + first.length + " values bitwise identical for threads [1, 2, 3, 7]");
                }
            }
        }
    }
}
