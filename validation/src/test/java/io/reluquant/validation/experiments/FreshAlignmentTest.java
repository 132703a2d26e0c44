// Proves: claims at CI size on a pre-registered fresh data set per family: every judged basin is aligned, the permuted-target control read at the same step is not, every row records a matched moment; and the spread law's second registration chooses, from the data alone, sets its control can be judged on.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.kernel.Dataset;
import io.reluquant.validation.report.AlignmentSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fresh-set experiment at CI size: set 0 of each family (n = 20), {@link Claims#FRESH_INIT_SEEDS_QUICK} seeds, the
 * spread law's three init scales. The per-attractor rows must pass (their control failing in every run), the spread-law rows
 * are judged and printed (at CI size two seeds of one set), and each row's control was read at the claim's moment.
 */
@Tag("claims")
class FreshAlignmentTest {
    @Test
    void secondSpreadRegistrationKeepsOnlySetsWhereTheLawsPart() {
        // the first registration's spread sets held no such attractor: that is why its rows could not judge their control
        for (int i : Claims.SPREAD_LAW_FRESH_SETS) {
            assertFalse(FreshAlignment.holdsSlowAttractor(Claims.fresh1d(i)), "random 1-D #" + i);
            assertFalse(FreshAlignment.holdsSlowAttractor(Claims.fresh2d(i)), "2-D #" + i);
        }
        for (String family : new String[] {FreshAlignment.ONE_D, FreshAlignment.TWO_D}) {
            List<Long> kept = FreshAlignment.secondSpreadSeeds(family, Claims.SPREAD_SECOND_SETS);
            System.out.println("spread law, second registration, " + family + ": data seeds " + kept);
            assertEquals(Claims.SPREAD_SECOND_SETS, kept.size(), family);
            long first = family.equals(FreshAlignment.ONE_D) ? Claims.SPREAD_SECOND_FIRST_SEED_1D : Claims.SPREAD_SECOND_FIRST_SEED_2D;
            for (long seed = first; seed <= kept.get(kept.size() - 1); seed++) {
                Dataset d = FreshAlignment.secondSpreadData(family, seed);
                assertEquals(Claims.SPREAD_SECOND_N, d.samples());
                assertEquals(kept.contains(seed), FreshAlignment.holdsSlowAttractor(d), family + " seed " + seed);
            }
        }
    }

    @Test
    void freshSetsAreAlignedAndThePermutedControlIsNot(@TempDir Path dir) throws Exception {
        FreshAlignment.Result r = FreshAlignment.run(true, 2);
        System.out.printf("fresh sets (quick): %d runs, %.1f s%n", r.runs().size(), r.seconds());
        assertEquals(2 * Claims.FRESH_INIT_SEEDS_QUICK * Claims.SPREAD_LAW_FRESH_LAMBDAS.length, r.runs().size());
        for (FreshAlignment.Run q : r.runs()) {
            assertEquals(q.m().step(), q.m().controlStep());
            assertTrue(q.n() == Claims.FRESH_N_MIN, "set 0 has n = 20, got " + q.n());
        }
        List<Claims.Verdict> v = FreshAlignment.judge(r);
        assertEquals(4, v.size());
        for (Claims.Verdict x : v) {
            System.out.println((x.pass() ? "PASS " : "FAIL ") + x.claim() + " | " + x.measured());
            assertTrue(x.moment().matched() && x.moment().kind() != Claims.Moment.Kind.NONE, x.claim() + ": " + x.moment().describe());
        }
        assertTrue(v.get(0).pass(), v.get(0).measured());
        assertTrue(v.get(2).pass(), v.get(2).measured());
        StringBuilder body = new StringBuilder();
        AlignmentSection.writeFresh(r, dir, body);
        assertTrue(Files.size(dir.resolve("fresh-alignment.csv")) > 0 && Files.size(dir.resolve("fresh-spread-fits.csv")) > 0);
        assertTrue(body.toString().contains("| random 1-D | 0 | 20 |"), body.toString());
    }
}
