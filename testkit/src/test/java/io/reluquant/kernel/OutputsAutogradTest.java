// Proves: the reference's k-output loss and gradient (square and softmax cross-entropy) equal PyTorch autograd's (float64) within twice the float64 k-output bound.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.reference.Reference;
import io.reluquant.testkit.OneStepBound;
import io.reluquant.testkit.OutputsStepBound;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reference's k-output loss and gradient against PyTorch's autograd (float64), an independent derivative:
 * the fixture (src/test/resources/autograd/outputs-autograd.txt, written by make_outputs_fixture.py beside
 * it; no python at test time) holds twelve small networks with k = 2, 3 and 10 outputs, the square loss and
 * the softmax cross-entropy (torch's cross_entropy), with and without bias, each with a zero neuron and a
 * neuron whose pre-activation is exactly 0 at a data point. Both sides round in float64 in different
 * orders: the tolerance is twice {@link OutputsStepBound}'s float64 bound (u = u64, any summation order).
 */
class OutputsAutogradTest {
    private static final String FIXTURE = "/autograd/outputs-autograd.txt";

    @Test
    void referenceMatchesAutogradOnEveryCase() throws IOException {
        List<Map<String, double[]>> cases = new ArrayList<>();
        List<String> names = new ArrayList<>();
        read(cases, names);
        assertEquals(12, cases.size(), "cases in " + FIXTURE);
        for (int c = 0; c < cases.size(); c++) {
            String name = names.get(c);
            Map<String, double[]> v = cases.get(c);
            Loss loss = Loss.valueOf(name.split(" ")[0]);
            int d = Integer.parseInt(field(name, "d"));
            int k = Integer.parseInt(field(name, "k"));
            double[] x = v.get("x");
            double[] y = v.get("y");
            double[] a = v.get("a");
            double[] w = v.get("w");
            double[] b = v.get("b");
            int m = b.length;
            assertEquals(Integer.parseInt(field(name, "m")), m, name);
            assertEquals(m * k, a.length, name);
            assertEquals(Integer.parseInt(field(name, "n")) * d, x.length, name);

            double[] ga = new double[m * k];
            double[] gw = new double[m * d];
            double[] gb = new double[m];
            Reference.gradient(a, w, b, d, k, x, y, loss, ga, gw, gb);
            double lossValue = Reference.loss(a, w, b, d, k, x, y, loss);

            OutputsStepBound bound = new OutputsStepBound(a, w, b, x, y, d, k, OneStepBound.U64, loss);
            double[][] tol = bound.gradientBounds();
            for (double[] t : tol) {
                for (int i = 0; i < t.length; i++) {
                    t[i] *= 2;
                }
            }
            double lossDiff = Math.abs(lossValue - v.get("loss")[0]);
            double lossTol = 2 * bound.lossBound();
            double ra = OneStepBound.worstRatio(ga, v.get("ga"), tol[0]);
            double rw = OneStepBound.worstRatio(gw, v.get("gw"), tol[1]);
            double rb = OneStepBound.worstRatio(gb, v.get("gb"), tol[2]);
            System.out.printf(Locale.ROOT, "autograd %s: |dL| = %.2e (%.3f of bound), max|dga| = %.2e, max|dgw| = %.2e, max|dgb| = %.2e;"
                            + " worst ratios to bound ga %.3f, gw %.3f, gb %.3f%n", name, lossDiff, lossDiff / lossTol,
                    OneStepBound.maxAbsDiff(ga, v.get("ga")), OneStepBound.maxAbsDiff(gw, v.get("gw")),
                    OneStepBound.maxAbsDiff(gb, v.get("gb")), ra, rw, rb);
            assertTrue(lossDiff <= lossTol, name + ": loss " + lossValue + " vs autograd " + v.get("loss")[0]);
            assertTrue(ra <= 1, name + ": dL/da off autograd by " + ra + " of the bound");
            assertTrue(rw <= 1, name + ": dL/dw off autograd by " + rw + " of the bound");
            assertTrue(rb <= 1, name + ": dL/db off autograd by " + rb + " of the bound");
        }
    }

    private static void read(List<Map<String, double[]>> cases, List<String> names) throws IOException {
        InputStream in = OutputsAutogradTest.class.getResourceAsStream(FIXTURE);
        assertNotNull(in, FIXTURE + " is on the test class path");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                String key = line.substring(0, space);
                String rest = line.substring(space + 1);
                if (key.equals("case")) {
                    names.add(rest);
                    cases.add(new LinkedHashMap<>());
                } else {
                    String[] parts = rest.trim().split(" ");
                    double[] values = new double[parts.length];
                    for (int i = 0; i < parts.length; i++) {
                        values[i] = Double.parseDouble(parts[i]);
                    }
                    cases.get(cases.size() - 1).put(key, values);
                }
            }
        }
    }

    /** The value of "key=value" in a case's name. */
    private static String field(String name, String key) {
        for (String part : name.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException("case '" + name + "' has no " + key);
    }
}
