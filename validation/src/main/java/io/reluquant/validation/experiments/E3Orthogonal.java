package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.measures.Quantization;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.List;

/** E3: orthogonal inputs, no bias (docs/THEORY.md section 6): two clusters of mass sqrt 2 on the predicted directions, loss to 0. */
public final class E3Orthogonal {
    private static final double DEG = Math.PI / 180;
    private static final double[] LAMBDAS = {Sweep.SMALL, 1e-6, 0};
    /** The init scale the claim is judged at. */
    private static final double JUDGED = 1e-6;

    private E3Orthogonal() {}

    /**
     * One run.
     *
     * @param withinEnd share of mass within 1 degree of the attractors at the end
     * @param masses mass of the end clusters within 1 degree of each of the two attractors
     * @param controlWithin the same end network's share of mass within 1 degree of the attractors of the permuted targets
     * @param controlMasses its cluster masses within 1 degree of each of those attractors
     */
    public record Row(Measured m, double withinEnd, double[] masses, double controlWithin, double[] controlMasses) {}

    /**
     * @param attractors the attractors of the data
     * @param controlAttractors the attractors of the data with the targets permuted among the samples (the control)
     * @param width m
     * @param rows lambda 1e-4, 1e-6, standard
     */
    public record Result(List<Attractor> attractors, List<Attractor> controlAttractors, int width, List<Row> rows) {
        /** @return the verdict on {@link Claims#E3_ORTHOGONAL} (judged at lambda = 1e-6) */
        public Claims.Verdict verdict() {
            Claims.Claim claim = Claims.E3_ORTHOGONAL.about(width);
            for (Row r : rows) {
                if (r.m().lambda() == JUDGED) {
                    double gap = massGap(r.masses());
                    double controlGap = massGap(r.controlMasses());
                    double loss = r.m().endLoss();
                    boolean pass = r.withinEnd() >= Claims.WITHIN_1_DEG && gap <= Claims.ORTHOGONAL_MASS_GAP
                            && loss < Claims.ORTHOGONAL_LOSS_FRACTION * r.m().initialLoss();
                    // the control: the same end network against the permuted targets' attractors, the same criterion
                    boolean controlPass = r.controlWithin() >= Claims.WITHIN_1_DEG && controlGap <= Claims.ORTHOGONAL_MASS_GAP;
                    return claim.judge(Format.of("within 1 deg %.6f (end), masses %.5f, %.5f (max gap %.1e), loss %.1e; control (permuted targets, "
                            + "same network): within 1 deg %.6f, max mass gap %.1e", r.withinEnd(), r.masses()[0], r.masses()[1], gap, loss,
                            r.controlWithin(), controlGap), pass && !controlPass, Claims.Moment.SAME);
                }
            }
            return claim.judge("", false);
        }
    }

    /** @return the largest relative gap of the two masses to sqrt 2 (infinite when fewer than two) */
    static double massGap(double[] masses) {
        if (masses.length < 2) {
            return Double.POSITIVE_INFINITY;
        }
        double sqrt2 = Math.sqrt(2);
        return Math.max(Math.abs(masses[0] / sqrt2 - 1), Math.abs(masses[1] / sqrt2 - 1));
    }

    /** @return the end clusters' mass within 1 degree of each of the first two attractors, of the attractor's sign */
    private static double[] masses(Quantized q, List<Attractor> att) {
        double[] masses = new double[Math.min(2, att.size())];
        for (int k = 0; k < masses.length; k++) {
            Attractor a = att.get(k);
            masses[k] = q.endClusters().stream().filter(c -> c.sign() == a.sign() && AugmentedInputs.angle(c.direction(), a.direction()) <= DEG)
                    .mapToDouble(Cluster::mass).sum();
        }
        return masses;
    }

    /** Runs E3. */
    public static Result run(Sweep s) {
        Dataset data = DataSets.orthogonal();
        List<Attractor> att = Attractors.predict(AugmentedInputs.of(data, false), data.targets());
        Dataset scrambled = Dataset.of(data.inputs(), Claims.permuted(data.targets()), data.inputDim());
        List<Attractor> controlAtt = Attractors.predict(AugmentedInputs.of(scrambled, false), scrambled.targets());
        List<Row> rows = new ArrayList<>();
        for (double lambda : LAMBDAS) {
            Quantized q = s.measure("orthogonal", data, false, att, s.e3Width(), lambda, Sweep.SEED);
            Neurons end = Neurons.of(q.run().end().parameters(), false);
            rows.add(new Row(Measured.of(q), Quantization.massWithin(end, att, DEG), masses(q, att), Quantization.massWithin(end, controlAtt, DEG),
                    masses(q, controlAtt)));
        }
        return new Result(att, controlAtt, s.e3Width(), List.copyOf(rows));
    }
}
