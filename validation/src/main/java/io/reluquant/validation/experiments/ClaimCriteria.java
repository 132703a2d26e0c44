package io.reluquant.validation.experiments;

import io.reluquant.validation.measures.Plateaus;
import io.reluquant.validation.theory.PhaseOracle;
import io.reluquant.validation.theory.Race;

/**
 * The thresholds of {@link Claims} handed to the library as arguments: the plateau detector, the phase oracle and the race
 * take their criteria from the caller, and every experiment passes these (library code never reads the claims itself).
 */
public final class ClaimCriteria {
    private ClaimCriteria() {}

    /** @return the plateau detector's thresholds (measured curves and the oracle's reduced run alike) */
    public static Plateaus.Criteria plateaus() {
        return new Plateaus.Criteria(Claims.FLAT_LOG_SLOPE, Claims.FLAT_ABS_SLOPE, Claims.INITIAL_PLATEAU, Claims.MIN_PLATEAU_TIME,
                Claims.MERGE_LEVEL);
    }

    /** @return the phase oracle's thresholds: {@link #plateaus()}, {@link Claims#PATTERN_SHARE}, {@link Claims#BOUNDARY_MARGIN} */
    public static PhaseOracle.Criteria phases() {
        return new PhaseOracle.Criteria(plateaus(), Claims.PATTERN_SHARE, Claims.BOUNDARY_MARGIN);
    }

    /** @return the race's thresholds: {@link Claims#RACE_RATE_FLOOR}, {@link Claims#RACE_TIE}, {@link Claims#PATTERN_SHARE}, {@link Claims#BOUNDARY_MARGIN} */
    public static Race.Criteria race() {
        return new Race.Criteria(Claims.RACE_RATE_FLOOR, Claims.RACE_TIE, Claims.PATTERN_SHARE, Claims.BOUNDARY_MARGIN, Claims.RACE_KINK_MARGIN);
    }
}
