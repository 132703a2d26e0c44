// Proves: reluquant match prints its table and writes a CSV line per comparison point and a PNG.
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reluquant match prints the table and writes a CSV with one line per comparison point and a PNG. */
class MatchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTableCsvAndPlot() throws Exception {
        Path csv = tmp.resolve("m.csv");
        Path png = tmp.resolve("m.png");
        Cli r = Cli.run("match", "--synthetic", "12:2", "--width", "40", "--steps", "200", "--every", "20", "--lr", "0.05",
                "--precision", "f32", "--threads", "1", "--csv", csv.toString(), "--plot", png.toString());
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("max over the run") && r.out.contains("flips"), r.out);
        // header + steps 0, 20, ..., 200
        assertEquals(12, Files.readAllLines(csv).size());
        byte[] image = Files.readAllBytes(png);
        assertTrue(image.length > 1000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG");
        assertEquals(2, Cli.run("match", "--synthetic", "oops").status);
    }
}
