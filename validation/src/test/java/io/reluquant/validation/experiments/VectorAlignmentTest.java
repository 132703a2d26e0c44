// Proves: at CI size, k-output networks trained by the kernel put their fastest cluster and every cluster's output direction at the vector attractors predicted from the data, the pre-registered verdicts come out as measured, and the judge says FAIL for permuted targets, a rotated direction or a wrong output direction.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.validation.report.VectorSection;
import io.reluquant.validation.theory.VectorAttractor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vector-output alignment claims of {@link Claims} at CI size ({@link Claims#VECTOR_SEEDS_QUICK} seeds): the verdicts
 * are the pre-registered claim as measured (PASS on hinges2; FAIL on hinges3 and blobs3, in slow cells only), the
 * permuted-target control fails in every seed, and the same judge applied to a mutated prediction (the attractor's u turned
 * by 3 degrees, or its output direction swapped with another attractor's) fails on the same network.
 */
@Tag("claims")
class VectorAlignmentTest {
    private static VectorAlignment.Result result;

    @BeforeAll
    static void runQuick() {
        long t0 = System.nanoTime();
        result = VectorAlignment.run(true, 2);
        System.out.printf("vector alignment (quick) %.1f s%n", (System.nanoTime() - t0) * 1e-9);
    }

    @Test
    void predictionsAreThoseOfTheTheoryTable() {
        // docs/THEORY.md section 10: two interior attractors each for the hinge sets, three boundary ones for the blobs
        assertEquals(List.of(2, 2, 3), result.data().stream().map(d -> d.attractors().size()).toList());
        assertEquals(3, result.runs().size() / (Claims.VECTOR_WIDTHS.length * Claims.VECTOR_SEEDS_QUICK));
    }

    @Test
    void verdictsAsMeasuredAndTheControlFailsInEverySeed() {
        for (VectorAlignment.Run r : result.runs()) {
            System.out.println(r.data() + " m=" + r.width() + " seed " + r.seed() + " step " + r.step() + " (escape " + Math.round(r.predictedSteps())
                    + ") drop " + r.lossDrop() + " N_eff " + r.neff() + " consistency " + r.directionConsistency() + ", " + r.outputConsistency()
                    + " " + r.attractors() + " control " + r.control());
            // the reading is the first step past the loss drop, and one step moves the loss by far less than L0
            assertTrue(r.lossDrop() >= VectorAlignment.LOSS_DROP && r.lossDrop() < 2 * VectorAlignment.LOSS_DROP, "" + r.lossDrop());
            if (r.width() == Claims.VECTOR_JUDGED_WIDTH) {
                assertFalse(r.controlPass(), r.data() + " seed " + r.seed() + ": the permuted-target control passes");
            }
        }
        List<Claims.Verdict> v = result.verdicts();
        assertEquals(3 * 3, v.size());
        for (Claims.Verdict x : v) {
            System.out.println((x.pass() ? "PASS " : "FAIL ") + x.claim() + " | " + x.measured());
        }
        // per data set: alignment, control, N_eff. The alignment verdicts are the pre-registered claim as the judging run found
        // it (docs/THEORY.md section 10, "What was measured"): PASS on hinges2, FAIL on hinges3 and blobs3, where a slow
        // attractor's cell still holds neurons in transit. The controls and N_eff pass everywhere.
        boolean[] expected = {true, true, true, false, true, true, false, true, true};
        for (int i = 0; i < v.size(); i++) {
            assertEquals(expected[i], v.get(i).pass(), v.get(i).claim() + ": " + v.get(i).measured());
        }
    }

    @Test
    void theFastestAttractorIsAlignedAndEveryOutputDirectionIsThePredictedOne() {
        // what holds on every data set: the fastest attractor meets all three criteria, every attractor's cell holds mass and
        // its neurons' mean a/|a| is the predicted output direction; the failures of the claim are in slow cells only
        for (VectorAlignment.Data d : result.data()) {
            int fastest = 0;
            for (int a = 1; a < d.attractors().size(); a++) {
                if (d.attractors().get(a).rate() > d.attractors().get(fastest).rate()) {
                    fastest = a;
                }
            }
            for (VectorAlignment.Run r : result.runs(d.name(), Claims.VECTOR_JUDGED_WIDTH)) {
                assertTrue(r.attractors().get(fastest).pass(), d.name() + " seed " + r.seed() + ": " + r.attractors().get(fastest));
                for (VectorAlignment.PerAttractor a : r.attractors()) {
                    assertTrue(a.cellShare() > 0, d.name() + ": an empty cell " + a);
                    assertTrue(a.outputCos() >= Claims.VECTOR_OUTPUT_COS, d.name() + ": " + a);
                }
            }
        }
    }

    @Test
    void theJudgeFailsAMutatedPrediction() {
        VectorAlignment.Data d = result.data().get(0);
        VectorAlignment.Trained t = VectorAlignment.train(d, Claims.VECTOR_JUDGED_WIDTH, 1, 2);
        assertTrue(VectorAlignment.perAttractor(t.parameters(), d.attractors()).stream().allMatch(VectorAlignment.PerAttractor::pass));
        for (int which = 0; which < d.attractors().size(); which++) {
            List<VectorAttractor> turned = new ArrayList<>(d.attractors());
            VectorAttractor a = turned.get(which);
            double[] u = a.direction();
            double c = Math.cos(Math.toRadians(3));
            double s = Math.sin(Math.toRadians(3));
            double[] rotated = {c * u[0] - s * u[1], s * u[0] + c * u[1]};
            turned.set(which, new VectorAttractor(rotated, a.output(), a.rate(), a.sector(), a.kinks(), a.s1(), a.s2()));
            VectorAlignment.PerAttractor m = VectorAlignment.perAttractor(t.parameters(), turned).get(which);
            assertTrue(m.within1() < Claims.VECTOR_WITHIN_1_DEG, "turned by 3 deg: " + m);
            assertFalse(m.pass());

            List<VectorAttractor> swapped = new ArrayList<>(d.attractors());
            VectorAttractor other = d.attractors().get(1 - which);
            swapped.set(which, new VectorAttractor(a.direction(), other.output(), a.rate(), a.sector(), a.kinks(), a.s1(), a.s2()));
            VectorAlignment.PerAttractor w = VectorAlignment.perAttractor(t.parameters(), swapped).get(which);
            assertTrue(w.outputCos() < Claims.VECTOR_OUTPUT_COS, "swapped output direction: " + w);
            assertFalse(w.pass());
        }
    }

    @Test
    void sectionIsWritten(@TempDir Path dir) throws Exception {
        StringBuilder body = new StringBuilder();
        VectorSection.write(result, dir, body);
        for (String f : new String[] {"vector-alignment.csv", "vector-hinges2.png", "vector-hinges2.csv"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertTrue(body.toString().contains("| hinges2 |"), body.toString());
        assertFalse(body.toString().contains("NaN |"), body.toString());
    }
}
