// Proves: claims at CI size: per-attractor alignment, the spread law and the reduced model hold, and their controls (permuted targets at the same step, slope 1, lambda = 1e-1) fail.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.validation.measures.Basins;
import io.reluquant.validation.report.AlignmentSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-attractor alignment, the spread law and the reduced model at CI size (docs/THEORY.md section 9,
 * last subsection): every basin >= 99% within 1 degree at lambda <= 1e-6, m = 1e4; the same networks at
 * the same step against the attractors of permuted targets fail that; every interior attractor's spread slope within 20% of the theory's; the reduced
 * model of one neuron per basin within 1e-3 of the wide network at the end, its lambda = 1e-1 control
 * not.
 */
@Tag("claims")
class AttractorAlignmentTest {
    private static AttractorAlignment.Result alignment;
    private static ReducedModel.Result reduced;

    @BeforeAll
    static void runQuick() {
        long t0 = System.nanoTime();
        alignment = AttractorAlignment.run(true, 2);
        long t1 = System.nanoTime();
        reduced = ReducedModel.run(true, 2);
        System.out.printf("per-attractor alignment (quick) %.1f s, reduced model (quick) %.1f s%n", (t1 - t0) * 1e-9,
                (System.nanoTime() - t1) * 1e-9);
    }

    @Test
    void everyBasinIsAlignedAtSmallInitAndTheControlIsNot() {
        int judged = 0;
        int controls = 0;
        for (AttractorAlignment.Measurement q : alignment.measurements()) {
            if (q.lambda() <= Claims.ALIGNMENT_SMALL_LAMBDA && q.width() >= Claims.ALIGNMENT_WIDE) {
                for (Basins.Alignment a : q.report().perAttractor()) {
                    assertTrue(a.basinMass() > 0, q.data() + ": an empty basin at lambda " + q.lambda());
                    assertTrue(a.within() >= Claims.PER_ATTRACTOR_WITHIN,
                            q.data() + " lambda " + q.lambda() + " attractor " + a.attractor().potential() + ": " + a.within());
                    judged++;
                }
                // the measurement is before the escape: the loss has moved by at most 1e-4 of L0
                assertTrue(q.lossDrop() <= AttractorAlignment.LOSS_DROP && q.lossDrop() > 0.5 * AttractorAlignment.LOSS_DROP, "" + q.lossDrop());
            }
            if (q.lambda() <= Claims.ALIGNMENT_SMALL_LAMBDA && q.width() >= Claims.ALIGNMENT_WIDE) {
                assertTrue(q.worstControl() < Claims.PER_ATTRACTOR_WITHIN, q.data() + " control: " + q.worstControl());
                assertEquals(q.step(), q.controlStep(), "the control reads the claim's network at its step");
                controls++;
            }
        }
        // three data sets, two judged lambdas (1e-6, 1e-8), every spread seed
        int seeds = AttractorAlignment.spreadSeeds(true);
        assertTrue(judged >= 12 * seeds, "basins judged: " + judged);
        assertEquals(6 * seeds, controls);
    }

    @Test
    void spreadSlopesFollowTheRateRatio() {
        int predicted = 0;
        for (AttractorAlignment.SpreadFit f : alignment.fits()) {
            if (!Double.isNaN(f.predictedSlope())) {
                assertTrue(f.relativeError() <= Claims.SPREAD_SLOPE_ERROR,
                        f.data() + ": measured " + f.measuredSlope() + ", predicted " + f.predictedSlope());
                predicted++;
            }
        }
        // five-point: 3 interior attractors; random 1-D: 2; 2-D: 1 (the other is on a boundary)
        assertEquals(6, predicted);
    }

    @Test
    void reducedModelReproducesTheWideNetworkAndItsControlDoesNot() {
        assertEquals(2 * ReducedModel.seeds(true), reduced.runs().size());
        assertEquals(2 * ReducedModel.seeds(true), reduced.controls().size());
        for (ReducedModel.Run r : reduced.runs()) {
            assertTrue(r.endSup() <= Claims.REDUCED_MODEL_SUP && r.worstSup() <= Claims.REDUCED_MODEL_SUP, r.data() + ": " + r.endSup() + ", "
                    + r.worstSup());
            assertTrue(r.clusters() <= 3, r.data() + ": k = " + r.clusters());
        }
        for (ReducedModel.Run r : reduced.controls()) {
            assertTrue(r.worstSup() > Claims.REDUCED_MODEL_SUP, r.data() + " control: " + r.worstSup());
        }
    }

    @Test
    void verdictsAllPassAndTheSectionIsWritten(@TempDir Path dir) throws Exception {
        List<Claims.Verdict> v = new java.util.ArrayList<>(alignment.verdicts());
        v.addAll(reduced.verdicts());
        for (Claims.Verdict x : v) {
            System.out.println((x.pass() ? "PASS " : "FAIL ") + x.claim() + " | " + x.measured());
            assertTrue(x.pass(), x.claim() + ": " + x.measured());
            assertTrue(x.moment().matched(), x.claim() + ": " + x.moment().describe());
            assertTrue(x.moment().kind() != Claims.Moment.Kind.NONE, x.claim() + ": its control is run, so its moment is recorded");
        }
        // per data set: alignment, control, spread law, its control; reduced: 2 runs, 2 controls
        assertEquals(3 * 4 + 4, v.size());
        StringBuilder body = new StringBuilder();
        AlignmentSection.write(alignment, reduced, dir, body);
        for (String f : new String[] {"alignment-spread.png", "alignment-spread.csv", "alignment-per-attractor.csv", "alignment-spread-fits.csv",
                "reduced-model-sup.png", "reduced-model-sup.csv", "reduced-model-functions.png", "reduced-model-functions.csv"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertTrue(body.toString().contains("| five-point |"));
        assertFalse(body.toString().contains("NaN |"), body.toString());
    }
}
