// Proves: the result tables: derived units (flops per pair 4(d+1)+6k), CSV quoting and empty cells, aligned text, JMH's error beside every number, Markdown escaping, the k column only when a row has k > 1.
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

    /** 4(d+1)+6k flops per pair: the one-output count at k = 1, 6 more per extra output; GFLOP/s uses the row's k. */
    @Test
    void flopsPerPairCountKOutputs() {
        for (int d : new int[] {1, 2, 16, 784}) {
            assertEquals(Row.flopsPerPair(d), Row.flopsPerPair(d, 1), "k = 1 is the one-output count at d = " + d);
            assertEquals(4L * (d + 1) + 6, Row.flopsPerPair(d, 1));
        }
        assertEquals(4 * 785 + 60, Row.flopsPerPair(784, 10));
        assertEquals(4 * 2 + 60, Row.flopsPerPair(1, 10));
        Row r = row("outputs", "float32", 256, 65_536, 1, 0.064);
        double one = r.gflops();
        r.outputs = 10;
        assertEquals(one * 68 / 14, r.gflops(), 1e-9 * one);
        assertEquals(256.0 * 65_536 / 0.064, r.pairsPerSecond(), 1e-3, "pairs/s does not depend on k");
    }

    /** Runs without k-class rows keep their columns; with one, k stands after m in text, CSV and Markdown. */
    @Test
    void outputsColumnOnlyWhenARowHasMoreThanOneOutput() {
        Row a = row("dims", "float32", 256, 65_536, 1, 0.01);
        Row b = row("outputs", "float32", 256, 65_536, 1, 0.06);
        assertEquals(Table.COLUMNS, Table.columns(List.of(a)));
        assertTrue(Table.csv(List.of(a)).startsWith("group,benchmark,precision,n,d,m,threads,JDK,"));
        assertTrue(Table.markdown(List.of(a)).startsWith("| group | benchmark | precision | n | d | m | threads |"));
        b.outputs = 10;
        assertEquals(Table.COLUMNS.size() + 1, Table.columns(List.of(a, b)).size());
        String[] csv = Table.csv(List.of(a, b)).split("\r\n");
        assertTrue(csv[0].startsWith("group,benchmark,precision,n,d,m,k,threads,JDK,"), csv[0]);
        assertTrue(csv[1].startsWith("dims,fused,float32,256,1,65536,1,1,"), csv[1]);
        assertTrue(csv[2].startsWith("outputs,fused,float32,256,1,65536,10,1,"), csv[2]);
        assertEquals(csv[0].split(",", -1).length, csv[2].split(",", -1).length);
        String md = Table.markdown(List.of(a, b));
        assertTrue(md.startsWith("| group | benchmark | precision | n | d | m | k | threads |"), md);
        assertTrue(md.contains("| outputs | fused | float32 | 256 | 1 | 65536 | 10 | 1 |"), md);
        String[] text = Table.text(List.of(a, b)).split("\n");
        assertEquals(text[0].length(), text[2].length());
        assertTrue(text[0].matches("group\\s+benchmark\\s+precision\\s+n\\s+d\\s+m\\s+k\\s+threads.*"), text[0]);
    }

    @Test
    void markdownEscapesPipes() {
        Row a = new Row("x|y", "fused", "float32", 8, 1, 64, 1, "17", 1e-6, 1, 2, 3, 0, 1);
        String md = Table.markdown(List.of(a));
        assertTrue(md.contains("x\\|y"), md);
        assertEquals(3, md.split("\n").length);
    }
}
