// Proves: the contrast figures: areas proportional to mass, histograms that sum to the mass, files written.
package io.reluquant.validation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.Parameters;
import io.reluquant.validation.experiments.Claims;
import io.reluquant.validation.experiments.DirectionSnapshots;
import io.reluquant.validation.experiments.FairContrast;
import io.reluquant.validation.experiments.FunctionCount;
import io.reluquant.validation.experiments.PhaseSequence;
import io.reluquant.validation.measures.Neurons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures on hand-made networks: areas proportional to mass, histograms that sum to the mass, files written. */
class ContrastFiguresTest {
    @TempDir
    Path dir;

    // three neurons: mass 4 at 0 degrees (a > 0), mass 1 at 0.1 degrees (same bin, a > 0), mass 0.0001 at 90 degrees (a < 0)
    private static Neurons net() {
        double t = Math.toRadians(0.1);
        return Neurons.of(Parameters.of(new double[] {2, 1, -0.01}, new double[] {2, Math.cos(t), 0}, new double[] {0, Math.sin(t), 0.01}, 1), true);
    }

    @Test
    void polarMarkerAreaIsProportionalToMassWithNoMinimum() throws Exception {
        double[][][] b = ContrastFigures.polarBins(net());
        assertEquals(1, b[0][0].length);
        assertEquals(1, b[1][0].length);
        assertEquals(5, b[0][3][0], 1e-12);
        assertEquals(1e-4, b[1][3][0], 1e-15);
        // area ratio = mass ratio: (d_small / d_big)^2 = 1e-4 / 5
        assertEquals(1e-4 / 5, Math.pow(b[1][2][0] / b[0][2][0], 2), 1e-15);
        assertEquals(ContrastFigures.POLAR_MAX_DIAMETER, b[0][2][0], 1e-12);
        assertEquals(ContrastFigures.NEGATIVE_RING, b[1][1][0], 1e-3);
        ContrastFigures.polar(dir, "p", "test", net());
        assertTrue(Files.size(dir.resolve("p.png")) > 1000);
        assertEquals(3, Files.readAllLines(dir.resolve("p.csv")).size());
    }

    @Test
    void histogramSharesSumToOneWithSignsApart() {
        double[][] h = ContrastFigures.histogram(net());
        double pos = 0;
        double neg = 0;
        for (double v : h[1]) {
            pos += Math.max(v, 0);
            neg += Math.max(-v, 0);
        }
        assertEquals(5 / 5.0001, pos, 1e-12);
        assertEquals(1e-4 / 5.0001, neg, 1e-12);
    }

    @Test
    void everyFigureWritesPngAndCsv() throws Exception {
        double[] gx = {-1, 0, 1};
        ContrastFigures.fan(dir, "fan", "t", gx, List.of(new double[] {0, 1, 0}, new double[] {0, 2, 0}), new double[] {0}, new double[] {1});
        ContrastFigures.directionHistograms(dir, "h", "t", List.of(net(), net()), List.of("a", "b"));
        ContrastFigures.lossCurve(dir, "l", "t", new long[] {0, 10, 100}, new double[] {1, 0.5, 0.1}, new double[] {0.3, 0.01});
        for (String n : new String[] {"fan", "h", "l"}) {
            assertTrue(Files.size(dir.resolve(n + ".png")) > 1000, n);
            assertTrue(Files.readString(dir.resolve(n + ".csv")).startsWith("series,x,y"), n);
        }
        assertTrue(Files.readString(dir.resolve("l.csv")).contains("predicted plateau 0.01"));
        assertThrows(IllegalArgumentException.class, () -> ContrastFigures.fan(dir, "bad", "t", gx, List.of(new double[2]), gx, gx));
    }

    /**
     * The section writers at a tiny size (not the report's): every table and figure is written, beside the report's other
     * files, with the oracle's plateau levels on the loss figure (docs/THEORY.md section 5: L0 = 0.354, 0.334, 1/1500).
     */
    @Test
    void sectionsWriteTheirTablesAndFigures() throws Exception {
        StringBuilder body = new StringBuilder();
        ContrastSection md = new ContrastSection(dir, body);
        PhaseSequence.Case five = PhaseSequence.cases().get(0);
        PhaseSequence.Config one = new PhaseSequence.Config(new int[] {100}, new int[] {1}, Claims.PHASE_LAMBDA, 0.02, 1);
        PhaseSequence.Result small = PhaseSequence.run(five, one);
        md.phases(List.of(small), List.of(PhaseSequence.control(five, small)));
        md.fairContrast(FairContrast.run(new FairContrast.Config(new int[] {50, 100}, 1e-4, 0.02, 2_000, 2_000, 20, 1, 2)));
        md.functions(FunctionCount.run(new FunctionCount.Config(new int[] {50, 100}, 2, 1e-4, 0.02, 2_000, 2_000, 2)));
        md.snapshots(DirectionSnapshots.run(100));
        String text = body.toString();
        for (String section : new String[] {"## Phases", "## Fair contrast", "## Functions over 2 seeds",
            "## Directions over time"}) {
            assertTrue(text.contains(section), section);
        }
        for (String n : new String[] {"fan_small_m50.png", "fan_contrast_m100.csv", "contrast_neff_vs_width_1d.png", "contrast_neff_vs_width_2d.png",
            "directions_small.png", "directions_contrast.png", "polar_small_end.png",
            "polar_small_init.png", "polar_contrast_end.png", "loss_small.png"}) {
            assertTrue(Files.exists(dir.resolve(n)), n);
        }
        String loss = Files.readString(dir.resolve("loss_small.csv"));
        for (String level : new String[] {"predicted plateau 0.354", "predicted plateau 0.334", "predicted plateau 0.0006667"}) {
            assertTrue(loss.contains(level), level + " in " + loss.lines().filter(l -> l.contains("predicted")).map(l -> l.split(",")[0]).distinct().toList());
        }
    }
}
