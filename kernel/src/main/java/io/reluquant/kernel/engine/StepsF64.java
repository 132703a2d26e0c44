// GENERATED from StepsF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.engine;

import io.reluquant.kernel.Loss;

/** What every engine of this precision does around its passes: the loss and residuals, messages, loading. */
public final class StepsF64 {
    private StepsF64() {}

    /**
     * @param loss the loss function
     * @param f outputs f(x_i), in float64
     * @param y targets
     * @param count samples
     * @param residualsOut when not null, receives the residuals (the loss derivatives) rounded to double
     * @return L = (1/n) sum loss(f_i, y_i), summed in float64
     */
    public static double lossOf(Loss loss, double[] f, double[] y, int count, double[] residualsOut) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += loss.value(f[i], y[i]);
            if (residualsOut != null) {
                residualsOut[i] = (double) loss.residual(f[i], y[i]);
            }
        }
        return sum / count;
    }

    /**
     * The loss with k outputs.
     *
     * @param loss the loss function
     * @param f outputs (count, k) row-major, in float64
     * @param y targets, {@link Loss#targetsPerSample} per sample
     * @param count samples
     * @param outputs k
     * @param residualsOut when not null, receives the residuals (count, k) rounded to double
     * @param row scratch of k values (a sample's residuals in float64)
     * @return L = (1/n) sum loss(f_i, y_i), summed in float64
     */
    public static double lossOf(Loss loss, double[] f, double[] y, int count, int outputs, double[] residualsOut,
                                double[] row) {
        int t = loss.targetsPerSample(outputs);
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += loss.value(f, i * outputs, outputs, y, i * t);
            if (residualsOut != null) {
                loss.residual(f, i * outputs, outputs, y, i * t, row, 0);
                for (int c = 0; c < outputs; c++) {
                    residualsOut[i * outputs + c] = (double) row[c];
                }
            }
        }
        return sum / count;
    }

    /**
     * @param lrOutput learning rate of a
     * @param lrHidden learning rate of w and b
     * @return "lr=..." or both rates, for messages (built only when a message is)
     */
    public static String rates(double lrOutput, double lrHidden) {
        return lrOutput == lrHidden ? "lr=" + lrOutput : "lrOutput=" + lrOutput + ", lrHidden=" + lrHidden;
    }
}
