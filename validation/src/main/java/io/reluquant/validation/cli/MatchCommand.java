package io.reluquant.validation.cli;

import io.reluquant.io.Checkpoint;
import io.reluquant.io.TrainingData;
import io.reluquant.io.data.DataSets;
import io.reluquant.io.plot.Csv;
import io.reluquant.io.plot.Plots;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import io.reluquant.validation.match.TrajectoryMatch.Result;
import io.reluquant.validation.match.TrajectoryMatch.Row;
import io.reluquant.validation.match.TrajectoryMatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.reluquant.io.Outputs;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reluquant match}: the SIMD kernel against the naive float64 reference on one configuration
 * ({@link TrajectoryMatch}): a table of the deviations of loss, parameters, outputs and the ReLU mask
 * flips vs step, a CSV of every comparison point and a PNG plot of the deviations vs step.
 */
@Command(name = "match", mixinStandardHelpOptions = true, sortOptions = false, resourceBundle = OptionTexts.BUNDLE,
        description = "Train with the SIMD kernel and the naive float64 reference in lockstep and report how far apart they are.")
public final class MatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--x", paramLabel = "X.npy", description = "inputs (n, d) or (n,); with --y (default: --synthetic)")
    Path xFile;

    @Option(names = "--y", paramLabel = "Y.npy", description = "targets (n,)")
    Path yFile;

    @Option(names = "--synthetic", paramLabel = "DATA",
            description = "theory1d (THEORY section 5) or N:D (N seeded points in [-1,1]^D) (default: ${DEFAULT-VALUE})",
            defaultValue = "theory1d")
    String synthetic;

    // match's own defaults and wording: OptionTexts.properties
    @Mixin
    InitOptions init = new InitOptions(1000);

    @Option(names = "--lr", paramLabel = "ETA", description = "learning rate (default: ${DEFAULT-VALUE})", defaultValue = "0.02")
    double lr;

    @Option(names = "--steps", paramLabel = "T", description = "steps (default: ${DEFAULT-VALUE})", defaultValue = "10000")
    long steps;

    @Option(names = "--every", paramLabel = "K", description = "compare parameters every K steps (default: steps/100)")
    Long every;

    @Option(names = "--precision", paramLabel = "P", description = "SIMD kernel precision ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            defaultValue = "f64")
    Choices.PrecisionChoice precision;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--no-bias", description = "no biases")
    boolean noBias;

    // files are written only where asked: nothing lands in the working directory unasked
    @Option(names = "--csv", paramLabel = "FILE", description = "write a CSV of every comparison point to FILE (default: none)")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE", description = "write a PNG plot of the deviations vs step to FILE (default: none)")
    Path plot;

    @Option(names = "--rows", paramLabel = "R", description = "table rows to print (default: ${DEFAULT-VALUE})", defaultValue = "20")
    int tableRows;

    @Override
    public Integer call() throws IOException {
        if ((xFile == null) != (yFile == null)) {
            throw new UsageException("--x and --y go together");
        }
        if (steps < 1 || init.width < 1 || tableRows < 1 || (every != null && every < 1)) {
            throw new UsageException("--steps, --width, --rows and --every must be >= 1, got " + steps + ", " + init.width + ", "
                    + tableRows + ", " + every);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new UsageException("--lr must be finite and positive, got " + lr);
        }
        threads.check();
        // the output files are checked before the comparison runs, not after it
        if (csv != null || plot != null) {
            for (Path file : new Path[] {csv, plot}) {
                Path dir = file == null ? null : file.toAbsolutePath().getParent();
                if (file != null && (dir == null || !Files.isDirectory(dir))) {
                    throw new UsageException((file == csv ? "--csv " : "--plot ") + file + ": folder " + dir + " does not exist");
                }
            }
            new Outputs().input("--x", xFile).input("--y", yFile).input("--init-params", init.initParams).output("--csv", csv)
                    .output("--plot", plot).check();
        }
        Dataset data = xFile != null ? TrainingData.load(xFile, yFile) : synthetic();
        Parameters p = init.start(data.inputDim(), data.outputs(), !noBias).network();
        TrajectoryMatch.Config config = new TrajectoryMatch.Config(data, p, !noBias,
                precision.precision,
                threads.count(), lr, steps,
                every != null ? every : Math.max(1, steps / 100));
        Result result = TrajectoryMatch.run(config);
        print(spec.commandLine().getOut(), config, result);
        if (csv != null) {
            writeCsv(result);
        }
        if (plot != null) {
            writePlot(result, config);
        }
        return 0;
    }

    private Dataset synthetic() {
        if (synthetic.equals("theory1d")) {
            return DataSets.fivePoint();
        }
        String[] parts = synthetic.split(":", -1);
        long n;
        long d;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            n = Long.parseLong(parts[0].strip());
            d = Long.parseLong(parts[1].strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--synthetic must be theory1d or N:D, got '" + synthetic + "'");
        }
        if (n < 1 || d < 1) {
            throw new UsageException("--synthetic N:D needs N >= 1 and D >= 1, got '" + synthetic + "'");
        }
        // the points (n, d) and the targets in float64, and the dataset's copy of them; the trainers check their own needs
        if (n > Integer.MAX_VALUE - 8 || d > Integer.MAX_VALUE - 8 || n * d > Integer.MAX_VALUE - 8) {
            throw new UsageException("--synthetic " + synthetic + ": N * D = " + n * d
                    + " values is more than one array holds (2^31 - 8)");
        }
        long need = 16 * (n * d + 2 * n);
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > free) {
            throw new UsageException("--synthetic " + synthetic + " needs about " + need + " bytes but the heap has " + free
                    + " bytes free: " + io.reluquant.kernel.Memory.heapAdvice(need));
        }
        return DataSets.kinked((int) n, (int) d, init.seed);
    }

    private void print(PrintWriter out, TrajectoryMatch.Config c, Result r) {
        out.printf(Locale.ROOT, "SIMD %s (%d threads) vs reference float64: n = %d, d = %d, m = %d, lr = %s, %d steps, bias %s (%.1f s)%n",
                r.kernel(), c.threads(), c.data().samples(), c.data().inputDim(), c.init().width(), c.lr(), c.steps(),
                c.bias() ? "on" : "off", r.seconds());
        out.printf(Locale.ROOT, "%10s %13s %10s %10s %10s %10s %10s %10s %8s%n", "step", "loss_ref", "loss_rel", "a_rel", "w_rel",
                "b_rel", "f_rel", "f_elem", "flips");
        List<Row> rows = r.rows();
        int stride = Math.max(1, (rows.size() + tableRows - 1) / tableRows);
        for (int k = 0; k < rows.size(); k++) {
            if (k % stride != 0 && k != rows.size() - 1) {
                continue;
            }
            Row row = rows.get(k);
            out.printf(Locale.ROOT, "%10d %13.6e %10.2e %10.2e %10.2e %10.2e %10.2e %10.2e %8d%n", row.step(), row.lossReference(),
                    row.loss(), row.a().relative(), row.w().relative(), row.b().relative(), row.output().relative(),
                    row.output().elementwise(), row.maskFlips());
        }
        out.printf(Locale.ROOT, "max over the run: loss %.3e (every step), parameters %.3e, outputs %.3e, mask flips %d "
                + "(final %d in %d neurons)%n", r.maxLoss(), r.maxParameters(), r.maxOutput(), r.maxMaskFlips(),
                r.last().maskFlips(), r.last().flippedNeurons());
        if (csv != null || plot != null) {
            out.println("wrote " + (csv == null ? plot : plot == null ? csv : csv + " and " + plot));
        }
    }

    private void writeCsv(Result r) throws IOException {
        StringBuilder sb = new StringBuilder("step,loss_reference,loss_simd,loss_rel,a_rel,w_rel,b_rel,a_abs,w_abs,b_abs,"
                + "output_rel,output_elementwise,mask_flips,flipped_neurons\n");
        for (Row row : r.rows()) {
            sb.append(String.format(Locale.ROOT, "%d,%.17g,%.17g,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%d,%d%n", row.step(),
                    row.lossReference(), row.lossSimd(), row.loss(), row.a().relative(), row.w().relative(), row.b().relative(),
                    row.a().maxAbs(), row.w().maxAbs(), row.b().maxAbs(), row.output().relative(), row.output().elementwise(),
                    row.maskFlips(), row.flippedNeurons()));
        }
        Csv.write(csv, sb);
    }

    private void writePlot(Result r, TrajectoryMatch.Config c) throws IOException {
        XYChart chart = Plots.xyChart(900, 560, "SIMD " + r.kernel() + " vs reference float64 (m = " + c.init().width() + ", lr = " + c.lr() + ")",
                "step", "relative deviation");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        List<Row> rows = r.rows();
        double[] steps = rows.stream().mapToDouble(Row::step).toArray();
        // a log axis cannot show exact agreement (0): such points are left out of a series
        for (Plots.Series s : List.of(Plots.Series.line("parameters", steps, rows.stream().mapToDouble(Row::parameters).toArray()),
                Plots.Series.line("outputs f(x_i)", steps, rows.stream().mapToDouble(row -> row.output().relative()).toArray()),
                Plots.Series.line("loss", steps, rows.stream().mapToDouble(Row::loss).toArray()))) {
            Plots.Series kept = s.positive();
            if (kept.x().length > 0) {
                chart.addSeries(kept.name(), kept.x(), kept.y());
            }
        }
        Plots.png(chart, plot);
    }
}
