// Proves: JMH's forks get the real class path under exec:java: the loader chain's file URLs, nearest first, without duplicates, replacing a launcher-only java.class.path.
package io.reluquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkClasspathTest {
    @TempDir
    Path dir;

    @Test
    void collectsFileUrlsOfTheLoaderChainNearestFirstWithoutDuplicates() throws IOException {
        Path jmh = Files.createFile(dir.resolve("jmh-core-1.37.jar"));
        Path classes = Files.createDirectories(dir.resolve("with space/classes"));
        Path kernel = Files.createFile(dir.resolve("kernel.jar"));
        try (URLClassLoader parent = new URLClassLoader(new URL[] {kernel.toUri().toURL()}, null);
             URLClassLoader child = new URLClassLoader(new URL[] {classes.toUri().toURL(), jmh.toUri().toURL(),
                     kernel.toUri().toURL(), new URL("http://example.org/x.jar")}, parent)) {
            assertEquals(String.join(File.pathSeparator, classes.toString(), jmh.toString(), kernel.toString()),
                    ForkClasspath.of(child));
        }
    }

    @Test
    void installReplacesALauncherOnlyClassPathButKeepsARealOne() throws IOException {
        Path jmh = Files.createFile(dir.resolve("jmh-core-1.37.jar"));
        String saved = System.getProperty("java.class.path");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jmh.toUri().toURL()}, null)) {
            System.setProperty("java.class.path", "/usr/share/maven/boot/plexus-classworlds-2.6.0.jar");
            assertEquals(jmh.toString(), ForkClasspath.install(loader));
            assertEquals(jmh.toString(), System.getProperty("java.class.path"));
            System.setProperty("java.class.path", "/a/jmh-core.jar:/b");
            assertEquals("/a/jmh-core.jar:/b", ForkClasspath.install(loader));
        } finally {
            System.setProperty("java.class.path", saved);
        }
    }
}
