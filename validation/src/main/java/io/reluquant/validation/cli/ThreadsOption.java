package io.reluquant.validation.cli;

import picocli.CommandLine.Option;

/**
 * {@code --threads K}, the kernel's worker threads (a picocli mixin of train, match and report; a
 * command words the description its own way in {@link OptionTexts}). Each command checks the value
 * where it checks its other options.
 */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "K", description = "worker threads (default: all processors); results do not depend on it")
    Integer value;

    /** @return --threads, or all processors when it is not given */
    int count() {
        return value != null ? value : Runtime.getRuntime().availableProcessors();
    }
}
