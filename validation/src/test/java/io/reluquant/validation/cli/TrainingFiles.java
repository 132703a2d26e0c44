package io.reluquant.validation.cli;

import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The training files of the command-line tests: x.npy (n, d) and y.npy (n) in a fresh temporary folder per test. */
abstract class TrainingFiles {
    @TempDir
    Path tmp;
    Path x;
    Path y;

    /** Writes tmp/x.npy with {@code xs} as (n, d) and tmp/y.npy with {@code ys}. */
    void write(double[] xs, double[] ys, int d) throws IOException {
        x = tmp.resolve("x.npy");
        y = tmp.resolve("y.npy");
        Npy.writeNpy(x, NdArray.ofDoubles(xs, ys.length, d));
        Npy.writeNpy(y, NdArray.ofDoubles(ys, ys.length));
    }
}
