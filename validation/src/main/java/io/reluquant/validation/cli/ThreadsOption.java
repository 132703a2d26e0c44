package io.reluquant.validation.cli;

import picocli.CommandLine.Option;

/**
 * {@code --threads K}, the kernel's worker threads (a picocli mixin of train, match and report; a
 * command words the description its own way in {@link OptionTexts}). Each command checks the value
 * where it checks its other options.
 */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "K", description = "worker threads, exactly (default: at most all processors, fewer where a step is too small for more to help); results do not depend on it")
    Integer value;

    /** The most worker threads per processor: more only slow a run down (results do not depend on the count). */
    static final int PER_PROCESSOR = 8;

    /**
     * Refuses a count below 1 or above {@value #PER_PROCESSOR} per available processor before any
     * work (creating tens of thousands of threads takes minutes and can exhaust the process's limits).
     */
    void check() {
        int cores = Runtime.getRuntime().availableProcessors();
        int most = Math.max(PER_PROCESSOR * cores, 16);
        if (value != null && (value < 1 || value > most)) {
            throw new UsageException("--threads must be between 1 and " + most + " (" + PER_PROCESSOR + " per processor; " + cores
                    + " available), got " + value);
        }
    }

    /**
     * --threads K forces a team of K; without it the kernel takes at most all processors and fewer
     * where a step is too small for more to help (its log line says so).
     */
    io.reluquant.kernel.Trainer.Builder apply(io.reluquant.kernel.Trainer.Builder builder) {
        return value != null ? builder.threads(value) : builder.maxThreads(Runtime.getRuntime().availableProcessors());
    }

    /** @return --threads, or all processors when it is not given */
    int count() {
        return value != null ? value : Runtime.getRuntime().availableProcessors();
    }
}
