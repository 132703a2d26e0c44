package io.reluquant.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * The embedding group's results, which are not step rows: what a host's optimizer loop costs beside
 * bare gradient calls ({@link OptimizerLoop}) and what serving a network costs ({@link PredictorBench}).
 * Ratios are of means measured in the same run, their errors JMH's 99.9% half-widths added in
 * quadrature (relative), as in the step table.
 */
final class EmbeddingSummary {
    /** the host's momentum loop must reach this share of bare gradient calls/s */
    static final double LOOP_TARGET = 0.9;

    private EmbeddingSummary() {}

    static boolean owns(RunResult r) {
        String method = r.getParams().getBenchmark();
        return method.startsWith(OptimizerLoop.class.getName()) || method.startsWith(PredictorBench.class.getName());
    }

    /** one optimizer-loop shape: mean microseconds per step of each form, with errors */
    record Loop(int n, int d, int m, int batch, Map<String, double[]> microsPerStep) {
        double ratio() {
            return ratio("momentum");
        }

        double ratioError() {
            return ratioError("momentum");
        }

        /** @return steps/s of this form over bare gradient calls/s */
        double ratio(String form) {
            return micros("gradient") / micros(form);
        }

        double ratioError(String form) {
            double[] g = microsPerStep.get("gradient");
            double[] l = microsPerStep.get(form);
            return l == null ? Double.NaN : ratio(form) * Math.hypot(g[1] / g[0], l[1] / l[0]);
        }

        double micros(String form) {
            double[] v = microsPerStep.get(form);
            return v == null ? Double.NaN : v[0];
        }

        boolean complete() {
            return microsPerStep.containsKey("gradient") && microsPerStep.containsKey("momentum");
        }
    }

    /** one predictor shape: single-query latency percentiles (us) and batch queries/s */
    record Serving(int d, int m, double p50, double p99, double p999, double queriesPerSecond, double queriesError,
                   double singleAllocBytes) {}

    static List<Loop> loops(List<RunResult> results) {
        Map<String, Loop> byShape = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            if (!method.startsWith(OptimizerLoop.class.getName())) {
                continue;
            }
            int n = intParam(r, "n");
            int d = intParam(r, "d");
            int m = intParam(r, "m");
            int batch = intParam(r, "batch");
            Loop loop = byShape.computeIfAbsent(n + "/" + d + "/" + m + "/" + batch,
                    k -> new Loop(n, d, m, batch, new LinkedHashMap<>()));
            String form = method.substring(method.lastIndexOf('.') + 1);
            loop.microsPerStep().put(form, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        return new ArrayList<>(byShape.values());
    }

    static List<Serving> serving(List<RunResult> results) {
        Map<String, double[]> single = new LinkedHashMap<>();
        Map<String, double[]> batch = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            if (!method.startsWith(PredictorBench.class.getName())) {
                continue;
            }
            String key = intParam(r, "d") + "/" + intParam(r, "m");
            if (method.endsWith(".single")) {
                Statistics st = r.getPrimaryResult().getStatistics();
                Result alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
                single.put(key, new double[] {st.getPercentile(50), st.getPercentile(99), st.getPercentile(99.9),
                        alloc == null ? Double.NaN : alloc.getScore()});
            } else {
                // Throughput in calls per second, each call BATCH queries
                batch.put(key, new double[] {r.getPrimaryResult().getScore() * PredictorBench.BATCH,
                        r.getPrimaryResult().getScoreError() * PredictorBench.BATCH});
            }
        }
        List<Serving> rows = new ArrayList<>();
        for (Map.Entry<String, double[]> e : single.entrySet()) {
            String[] dm = e.getKey().split("/");
            double[] s = e.getValue();
            double[] b = batch.getOrDefault(e.getKey(), new double[] {Double.NaN, Double.NaN});
            rows.add(new Serving(Integer.parseInt(dm[0]), Integer.parseInt(dm[1]), s[0], s[1], s[2], b[0], b[1], s[3]));
        }
        return rows;
    }

