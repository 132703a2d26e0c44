// Proves: every test class of every module says in one line what it proves (a "Proves: ..." comment before the class).
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A reader of the tree finds what each test proves without reading the test: every file named
 * {@code *Test.java} under a module's {@code src/test/java} has a comment line "Proves: ..." before its
 * class declaration (testkit/README.md maps the kernel's properties to these classes). The modules are
 * those of the root pom.xml; surefire runs this in testkit/, so the root is one folder up.
 */
class ProvesLineTest {
    private static final Pattern PROVES = Pattern.compile("^\\s*(//|/?\\*+)\\s*Proves: \\S");
    private static final Pattern CLASS = Pattern.compile("^(public |final |abstract )*class \\w+");

    @Test
    void everyTestClassSaysWhatItProves() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        String pom = Files.readString(root.resolve("pom.xml"));
        List<String> modules = Pattern.compile("<module>([^<]+)</module>").matcher(pom).results()
                .map(m -> m.group(1)).collect(Collectors.toList());
        assertTrue(modules.contains("testkit"), "expected to run in testkit/ under the root pom.xml, root " + root);
        List<Path> tests = new ArrayList<>();
        for (String module : modules) {
            Path dir = root.resolve(module).resolve("src/test/java");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> f.getFileName().toString().endsWith("Test.java")).forEach(tests::add);
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (Path test : tests) {
            boolean proves = false;
            for (String line : Files.readAllLines(test)) {
                if (CLASS.matcher(line).find()) {
                    break;
                }
                proves |= PROVES.matcher(line).find();
            }
            if (!proves) {
                missing.add(root.relativize(test).toString());
            }
        }
        System.out.println("proves lines: " + (tests.size() - missing.size()) + " of " + tests.size() + " test classes");
        assertTrue(tests.size() > 40, "found only " + tests.size() + " test classes under " + root);
        assertTrue(missing.isEmpty(), "test classes without a 'Proves: ...' comment line before the class: " + missing);
    }
}
