// Proves: the bench finds the JDK its forks run on: -Dbench.jvm accepts a home or bin/java and rejects an old or missing one, and no JDK found says how to name one.
package io.reluquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdksTest {
    @TempDir
    Path jvms;

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = jvms.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void choosesTheNewestOfAtLeast17AndDeduplicatesLinks() throws IOException {
        fakeJdk("jdk-11", "11.0.2");
        Path j17 = fakeJdk("jdk-17", "17.0.15");
        Path j25 = fakeJdk("temurin-25", "25.0.1");
        fakeJdk("jdk-21", "21.0.4");
        Files.createSymbolicLink(jvms.resolve("default-java"), j25);
        Files.createDirectories(jvms.resolve("not-a-jdk"));
        List<Jdks.Jdk> all = Jdks.candidates(null, j17.toString(), jvms);
        assertEquals(4, all.size(), all.toString());
        assertEquals("running JDK", all.get(0).origin());
        Jdks.Jdk chosen = Jdks.choose(null, null, j17.toString(), jvms);
        assertEquals(j25.toRealPath(), chosen.home());
        assertEquals(25, chosen.version().feature());
    }

    @Test
    void overrideAcceptsHomeOrBinJavaAndRejectsOldOrMissing() throws IOException {
        Path j21 = fakeJdk("jdk-21", "21.0.4");
        fakeJdk("temurin-25", "25.0.1");
        assertEquals(21, Jdks.choose(j21.toString(), null, null, jvms).version().feature());
        assertEquals(21, Jdks.choose(j21.resolve("bin/java").toString(), null, null, jvms).version().feature());
        Path j11 = fakeJdk("jdk-11", "11.0.2");
        IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
                () -> Jdks.choose(j11.toString(), null, null, jvms));
        assertTrue(old.getMessage().contains("bench.jvm = " + j11), old.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Jdks.choose(jvms.resolve("nothing").toString(), null, null, jvms));
        assertTrue(missing.getMessage().contains("not a JDK"), missing.getMessage());
    }

    @Test
    void noJdkFoundSaysHowToNameOne() throws IOException {
        fakeJdk("jdk-11", "11.0.2");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Jdks.choose(null, "", null, jvms));
        assertTrue(e.getMessage().contains("-Dbench.jvm"), e.getMessage());
    }

    @Test
    void forkFlagsFixTheHeapAndAddUnsafeFlagOnlyFor25() throws IOException {
        Jdks.Jdk j17 = Jdks.probe(fakeJdk("jdk-17", "17.0.15"), "t").orElseThrow();
        Jdks.Jdk j25 = Jdks.probe(fakeJdk("jdk-25", "25"), "t").orElseThrow();
        List<String> f17 = Jdks.forkFlags(j17, 512, true);
        assertEquals(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "--add-modules=jdk.incubator.vector"), f17);
        assertTrue(Jdks.forkFlags(j25, 512, true).contains("--sun-misc-unsafe-memory-access=allow"));
        assertEquals(List.of("-Xms16m", "-Xmx512m", "-XX:+UseSerialGC", "--add-modules=jdk.incubator.vector",
                "--sun-misc-unsafe-memory-access=allow"), Jdks.forkFlags(j25, 512, false));
    }
}
