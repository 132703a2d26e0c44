// Proves: library code never depends on the application: theory, measures, match and the io module (npy, io, data, plot) name no class of experiments, report or cli, and the bench names nothing of validation (sources and compiled classes).
package io.reluquant.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    /** The application's packages: library code may not name them. */
    private static final String[] APPLICATION = {"io.reluquant.validation.experiments", "io.reluquant.validation.report",
        "io.reluquant.validation.cli"};
    /** The library packages of the validation module (the rest of the library is the io module). */
    private static final String[] LIBRARY = {"theory", "measures", "match"};

    // surefire runs in the module's folder: the repository root is its parent
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void libraryCodeNamesNoApplicationPackage() throws IOException {
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        List<Path> sources = new ArrayList<>();
        for (String p : LIBRARY) {
            sources.add(ROOT.resolve("validation/src/main/java/io/reluquant/validation/" + p));
        }
        sources.add(ROOT.resolve("io/src/main/java"));
        for (Path dir : sources) {
            // a source is checked as text: an import, a qualified name in code, and a constant that javac inlines all show there
            scanned += scan(dir, ".java", APPLICATION, violations);
        }
        for (String p : LIBRARY) {
            // the compiled classes too: their constant pools name every class they use, however the source spelled it
            scanned += scan(ROOT.resolve("validation/target/classes/io/reluquant/validation/" + p), ".class", internal(APPLICATION), violations);
        }
        assertTrue(scanned > 50, "scanned only " + scanned + " files under " + ROOT + ": the library's folders moved?");
        assertEquals(List.of(), violations, "library code names the application");
    }

    @Test
    void benchDependsOnTheIoModuleNotOnValidation() throws IOException {
        List<String> violations = new ArrayList<>();
        int scanned = scan(ROOT.resolve("bench/src"), ".java", new String[] {"io.reluquant.validation"}, violations);
        assertTrue(scanned > 10, "scanned only " + scanned + " bench sources under " + ROOT);
        String pom = Files.readString(ROOT.resolve("bench/pom.xml"));
        if (pom.contains("<artifactId>reluquant-validation</artifactId>")) {
            violations.add("bench/pom.xml: depends on reluquant-validation");
        }
        assertEquals(List.of(), violations, "the bench depends on validation");
    }

    /** @return the number of files with the suffix under {@code dir}; each that contains a forbidden name is added to {@code violations} */
    private static int scan(Path dir, String suffix, String[] forbidden, List<String> violations) throws IOException {
        assertTrue(Files.isDirectory(dir), dir + " is not a folder");
        int count = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                count++;
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String name : forbidden) {
                    if (text.contains(name + ".") || text.contains(name + "/")) {
                        violations.add(ROOT.relativize(f) + ": names " + name);
                    }
                }
            }
        }
        // a folder with nothing to scan proves nothing: it moved, or the classes were not compiled
        assertTrue(count > 0, "no " + suffix + " file under " + dir);
        return count;
    }

    private static String[] internal(String[] packages) {
        String[] out = new String[packages.length];
        for (int i = 0; i < packages.length; i++) {
            out[i] = packages[i].replace('.', '/');
        }
        return out;
    }
}
