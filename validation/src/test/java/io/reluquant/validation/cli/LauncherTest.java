package io.reluquant.validation.cli;

// Proves: bin/reluquant runs the JVM under a UTF-8 locale when the caller's is not (so UTF-8 file names work under LC_ALL=C) and sends the JVM's own warnings to stderr.

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
    @TempDir
    Path tmp;

    /** The launcher copied into a fake installation whose "java" prints its locale and arguments. */
    private String[] launch(String lcAll, String... args) throws Exception {
        Path launcher = Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("reluquant");
        assertTrue(Files.isRegularFile(launcher), launcher.toString());
        Path bin = Files.createDirectories(tmp.resolve("install/bin"));
        Files.copy(launcher, bin.resolve("reluquant"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path target = Files.createDirectories(tmp.resolve("install/validation/target/lib"));
        Files.writeString(target.resolveSibling("reluquant-validation-0.jar"), "");
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Path java = Files.writeString(jdk.resolve("java"), "#!/bin/sh\necho \"LC_ALL=$LC_ALL\"\nfor a in \"$@\"; do echo \"arg=$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of("bash", bin.resolve("reluquant").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", tmp.resolve("jdk").toString());
        pb.environment().remove("LANG");
        pb.environment().put("LC_ALL", lcAll);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    private static String utf8Locale() throws Exception {
        Process p = new ProcessBuilder("locale", "-a").start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String l : new String[] {"C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8"}) {
            if (all.lines().anyMatch(l::equals)) {
                return l;
            }
        }
        return null;
    }

    @Test
    void underACLocaleTheJvmRunsUnderAUtf8OneAndAUtf8NameWorks() throws Exception {
        String utf8 = utf8Locale();
        String[] r = launch("C", "train", "--out", "\u00e9t\u00e9.npz");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("arg=-Xlog:disable") && r[1].contains("arg=-Xlog:all=warning:stderr"), "JVM warnings to stderr: " + r[1]);
        assertTrue(r[1].contains("arg=\u00e9t\u00e9.npz"), "the name passes unchanged: " + r[1]);
        if (utf8 == null) {
            // this machine has no UTF-8 locale at all: the launcher can only leave the caller's
            assertTrue(r[1].contains("LC_ALL=C\n"), r[1]);
            System.out.println("launcher: no UTF-8 locale on this machine; checked that LC_ALL=C is left as it is");
            return;
        }
        assertTrue(r[1].contains("LC_ALL=" + utf8 + "\n"), "switched to " + utf8 + ": " + r[1]);
        String[] kept = launch(utf8, "--version");
        assertTrue(kept[1].contains("LC_ALL=" + utf8 + "\n"), kept[1]);
        // and the JVM under that locale takes a UTF-8 name from the command line: bash builds the name's bytes,
        // so the check does not depend on the locale of this test's own JVM
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        Npy.writeNpy(x, NdArray.ofDoubles(new double[] {0.1, -0.4, 0.7}, 3));
        Npy.writeNpy(y, NdArray.ofDoubles(new double[] {0.3, -0.1, 0.2}, 3));
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec \"$@\" \"$OUTDIR/$(printf '\\303\\251t\\303\\251 \\346\\274\\242.npz')\"",
                "bash"));
        cmd.addAll(Child.command("train", "--x", x.toString(), "--y", y.toString(), "--width", "4", "--lr", "0.1", "--steps", "3",
                "--threads", "1", "--out"));
        String[] run = Child.run(cmd, tmp, "utf8", "LC_ALL", utf8, "OUTDIR", tmp.toString());
        assertEquals("0", run[0], run[2]);
        assertTrue(run[1].strip().endsWith("-> " + tmp.toRealPath() + "/\u00e9t\u00e9 \u6f22.npz"), run[1]);
        System.out.println("launcher: LC_ALL=C -> " + utf8 + "; a UTF-8 --out name trained under it");
    }
}
