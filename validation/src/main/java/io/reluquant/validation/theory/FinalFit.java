package io.reluquant.validation.theory;

import java.util.BitSet;
import java.util.List;

/**
 * The final-fit predictor of docs/THEORY.md section 2: once neurons sharing a direction act as one, the
 * fitted values on the training points tend to P_J y, the least-squares projection of y onto
 * span{ diag(1_S) X~ : S in J } for the set J of activation patterns of the surviving groups.
 *
 * <p>Why this is the limit: at a stationary point every neuron with a != 0 has zero gradient in v,
 * i.e. sum_{i in S} r_i x~_i = 0 for its pattern S, so r is orthogonal to the span while f lies in it.
 *
 * <p>The projection is computed by modified Gram-Schmidt run twice per column ("twice is enough"
 * for orthogonality to working precision). A column whose norm falls below {@link #RANK_TOLERANCE}
 * times its original norm after orthogonalisation depends on the earlier ones and is dropped: that
 * is the rank handling (rank-deficient J, e.g. nested patterns, is common). Only the projection is
 * returned, never coefficients, so the result does not depend on how the span is parametrised.
 */
public final class FinalFit {
    /** Relative norm below which a column counts as linearly dependent on the previous ones. */
    public static final double RANK_TOLERANCE = 1e-10;

    private FinalFit() {}

    /**
     * @param xt the augmented inputs (n rows of dimension k)
     * @param patterns J, activation sets S (each a subset of 0..n-1)
     * @param y the targets (n)
     * @return P_J y, the fitted values on the n training points
     */
    public static double[] project(AugmentedInputs xt, List<BitSet> patterns, double[] y) {
        if (xt == null || patterns == null) {
            throw new IllegalArgumentException("xt and patterns must not be null");
        }
        xt.checkWeights(y);
        int n = xt.samples();
        int k = xt.dim();
        double[][] basis = new double[Math.min(n, patterns.size() * k)][];
        int rank = 0;
        for (BitSet s : patterns) {
            if (s == null || (s.length() > n)) {
                throw new IllegalArgumentException("pattern " + s + " is not a subset of 0.." + (n - 1));
            }
            for (int c = 0; c < k && rank < n; c++) {
                double[] col = new double[n];
                for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
                    col[i] = xt.x(i, c);
                }
                double original = Vectors.norm(col);
                if (original == 0) {
                    continue;
                }
                for (int pass = 0; pass < 2; pass++) {
                    for (int q = 0; q < rank; q++) {
                        double proj = Vectors.dot(basis[q], col);
                        for (int i = 0; i < n; i++) {
                            col[i] -= proj * basis[q][i];
                        }
                    }
                }
                double remaining = Vectors.norm(col);
                if (remaining <= RANK_TOLERANCE * original) {
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    col[i] /= remaining;
                }
                basis[rank++] = col;
            }
        }
        double[] fitted = new double[n];
        for (int q = 0; q < rank; q++) {
            double proj = Vectors.dot(basis[q], y);
            for (int i = 0; i < n; i++) {
                fitted[i] += proj * basis[q][i];
            }
        }
        return fitted;
    }
}
