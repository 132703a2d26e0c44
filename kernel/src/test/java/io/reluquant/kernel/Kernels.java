package io.reluquant.kernel;

import java.util.ArrayList;
import java.util.List;

/** The kernel variants a test run covers: the provider's choice (vector or scalar) and forced scalar. */
final class Kernels {
    private Kernels() {}

    static final int[] THREADS = {1, 3};

    record Variant(Kernel kernel, Precision precision, int threads) {
        Trainer build(Dataset data, Parameters init, boolean bias) {
            return Trainer.builder(data, init).kernel(kernel).precision(precision).threads(threads).bias(bias).build();
        }

        @Override
        public String toString() {
            return kernel + "/" + precision + "/t" + threads;
        }
    }

    /**
     * FUSED is the provider's kernel of this run; SCALAR is the same code in every run, so only the
     * default run (vector-preferred) adds it.
     */
    static List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        boolean withScalar = "vector-preferred".equals(System.getProperty("reluquant.test.expect"));
        for (Kernel k : withScalar ? new Kernel[] {Kernel.FUSED, Kernel.SCALAR} : new Kernel[] {Kernel.FUSED}) {
            for (Precision p : Precision.values()) {
                for (int t : THREADS) {
                    out.add(new Variant(k, p, t));
                }
            }
        }
        return out;
    }
}
