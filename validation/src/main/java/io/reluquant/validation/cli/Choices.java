package io.reluquant.validation.cli;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.Precision;

/**
 * The closed choices of the command line as picocli enums: picocli checks the value, lists the
 * choices in --help and in the completion script. The constants are the command-line words (hence
 * lower case) and the words written into checkpoints.
 */
final class Choices {
    private Choices() {}

    /** --precision */
    enum PrecisionChoice {
        f32(Precision.FLOAT32), f64(Precision.FLOAT64);

        final Precision precision;

        PrecisionChoice(Precision precision) {
            this.precision = precision;
        }
    }

    /** --engine */
    enum EngineChoice {
        /** the fused kernel (Vector API, or its scalar twin) */
        simd(Kernel.AUTO),
        /** the naive float64 reference */
        reference(Kernel.REFERENCE);

        final Kernel kernel;

        EngineChoice(Kernel kernel) {
            this.kernel = kernel;
        }
    }

    /** --init */
    enum InitChoice {
        balanced, standard
    }

    /** --loss */
    enum LossChoice {
        /** (f - y)^2 / 2, the paper's */
        square(Loss.SQUARE),
        /** log(1 + exp(-y f)), targets in {-1, +1} */
        logistic(Loss.LOGISTIC),
        /** softmax cross-entropy over k outputs, y integer class labels in [0, k) */
        softmax(Loss.SOFTMAX_CROSS_ENTROPY);

        final Loss loss;

        LossChoice(Loss loss) {
            this.loss = loss;
        }
    }
}
