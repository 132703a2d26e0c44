package io.reluquant.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the JDK the benchmark forks run on: the newest one of at least {@link #MINIMUM} among
 * JAVA_HOME, the running JDK and the JDKs under /usr/lib/jvm, unless the user names one.
 * A JDK is a directory with an executable {@code bin/java} and a {@code release} file giving
 * JAVA_VERSION.
 */
final class Jdks {
    static final int MINIMUM = 17;

    /** A JDK found on this machine. */
    record Jdk(Path home, Runtime.Version version, String origin) {
        Path java() {
            return home.resolve("bin").resolve("java");
        }

        @Override
        public String toString() {
            return "JDK " + version + " at " + home + " (" + origin + ")";
        }
    }

    private Jdks() {}

    /** @return the JDK at {@code home}, if it is one */
    static Optional<Jdk> probe(Path home, String origin) {
        if (home == null) {
            return Optional.empty();
        }
        try {
            Path real = home.toRealPath();
            if (!Files.isExecutable(real.resolve("bin").resolve("java"))) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(real.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String value = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                    return Optional.of(new Jdk(real, Runtime.Version.parse(value), origin));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** @return every distinct JDK among the candidates, in the order found */
    static List<Jdk> candidates(String javaHome, String runningHome, Path jvmDirectory) {
        Map<Path, Jdk> found = new LinkedHashMap<>();
        probe(javaHome == null || javaHome.isBlank() ? null : Path.of(javaHome), "JAVA_HOME")
                .ifPresent(j -> found.putIfAbsent(j.home(), j));
        probe(runningHome == null ? null : Path.of(runningHome), "running JDK")
                .ifPresent(j -> found.putIfAbsent(j.home(), j));
        if (jvmDirectory != null && Files.isDirectory(jvmDirectory)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(jvmDirectory)) {
                List<Path> sorted = new ArrayList<>();
                dirs.forEach(sorted::add);
                sorted.sort(Comparator.naturalOrder());
                for (Path dir : sorted) {
                    probe(dir, jvmDirectory.toString()).ifPresent(j -> found.putIfAbsent(j.home(), j));
                }
            } catch (IOException e) {
                // an unreadable directory only means fewer candidates
            }
        }
        return new ArrayList<>(found.values());
    }

    /** @return the newest candidate of version >= {@link #MINIMUM} */
    static Optional<Jdk> newest(List<Jdk> candidates) {
        return candidates.stream()
                .filter(j -> j.version().feature() >= MINIMUM)
                .max(Comparator.comparing(Jdk::version));
    }

    /**
     * @param override the value of -Dbench.jvm (a JDK home or its bin/java), or null
     * @return the JDK to fork
     */
    static Jdk choose(String override, String javaHome, String runningHome, Path jvmDirectory) {
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            Path home = path.getFileName() != null && path.getFileName().toString().equals("java")
                    && path.getParent() != null ? path.getParent().getParent() : path;
            Jdk jdk = probe(home, "-Dbench.jvm").orElseThrow(() -> new IllegalArgumentException(
                    "bench.jvm = " + override + " is not a JDK (no bin/java and release file there)"));
            if (jdk.version().feature() < MINIMUM) {
                throw new IllegalArgumentException("bench.jvm = " + override + " is JDK " + jdk.version()
                        + ", the kernel needs " + MINIMUM + " or newer");
            }
            return jdk;
        }
        return newest(candidates(javaHome, runningHome, jvmDirectory)).orElseThrow(() -> new IllegalStateException(
                "no JDK >= " + MINIMUM + " found in JAVA_HOME, the running JDK or " + jvmDirectory
                        + ": name one with -Dbench.jvm=/path/to/jdk"));
    }

    /**
     * JVM flags of every fork on this JDK (see the class comment of {@link BenchMain} for why).
     *
     * @param timing true for the timed runs: a fixed, pre-touched heap (-Xms = -Xmx, AlwaysPreTouch) so
     *               no step pays for page faults; false for the footprint run: a lean JVM whose RSS
     *               is what the step needs (small initial heap, the serial collector, no pre-touch)
     */
    static List<String> forkFlags(Jdk jdk, long heapMiB, boolean timing) {
        List<String> flags = new ArrayList<>();
        flags.add("-Xms" + (timing ? heapMiB : Math.min(16, heapMiB)) + "m");
        flags.add("-Xmx" + heapMiB + "m");
        flags.add(timing ? "-XX:+AlwaysPreTouch" : "-XX:+UseSerialGC");
        flags.add("--add-modules=jdk.incubator.vector");
        if (jdk.version().feature() >= 25) {
            // JMH uses sun.misc.Unsafe; JDK 25 warns about it four times per fork. JDK 17 rejects the flag.
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }
}
