// Proves: the result tables: derived units, CSV quoting and empty cells, aligned text, JMH's error beside every number, Markdown escaping.
package io.reluquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
    static Row row(String group, String precision, int n, int m, int threads, double secondsPerStep) {
        return new Row(group, "fused", precision, n, 1, m, threads, "25.0.3", secondsPerStep, 10, 20, 30, 0, 50);
    }

    @Test
    void derivedUnits() {
        Row r = row("headline", "float32", 256, 1_000_000, 1, 0.01);
        assertEquals(2.56e10, r.pairsPerSecond(), 1e-3);
        // 4(d+1)+6 = 14 flops per pair at d = 1
        assertEquals(14, Row.flopsPerPair(1));
        assertEquals(2.56e10 * 14 / 1e9, r.gflops(), 1e-9);
    }

    @Test
    void csvHasHeaderEmptyCellsForMissingValuesAndQuotes() {
        Row r = new Row("a,b", "fused", "float32", 8, 1, 1024, 2, "25 \"ea\"", 1e-6, 1, 2, 3, 0, Double.NaN);
        String csv = Table.csv(List.of(r));
        String[] lines = csv.split("\r\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("group,benchmark,precision,n,d,m,threads,JDK,us/step,us/step ±99.9%,"
                + "pairs/s,pairs/s ±99.9%,GFLOP/s,GFLOP/s ±99.9%,% peak,% peak ±99.9%"), lines[0]);
        // no score error (JMH gives none for one iteration): an empty error cell beside each value
        assertTrue(lines[1].startsWith("\"a,b\",fused,float32,8,1,1024,2,\"25 \"\"ea\"\"\",1.0,,8.192E9,,"), lines[1]);
        // percentOfPeak etc. are NaN: empty cells; B/step 0 without error, then peak RSS and its error empty
        assertTrue(lines[1].endsWith(",0.0,,,"), lines[1]);
        assertEquals(lines[0].split(",", -1).length, lines[1].split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1).length);
    }

    @Test
    void textTableAlignsColumnsAndShowsDashForMissing() {
        Row a = row("headline", "float32", 8, 1_000_000, 1, 0.001);
        Row b = row("width", "float64", 256, 1024, 2, 0.5);
        a.percentOfPeak = 61.25;
        String[] lines = Table.text(List.of(a, b)).split("\n");
        assertEquals(3, lines.length);
        assertEquals(lines[0].length(), lines[1].length());
        assertEquals(lines[0].length(), lines[2].length());
        assertTrue(lines[1].contains("61.3"), lines[1]);
        assertTrue(lines[2].contains(" - "), lines[2]);
    }

    /** JMH's score error stands beside every measured number, derived ones with the propagated error. */
    @Test
    void errorsStandBesideTheNumbers() {
        Row r = row("headline", "float32", 256, 1_000_000, 1, 0.01);
        r.secondsPerStepError = 0.0002; // 2% of the mean
        r.allocBytesPerStepError = 0.5;
        assertEquals(0.02, r.relativeError(), 1e-15);
        assertEquals(2.56e10 * 0.02, r.pairsPerSecondError(), 1e-3);
        Row ref = new Row("reference", "reference", "float64", 256, 1, 16384, 1, "25", 16384 * 256 / 5e7, 1, 1, 1, 0, 1);
        ref.secondsPerStepError = ref.secondsPerStep * 0.015;
        Summary.derive(List.of(r, ref), 100, 50, 2, List.of());
        assertEquals(r.percentOfPeak * 0.02, r.percentOfPeakError, 1e-12);
        assertEquals(r.speedupOverReference * 0.025, r.speedupOverReferenceError, 1e-9); // hypot(2%, 1.5%)
        String text = Table.text(List.of(r));
        assertTrue(text.contains("1.000e+04 ± 200.0"), text); // us/step
        assertTrue(text.contains("2.56e+10 ± 5.12e+08"), text);
        assertTrue(text.contains("358.4 ± 7.2"), text); // GFLOP/s
        assertTrue(text.contains("0.00 ± 0.500"), text); // B/step
        assertTrue(text.contains("50 ± ?"), text); // peak RSS without an error
        String md = Table.markdown(List.of(r));
        assertTrue(md.contains("| 2.56e+10 ± 5.12e+08 |"), md);
        String csv = Table.csv(List.of(r));
        assertTrue(csv.contains(",2.56E10,5.12E8,"), csv);
        assertEquals("-", Table.withError("%.1f", Double.NaN, 1));
    }

    @Test
    void markdownEscapesPipes() {
        Row a = new Row("x|y", "fused", "float32", 8, 1, 64, 1, "17", 1e-6, 1, 2, 3, 0, 1);
        String md = Table.markdown(List.of(a));
        assertTrue(md.contains("x\\|y"), md);
        assertEquals(3, md.split("\n").length);
    }
}
