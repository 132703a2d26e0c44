// Proves: CLI conventions: closed choices listed in --help and completion, version from the manifest, locale-free decimals, files only where asked.
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.npy.NdArray;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import io.reluquant.io.npy.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command-line conventions: closed choices are picocli enums (checked, listed in --help and in the
 * completion script), the version comes from the manifest, decimals never follow the default locale,
 * and match/report write only where asked.
 */
class CliConventionsTest {
    @TempDir
    Path tmp;

    private Path[] data() throws IOException {
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        Npy.writeNpy(x, NdArray.ofDoubles(new double[] {-1, -0.5, 0, 0.5, 1}, 5));
        Npy.writeNpy(y, NdArray.ofDoubles(new double[] {0.8, -0.9, -0.8, -0.9, 0.8}, 5));
        return new Path[] {x, y};
    }

    @Test
    void choicesAreCheckedListedAndCompleted() throws IOException {
        Path[] xy = data();
        Path out = tmp.resolve("out.npz");
        Cli bad = Cli.run("train", "--x", xy[0].toString(), "--y", xy[1].toString(), "--out", out.toString(), "--width", "4",
                "--lr", "0.1", "--steps", "2", "--precision", "f16");
        assertEquals(2, bad.status);
        assertTrue(bad.err.contains("--precision") && bad.err.contains("f32, f64") && bad.err.contains("f16"), bad.err);
        assertEquals(1, bad.err.strip().lines().count(), bad.err);
        assertFalse(Files.exists(out));
        Cli badInit = Cli.run("match", "--init", "lazy");
        assertEquals(2, badInit.status);
        assertTrue(badInit.err.contains("balanced, he, pytorch-default") && badInit.err.contains("lazy"), badInit.err);

        Cli help = Cli.run("train", "--help");
        assertTrue(help.out.contains("f32, f64") && help.out.contains("simd, reference") && help.out.contains("balanced, he, pytorch-default"),
                help.out);

        Cli completion = Cli.run("generate-completion");
        assertEquals(0, completion.status, completion.err);
        assertTrue(completion.out.contains("complete -F") && completion.out.contains("reluquant"), "a bash completion script");
        assertTrue(completion.out.contains("--precision") && completion.out.contains("(\"f32\" \"f64\")"), "choices are completed");
        assertTrue(Cli.run("--help").out.contains("generate-completion"), "listed in --help");
    }

