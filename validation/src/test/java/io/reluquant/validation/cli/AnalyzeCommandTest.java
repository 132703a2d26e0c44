// Proves: reluquant analyze prints the right measures of a hand-made network and answers bad arguments with one line and status 2.
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.validation.cli.ReluquantCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
    @TempDir
    Path dir;

    /**
     * A hand-made network on the five-point data: 3 neurons exactly on the predicted attractors
     * (masses 1, 1, 2) and one a > 0 neuron at theta = 45 deg (mass 4), far from all of them.
     */
    private void writeInputs() throws Exception {
        double c = 0.9615239476408233;
        double s = -0.27472112789737785;
        double r = Math.sqrt(0.5);
        double[] w = {c, -c, 0, 2 * r};
        double[] b = {s, s, 1, 2 * r};
        double[] a = {1, 1, -2, 2};
        Map<String, NdArray> p = new LinkedHashMap<>();
        p.put("a", NdArray.ofDoubles(a, 4));
        p.put("w", NdArray.ofDoubles(w, 4, 1));
        p.put("b", NdArray.ofDoubles(b, 4));
        Npy.writeNpz(dir.resolve("p.npz"), p);
        Npy.writeNpy(dir.resolve("x.npy"), NdArray.ofDoubles(new double[] {-1, -0.5, 0, 0.5, 1}, 5, 1));
        Npy.writeNpy(dir.resolve("y.npy"), NdArray.ofDoubles(new double[] {0.8, -0.9, -0.8, -0.9, 0.8}, 5));
    }

    private int run(StringWriter out, StringWriter err, String... args) {
        return ReluquantCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void measuresOfAHandMadeNetwork() throws Exception {
        writeInputs();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = run(out, err, "analyze", "--params", dir.resolve("p.npz").toString(), "--x", dir.resolve("x.npy").toString(),
                "--y", dir.resolve("y.npy").toString(), "--json", dir.resolve("a.json").toString());
        System.out.print(out);
        assertEquals(0, status, err.toString());
        // mass 4 of 8 on the predicted attractors; clusters of shares 1/2, 1/4, 1/8, 1/8
        assertTrue(out.toString().contains("mass within 1 deg 0.500000"), out.toString());
        double neff = Math.exp(-(0.5 * Math.log(0.5) + 0.25 * Math.log(0.25) + 2 * 0.125 * Math.log(0.125)));
        assertTrue(out.toString().contains(String.format(java.util.Locale.ROOT, "N_eff %.4f", neff)), out.toString());
        String json = Files.readString(dir.resolve("a.json"));
        assertTrue(json.contains("\"clusters_count\": 4") && json.contains("\"mass_within_1deg\": 0.5000000000"), json);
    }

    @Test
    void badArgumentsGiveOneLineAndStatusTwo() throws Exception {
        writeInputs();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = run(out, err, "analyze", "--params", dir.resolve("p.npz").toString(), "--x", dir.resolve("x.npy").toString(),
                "--y", dir.resolve("y.npy").toString(), "--eps-deg", "0");
        assertEquals(2, status);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("--eps-deg"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new StringWriter(), err2, "analyze", "--params", dir.resolve("x.npy").toString(), "--x",
                dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString()));
        assertTrue(err2.toString().startsWith("reluquant analyze:"), err2.toString());
    }
}
