package io.reluquant.validation.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The command line in a child JVM (this JVM's java and class path), for kills and resource limits. */
final class Child {
    private Child() {}

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** java ... ReluquantCommand args, with {@code jvmFlags} before the class path. */
    static List<String> command(String classPath, List<String> jvmFlags, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "--add-modules", "jdk.incubator.vector",
                "-Djava.awt.headless=true", "-XX:-UsePerfData", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=warning:stderr"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", classPath, Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> command(String... args) {
        return command(System.getProperty("java.class.path"), List.of(), args);
    }

    /**
     * The lines of a child's stderr that are the program's own: without the JVM's notice about the
     * incubator module and the kernel's log record naming the kernel it chose.
     */
    static List<String> ownLines(String stderr) {
        List<String> out = new ArrayList<>();
        List<String> all = stderr.lines().collect(java.util.stream.Collectors.toList());
        for (int i = 0; i < all.size(); i++) {
            String line = all.get(i);
            if (line.startsWith("WARNING: Using incubator modules") || line.startsWith("INFO: reluquant:")) {
                continue;
            }
            if (i + 1 < all.size() && all.get(i + 1).startsWith("INFO: reluquant:")) {
                continue; // java.util.logging's date line before its record
            }
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        return out;
    }

    /** Starts {@code cmd} with stdout and stderr to files in {@code dir}. */
    static Process start(List<String> cmd, Path dir, String name) throws IOException {
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    /** Runs to the end (at most a minute). @return {status, stdout, stderr} */
    static String[] run(List<String> cmd, Path dir, String name, String... env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        pb.environment().remove("RELUQUANT_DEBUG");
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + ": child JVM did not finish within 60 s: " + cmd);
        }
        return new String[] {Integer.toString(p.exitValue()),
            Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8),
            Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8)};
    }
}
