package io.reluquant.validation.cli;

import io.reluquant.io.NetworkFile;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The network a run starts from: read with {@code --init-params}, or drawn by {@code --init} with
 * {@code --width}, {@code --init-scale} and {@code --seed} (a picocli mixin of train and match; a
 * command words the descriptions its own way in {@link OptionTexts}).
 */
final class InitOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--init-params", paramLabel = "P.npz", description = "initial network: arrays a (m), w (m, d), b (m)")
    Path initParams;

    @Option(names = "--width", paramLabel = "M", description = "width m of a freshly initialized network")
    Integer width;

    @Option(names = "--init", paramLabel = "KIND",
            description = "${COMPLETION-CANDIDATES}: small balanced, He (b = 0) or PyTorch's default (docs/THEORY.md section 3) "
                    + "(default: ${DEFAULT-VALUE})",
            defaultValue = "balanced", converter = Choices.InitChoice.Converter.class, completionCandidates = Choices.InitChoice.Words.class)
    Choices.InitChoice init;

    @Option(names = "--init-scale", paramLabel = "LAMBDA", description = "scale lambda of the balanced init (default: ${DEFAULT-VALUE})",
            defaultValue = "1e-4")
    double initScale;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the init (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long seed;

    /** No default width: the command requires --width unless --init-params is given. */
    InitOptions() {}

    /** @param width the width when --width is not given (its default in --help) */
    InitOptions(int width) {
        this.width = width;
    }

    /**
     * The initial network and how it came about, as a checkpoint records it.
     *
     * @param network the parameters
     * @param kind "params" (read from --init-params), or the --init word: "balanced", "he" or "pytorch-default"
     * @param scale lambda of the balanced init (NaN otherwise)
     * @param seed seed of the draw (-1 for --init-params)
     */
    record Start(Parameters network, String kind, double scale, long seed) {}

    /**
     * @param inputDim d of the training inputs
     * @param outputs k, the network's outputs (the targets per sample, or the classes)
     * @param bias whether the network has biases (without, --init-params must have b = 0)
     * @return the network of --init-params, or a fresh one of --width neurons
     */
    Start start(int inputDim, int outputs, boolean bias) throws IOException {
        if (initParams != null) {
            ParseResult parsed = command.commandLine().getParseResult();
            if (parsed.hasMatchedOption("--width") || parsed.hasMatchedOption("--init")) {
                throw new UsageException("--init-params cannot be combined with --width or --init");
            }
            Parameters p = NetworkFile.read(initParams);
            if (p.inputDim() != inputDim) {
                throw new UsageException("--init-params " + initParams + " has d = " + p.inputDim() + " but X has d = " + inputDim);
            }
            if (p.outputs() != outputs) {
                throw new UsageException("--init-params " + initParams + " has " + p.outputs() + " output(s) (a of shape ("
                        + p.width() + (p.outputs() == 1 ? ",)" : ", " + p.outputs() + ")") + ") but Y asks for " + outputs);
            }
            if (!bias && Arrays.stream(p.biases()).anyMatch(v -> v != 0)) {
                throw new UsageException("--no-bias but --init-params " + initParams + " has a nonzero b");
            }
            return new Start(p, "params", Double.NaN, -1);
        }
        if (width == null || width < 1) {
            throw new UsageException("--width M >= 1 is required (or --init-params P.npz), got " + width);
        }
        if (init == Choices.InitChoice.he) {
            return new Start(Initializers.he(width, inputDim, outputs, seed), init.word, Double.NaN, seed);
        }
        if (init == Choices.InitChoice.pytorchDefault) {
            Parameters p = Initializers.pytorchDefault(width, inputDim, outputs, seed);
            // without biases the network has b = 0: the draw's other values stay as drawn
            return new Start(bias ? p : Parameters.of(p.outputWeights(), p.inputWeights(), new double[width], inputDim, outputs),
                    init.word, Double.NaN, seed);
        }
        if (!(initScale > 0) || !Double.isFinite(initScale)) {
            throw new UsageException("--init-scale must be finite and positive, got " + initScale);
        }
        try {
            return new Start(Initializers.balanced(width, inputDim, outputs, initScale, seed, bias), init.word, initScale, seed);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("scale ")) {
                throw new UsageException("--init-scale " + initScale + ": " + e.getMessage());
            }
            throw e;
        }
    }
}
