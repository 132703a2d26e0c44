// Proves: each provider run got the kernel it expects (fails, never skips), and d picks the fused or mask-bit path.
package io.reluquant.kernel;

import io.reluquant.testkit.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.vectorization.KernelProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fails (never skips) when the kernel chosen is not the one this test run expects: each surefire
 * execution of kernel/pom.xml states its expectation in reluquant.test.expect, so a build that lost
 * --add-modules, C2 or the forced width cannot pass by silently running other code.
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
        String chosen;
        try (Trainer t = Trainer.builder(Fixtures.data(3, 1, 1), Fixtures.params(5, 1, 1)).build()) {
            chosen = t.kernel();
        }
        // the path follows d: the mask-bit passes from MASKBIT_FROM_DIM up, with the same vector choice
        int d = KernelProvider.MASKBIT_FROM_DIM;
        try (Trainer t = Trainer.builder(Fixtures.data(3, d, 1), Fixtures.params(5, d, 1)).build()) {
            String large = t.kernel();
            assertEquals("maskbit/" + chosen, large, "d = " + d + " should run the mask-bit path");
        }
        try (Trainer t = Trainer.builder(Fixtures.data(3, d - 1, 1), Fixtures.params(5, d - 1, 1)).build()) {
            assertEquals(chosen, t.kernel(), "d = " + (d - 1) + " should run the fused path");
        }
        switch (expect) {
            case "vector-preferred":
                assertTrue(bits >= 128, "expected the Vector API kernel, got: " + reason);
                assertEquals(preferredBits(), bits, reason);
                assertEquals("vector-" + bits + "/float32", chosen);
                break;
            case "vector-256":
            case "vector-128":
                int want = Integer.parseInt(expect.substring("vector-".length()));
                assertEquals(want, bits, "expected a " + want + "-bit Vector API kernel, got: " + reason);
                assertEquals("vector-" + want + "/float32", chosen);
                break;
            case "scalar-forced":
                assertEquals(0, bits, reason);
                assertTrue(reason.contains("forced"), reason);
                assertEquals("scalar/float32", chosen);
                break;
            case "scalar-no-c2":
                assertEquals(0, bits, reason);
                assertTrue(reason.contains("C2 is not available (-XX:TieredStopAtLevel=1)"), reason);
                assertEquals("scalar/float32", chosen);
                break;
            case "scalar-no-module":
                assertEquals(0, bits, reason);
                assertTrue(reason.contains("jdk.incubator.vector is not in the module graph"), reason);
                assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
                        "this run must not have the incubator module");
                assertEquals("scalar/float32", chosen);
                break;
            default:
                throw new AssertionError("unknown reluquant.test.expect=" + expect);
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
