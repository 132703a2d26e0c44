package io.reluquant.validation.theory;

import java.util.BitSet;

/**
 * A predicted attractor of neuron directions (docs/THEORY.md section 2): a &gt; 0 neurons go to strict local
 * maxima of G on the sphere, a &lt; 0 neurons to strict local minima.
 *
 * @param sign +1 (a &gt; 0, maximum of G) or -1 (a &lt; 0, minimum of G)
 * @param direction the unit vector u in neuron space (w, b)
 * @param sector sigma(u) = { i : u . x~_i > 0 }
 * @param potential G(u); its absolute value is the growth rate |D_sigma| of interior attractors
 * @param boundary true when u lies on a sector boundary (u . x~_i = 0 for some i: a kink exactly at a data point)
 */
public record Attractor(int sign, double[] direction, BitSet sector, double potential, boolean boundary) {
    public Attractor {
        direction = direction.clone();
        sector = (BitSet) sector.clone();
    }

    @Override
    public double[] direction() {
        return direction.clone();
    }

    @Override
    public BitSet sector() {
        return (BitSet) sector.clone();
    }

    /** @return the angle theta of u = (cos theta, sin theta) in degrees, for a 2-dimensional neuron space */
    public double thetaDegrees() {
        if (direction.length != 2) {
            throw new IllegalStateException("theta is defined for a 2-dimensional neuron space, this one has " + direction.length);
        }
        return Math.toDegrees(Math.atan2(direction[1], direction[0]));
    }

    /**
     * @return for d = 1 with bias, the kink position -b/w of a neuron on this direction (NaN when
     *         |w| &lt;= 1e-12, a constant neuron: cos(90 deg) is 6e-17 in floating point, not 0)
     */
    public double kink() {
        if (direction.length != 2) {
            throw new IllegalStateException("kink is defined for d = 1 with bias, neuron space has dimension " + direction.length);
        }
        return Math.abs(direction[0]) <= 1e-12 ? Double.NaN : -direction[1] / direction[0];
    }
}
