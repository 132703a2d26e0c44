package io.reluquant.validation.theory;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A predicted attractor of a k-output network (docs/THEORY.md section 10): a strict local maximum u* of
 * |g(u)| = |M_sigma(u) u| on the unit sphere of neuron space. Neurons whose direction settles there
 * grow at the rate |g(u*)| / n, and their output vectors a turn towards {@link #output()} = g(u*)/|g(u*)|.
 *
 * @param direction u*, a unit vector in neuron space (w, b)
 * @param output g(u*)/|g(u*)|, the unit k-vector the output weights align with; for an interior
 *        attractor +-p_sigma (top left singular vector of M_sigma)
 * @param rate |g(u*)| (the growth rate is rate / n); for an interior attractor s1 of its sector
 * @param sector the samples strictly active at u* (u* . x~_i &gt; 0)
 * @param kinks the samples exactly on the kink (u* . x~_i = 0): empty for an interior attractor,
 *        not empty for a boundary one (a kink at a data point)
 * @param s1 the largest singular value of M_sector restricted to the directions orthogonal to the
 *        kink samples (= rate at an attractor)
 * @param s2 the second one; s1 &gt; s2 at a strict maximum
 */
public record VectorAttractor(double[] direction, double[] output, double rate, BitSet sector, BitSet kinks, double s1, double s2) {
    public VectorAttractor {
        direction = direction.clone();
        output = output.clone();
        sector = (BitSet) sector.clone();
        kinks = (BitSet) kinks.clone();
    }

    @Override
    public double[] direction() {
        return direction.clone();
    }

    @Override
    public double[] output() {
        return output.clone();
    }

    @Override
    public BitSet sector() {
        return (BitSet) sector.clone();
    }

    @Override
    public BitSet kinks() {
        return (BitSet) kinks.clone();
    }

    /** @return true when u* lies on a sector boundary (a kink exactly at a data point) */
    public boolean boundary() {
        return !kinks.isEmpty();
    }

    /** @return the angle theta of u* = (cos theta, sin theta) in degrees, for a 2-dimensional neuron space */
    public double thetaDegrees() {
        if (direction.length != 2) {
            throw new IllegalStateException("theta is defined for a 2-dimensional neuron space, this one has " + direction.length);
        }
        return Math.toDegrees(Math.atan2(direction[1], direction[0]));
    }

    /** @return for d = 1 with bias, the kink position -b/w (NaN for a constant neuron, |w| &lt;= 1e-12) */
    public double kink() {
        if (direction.length != 2) {
            throw new IllegalStateException("kink is defined for d = 1 with bias, neuron space has dimension " + direction.length);
        }
        return Math.abs(direction[0]) <= 1e-12 ? Double.NaN : -direction[1] / direction[0];
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "u=%s a/|a|=%s rate=%.9g sector=%s%s", Arrays.toString(direction),
                Arrays.toString(output), rate, sector, boundary() ? " kinks=" + kinks : "");
    }
}