    @Test
    void theOldInitNameIsRefusedWithTheNewOnes() throws IOException {
        Path[] xy = data();
        Path out = tmp.resolve("out.npz");
        for (String[] args : new String[][] {{"train", "--x", xy[0].toString(), "--y", xy[1].toString(), "--out", out.toString(), "--width", "4",
            "--lr", "0.1", "--steps", "2", "--init", "standard"}, {"match", "--init", "standard"}}) {
            Cli r = Cli.run(args);
            assertEquals(2, r.status, r.err);
            assertEquals(1, r.err.strip().lines().count(), r.err);
            assertTrue(r.err.contains("--init") && r.err.contains("'standard' was renamed") && r.err.contains("--init he")
                    && r.err.contains("--init pytorch-default"), r.err);
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void eachInitNameDrawsTheKernelsInitOfThatNameAndIsRecorded() throws IOException {
        Path[] xy = data();
        for (String kind : new String[] {"he", "pytorch-default"}) {
            Path out = tmp.resolve(kind + ".npz");
            Cli r = Cli.run("train", "--x", xy[0].toString(), "--y", xy[1].toString(), "--out", out.toString(), "--width", "6",
                    "--lr", "0.1", "--steps", "1", "--checkpoint-every", "1", "--init", kind, "--seed", "3");
            assertEquals(0, r.status, r.err);
            io.reluquant.io.Checkpoint c = io.reluquant.io.Checkpoint.read(out);
            assertEquals(kind, c.init(), "the checkpoint records the --init word");
        }
        // the network each word draws is the kernel's initializer of that name (with a bias; without, b = 0)
        for (Choices.InitChoice choice : Choices.InitChoice.values()) {
            InitOptions o = new InitOptions(7);
            o.init = choice;
            o.seed = 3;
            o.initScale = 0.5;
            for (boolean bias : new boolean[] {true, false}) {
                Parameters p = o.start(2, 1, bias).network();
                Parameters expected = switch (choice) {
                    case balanced -> Initializers.balanced(7, 2, 1, 0.5, 3, bias);
                    case he -> Initializers.he(7, 2, 1, 3);
                    case pytorchDefault -> Initializers.pytorchDefault(7, 2, 1, 3);
                };
                assertArrayEquals(expected.outputWeights(), p.outputWeights(), 0, choice.word);
                assertArrayEquals(expected.inputWeights(), p.inputWeights(), 0, choice.word);
                assertArrayEquals(bias ? expected.biases() : new double[7], p.biases(), 0, choice.word);
            }
        }
    }

    @Test
    void versionComesFromTheManifest() {
        assertArrayEquals(new String[] {"reluquant 1.2.3", "JVM: " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version")}, ManifestVersion.lines("1.2.3"));
        assertEquals("reluquant (unknown version: not run from the built jar)", ManifestVersion.lines(null)[0]);
        Cli v = Cli.run("--version");
        assertEquals(0, v.status);
        // the tests run from classes, not the jar: the manifest's version is checked in .ci/run
        assertTrue(v.out.startsWith("reluquant "), v.out);
    }

    /** A decimal comma would break every tool that reads the output back. */
    @Test
    void decimalsIgnoreTheDefaultLocale() throws IOException {
        Path[] xy = data();
        Path a = tmp.resolve("a.npz");
        Path b = tmp.resolve("b.npz");
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            Cli train = Cli.run("train", "--x", xy[0].toString(), "--y", xy[1].toString(), "--out", a.toString(), "--width", "8",
                    "--lr", "0.05", "--steps", "30", "--quiet", "--threads", "1");
            assertEquals(0, train.status, train.err);
            assertEquals(0, Cli.run("train", "--x", xy[0].toString(), "--y", xy[1].toString(), "--out", b.toString(), "--width", "8",
                    "--lr", "0.05", "--steps", "31", "--quiet", "--threads", "1").status);
            Cli compare = Cli.run("compare", a.toString(), b.toString());
            Cli match = Cli.run("match", "--synthetic", "6:1", "--width", "8", "--steps", "20", "--threads", "1");
            Cli analyze = Cli.run("analyze", "--params", a.toString(), "--x", xy[0].toString(), "--y", xy[1].toString());
            Pattern decimalComma = Pattern.compile("\\d,\\d+(e[+-]?\\d+)?\\b");
            for (Cli r : new Cli[] {train, compare, match, analyze}) {
                assertFalse(decimalComma.matcher(r.out).find(), "decimal comma in: " + r.out);
            }
            assertTrue(train.out.contains("loss ") && Pattern.compile("\\d\\.\\d+e[+-]\\d+").matcher(train.out).find(), train.out);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void matchAndReportWriteOnlyWhereAsked() {
        Path cwdCsv = Path.of("match.csv").toAbsolutePath();
        Path cwdPng = Path.of("match.png").toAbsolutePath();
        boolean before = Files.exists(cwdCsv) || Files.exists(cwdPng);
        Cli match = Cli.run("match", "--synthetic", "6:1", "--width", "8", "--steps", "20", "--threads", "1");
        assertEquals(0, match.status, match.err);
        assertFalse(match.out.contains("wrote"), match.out);
        assertEquals(before, Files.exists(cwdCsv) || Files.exists(cwdPng), "match wrote into the working directory unasked");
        // run from the repository root, the default must not be the committed validation/report/
        assertEquals(Path.of("target", "report"), io.reluquant.validation.cli.ReportCommand.defaultFolder(false));
        assertEquals(Path.of("target", "report-quick"), io.reluquant.validation.cli.ReportCommand.defaultFolder(true));
    }
}
