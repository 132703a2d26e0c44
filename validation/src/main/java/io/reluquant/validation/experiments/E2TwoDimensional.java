package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.List;

/** E2: two-dimensional data (n = 20, a two-neuron teacher, seed 3): attractors by sector enumeration in R^3, N_eff against width. */
public final class E2TwoDimensional {
    private static final double[] LAMBDAS = {Sweep.SMALL, 1e-6, 0};

    private E2TwoDimensional() {}

    /**
     * @param attractors the predicted attractors
     * @param rows every run, by width then init (lambda 1e-4, 1e-6, standard)
     * @param small end N_eff per width at lambda = 1e-4
     * @param standard end N_eff per width at standard init
     * @param standardWide end N_eff of standard init at m = 1e4
     * @param controlCos the control: the largest self-consistency of the same clusters at the same step with D_sigma from
     *     permuted targets ({@link Claims#permuted}), over the runs of the claim
     * @param claimStep the alignment step of the run with the largest control value (the claim's moment)
     * @param controlStep the step the control read (the same snapshot)
     * @param widthControl the N_eff claim's control: the PyTorch-default contrast at the same widths, at small init's end losses
     */
    public record Result(List<Attractor> attractors, int[] widths, List<Measured> rows, double[] small, double[] standard, double worst1,
            double worst5, double worstCos, double standardWide, double controlCos, long claimStep, long controlStep,
            WidthControl widthControl) {
        /** @return the verdicts on self-consistency and N_eff of the 2-D data (the mass-weighted share near the attractors is description) */
        public List<Claims.Verdict> verdicts() {
            return List.of(
                    Claims.E2_SELF_CONSISTENCY.judge(Format.of("min %.6f; control (permuted targets, same step): max %.4f", worstCos, controlCos),
                            worstCos >= Claims.SELF_CONSISTENCY && controlCos < Claims.SELF_CONSISTENCY,
                            Claims.Moment.steps(claimStep, controlStep)),
                    widthControl.judge(Claims.NEFF_WIDTH_TWO_D, widths, small));
        }
    }

    /** @return the 2-D data set of E2 */
    public static Dataset data() {
        return DataSets.twoD(20, 3);
    }

    /** Runs E2. */
    public static Result run(Sweep s) {
        Dataset data = data();
        List<Attractor> att = Attractors.predict(AugmentedInputs.of(data, true), data.targets());
        int[] widths = s.e2Widths();
        double[] small = new double[widths.length];
        double[] standard = new double[widths.length];
        double worst1 = 1;
        double worst5 = 1;
        double worstCos = 1;
        double std = Double.NaN;
        double controlCos = Double.NEGATIVE_INFINITY;
        long claimStep = -1;
        long controlStep = -1;
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        double[] permuted = Claims.permuted(data.targets());
        List<Measured> rows = new ArrayList<>();
        double[] smallEndLoss = new double[widths.length];
        for (int wi = 0; wi < widths.length; wi++) {
            for (double lambda : LAMBDAS) {
                Quantized raw = s.measure("twod", data, true, att, widths[wi], lambda, Sweep.SEED);
                Measured q = Measured.of(raw);
                rows.add(q);
                if (lambda > 0 && widths[wi] >= Claims.WIDE) {
                    worstCos = Math.min(worstCos, q.selfConsistency());
                    double c = Quantized.selfConsistency(Neurons.of(raw.run().alignment().parameters(), true), xt, permuted);
                    if (c > controlCos) {
                        controlCos = c;
                        claimStep = q.alignmentStep();
                        controlStep = raw.run().alignment().step();
                    }
                    worst1 = Math.min(worst1, q.within1());
                    worst5 = Math.min(worst5, q.within5());
                }
                if (lambda == Sweep.SMALL) {
                    small[wi] = q.neffEnd();
                    smallEndLoss[wi] = q.endLoss();
                }
                if (lambda == 0) {
                    standard[wi] = q.neffEnd();
                    if (widths[wi] == Claims.WIDE) {
                        std = q.neffEnd();
                    }
                }
            }
        }
        WidthControl widthControl = WidthControl.run("twod", data, widths, smallEndLoss, Sweep.SEED);
        return new Result(att, widths, List.copyOf(rows), small, standard, worst1, worst5, worstCos, std, controlCos, claimStep, controlStep,
                widthControl);
    }
}
