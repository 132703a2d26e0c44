package io.reluquant.validation.measures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How many different functions a set of trained networks (one per seed) computes: on the training
 * points (distinct vectors of fitted values at a tolerance), off them (pairwise sup distances on a
 * grid), and where a 1-D network bends (the share of its curvature mass with the kink at a data
 * point, docs/THEORY.md section 4).
 */
public final class FunctionSpread {
    private FunctionSpread() {}

    /** @return the sup-norm distance max_i |p_i - q_i| */
    public static double supDistance(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("vectors of lengths " + p.length + " and " + q.length);
        }
        double d = 0;
        for (int i = 0; i < p.length; i++) {
            d = Math.max(d, Math.abs(p[i] - q[i]));
        }
        return d;
    }

    /**
     * Distinct vectors at tolerance tol: vectors taken in order, each either within tol (sup norm) of an
     * earlier representative or a new representative. Two vectors within tol of each other can still be
     * counted apart only when no chain of representatives joins them, so with well-separated groups
     * (gaps &gt; 2 tol) the count is the number of groups.
     *
     * @param tol positive
     * @return the number of representatives
     */
    public static int distinctCount(List<double[]> vectors, double tol) {
        if (!(tol > 0)) {
            throw new IllegalArgumentException("tol must be positive, got " + tol);
        }
        List<double[]> reps = new ArrayList<>();
        for (double[] v : vectors) {
            boolean found = false;
            for (double[] r : reps) {
                if (supDistance(v, r) <= tol) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                reps.add(v);
            }
        }
        return reps.size();
    }

    /** @return the median over all pairs of the sup distance, NaN for fewer than two vectors */
    public static double medianPairwiseSupDistance(List<double[]> vectors) {
        int k = vectors.size();
        if (k < 2) {
            return Double.NaN;
        }
        double[] d = new double[k * (k - 1) / 2];
        int c = 0;
        for (int p = 0; p < k; p++) {
            for (int q = p + 1; q < k; q++) {
                d[c++] = supDistance(vectors.get(p), vectors.get(q));
            }
        }
        return median(d);
    }

    /** @return the median (the mean of the two middle values for an even count) */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
    }

    /**
     * Curvature mass at the data (d = 1 with bias): neuron j bends f by a_j |w_j| at x = -b_j / w_j.
     *
     * @param dataX the training inputs
     * @param distance a kink within this distance of some x_i counts as at a data point
     * @return {mass within distance of a data point, total curvature mass sum_j |a_j| |w_j|}
     */
    public static double[] curvatureMassNearData(Neurons net, double[] dataX, double distance) {
        if (net.inputDim() != 1 || !net.bias()) {
            throw new IllegalArgumentException("kinks need d = 1 with bias, got d = " + net.inputDim() + (net.bias() ? "" : " without bias"));
        }
        double near = 0;
        double total = 0;
        for (int j = 0; j < net.width(); j++) {
            double w = net.coordinate(j, 0);
            double c = Math.abs(net.outputWeight(j)) * Math.abs(w);
            if (c == 0) {
                continue;
            }
            total += c;
            double kink = -net.coordinate(j, 1) / w;
            for (double x : dataX) {
                if (Math.abs(kink - x) <= distance) {
                    near += c;
                    break;
                }
            }
        }
        return new double[] {near, total};
    }

    /**
     * Least-squares slope of log y against log x.
     *
     * @return the slope; NaN if fewer than two points have x, y &gt; 0
     */
    public static double logLogSlope(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y have lengths " + x.length + " and " + y.length);
        }
        double sx = 0;
        double sy = 0;
        int k = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0) {
                sx += Math.log(x[i]);
                sy += Math.log(y[i]);
                k++;
            }
        }
        if (k < 2) {
            return Double.NaN;
        }
        double mx = sx / k;
        double my = sy / k;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0) {
                double dx = Math.log(x[i]) - mx;
                sxy += dx * (Math.log(y[i]) - my);
                sxx += dx * dx;
            }
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