    /** @return the target lines for the summary's targets table (one per loop shape) */
    static List<String> targets(List<Loop> loops) {
        List<String> lines = new ArrayList<>();
        for (Loop loop : loops) {
            if (!loop.complete()) {
                continue;
            }
            lines.add(String.format(Locale.ROOT, "| host momentum loop >= %.0f%% of bare gradient calls/s | n %d, d %d, m %d,"
                    + " batch %d, 1 thread, float32 | %.3f +- %.3f | %s |", 100 * LOOP_TARGET, loop.n(), loop.d(), loop.m(),
                    loop.batch(), loop.ratio(), loop.ratioError(), loop.ratio() >= LOOP_TARGET ? "met" : "MISSED"));
            for (String[] form : new String[][] {{"kernelMomentum", "in-kernel momentum"}, {"kernelAdamW", "in-kernel AdamW"}}) {
                if (loop.microsPerStep().containsKey(form[0])) {
                    double r = loop.ratio(form[0]);
                    lines.add(String.format(Locale.ROOT, "| %s step(lr, indices) >= %.0f%% of bare gradient calls/s | n %d,"
                            + " d %d, m %d, batch %d, 1 thread, float32 | %.3f +- %.3f | %s |", form[1], 100 * LOOP_TARGET,
                            loop.n(), loop.d(), loop.m(), loop.batch(), r, loop.ratioError(form[0]),
                            r >= LOOP_TARGET ? "met" : "MISSED"));
                }
            }
        }
        return lines;
    }

    static String markdown(List<Loop> loops, List<Serving> serving) {
        if (loops.isEmpty() && serving.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Embedding: a host's optimizer loop and serving\n\n");
        if (!loops.isEmpty()) {
            md.append("A minibatch step at one thread, float32 (OptimizerLoop): the bare `gradient(indices, ...)` call, the"
                    + " README's momentum SGD with decoupled weight decay around it (gradient, the host's velocity loop,"
                    + " `applyUpdate(scale, ...)`), the kernel's own `step(lr, indices)` (SGD), and the same step with"
                    + " the in-kernel `Optimizer.momentum` and `Optimizer.adamW`. Mean us per step +- 99.9% CI; ratios are"
                    + " steps/s over bare gradient calls/s.\n\n"
                    + "| n | d | m | batch | gradient us | host momentum loop us | step SGD us | step momentum us |"
                    + " step AdamW us | host loop / bare | kernel momentum / bare | kernel AdamW / bare |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Loop loop : loops) {
                md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %s | %s | %s | %s | %s | %.3f +- %.3f | %.3f +- %.3f |"
                        + " %.3f +- %.3f |%n", loop.n(), loop.d(), loop.m(), loop.batch(), cell(loop, "gradient"),
                        cell(loop, "momentum"), cell(loop, "sgd"), cell(loop, "kernelMomentum"), cell(loop, "kernelAdamW"),
                        loop.ratio(), loop.ratioError(), loop.ratio("kernelMomentum"), loop.ratioError("kernelMomentum"),
                        loop.ratio("kernelAdamW"), loop.ratioError("kernelAdamW")));
            }
        }
        if (!serving.isEmpty()) {
            md.append("\nServing with `Predictor` (PredictorBench, float32, one thread): one query's latency (SampleTime"
                    + " percentiles) and a batch of " + PredictorBench.BATCH + " queries per call.\n\n"
                    + "| d | m | single p50 us | p99 us | p99.9 us | B/query | batch queries/s |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Serving s : serving) {
                md.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.0f | %.3g +- %.2g |%n", s.d(), s.m(),
                        s.p50(), s.p99(), s.p999(), s.singleAllocBytes(), s.queriesPerSecond(), s.queriesError()));
            }
        }
        return md.toString();
    }

    private static String cell(Loop loop, String form) {
        double[] v = loop.microsPerStep().get(form);
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f +- %.1f", v[0], v[1]);
    }

    private static int intParam(RunResult r, String name) {
        String value = r.getParams().getParam(name);
        return value == null ? -1 : Integer.parseInt(value);
    }
}
