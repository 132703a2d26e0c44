package io.reluquant.validation.theory;

/**
 * The top singular pair of a small dense matrix A (rows x cols, row-major), as the vector-output oracle
 * needs it (docs/THEORY.md section 10): the largest singular value s1, the second s2, the top left
 * singular vector p (A q = s1 p) and the top right one q. Computed from the symmetric eigenproblem of
 * the smaller Gram matrix (A A^T or A^T A) by cyclic Jacobi rotations, which converge for every symmetric
 * matrix and give eigenvalues to a few ulps of the largest; the oracle's matrices are k x (d + 1) with
 * k the number of outputs, so the Gram matrix is at most k x k at large d.
 *
 * @param s1 the largest singular value
 * @param s2 the second largest (0 when A has one row or one column)
 * @param p the top left singular vector (length rows), unit; zero when s1 = 0
 * @param q the top right singular vector (length cols), unit; zero when s1 = 0
 */
public record SmallSvd(double s1, double s2, double[] p, double[] q) {
    private static final int MAX_SWEEPS = 100;

    public SmallSvd {
        p = p.clone();
        q = q.clone();
    }

    @Override
    public double[] p() {
        return p.clone();
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    /** @return the top singular pair of the rows x cols matrix {@code a} (row-major) */
    public static SmallSvd of(double[] a, int rows, int cols) {
        if (a == null || rows < 1 || cols < 1 || a.length != rows * cols) {
            throw new IllegalArgumentException("matrix must hold rows * cols = " + rows + " * " + cols + " values, got "
                    + (a == null ? "null" : String.valueOf(a.length)));
        }
        boolean left = rows <= cols;
        int s = left ? rows : cols;
        // Gram matrix of the smaller side: A A^T (rows x rows) or A^T A (cols x cols)
        double[] gram = new double[s * s];
        for (int r = 0; r < s; r++) {
            for (int c = r; c < s; c++) {
                double sum = 0;
                if (left) {
                    for (int k = 0; k < cols; k++) {
                        sum += a[r * cols + k] * a[c * cols + k];
                    }
                } else {
                    for (int k = 0; k < rows; k++) {
                        sum += a[k * cols + r] * a[k * cols + c];
                    }
                }
                gram[r * s + c] = sum;
                gram[c * s + r] = sum;
            }
        }
        double[] vectors = new double[s * s];
        double[] values = jacobi(gram, s, vectors);
        int top = 0;
        for (int k = 1; k < s; k++) {
            if (values[k] > values[top]) {
                top = k;
            }
        }
        double second = 0;
        for (int k = 0; k < s; k++) {
            if (k != top) {
                second = Math.max(second, values[k]);
            }
        }
        double[] e = new double[s];
        for (int k = 0; k < s; k++) {
            e[k] = vectors[k * s + top];
        }
        // the other singular vector of the pair from A e or A^T e: more accurate than a second eigenproblem
        double[] other = new double[left ? cols : rows];
        if (left) {
            for (int k = 0; k < cols; k++) {
                for (int r = 0; r < rows; r++) {
                    other[k] += a[r * cols + k] * e[r];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    other[r] += a[r * cols + k] * e[k];
                }
            }
        }
        double s1 = Vectors.norm(other);
        if (s1 == 0) {
            return new SmallSvd(0, 0, new double[rows], new double[cols]);
        }
        for (int k = 0; k < other.length; k++) {
            other[k] /= s1;
        }
        double s2 = Math.sqrt(Math.max(0, second));
        return left ? new SmallSvd(s1, s2, e, other) : new SmallSvd(s1, s2, other, e);
    }

    /**
     * Eigenvalues of the symmetric s x s matrix {@code m} (destroyed) by cyclic Jacobi; eigenvectors into
     * the columns of {@code v}.
     */
    static double[] jacobi(double[] m, int s, double[] v) {
        for (int k = 0; k < s; k++) {
            v[k * s + k] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double all = 0;
            for (int r = 0; r < s; r++) {
                for (int c = 0; c < s; c++) {
                    all += m[r * s + c] * m[r * s + c];
                    if (r != c) {
                        off += m[r * s + c] * m[r * s + c];
                    }
                }
            }
            if (off <= 1e-32 * all || off == 0) {
                break;
            }
            for (int p = 0; p < s - 1; p++) {
                for (int q = p + 1; q < s; q++) {
                    double apq = m[p * s + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (m[q * s + q] - m[p * s + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int k = 0; k < s; k++) {
                        double mkp = m[k * s + p];
                        double mkq = m[k * s + q];
                        m[k * s + p] = c * mkp - sn * mkq;
                        m[k * s + q] = sn * mkp + c * mkq;
                    }
                    for (int k = 0; k < s; k++) {
                        double mpk = m[p * s + k];
                        double mqk = m[q * s + k];
                        m[p * s + k] = c * mpk - sn * mqk;
                        m[q * s + k] = sn * mpk + c * mqk;
                    }
                    for (int k = 0; k < s; k++) {
                        double vkp = v[k * s + p];
                        double vkq = v[k * s + q];
                        v[k * s + p] = c * vkp - sn * vkq;
                        v[k * s + q] = sn * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[s];
        for (int k = 0; k < s; k++) {
            values[k] = m[k * s + k];
        }
        return values;
    }
}
