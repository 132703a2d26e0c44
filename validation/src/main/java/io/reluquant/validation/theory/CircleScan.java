package io.reluquant.validation.theory;

import java.util.ArrayList;
import java.util.List;

/** Attractors in a 2-dimensional neuron space: a fine scan of G(theta) on the circle, refined to exact candidates. */
final class CircleScan {
    private CircleScan() {}

    /**
     * Strict local maxima (sign +1) and minima (sign -1) of G(theta), u = (cos theta, sin theta), found
     * on a grid of {@code gridPoints} angles and refined: of the exact candidates within two grid steps
     * (interior fixed points of the nearby sectors, and sector-boundary angles) the one with the
     * extreme G wins. Flat stretches (an empty sector, G = 0) are not strict extrema.
     */
    static List<Attractor> attractors(AugmentedInputs xt, double[] c, int gridPoints) {
        Attractors.requireDim(xt, 2, "scanCircle");
        xt.checkWeights(c);
        if (gridPoints < 16) {
            throw new IllegalArgumentException("gridPoints must be >= 16, got " + gridPoints);
        }
        double step = 2 * Math.PI / gridPoints;
        double[] g = new double[gridPoints];
        for (int k = 0; k < gridPoints; k++) {
            g[k] = xt.potential(unit(-Math.PI + k * step), c);
        }
        double[] boundaries = boundaryAngles(xt);
        List<Attractor> found = new ArrayList<>();
        for (int k = 0; k < gridPoints; k++) {
            double prev = g[(k - 1 + gridPoints) % gridPoints];
            double next = g[(k + 1) % gridPoints];
            int sign = g[k] > prev && g[k] > next ? 1 : g[k] < prev && g[k] < next ? -1 : 0;
            if (sign == 0) {
                continue;
            }
            double theta = -Math.PI + k * step;
            double bestTheta = theta;
            double bestG = g[k];
            List<Double> candidates = new ArrayList<>();
            for (int dk = -2; dk <= 2; dk++) {
                double[] u = unit(theta + dk * step);
                double[] fixed = Attractors.fixedPoint(xt, xt.activation(u), c, sign);
                if (fixed != null) {
                    candidates.add(Math.atan2(fixed[1], fixed[0]));
                }
            }
            for (double b : boundaries) {
                candidates.add(b);
            }
            for (double cand : candidates) {
                if (circularDistance(cand, theta) <= 2.5 * step) {
                    double gc = xt.potential(unit(cand), c);
                    if (sign * (gc - bestG) > 0) {
                        bestG = gc;
                        bestTheta = cand;
                    }
                }
            }
            double[] u = unit(bestTheta);
            if (!Attractors.containsDirection(found, sign, u)) {
                found.add(new Attractor(sign, u, xt.activation(u), bestG, Attractors.onBoundary(xt, u)));
            }
        }
        return found;
    }

    private static double[] boundaryAngles(AugmentedInputs xt) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < xt.samples(); i++) {
            double p = xt.x(i, 0);
            double q = xt.x(i, 1);
            if (p != 0 || q != 0) {
                // u . x~_i = p cos(theta) + q sin(theta) = 0
                double t = Math.atan2(-p, q);
                out.add(t);
                out.add(t > 0 ? t - Math.PI : t + Math.PI);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double circularDistance(double a, double b) {
        double d = Math.abs(wrap(a) - wrap(b));
        return Math.min(d, 2 * Math.PI - d);
    }

    static double wrap(double a) {
        double t = a % (2 * Math.PI);
        return t < 0 ? t + 2 * Math.PI : t;
    }

    static double[] unit(double theta) {
        return new double[] {Math.cos(theta), Math.sin(theta)};
    }
}
