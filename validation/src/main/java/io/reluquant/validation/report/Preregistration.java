package io.reluquant.validation.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The commit that fixed the report's thresholds, data-set generators and rules: the last commit that changed
 * validation/.../experiments/Claims.java, the one file that holds them. Resolved when the report is written, from git
 * (the repository that holds the running classes, else the current directory's). Without git it says "unknown": a
 * commit is never guessed. When the file differs from that commit in the working tree the report says so, since the
 * thresholds that ran are then not the committed ones.
 */
public final class Preregistration {
    private Preregistration() {}

    /** The file that holds every threshold, generator and rule, relative to the repository root. */
    public static final String FILE = "validation/src/main/java/io/reluquant/validation/experiments/Claims.java";

    /**
     * @param commit the commit id, or "unknown"
     * @param modified whether the working tree's file differs from that commit
     * @param how where the id came from
     */
    public record Commit(String commit, boolean modified, String how) {
        /** @return one line for the report */
        public String describe() {
            if (commit.equals("unknown")) {
                return "pre-registration commit: unknown (" + how + ")";
            }
            return "pre-registration commit (the last to change " + FILE + "): " + commit + (modified
                    ? " -- THE FILE WAS MODIFIED SINCE: the thresholds that ran are not that commit's" : "") + " (" + how + ")";
        }
    }

    /** @return the commit, resolved now */
    public static Commit resolve() {
        List<Path> roots = new ArrayList<>();
        try {
            Path code = Path.of(Preregistration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            roots.add(Files.isDirectory(code) ? code : code.getParent());
        } catch (Exception e) {
            // no code source (a custom class loader): the current directory only
        }
        roots.add(Path.of("").toAbsolutePath());
        String why = "git not found or not a repository";
        for (Path dir : roots) {
            String top = git(dir, "rev-parse", "--show-toplevel");
            if (top == null) {
                continue;
            }
            Path root = Path.of(top);
            if (!Files.isRegularFile(root.resolve(FILE))) {
                why = "the repository at " + top + " has no " + FILE;
                continue;
            }
            String id = git(root, "log", "-1", "--format=%H", "--", FILE);
            if (id == null || id.isBlank()) {
                why = FILE + " is not committed";
                continue;
            }
            String status = git(root, "status", "--porcelain", "--", FILE);
            return new Commit(id.trim(), status != null && !status.isBlank(), "git log of the working tree");
        }
        return new Commit("unknown", false, why);
    }

    /** @return the trimmed standard output of git with these arguments in {@code dir}, null if it fails */
    static String git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
