package io.reluquant.validation.cli;

import io.reluquant.io.data.FashionMnist;
import io.reluquant.io.data.IdxFormatException;
import io.reluquant.io.npy.DType;
import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.kernel.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reluquant data fashion-mnist --classes A,B --out DIR}: a two-class problem cut from
 * Fashion-MNIST, written as NumPy files every other command (and any Python tool) reads: x.npy
 * (n, 784) float32 pixels in [0, 1], y.npy (n,) +1 for class A and -1 for class B, and the same for
 * the test split in x_test.npy / y_test.npy. {@code --classes all} writes the ten-class problem
 * instead, with y.npy the integer class labels 0..9 (int64, shape (n,)), the form a softmax
 * cross-entropy loss takes.
 */
@Command(name = "data", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a two-class problem from a real data set as x.npy, y.npy (+1/-1), x_test.npy, y_test.npy; "
                + "--classes all: the ten-class problem, y the labels 0-9 (int64).")
public final class DataCommand implements Callable<Integer> {
    /** The value of --classes that asks for every class. */
    static final String ALL = "all";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SET", description = "the data set: fashion-mnist")
    String set;

    @Option(names = "--classes", required = true, split = ",", paramLabel = "A,B|all",
            description = "the two classes, by label 0-9 or name (t-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, "
                    + "ankle-boot); A gets +1, B -1. 'all': the ten classes, y the labels 0-9")
    List<String> classes;

    @Option(names = "--train", paramLabel = "N", defaultValue = "1000",
            description = "training images, an equal share of each class (default: ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", paramLabel = "N", defaultValue = "0",
            description = "test images, an equal share of each class; 0 = every test image of the classes (2000 for two, 10000 for all) "
                    + "(default: ${DEFAULT-VALUE})")
    int test;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the draw (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder of the four IDX files, .gz or raw (default: ${DEFAULT-VALUE})")
    Path dataDir = FashionMnist.DEFAULT_DIR;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created if absent)")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!"fashion-mnist".equals(set)) {
            throw new UsageException("unknown data set '" + set + "' (known: fashion-mnist)");
        }
        boolean all = classes.size() == 1 && ALL.equals(classes.get(0).strip().toLowerCase(Locale.ROOT));
        if (!all && classes.stream().anyMatch(c -> ALL.equals(c.strip().toLowerCase(Locale.ROOT)))) {
            throw new UsageException("--classes all stands alone (the ten classes), got " + String.join(",", classes));
        }
        if (!all && classes.size() != 2) {
            throw new UsageException("--classes needs two classes A,B or 'all', got " + classes.size() + ": " + String.join(",", classes));
        }
        int a = all ? -1 : FashionMnist.classOf(classes.get(0));
        int b = all ? -1 : FashionMnist.classOf(classes.get(1));
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " exists and is not a folder");
        }
        FashionMnist fm;
        try {
            fm = FashionMnist.load(dataDir);
        } catch (IdxFormatException e) {
            throw new UsageException(e.getMessage());
        }
        if (all) {
            // every argument is checked by allClasses() before anything is written
            FashionMnist.TenClasses t = fm.allClasses(train, test, seed);
            Files.createDirectories(out);
            write(out, "", t.train());
            write(out, "_test", t.test());
            spec.commandLine().getOut().printf("all ten classes (y = labels 0-9): %d training and %d test images (d = %d) -> "
                    + "%s/{x,y,x_test,y_test}.npy%n", t.train().samples(), t.test().samples(), FashionMnist.PIXELS, out);
            return 0;
        }
        // every argument is checked by pair() before anything is written
        FashionMnist.Pair p = fm.pair(a, b, train, test, seed);
        Files.createDirectories(out);
        write(out, "", p.train());
        write(out, "_test", p.test());
        spec.commandLine().getOut().printf("%s: %d training and %d test images (d = %d) -> %s/{x,y,x_test,y_test}.npy%n", p.label(),
                p.train().samples(), p.test().samples(), FashionMnist.PIXELS, out);
        return 0;
    }

    private static void write(Path dir, String suffix, FashionMnist.Labelled d) throws IOException {
        Npy.writeNpy(dir.resolve("x" + suffix + ".npy"), NdArray.ofFloating(DType.FLOAT32, d.x(), d.samples(), FashionMnist.PIXELS));
        long[] labels = new long[d.samples()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = d.labels()[i];
        }
        Npy.writeNpy(dir.resolve("y" + suffix + ".npy"), NdArray.ofLongs(labels, d.samples()));
    }

    private static void write(Path dir, String suffix, Dataset d) throws IOException {
        Npy.writeNpy(dir.resolve("x" + suffix + ".npy"), NdArray.ofFloating(DType.FLOAT32, d.inputs(), d.samples(), d.inputDim()));
        Npy.writeNpy(dir.resolve("y" + suffix + ".npy"), NdArray.ofFloating(DType.FLOAT32, d.targets(), d.samples()));
    }
}
