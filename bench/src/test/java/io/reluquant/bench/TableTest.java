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
        assertTrue(lines[0].startsWith("group,benchmark,precision,n,d,m,threads,JDK,pairs/s,GFLOP/s,% peak"), lines[0]);
        assertTrue(lines[1].startsWith("\"a,b\",fused,float32,8,1,1024,2,\"25 \"\"ea\"\"\",8.192E9,"), lines[1]);
        // percentOfPeak etc. are NaN: empty cells; the last column (peak RSS) too
        assertTrue(lines[1].endsWith(",0.0,"), lines[1]);
        assertEquals(Table.COLUMNS.size(), lines[0].split(",", -1).length);
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

    @Test
    void markdownEscapesPipes() {
        Row a = new Row("x|y", "fused", "float32", 8, 1, 64, 1, "17", 1e-6, 1, 2, 3, 0, 1);
        String md = Table.markdown(List.of(a));
        assertTrue(md.contains("x\\|y"), md);
        assertEquals(3, md.split("\n").length);
    }
}
