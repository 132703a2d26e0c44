package io.reluquant.validation.cli;

import io.reluquant.io.TrainingData;
import io.reluquant.kernel.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The training set of a command, {@code --x X.npy --y Y.npy}, read by {@link TrainingData} (a picocli
 * mixin of train and analyze; a command words the descriptions its own way in {@link OptionTexts}).
 */
final class DataOptions {
    @Option(names = "--x", required = true, paramLabel = "X.npy", description = "inputs, shape (n, d) or (n,), float32/float64")
    Path xFile;

    @Option(names = "--y", required = true, paramLabel = "Y.npy", description = "targets, shape (n,) or (n, k)")
    Path yFile;

    /** @return the training set of --x and --y, numeric targets (n,) or (n, k) */
    Dataset load() throws IOException {
        return TrainingData.load(xFile, yFile);
    }

    /**
     * @param classes whether --y holds integer class labels (the softmax cross-entropy)
     * @return the training set of --x and --y
     */
    Dataset load(boolean classes) throws IOException {
        return classes ? TrainingData.loadClasses(xFile, yFile) : TrainingData.load(xFile, yFile);
    }
}
