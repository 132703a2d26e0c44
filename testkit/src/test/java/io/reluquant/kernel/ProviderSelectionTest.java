// Proves: each provider run got the kernel it expects (fails, never skips), with one output and with k outputs, and d picks the fused or mask-bit path (k outputs too).
package io.reluquant.kernel;

import io.reluquant.testkit.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.vectorization.KernelProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fails (never skips) when the kernel chosen is not the one this test run expects: each surefire
 * execution of kernel/pom.xml states its expectation in reluquant.test.expect, so a build that lost
 * --add-modules, C2 or the forced width cannot pass by silently running other code. It reads what runs
 * from {@link Trainer#kernelInfo()} and checks that {@link Trainer#kernel()} is its string form.
 */
@Tag("provider")
class ProviderSelectionTest {
    @Test
    void theExpectedKernelWasChosen() {
        String expect = System.getProperty("reluquant.test.expect");
        assertNotNull(expect, "run the tests through Maven: reluquant.test.expect says which kernel to expect");
        int bits = KernelProvider.vectorBits();
        String reason = KernelProvider.reason();
        System.out.println("provider: " + reason);
        KernelInfo chosen;
        try (Trainer t = Trainer.builder(Fixtures.data(3, 1, 1), Fixtures.params(5, 1, 1)).build()) {
            chosen = t.kernelInfo();
            assertEquals(chosen.toString(), t.kernel(), "the kernel's name is its record's");
        }
        assertEquals(new KernelInfo(Path.FUSED, bits, Precision.FLOAT32), chosen, "d = 1 runs the provider's fused path");
        // the path follows d: the mask-bit passes from MASKBIT_FROM_DIM up, with the same vector choice
        int d = KernelProvider.MASKBIT_FROM_DIM;
        try (Trainer t = Trainer.builder(Fixtures.data(3, d, 1), Fixtures.params(5, d, 1)).build()) {
            assertEquals(new KernelInfo(Path.MASKBIT, bits, Precision.FLOAT32), t.kernelInfo(),
                    "d = " + d + " should run the mask-bit path");
            assertEquals(t.kernelInfo().toString(), t.kernel());
        }
        try (Trainer t = Trainer.builder(Fixtures.data(3, d - 1, 1), Fixtures.params(5, d - 1, 1))
                .precision(Precision.FLOAT64).build()) {
            assertEquals(new KernelInfo(Path.FUSED, bits, Precision.FLOAT64), t.kernelInfo(),
                    "d = " + (d - 1) + " should run the fused path");
            assertEquals(t.kernelInfo().toString(), t.kernel());
        }
        // k outputs: the fused k-output sweep at d <= 2, the k-output mask-bit engine above, on the same
        // vector choice, both losses; -Dreluquant.path=maskbit (here: the builder's path) keeps the
        // mask-bit engine reachable at d <= 2
        for (int dk : new int[] {1, 2, d, 40}) {
            Path expected = dk <= 2 ? Path.FUSED : Path.MASKBIT;
            try (Trainer t = Trainer.builder(Fixtures.labelled(7, dk, 10, 1), Fixtures.params(5, dk, 10, 1))
                    .loss(Loss.SOFTMAX_CROSS_ENTROPY).build()) {
                assertEquals(new KernelInfo(expected, bits, Precision.FLOAT32), t.kernelInfo(),
                        "k = 10 at d = " + dk + " runs the provider's " + expected + " k-output kernel");
                assertEquals(t.kernelInfo().toString(), t.kernel());
            }
            try (Trainer t = Trainer.builder(Fixtures.data(7, dk, 3, 1), Fixtures.params(5, dk, 3, 1))
                    .precision(Precision.FLOAT64).build()) {
                assertEquals(new KernelInfo(expected, bits, Precision.FLOAT64), t.kernelInfo(),
                        "k = 3 at d = " + dk + " runs the provider's " + expected + " k-output kernel");
            }
            try (Trainer t = Trainer.builder(Fixtures.data(7, dk, 3, 1), Fixtures.params(5, dk, 3, 1))
                    .path(Path.MASKBIT).build()) {
                assertEquals(new KernelInfo(Path.MASKBIT, bits, Precision.FLOAT32), t.kernelInfo(),
                        "k = 3 at d = " + dk + " with the mask-bit path asked for runs the k-output mask-bit kernel");
            }
        }
        switch (expect) {
            case "vector-preferred":
                assertTrue(bits >= 128, "expected the Vector API kernel, got: " + reason);
                assertEquals(preferredBits(), bits, reason);
                assertEquals("vector-" + bits + "/float32", chosen.toString());
                break;
            case "vector-256":
            case "vector-128":
                int want = Integer.parseInt(expect.substring("vector-".length()));
                assertEquals(want, bits, "expected a " + want + "-bit Vector API kernel, got: " + reason);
                assertEquals(want, chosen.vectorBits());
                assertEquals("vector-" + want + "/float32", chosen.toString());
                break;
            case "scalar-forced":
                assertEquals(0, bits, reason);
                assertTrue(reason.contains("forced"), reason);
                assertFalse(chosen.vector());
                assertEquals("scalar/float32", chosen.toString());
                break;
            case "scalar-no-c2":
                assertEquals(0, bits, reason);
                assertTrue(reason.contains("C2 is not available (-XX:TieredStopAtLevel=1)"), reason);
                assertFalse(chosen.vector());
                break;
            case "scalar-no-module":
                assertEquals(0, bits, reason);
                assertTrue(reason.contains("jdk.incubator.vector is not in the module graph"), reason);
                assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
                        "this run must not have the incubator module");
                assertFalse(chosen.vector());
                break;
            default:
                throw new AssertionError("unknown reluquant.test.expect=" + expect);
        }
        // Kernel.SCALAR is the scalar twin on the same path, whatever the provider chose; REFERENCE is its own
        try (Trainer t = Trainer.builder(Fixtures.data(3, d, 1), Fixtures.params(5, d, 1)).kernel(Kernel.SCALAR).build()) {
            assertEquals(new KernelInfo(Path.MASKBIT, 0, Precision.FLOAT32), t.kernelInfo());
            assertEquals("maskbit/scalar/float32", t.kernel());
        }
        try (Trainer t = Trainer.builder(Fixtures.data(3, 1, 1), Fixtures.params(5, 1, 1)).kernel(Kernel.REFERENCE)
                .precision(Precision.FLOAT64).build()) {
            assertEquals(new KernelInfo(Path.REFERENCE, 0, Precision.FLOAT64), t.kernelInfo());
            assertEquals("reference/float64", t.kernel());
        }
    }

    /** The hardware's preferred width, read without linking this class to the incubator module. */
    private static int preferredBits() {
        try {
            Class<?> shape = Class.forName("jdk.incubator.vector.VectorShape");
            Object preferred = shape.getMethod("preferredShape").invoke(null);
            return (Integer) shape.getMethod("vectorBitSize").invoke(preferred);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("jdk.incubator.vector expected but not usable", e);
        }
    }
}
