package io.reluquant.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output files of one command, checked before any work: each resolved to the file a write
 * replaces ({@link AtomicFiles#target}: links followed, special files refused), none the same file as
 * an input (compared by real path and by file identity, so a hard link or {@code dir/./x.npy} is
 * caught), and no two the same file.
 */
public final class Outputs {
    private final Map<String, Path> inputs = new LinkedHashMap<>();
    private final Map<String, Path> outputs = new LinkedHashMap<>();

    /** Adds an input, e.g. {@code input("--x", x)}; null is ignored (an option not given). */
    public Outputs input(String option, Path file) {
        if (file != null) {
            inputs.put(option, file);
        }
        return this;
    }

    /** Adds an output, e.g. {@code output("--out", out)}; null is ignored. */
    public Outputs output(String option, Path file) {
        if (file != null) {
            outputs.put(option, file);
        }
        return this;
    }

    /**
     * @return the resolved target of every output, in the order added
     * @throws OutputRefusedException if an output is refused, names an input, or two outputs are the same file
     */
    public Map<String, Path> check() throws IOException {
        Map<String, Path> targets = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, Path> out : outputs.entrySet()) {
            String name = out.getKey() + " " + out.getValue();
            Path target;
            try {
                target = AtomicFiles.target(out.getValue());
            } catch (OutputRefusedException e) {
                throw new OutputRefusedException(out.getKey() + " " + e.getMessage());
            }
            for (Map.Entry<String, Path> in : inputs.entrySet()) {
                if (same(in.getValue(), target)) {
                    throw new OutputRefusedException(name + " is the same file as " + in.getKey() + " " + in.getValue()
                            + ": refusing to overwrite an input");
                }
            }
            for (String other : seen) {
                if (same(targets.get(other), target)) {
                    throw new OutputRefusedException(name + " is the same file as " + other + " " + outputs.get(other)
                            + ": give each output its own file");
                }
            }
            seen.add(out.getKey());
            targets.put(out.getKey(), target);
        }
        return targets;
    }

    private static boolean same(Path a, Path target) throws IOException {
        if (!Files.exists(a)) {
            return a.toAbsolutePath().normalize().equals(target);
        }
        Path real = a.toRealPath();
        return real.equals(target) || Files.exists(target) && Files.isSameFile(real, target);
    }
}
