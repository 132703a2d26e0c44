package io.reluquant.validation.experiments;

/**
 * The numbers of one {@link Quantized} run that the report's tables show, without its networks.
 *
 * @param width m
 * @param lambda balanced init scale, 0 for standard init
 * @param initLabel "balanced lambda=1e-04" or "standard"
 * @param lr the learning rate used
 * @param alignmentStep first step with L &lt; 0.99 L0 (-1 if never)
 * @param within1 share of mass within 1 degree of a predicted attractor at alignment
 * @param within5 the same within 5 degrees
 * @param selfConsistency mass-weighted self-consistency of the clusters at alignment
 * @param neffAlignment N_eff at alignment
 * @param neffEnd N_eff at the end
 * @param initialLoss the loss at step 0
 * @param endLoss the loss at the end
 * @param fitError max |f - P_J y| at the end
 * @param patterns |J|
 */
public record Measured(int width, double lambda, String initLabel, double lr, long alignmentStep, double within1, double within5,
        double selfConsistency, double neffAlignment, double neffEnd, double initialLoss, double endLoss, double fitError, int patterns) {
    /** @return the numbers of {@code q} */
    public static Measured of(Quantized q) {
        return new Measured(q.width(), q.lambda(), q.initLabel(), q.lr(), q.alignmentStep(), q.within1(), q.within5(), q.selfConsistency(),
                q.neffAlignment(), q.neffEnd(), q.run().initialLoss(), q.run().end().loss(), q.fitError(), q.patterns().size());
    }
}
