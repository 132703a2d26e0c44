package io.reluquant.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel variants a test run covers: both paths (fused sweep and mask-bit passes) at every shape,
 * each as the provider's choice (vector or scalar) and forced scalar, in both precisions, on a team of
 * 3 threads (tasks handed out in a different order every run; DeterminismTest shows the result is the
 * same bits for 1 to 7 threads).
 */
final class Kernels {
    private Kernels() {}

    static final int[] THREADS = {3};

    record Variant(Kernel kernel, Path path, Precision precision, int threads) {
        Trainer build(Dataset data, Parameters init, boolean bias) {
            return build(data, init, bias, Loss.SQUARE);
        }

        Trainer build(Dataset data, Parameters init, boolean bias, Loss loss) {
            return Trainer.builder(data, init).kernel(kernel).path(path).precision(precision).threads(threads)
                    .bias(bias).loss(loss).build();
        }

        @Override
        public String toString() {
            return kernel + "/" + path + "/" + precision + "/t" + threads;
        }
    }

    /**
     * @return AUTO (the provider's kernel of this run) and, in the default run (vector-preferred) only, SCALAR: the same code
     *     in every run (in the run without the incubator module AUTO is that code)
     */
    static Kernel[] kernels() {
        return "vector-preferred".equals(System.getProperty("reluquant.test.expect")) ? new Kernel[] {Kernel.AUTO, Kernel.SCALAR}
                : new Kernel[] {Kernel.AUTO};
    }

    /** The paths of the fast kernel (REFERENCE is the reference, not one of its paths). */
    static final Path[] PATHS = {Path.FUSED, Path.MASKBIT};

    /**
     * AUTO is the provider's kernel of this run; SCALAR is the same code in every run, so only the
     * default run (vector-preferred) adds it.
     */
    static List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        for (Kernel k : kernels()) {
            for (Path path : PATHS) {
                for (Precision p : Precision.values()) {
                    for (int t : THREADS) {
                        out.add(new Variant(k, path, p, t));
                    }
                }
            }
        }
        return out;
    }
}
