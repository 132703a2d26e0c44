// Proves: P_J y is least squares over the span of the patterns, rank-deficient J included.
package io.reluquant.validation.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reluquant.kernel.Dataset;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinalFitTest {
    private static BitSet set(int... idx) {
        BitSet s = new BitSet();
        for (int i : idx) {
            s.set(i);
        }
        return s;
    }

    @Test
    void singlePatternIsLinearRegressionOnItsSamples() {
        double[] x = {0, 1, 2, 3};
        double[] y = {5, 1, 2, 4};
        AugmentedInputs xt = AugmentedInputs.of(Dataset.of(x, y, 1), true);
        // S = {1, 2, 3}: least-squares line through (1,1), (2,2), (3,4) is y = 1.5 x - 2/3; sample 0 gets 0
        double[] fit = FinalFit.project(xt, List.of(set(1, 2, 3)), y);
        assertArrayEquals(new double[] {0, 1.5 - 2.0 / 3, 3 - 2.0 / 3, 4.5 - 2.0 / 3}, fit, 1e-12);
    }

    @Test
    void rankDeficientPatternsAndFullRank() {
        double[] x = {-1, -0.5, 0, 0.5, 1};
        double[] y = {0.8, -0.9, -0.8, -0.9, 0.8};
        AugmentedInputs xt = AugmentedInputs.of(Dataset.of(x, y, 1), true);
        // the same pattern twice spans what it spans once
        double[] once = FinalFit.project(xt, List.of(set(3, 4)), y);
        double[] twice = FinalFit.project(xt, List.of(set(3, 4), set(3, 4)), y);
        assertArrayEquals(once, twice, 1e-14);
        // two points on a line: fitted exactly
        assertEquals(-0.9, once[3], 1e-12);
        assertEquals(0.8, once[4], 1e-12);
        // singletons span R^5: P_J y = y
        double[] all = FinalFit.project(xt, List.of(set(0), set(1), set(2), set(3), set(4)), y);
        assertArrayEquals(y, all, 1e-12);
        // the residual is orthogonal to every column of the span
        double[] fit = FinalFit.project(xt, List.of(set(3, 4), set(0, 1, 2, 3, 4)), y);
        for (BitSet s : List.of(set(3, 4), set(0, 1, 2, 3, 4))) {
            for (int c = 0; c < 2; c++) {
                double dot = 0;
                for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
                    dot += (y[i] - fit[i]) * xt.x(i, c);
                }
                assertEquals(0, dot, 1e-12);
            }
        }
    }
}
