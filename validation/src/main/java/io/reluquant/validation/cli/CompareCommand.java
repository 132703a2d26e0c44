package io.reluquant.validation.cli;

import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.validation.match.Deviation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reluquant compare A.npz B.npz}: for every array of either file, the maximum absolute and
 * relative differences (see {@link Deviation}), with A as the reference. Also compares two .npy
 * files. With {@code --tolerance}, exits 1 when an array's relative difference exceeds it or when
 * the files do not hold the same arrays with the same shapes.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Max absolute and relative differences of every array of two .npz (or .npy) files; A is the reference.")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "reference file (.npz or .npy)")
    Path first;

    @Parameters(index = "1", paramLabel = "B", description = "file to compare (.npz or .npy)")
    Path second;

    @Option(names = "--tolerance", paramLabel = "REL",
            description = "exit with status 1 if an array's relative difference max|A-B|/max|A| exceeds REL")
    Double tolerance;

    @Override
    public Integer call() throws IOException {
        if (tolerance != null && !(tolerance >= 0)) {
            throw new UsageException("--tolerance must be >= 0, got " + tolerance);
        }
        Map<String, NdArray> a = read(first);
        Map<String, NdArray> b = read(second);
        PrintWriter out = spec.commandLine().getOut();
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        boolean ok = true;
        out.printf(Locale.ROOT, "%-16s %-14s %12s %12s %12s%n", "array", "shape", "max_abs", "max_rel", "elem_rel");
        for (String name : names) {
            NdArray x = a.get(name);
            NdArray y = b.get(name);
            if (x == null || y == null) {
                out.printf(Locale.ROOT, "%-16s only in %s%n", name, x == null ? "B" : "A");
                ok = false;
                continue;
            }
            String shape = Arrays.toString(x.shape());
            if (!Arrays.equals(x.shape(), y.shape())) {
                out.printf(Locale.ROOT, "%-16s shape %s in A but %s in B%n", name, shape, Arrays.toString(y.shape()));
                ok = false;
                continue;
            }
            if (x.isNumeric() != y.isNumeric()) {
                out.printf(Locale.ROOT, "%-16s %-14s one holds strings, the other numbers%n", name, shape);
                ok = false;
                continue;
            }
            if (!x.isNumeric()) {
                boolean same = Arrays.equals(x.toStrings(), y.toStrings());
                out.printf(Locale.ROOT, "%-16s %-14s %s%n", name, shape, same ? "equal strings" : "strings differ");
                ok &= same;
                continue;
            }
            // integers compared as integers: int64 values past 2^53 would round to equal doubles
            Deviation d = x.dtype().isIntegral() && y.dtype().isIntegral() ? Deviation.of(x.toLongs(), y.toLongs())
                    : Deviation.of(x.toDoubles(), y.toDoubles());
            out.printf(Locale.ROOT, "%-16s %-14s %12.4e %12.4e %12.4e%n", name, shape, d.maxAbs(), d.relative(), d.elementwise());
            if (tolerance != null && !(d.relative() <= tolerance)) {
                ok = false;
            }
        }
        if (tolerance != null) {
            out.println(ok ? "within tolerance " + tolerance : "NOT within tolerance " + tolerance);
            return ok ? 0 : ReluquantCommand.EXIT_FAILURE;
        }
        return 0;
    }

    private static Map<String, NdArray> read(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".npy")) {
            Map<String, NdArray> one = new LinkedHashMap<>();
            one.put("(array)", Npy.readNpy(file));
            return one;
        }
        return Npy.readNpz(file);
    }
}
