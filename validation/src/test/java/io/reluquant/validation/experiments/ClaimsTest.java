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
