package io.reluquant.validation.report;

import io.reluquant.validation.experiments.Claims;
import io.reluquant.validation.experiments.RaceSequence;
import io.reluquant.validation.theory.Race;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The race section of the report: the whole saddle-to-saddle sequence predicted from the data ({@link Race}) against float64
 * runs ({@link RaceSequence}), per family (five-point; fresh random 1-D and 2-D sets drawn by the pre-registered rule), with the
 * mutation control, the greedy rule's falsification and the early-alignment trap as claim rows. Every threshold is in
 * {@link Claims}' race section, fixed by commit {@link Claims#RACE_PREREGISTERED} before the judging run.
 */
public final class RaceSection {
    private RaceSection() {}

    /** The head of the table of jump constants: one row per c_k, data set and width. */
    private static final String SLOPE_HEADER = "| family | data | n | lr | k | predicted c_k | width | seeds | measured slope [95% interval] | error | within 5% |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|\n";
    /** The head of the table of plateaus: one row per data set and width. */
    private static final String PLATEAU_HEADER = "| data | predicted plateau losses | final | trap (unheld attractor) | J and losses at lambda = 1e-14 (seeds) "
            + "| measured plateau losses, median over seeds at 1e-14 | slide times (units of lr * steps: the next group's rate > 5% from its plateau "
            + "value), share of the time to the next escape at 1e-14 | settle times (units of lr * steps after each escape until the loss stays "
            + "within 0.5% of that plateau's) |\n|---|---|---|---|---|---|---|---|\n";

