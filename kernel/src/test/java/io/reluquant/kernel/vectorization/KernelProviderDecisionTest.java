// Proves: the provider's choice is a pure function of the JVM, right for JVMs this build cannot start (Graal/JVMCI, OpenJ9, a newer JDK).
package io.reluquant.kernel.vectorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The provider's decision as a pure function of the JVM it runs on: the JVMs this build cannot start
 * (Graal/JVMCI, OpenJ9, a JDK newer than tested) are described to {@link KernelProvider#decide}.
 */
class KernelProviderDecisionTest {
    private static final String HOTSPOT = "OpenJDK 64-Bit Server VM";

    private static KernelProvider.Jvm jvm(boolean jvmci, String vmName, int feature) {
        return new KernelProvider.Jvm(true, null, jvmci, vmName, feature, () -> 512);
    }

    private static void expect(int bits, String reasonPart, String requested, KernelProvider.Jvm jvm) {
        KernelProvider.Choice c = KernelProvider.decide(requested, jvm);
        assertEquals(bits, c.bits, c.reason);
        assertTrue(c.reason.contains(reasonPart), "reason '" + c.reason + "' should contain '" + reasonPart + "'");
    }

    @Test
    void testedHotSpotGetsTheVectorKernel() {
        expect(512, "512-bit vectors (preferred width)", "auto", jvm(false, HOTSPOT, 17));
        expect(512, "preferred width", "auto", jvm(false, "Java HotSpot(TM) 64-Bit Server VM", 25));
        expect(256, "forced by -Dreluquant.vector=256", "256", jvm(false, HOTSPOT, 21));
    }

    @Test
    void untestedCompilersVmsAndJdksGetScalar() {
        expect(0, "JVMCI compiler (Graal)", "auto", jvm(true, HOTSPOT, 21));
        expect(0, "VM 'Eclipse OpenJ9 VM' is not HotSpot", "auto", jvm(false, "Eclipse OpenJ9 VM", 21));
        expect(0, "JDK 26 is newer than the newest tested (25)", "auto", jvm(false, HOTSPOT, 26));
        expect(0, "forces the Vector API kernel", "auto", jvm(false, HOTSPOT, 26));
    }

    @Test
    void aForcedWidthOverridesTheseRefusals() {
        expect(256, "despite: a JVMCI compiler", "256", jvm(true, HOTSPOT, 21));
        expect(128, "despite: VM 'Eclipse OpenJ9 VM'", "128", jvm(false, "Eclipse OpenJ9 VM", 21));
        expect(512, "despite: JDK 27 is newer", "512", jvm(false, HOTSPOT, 27));
        expect(0, "forced by -Dreluquant.vector=scalar", "scalar", jvm(false, HOTSPOT, 21));
    }

    @Test
    void aForcedWidthDoesNotOverrideMissingModuleOrC2() {
        expect(0, "not in the module graph", "256",
                new KernelProvider.Jvm(false, null, false, HOTSPOT, 21, () -> { throw new AssertionError("read width"); }));
        expect(0, "C2 is not available (-Xint)", "256",
                new KernelProvider.Jvm(true, "-Xint", false, HOTSPOT, 21, () -> 512));
        expect(0, "preferred vector width is 64 bits", "auto", new KernelProvider.Jvm(true, null, false, HOTSPOT, 21, () -> 64));
    }

    @Test
    void badSettingIsRejectedNamingIt() {
        Throwable e = assertThrows(IllegalArgumentException.class, () -> KernelProvider.decide("1024", jvm(false, HOTSPOT, 21)));
        assertTrue(e.getMessage().contains("reluquant.vector must be auto, scalar, 128, 256 or 512, got '1024'"), e.getMessage());
    }
}
