package io.reluquant.validation.experiments;

/**
 * One judged claim of an experiment: what is claimed, the criterion fixed before measuring, what was
 * measured, whether it passed, the negative control that shows the criterion can fail, and why the
 * claim itself could fail.
 *
 * @param claim the claim in the paper's words
 * @param criterion the pass criterion with its threshold (from {@link ContrastThresholds})
 * @param measured the measured numbers, as text
 * @param pass whether the criterion holds
 * @param negativeControl what fails the same criterion (or "shown, not a pass criterion")
 * @param couldFail why the claim could fail on this machine and these sizes
 */
public record Verdict(String claim, String criterion, String measured, boolean pass, String negativeControl, String couldFail) {
    public Verdict {
        if (claim == null || criterion == null || measured == null || negativeControl == null || couldFail == null) {
            throw new IllegalArgumentException("every text of a verdict must be given, got claim " + claim);
        }
    }

    /** @return "PASS" or "FAIL" */
    public String label() {
        return pass ? "PASS" : "FAIL";
    }

    /** @return one markdown table row: claim, criterion, measured, verdict, negative control, could fail because */
    public String markdownRow() {
        return "| " + String.join(" | ", cell(claim), cell(criterion), cell(measured), label(), cell(negativeControl), cell(couldFail)) + " |";
    }

    /** @return the header of {@link #markdownRow()} */
    public static String markdownHeader() {
        return "| claim | criterion | measured | verdict | negative control | could fail because |\n|---|---|---|---|---|---|";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