    /**
     * Runs the race at the quick (five-point at m = 1e3, no fresh sets) or the full size and appends its Markdown.
     *
     * @param quick the CI size
     * @param body the report's Markdown
     * @param log progress lines
     * @return the claim rows
     */
    public static List<Claims.Verdict> run(boolean quick, StringBuilder body, PrintStream log) {
        long t0 = System.nanoTime();
        List<Claims.Verdict> claims = new ArrayList<>();
        StringBuilder table = new StringBuilder(SLOPE_HEADER);
        StringBuilder plateaus = new StringBuilder(PLATEAU_HEADER);

        RaceSequence.Case five = RaceSequence.fivePoint();
        List<RaceSequence.Result> fiveResults = new ArrayList<>();
        int[] widths = quick ? new int[] {Claims.RACE_QUICK_WIDTH} : Claims.RACE_WIDTHS;
        for (int m : widths) {
            RaceSequence.Result r = RaceSequence.run(five, RaceSequence.fivePointConfig(m, quick));
            log.printf(Locale.ROOT, "race: five-point m = %d, %d runs, %.1f s%n", m, r.runs().size(), r.seconds());
            fiveResults.add(r);
        }
        String fiveCost = String.format(Locale.ROOT, " (cost %.0f s)", fiveResults.stream().mapToDouble(RaceSequence.Result::seconds).sum());
        claims.add(RaceSequence.judge("five-point" + (quick ? ", CI size m = 1e3" : ""), fiveResults, fiveCost));
        rows(table, plateaus, fiveResults);
        RaceSequence.Result main = fiveResults.get(0);
        for (int k = 1; k <= five.prediction().phases().size(); k++) {
            RaceSequence.Result mutated = new RaceSequence.Result(five.withPrediction(five.prediction().withJump(k, Claims.RACE_MUTATION)), main.config(),
                    main.runs(), main.seconds());
            claims.add(Claims.RACE_MUTATION_CONTROL.about("five-point", k).judge(RaceSequence.summary(mutated), !mutated.pass(),
                    Claims.Moment.SAME));
        }
        RaceSequence.Trap trap = RaceSequence.trap(five, widths[0], Claims.RACE_FIT_LAMBDAS[0], 1);
        claims.add(greedy(five, fiveResults, trap));
        claims.add(Claims.TRAP.predicting(widths[0], Claims.RACE_FIT_LAMBDAS[0]).judge(String.format(Locale.ROOT,
                "race: final %.6g, unheld %s; measured after %d more steps: unchanged %.6g, with one placed neuron %.3g (%.0f s)",
                trap.finalLoss(), unheld(five.prediction()), trap.extraSteps(), trap.stayed(), trap.placed(), trap.seconds()), trap.pass(),
                // the unchanged network (the control) and the one with the placed neuron take the same extra steps
                Claims.Moment.steps(trap.extraSteps(), trap.extraSteps())));

        if (!quick) {
            for (boolean twoD : new boolean[] {false, true}) {
                long f0 = System.nanoTime();
                List<RaceSequence.Case> sets = RaceSequence.family(twoD);
                List<RaceSequence.Result> results = new ArrayList<>();
                for (RaceSequence.Case c : sets) {
                    RaceSequence.Result r = RaceSequence.run(c, RaceSequence.freshConfig());
                    log.printf(Locale.ROOT, "race: %s, %d runs, %.1f s%n", c.name(), r.runs().size(), r.seconds());
                    results.add(r);
                }
                String family = twoD ? "random 2-D" : "random 1-D";
                claims.add(RaceSequence.judge(family + ", " + sets.size() + " fresh sets", results,
                        String.format(Locale.ROOT, " (cost %.0f s with the draw)", (System.nanoTime() - f0) * 1e-9)));
                rows(table, plateaus, results);
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        body.append("## The race: the whole saddle-to-saddle sequence predicted from the data (docs/THEORY.md section 2)\n\n")
                .append("From the data alone (theory/Race) every jump constant c_k = lim t_k / ln(1/lambda), every J_k and every plateau "
                        + "loss, and whether the last plateau is an early-alignment trap; then float64 runs on the kernel (balanced init, "
                        + "one kernel thread, 2 runs at once): t_k is the first sample (every 10 steps) where the loss falls below the "
                        + "midpoint of the predicted levels around escape k, its slope against ln(1/lambda) is fitted over lambda = 1e-8.."
                        + "1e-14 with a 95% bootstrap interval over seeds, plateaus are read where ln L is flattest (measures/Plateaus). "
                        + "Thresholds, data families, seeds and the judging rule were fixed in experiments/Claims (race section) by commit ")
                .append(Claims.RACE_PREREGISTERED).append(" before the judging run. Fresh sets: random1d(n, seed) from seed ")
                .append(Claims.RACE_FIRST_SEED_1D).append(" and twoD(n, seed) from seed ").append(Claims.RACE_FIRST_SEED_2D)
                .append(", n from the seed (20..200), lr = 0.05 n / |D_max|, kept when the race predicts >= 3 escapes at least 10% apart "
                        + "with the last <= 10 c_1 (2-D: two escapes as the labelled fallback when fewer exist).")
                .append(quick ? " CI size: five-point data at m = 1e3 only." : "")
                .append(String.format(Locale.ROOT, " Section cost: %.0f s.%n%n", seconds))
                .append(table).append('\n').append(plateaus).append('\n');
        log.printf(Locale.ROOT, "race: %.1f s%n", seconds);
        return claims;
    }

    /**
     * A later judging run: both fresh families under a later rule ({@link RaceSequence.Rule#AMENDED},
     * {@link RaceSequence.Rule#THIRD}, {@link RaceSequence.Rule#FOURTH}, {@link RaceSequence.Rule#FIFTH}) on seeds no run had used, with its own tables.
     *
     * @param rule the rule
     * @param body the Markdown
     * @param log progress lines
     * @return the claim rows
     */
    public static List<Claims.Verdict> rerun(RaceSequence.Rule rule, StringBuilder body, PrintStream log) {
        long t0 = System.nanoTime();
        List<Claims.Verdict> claims = new ArrayList<>();
        StringBuilder table = new StringBuilder(SLOPE_HEADER);
        StringBuilder plateaus = new StringBuilder(PLATEAU_HEADER);
        for (boolean twoD : new boolean[] {false, true}) {
            long f0 = System.nanoTime();
            List<RaceSequence.Case> sets = RaceSequence.family(twoD, rule);
            log.printf(Locale.ROOT, "%s: %s drawn in %.1f s: %s%n", rule.name(), twoD ? "2-D" : "1-D", (System.nanoTime() - f0) * 1e-9,
                    sets.stream().map(RaceSequence.Case::name).toList());
            List<RaceSequence.Result> results = new ArrayList<>();
            for (RaceSequence.Case c : sets) {
                RaceSequence.Result r = RaceSequence.run(c, RaceSequence.freshConfig(rule));
                log.printf(Locale.ROOT, "%s: %s, %d runs, %.1f s%n", rule.name(), c.name(), r.runs().size(), r.seconds());
                results.add(r);
            }
            String family = twoD ? "random 2-D" : "random 1-D";
            claims.add(RaceSequence.judge(family + ", " + sets.size() + " fresh sets", results,
                    String.format(Locale.ROOT, " (cost %.0f s with the draw)", (System.nanoTime() - f0) * 1e-9)));
            rows(table, plateaus, results);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        body.append(intro(rule)).append(String.format(Locale.ROOT, " Section cost: %.0f s.%n%n", seconds))
                .append(table).append('\n').append(plateaus).append('\n');
        return claims;
    }

    // a later run's heading and what its registration changed, before its cost and tables
    private static String intro(RaceSequence.Rule rule) {
        if (rule == RaceSequence.Rule.FIFTH) {
            return new StringBuilder().append("## The race, fifth run: escapes read every step, hold and measurable time from the predicted settle times, ")
                    .append(rule.seeds()).append(" seeds per set, new fresh seeds\n\n")
                    .append("Three faults of the measurement read in the fourth run's data (docs/THEORY.md section 2), fixed in experiments/Claims "
                            + "(race, fifth run) by commit ").append(Claims.RACE_FIFTH_PREREGISTERED)
                    .append(" before this run: escape times read at every step (every 10 steps put the least-squares slope on a grid of "
                            + "about 1% of c_1); the hold after 1.5 t_last at least ").append(Claims.RACE_FIFTH_SETTLE_FACTOR)
                    .append(" times the last plateau's settle time (the race's transition GD, time to stay within ")
                    .append(io.reluquant.validation.theory.Race.SETTLE_TOLERANCE)
                    .append(" of the plateau loss) and at least ").append(Claims.RACE_AMENDED_HOLD)
                    .append(" units; a plateau measurable when its span at lambda minus its settle time is at least ")
                    .append(Claims.RACE_MEASURABLE_TIME).append(" units; sets whose last plateau settles within ")
                    .append(Claims.RACE_FIFTH_MAX_SETTLE).append(" units (budget). New data seeds from ").append(Claims.RACE_FIFTH_FIRST_SEED_1D)
                    .append(" (1-D) and ").append(Claims.RACE_FIFTH_FIRST_SEED_2D).append(" (2-D); everything else as the fourth run.")
                    .toString();
        }
        if (rule == RaceSequence.Rule.FOURTH) {
            return new StringBuilder().append("## The race, fourth run: the third run's rule over ").append(rule.seeds())
                    .append(" seeds per set, on new fresh seeds\n\n")
                    .append("The first three judging runs gave each fresh set 5 init seeds, so the J rule (>= 19 of 20 seeds) had only been "
                            + "applied as \"all of fewer\". Fixed in experiments/Claims (race, fourth run) by commit ")
                    .append(Claims.RACE_FOURTH_PREREGISTERED)
                    .append(" before this run: the third run's rule unchanged (J compared up to points on a kink, detector every ")
                    .append(Claims.RACE_AMENDED_DETECTOR_TIME).append(" units of time, hold ").append(Claims.RACE_AMENDED_HOLD)
                    .append(" units, slides <= ").append(Claims.RACE_AMENDED_MAX_SLIDE_SHARE).append(" of the gap), seeds 1..")
                    .append(rule.seeds()).append(" per set, new data seeds from ").append(Claims.RACE_FOURTH_FIRST_SEED_1D).append(" (1-D) and ")
                    .append(Claims.RACE_FOURTH_FIRST_SEED_2D).append(" (2-D). The race's one-tracer-per-basin limit, found in the third run, "
                            + "is not repaired: this run measures how often the prediction holds over 20 seeds as it stands.")
                    .toString();
        }
        if (rule == RaceSequence.Rule.THIRD) {
            return new StringBuilder().append("## The race, third run: the amended rule with J compared up to points on a kink, on new fresh seeds\n\n")
                    .append("The second judging run (amended rule) failed J in 13 of 30 seeds, every inspected failure ONE data point on a kink "
                            + "with the plateau loss matching to 4e-6 (docs/THEORY.md section 2). Fixed in experiments/Claims (race, third "
                            + "run) by commit ")
                    .append(Claims.RACE_THIRD_PREREGISTERED)
                    .append(" before this run: predicted and measured J are compared with the points the race puts on a kink of a "
                            + "plateau's group (|u . x~_i| <= ").append(Claims.RACE_KINK_MARGIN)
                    .append(" |u| |x~_i|) left out of every pattern; new seeds from ").append(Claims.RACE_THIRD_FIRST_SEED_1D)
                    .append(" (1-D) and ").append(Claims.RACE_THIRD_FIRST_SEED_2D).append(" (2-D); everything else as the amended rule.")
                    .toString();
        }
        return new StringBuilder().append("## The race, amended rule: a second judging run on new fresh seeds\n\n")
                .append("The first judging run (section above) failed both fresh families on measuring faults found afterwards (docs/THEORY.md "
                        + "section 2, open findings 2 and 3): a plateau detector fed every 10 steps saw a kink's lr-sized jitter, the "
                        + "hold after the last escape was too short for the final approach on 2-D sets, and one set slid after an escape "
                        + "for longer than the race's lambda -> 0 limit allows at float64 lambda. The amended rule, fixed in "
                        + "experiments/Claims (race, amended rule) by commit ")
                .append(Claims.RACE_AMENDED_PREREGISTERED)
                .append(" before this run: the detector gets one sample every ").append(Claims.RACE_AMENDED_DETECTOR_TIME)
                .append(" units of time, the hold is ").append(Claims.RACE_AMENDED_HOLD)
                .append(" units, and a set is eligible only when every plateau but the last slides for at most ")
                .append(Claims.RACE_AMENDED_MAX_SLIDE_SHARE).append(" of the time to the next escape at lambda = 1e-14; new seeds from ")
                .append(Claims.RACE_AMENDED_FIRST_SEED_1D).append(" (1-D) and ").append(Claims.RACE_AMENDED_FIRST_SEED_2D)
                .append(" (2-D); everything else as the first run.")
                .toString();
    }

    /**
     * The one-off run at width 1e7 ({@link Claims#RACE_ONCE_WIDTH}): the five-point data, {@link Claims#RACE_ONCE_SEEDS} seed,
     * lambda = {@link Claims#RACE_ONCE_LAMBDAS} (two runs at once, one kernel thread each), judged by the five-point race row's
     * rule at this width.
     *
     * @param body the Markdown
     * @param log progress lines
     * @return the claim row
     */
    public static List<Claims.Verdict> widthOnce(StringBuilder body, PrintStream log) {
        RaceSequence.Case five = RaceSequence.fivePoint();
        RaceSequence.Result r = RaceSequence.run(five, new RaceSequence.Config(Claims.RACE_ONCE_LAMBDAS, new int[] {Claims.RACE_ONCE_WIDTH},
                new int[] {Claims.RACE_ONCE_SEEDS}, Claims.RACE_ONCE_LAMBDAS.length));
        log.printf(Locale.ROOT, "race: five-point m = %d, %d runs, %.1f s%n", Claims.RACE_ONCE_WIDTH, r.runs().size(), r.seconds());
        StringBuilder table = new StringBuilder(SLOPE_HEADER);
        StringBuilder plateaus = new StringBuilder(PLATEAU_HEADER);
        rows(table, plateaus, List.of(r));
        body.append("## The race at width 1e7, once\n\n")
                .append(String.format(Locale.ROOT, "The five-point data at m = %d (float64, balanced init, seed 1, lambda = 1e-8 and 1e-14, "
                        + "two runs at once with one kernel thread each), judged by the five-point race row's rule at this width; fixed in "
                        + "experiments/Claims (race at width 1e7) by commit %s before this run. Section cost: %.0f s.%n%n", Claims.RACE_ONCE_WIDTH,
                        Claims.RACE_ONCE_PREREGISTERED, r.seconds()))
                .append(table).append('\n').append(plateaus).append('\n');
        return List.of(RaceSequence.judge(String.format(Locale.ROOT, "five-point, m = %d once", Claims.RACE_ONCE_WIDTH), List.of(r),
                String.format(Locale.ROOT, " (cost %.0f s)", r.seconds())));
    }

    // the control: the trap's network with one neuron placed in the unheld basin, after the same extra steps as the unchanged one
    static Claims.Verdict greedy(RaceSequence.Case five, List<RaceSequence.Result> results, RaceSequence.Trap trap) {
        Race.Prediction p = five.prediction();
        double last = p.phases().get(p.phases().size() - 1).loss();
        int stayed = 0;
        int all = 0;
        double lowest = Double.POSITIVE_INFINITY;
        for (RaceSequence.Result r : results) {
            for (RaceSequence.Run run : r.runs()) {
                all++;
                lowest = Math.min(lowest, run.endLoss());
                if (Math.abs(run.endLoss() - last) <= Claims.PLATEAU_LOSS_REL * last) {
                    stayed++;
                }
            }
        }
        boolean trapStayed = Math.abs(trap.stayed() - last) <= Claims.PLATEAU_LOSS_REL * last;
        boolean controlLeft = !(Math.abs(trap.placed() - last) <= Claims.PLATEAU_LOSS_REL * last);
        return Claims.GREEDY_FALSIFIED.predicting(p.greedyLoss()).judge(String.format(Locale.ROOT,
                "%d of %d runs end within 1%% of the race's final %.6g (lowest end loss %.6g); greedy's third plateau %.3g never seen;"
                        + " the trap row's network after %d more steps %.6g; control (one neuron placed): %.3g, %s",
                stayed, all, last, lowest, p.greedyLoss(), trap.extraSteps(), trap.stayed(), trap.placed(),
                controlLeft ? "left 1/1500" : "did NOT leave 1/1500"), stayed == all && all > 0 && trapStayed && controlLeft,
                Claims.Moment.steps(trap.extraSteps(), trap.extraSteps()));
    }

    private static String unheld(Race.Prediction p) {
        StringBuilder sb = new StringBuilder();
        for (io.reluquant.validation.theory.Attractor a : p.unheld()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.sign() > 0 ? "a > 0" : "a < 0").append(" at ")
                    .append(Arrays.toString(Arrays.stream(a.direction()).map(v -> Math.round(v * 1e4) / 1e4).toArray()))
                    .append(String.format(Locale.ROOT, " G = %.4g", a.potential()));
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private static void rows(StringBuilder table, StringBuilder plateaus, List<RaceSequence.Result> results) {
        for (RaceSequence.Result r : results) {
            RaceSequence.Case c = r.c();
            for (RaceSequence.Slope s : r.slopes()) {
                table.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4g | %d | %.4f | %d | %d | %.4f [%.4f, %.4f] | %+.1f%% | %s |%n", c.family(),
                        c.name(), c.data().samples(), c.lr(), s.k(), s.predicted(), s.width(), s.seeds(), s.measured(), s.low(), s.high(),
                        100 * (s.measured() - s.predicted()) / s.predicted(), s.hit() ? "yes" : "NO (open finding)"));
            }
            double smallest = Arrays.stream(r.config().lambdas()).min().getAsDouble();
            int width = r.config().widths()[0];
            List<Double> measured = new ArrayList<>();
            for (RaceSequence.Run run : r.runs()) {
                if (run.lambda() == smallest) {
                    for (io.reluquant.validation.experiments.PhaseSequence.Measured pl : run.plateaus()) {
                        measured.add(pl.loss());
                    }
                }
            }
            plateaus.append(String.format(Locale.ROOT, "| %s, m = %d | %s | %.4g | %s | %d/%d | %s | %s | %s |%n", c.name(), width,
                    Arrays.toString(Arrays.stream(c.prediction().plateauLosses()).map(v -> Double.parseDouble(String.format(Locale.ROOT, "%.4g", v))).toArray()),
                    c.prediction().plateauLosses()[c.prediction().plateauLosses().length - 1],
                    c.prediction().trap() ? "yes (" + unheld(c.prediction()) + ")" : "no", r.matched(width), r.seedsAt(width), median(measured),
                    transitions(c.prediction(), smallest), settles(c.prediction())));
        }
    }

    // each plateau's settle time (Race.Phase.settleTime), in the order of the escapes
    private static String settles(Race.Prediction p) {
        return p.phases().stream().map(ph -> String.format(Locale.ROOT, "%.0f", ph.settleTime())).collect(java.util.stream.Collectors.joining("; "));
    }

    /**
     * Each plateau's slide time and its share of the time to the next escape at lambda: a share above 1 means the network
     * is still sliding towards that plateau when the next group escapes (the race is the lambda -&gt; 0 limit).
     */
    static String transitions(Race.Prediction p, double lambda) {
        StringBuilder sb = new StringBuilder();
        for (int k = 1; k < p.phases().size(); k++) {
            double t = p.phases().get(k - 1).slideTime();
            sb.append(k == 1 ? "" : "; ").append(String.format(Locale.ROOT, "%.0f", t));
            {
                double gap = (p.phases().get(k).jump() - p.phases().get(k - 1).jump()) * Math.log(1 / lambda);
                sb.append(String.format(Locale.ROOT, " (%.2f%s)", t / gap, p.settlesBeforeNextEscape(k, lambda, 1) ? "" : ": still sliding at the next escape"));
            }
        }
        return sb.length() == 0 ? "one escape" : sb.toString();
    }

    private static String median(List<Double> v) {
        if (v.isEmpty()) {
            return "none detected";
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "%d plateaus, median %.4g", a.length, a[a.length / 2]);
    }

    /**
     * Runs the section alone and writes {@code race.md} (the judging run without the rest of the report), or with
     * "--amended" the second judging run into {@code race-amended.md}, with "--third" the third into {@code race-third.md}, with
     * "--fourth" the fourth into {@code race-fourth.md}, with "--fifth" the fifth into {@code race-fifth.md}, with "--width-1e7" the one-off run at width 1e7 into
     * {@code race-width-1e7.md}.
     *
     * @param args the output folder, then optionally "--quick", "--amended", "--third", "--fourth", "--fifth" or "--width-1e7"
     */
    public static void main(String[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: RaceSection OUT_DIR [--quick | --amended | --third | --fourth | --fifth | --width-1e7]");
        }
        if (args.length > 1 && args[1].equals("--width-1e7")) {
            StringBuilder body = new StringBuilder();
            List<Claims.Verdict> claims = widthOnce(body, System.out);
            System.out.print(ReportWriter.writeSection(Path.of(args[0]), "race-width-1e7.md", body, claims));
            return;
        }
        boolean quick = args.length > 1 && args[1].equals("--quick");
        RaceSequence.Rule later = null;
        for (RaceSequence.Rule r : new RaceSequence.Rule[] {RaceSequence.Rule.AMENDED, RaceSequence.Rule.THIRD, RaceSequence.Rule.FOURTH,
            RaceSequence.Rule.FIFTH}) {
            if (args.length > 1 && args[1].equals(r.flag())) {
                later = r;
            }
        }
        if (args.length > 1 && !quick && later == null) {
            throw new IllegalArgumentException("unknown option " + args[1] + "; usage: RaceSection OUT_DIR [--quick | --amended | --third | --fourth | --fifth | --width-1e7]");
        }
        StringBuilder body = new StringBuilder();
        List<Claims.Verdict> claims = later != null ? rerun(later, body, System.out) : run(quick, body, System.out);
        String file = later != null ? later.file() : RaceSequence.Rule.ORIGINAL.file();
        System.out.print(ReportWriter.writeSection(Path.of(args[0]), file, body, claims));
    }
}
