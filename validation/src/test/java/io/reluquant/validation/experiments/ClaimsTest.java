// Proves: every claim of the catalogue names its negative control (or why it has none) and why it could fail.
package io.reluquant.validation.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The catalogue itself: every claim of the report names its negative control (or says in words why it has none) and why it
 * could fail, and a verdict carries both texts into the claims table.
 */
class ClaimsTest {
    private static List<Claims.Claim> catalogue() throws IllegalAccessException {
        List<Claims.Claim> out = new ArrayList<>();
        for (Field f : Claims.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Claims.Claim.class) {
                out.add((Claims.Claim) f.get(null));
            }
        }
        return out;
    }

    @Test
    void everyClaimNamesItsNegativeControlAndHowItCouldFail() throws Exception {
        List<Claims.Claim> claims = catalogue();
        assertTrue(claims.size() >= 20, "the catalogue has " + claims.size() + " claims");
        for (Claims.Claim c : claims) {
            assertFalse(c.statement().isBlank(), "a claim without a statement");
            assertFalse(c.prediction().isBlank(), c.statement() + ": no prediction");
            assertFalse(c.negativeControl().isBlank(), c.statement() + ": no negative control (or reason for none)");
            assertFalse(c.whyItCouldFail().isBlank(), c.statement() + ": no way to fail");
        }
    }

    @Test
    void aVerdictCarriesTheClaimsTexts() {
        Claims.Verdict v = Claims.PHASES.about("five-point", "2 seeds at m = 100").judge("1/2", false);
        assertTrue(v.claim().startsWith("Phases, five-point (lambda = 1e-6, 2 seeds at m = 100)"), v.claim());
        assertEquals(Claims.PHASES.negativeControl(), v.negativeControl());
        assertEquals(Claims.PHASES.whyItCouldFail(), v.whyItCouldFail());
        assertEquals("1/2", v.measured());
        assertFalse(v.pass());
    }

    /** The pre-registered design: at least 20 fresh sets per family with n from 20 to 200, 10 seeds on 3 sets, disjoint seeds. */
    @Test
    void preRegistrationMeetsItsOwnMinimums() {
        assertTrue(Claims.FRESH_SETS >= 20);
        assertEquals(20, Claims.freshSize(0));
        assertEquals(200, Claims.freshSize(Claims.FRESH_SETS - 1));
        assertTrue(Claims.FRESH_INIT_SEEDS >= 10 && Claims.SPREAD_LAW_FRESH_SETS.length >= 3);
        for (int i : Claims.SPREAD_LAW_FRESH_SETS) {
            assertTrue(i >= 0 && i < Claims.FRESH_SETS, "spread-law set " + i);
        }
        // the two families' seed ranges and the permutation and bootstrap seeds do not meet
        long[] starts = {Claims.FRESH_1D_FIRST_SEED, Claims.FRESH_2D_FIRST_SEED};
        assertTrue(starts[0] + Claims.FRESH_SETS <= starts[1]);
        for (long other : new long[] {Claims.PERMUTATION_SEED, Claims.BOOTSTRAP_SEED}) {
            for (long start : starts) {
                assertFalse(other >= start && other < start + Claims.FRESH_SETS, "seed " + other);
            }
        }
        assertTrue(Claims.CONFIDENCE == 0.95 && Claims.BOOTSTRAP_RESAMPLES >= 1000);
    }

    /** A claim judged with its control's moment carries it into the table; one read elsewhere fails whatever it measured. */
    @Test
    void aVerdictCarriesItsControlsMoment() {
        Claims.Verdict v = Claims.PER_ATTRACTOR_CONTROL.about("d").judge("m", true, Claims.Moment.steps(7, 7));
        assertTrue(v.pass());
        assertEquals("same step: claim 7, control 7", v.moment().describe());
        assertFalse(Claims.PER_ATTRACTOR_CONTROL.about("d").judge("m", true, Claims.Moment.steps(7, 1)).pass());
        assertEquals(Claims.Moment.Kind.NONE, Claims.ORACLE.judge("m", true).moment().kind());
    }

    /** The claims the theory showed cannot fail are gone from the catalogue. */
    @Test
    void weakClaimsAreGone() throws Exception {
        for (Claims.Claim c : catalogue()) {
            assertFalse(c.statement().contains("P_J y of the clusters found"), c.statement());
            assertFalse(c.statement().contains("at standard init >= 10x"), c.statement());
            assertFalse(c.statement().contains("mass at the predicted attractors"), c.statement());
        }
    }
}
