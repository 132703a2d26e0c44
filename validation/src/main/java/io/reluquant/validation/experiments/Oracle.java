package io.reluquant.validation.experiments;

import io.reluquant.io.data.DataSets;
import io.reluquant.kernel.Dataset;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The theory oracle: the attractors of the five-point data from the data alone, against docs/THEORY.md section 5's table. */
public final class Oracle {
    /** docs/THEORY.md's table, degrees, by increasing theta. */
    private static final double[] TABLE = {-164.055, -15.945, 90};

    private Oracle() {}

    /**
     * @param found the predicted attractors by increasing theta
     * @param worst the largest |theta - table| in degrees (infinite when the count differs)
     */
    public record Result(List<Attractor> found, double worst, double control) {
        /** @return the verdict on {@link Claims#ORACLE}: the oracle matches the table, the permuted targets' oracle does not */
        public Claims.Verdict verdict() {
            return Claims.ORACLE.judge(Format.of("%d attractors, max |theta - table| = %.1e deg; control (permuted targets): %s", found.size(),
                    worst, Double.isInfinite(control) ? "another number of attractors" : Format.of("max |theta - table| = %.1f deg", control)),
                    worst <= Claims.ORACLE_DEGREES && control > Claims.ORACLE_CONTROL_DEGREES, Claims.Moment.SAME);
        }
    }

    /** @return the oracle's attractors and their distance to the table, and the distance of the permuted targets' attractors */
    public static Result run() {
        Dataset five = DataSets.fivePoint();
        List<Attractor> found = sorted(five.targets());
        return new Result(found, distance(found), distance(sorted(Claims.permuted(five.targets()))));
    }

    private static List<Attractor> sorted(double[] y) {
        List<Attractor> found = new ArrayList<>(Attractors.predict(AugmentedInputs.of(DataSets.fivePoint(), true), y));
        found.sort(Comparator.comparingDouble(Attractor::thetaDegrees));
        return List.copyOf(found);
    }

    /** @return the largest |theta - table| in degrees, infinite when the count differs */
    static double distance(List<Attractor> found) {
        double worst = found.size() == TABLE.length ? 0 : Double.POSITIVE_INFINITY;
        if (found.size() == TABLE.length) {
            for (int k = 0; k < found.size(); k++) {
                worst = Math.max(worst, Math.abs(found.get(k).thetaDegrees() - TABLE[k]));
            }
        }
        return worst;
    }
}
