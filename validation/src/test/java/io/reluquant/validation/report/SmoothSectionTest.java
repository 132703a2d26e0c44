// Proves: the smooth-targets section writes its table, its not-converged list, its width check and its figures (each PNG with its CSV).
package io.reluquant.validation.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.validation.experiments.SmoothTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmoothSectionTest {
    @TempDir
    Path dir;

    @Test
    void writesTableAndFigures() {
        SmoothTargets.Result r = SmoothTargets.run(new SmoothTargets.Config(new SmoothTargets.Target[] {SmoothTargets.Target.SQUARE},
                new int[] {5, 10}, 1, 50, 100, 100, 60, 2));
        StringBuilder body = new StringBuilder();
        SmoothSection.write(r, dir, body);
        String text = body.toString();
        for (String s : new String[] {"## The paper's open question: smooth targets", "| x^2 | 5 |", "| x^2 | 10 |", "Runs not converged",
            "Width check", "Outcome: "}) {
            assertTrue(text.contains(s), s);
        }
        for (String n : new String[] {"smooth_sup.png", "smooth_sup.csv", "smooth_rms.png", "smooth_fan_square.png", "smooth_fan_square.csv"}) {
            assertTrue(Files.exists(dir.resolve(n)), n);
        }
    }
}
