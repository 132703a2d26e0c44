package io.reluquant.validation.cli;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Loss;
import io.reluquant.kernel.Precision;
import java.util.ArrayList;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

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

    /**
     * --init: each name says what the network is (docs/THEORY.md section 3). Its word is the command-line word and the one a
     * checkpoint records.
     */
    enum InitChoice {
        /** small balanced init, |a_j| = |v_j|, scale --init-scale */
        balanced("balanced"),
        /** He weights, b = 0, a ~ N(0, 1/m) */
        he("he"),
        /** PyTorch's nn.Linear default: uniform with fan-in bounds, a random bias (the report's standard contrast) */
        pytorchDefault("pytorch-default");

        final String word;

        InitChoice(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }

        /** The words, for --help and the completion script. */
        static final class Words extends ArrayList<String> {
            private static final long serialVersionUID = 1L;

            Words() {
                for (InitChoice c : values()) {
                    add(c.word);
                }
            }
        }

        /** Reads a word; the old word "standard" is refused with the name that replaced it. */
        static final class Converter implements ITypeConverter<InitChoice> {
            @Override
            public InitChoice convert(String value) {
                for (InitChoice c : values()) {
                    if (c.word.equals(value)) {
                        return c;
                    }
                }
                if ("standard".equals(value)) {
                    // renamed, not removed: the old word drew He weights with b = 0, while the report's "standard" is PyTorch's default
                    throw new TypeConversionException("'standard' was renamed: use --init he for what it drew (He weights, b = 0); "
                            + "the report's standard contrast (PyTorch's default, random bias) is --init pytorch-default");
                }
                throw new TypeConversionException("expected one of " + new Words() + " but was '" + value + "'");
            }
        }
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
