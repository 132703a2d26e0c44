package io.reluquant.validation.experiments;

import io.reluquant.kernel.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The negative control of a claim that small-init N_eff does not depend on the width (E1, E2): the PyTorch-default
 * contrast (random bias, NTK rates: the fair contrast's, docs/THEORY.md section 3) at the claim's widths and seed, each
 * trained to the loss its width's small-init run ended at, so the two are compared at equal loss; its N_eff judged by the
 * claim's own criterion (max - min at most {@link Claims#NEFF_WIDTH_SPREAD}), which it must fail. Without this run the
 * criterion could be one any init meets (in 1-D even lambda = 1e-1 ends with N_eff near 3 at every width).
 *
 * @param widths the judged widths (at most {@link Claims#WIDE})
 * @param claimLoss the small-init end loss per width (the control's target)
 * @param loss the control's loss where it stopped
 * @param neff the control's N_eff there (1-degree clusters of equal sign, as the claim's)
 * @param reached whether it reached its target within the cap
 */
public record WidthControl(int[] widths, double[] claimLoss, double[] loss, double[] neff, boolean[] reached) {
    public WidthControl {
        widths = widths.clone();
        claimLoss = claimLoss.clone();
        loss = loss.clone();
        neff = neff.clone();
        reached = reached.clone();
    }

    /**
     * Trains the control at every width of the claim up to {@link Claims#WIDE}.
     *
     * @param name the data set's name
     * @param data the claim's data
     * @param widths the claim's widths
     * @param claimLoss the small-init end loss at each of them
     * @param seed the claim's init seed
     * @return the control
     */
    public static WidthControl run(String name, Dataset data, int[] widths, double[] claimLoss, long seed) {
        List<Integer> judged = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] <= Claims.WIDE) {
                judged.add(i);
            }
        }
        FairContrast.Config c = FairContrast.Config.full();
        List<Callable<FairContrast.Row>> tasks = new ArrayList<>();
        for (int i : judged) {
            double target = Math.max(claimLoss[i], Claims.LOSS_FLOOR);
            tasks.add(() -> FairContrast.pytorchTo(name, data, widths[i], seed, target, c));
        }
        List<FairContrast.Row> rows = FairContrast.all(tasks, c.parallelRuns());
        int n = judged.size();
        int[] w = new int[n];
        double[] target = new double[n];
        double[] loss = new double[n];
        double[] neff = new double[n];
        boolean[] reached = new boolean[n];
        for (int k = 0; k < n; k++) {
            FairContrast.Row r = rows.get(k);
            w[k] = widths[judged.get(k)];
            target[k] = claimLoss[judged.get(k)];
            loss[k] = r.loss();
            neff[k] = r.neff();
            reached[k] = r.reached();
        }
        return new WidthControl(w, target, loss, neff, reached);
    }

    /** @return max - min of the control's N_eff over its widths */
    public double spread() {
        return Stats.range(neff);
    }

    /** @return whether the control fails the claim's criterion, every width having reached its small-init loss */
    public boolean fails() {
        return widths.length > 1 && allReached() && spread() > Claims.NEFF_WIDTH_SPREAD;
    }

    /** @return the moment of the worst-matched width: its small-init end loss against the loss its control stopped at */
    public Claims.Moment moment() {
        WorstMoment worst = new WorstMoment(Claims.Moment.losses(Double.NaN, Double.NaN));
        for (int k = 0; k < widths.length; k++) {
            worst.losses(claimLoss[k], loss[k]);
        }
        return worst.moment();
    }

    /**
     * @param claim the N_eff-across-widths claim
     * @param widths the claim's widths
     * @param small small-init end N_eff per width
     * @return the verdict: the claim's spread (widths up to {@link Claims#WIDE}) within {@link Claims#NEFF_WIDTH_SPREAD} and this
     *     control failing it, at equal loss
     */
    public Claims.Verdict judge(Claims.Claim claim, int[] widths, double[] small) {
        double spread = Stats.spread(small, widths, Claims.WIDE);
        return claim.judge(Format.of("max - min = %.3f (values %s); control (PyTorch default at the same losses, m = %s): max - min = %.1f"
                + " (values %s), every width at its loss: %s", spread, Format.list(small), Arrays.toString(this.widths), spread(),
                Format.list(neff), allReached() ? "yes" : "NO"),
                spread <= Claims.NEFF_WIDTH_SPREAD && fails(), moment());
    }

    private boolean allReached() {
        for (boolean r : reached) {
            if (!r) {
                return false;
            }
        }
        return true;
    }
}
