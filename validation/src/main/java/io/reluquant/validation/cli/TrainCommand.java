package io.reluquant.validation.cli;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Initializers;
import io.reluquant.kernel.NonFiniteStepException;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Trainer;
import io.reluquant.validation.npy.Npy;
import io.reluquant.validation.io.Checkpoint;
import io.reluquant.validation.io.NetworkFile;
import io.reluquant.validation.io.TrainingData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reluquant train}: full-batch gradient descent from NumPy data, writing the network, the
 * loss curve and the resume state to OUT.npz ({@link Checkpoint}). With {@code --checkpoint-every K}
 * OUT.npz is rewritten atomically every K steps; {@code --resume OUT.npz} continues such a file and
 * gives a result bitwise identical to an uninterrupted run of the same length (with any thread
 * count: the kernel's results do not depend on it).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train f(x) = sum_j a_j relu(w_j.x + b_j) by full-batch gradient descent on L = 1/(2n) sum_i (f(x_i)-y_i)^2.")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--x", required = true, paramLabel = "X.npy", description = "inputs, shape (n, d) or (n,), float32/float64")
    Path xFile;

    @Option(names = "--y", required = true, paramLabel = "Y.npy", description = "targets, shape (n,)")
    Path yFile;

    @Option(names = "--out", paramLabel = "OUT.npz", description = "result and checkpoint file (default: the --resume file)")
    Path outFile;

    @Option(names = "--init-params", paramLabel = "P.npz", description = "initial network: arrays a (m), w (m, d), b (m)")
    Path initParams;

    @Option(names = "--width", paramLabel = "M", description = "width m of a freshly initialized network")
    Integer width;

    @Option(names = "--init", paramLabel = "KIND",
            description = "${COMPLETION-CANDIDATES}: small balanced or standard (docs/THEORY.md section 3) (default: ${DEFAULT-VALUE})",
            defaultValue = "balanced")
    Choices.InitChoice init;

    @Option(names = "--init-scale", paramLabel = "LAMBDA", description = "scale lambda of the balanced init (default: ${DEFAULT-VALUE})",
            defaultValue = "1e-4")
    double initScale;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the init (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long seed;

    @Option(names = "--lr", paramLabel = "ETA", description = "learning rate of every parameter (required unless resuming "
            + "or both --lr-output and --lr-hidden are given)")
    Double lr;

    @Option(names = "--lr-output", paramLabel = "ETA", description = "learning rate of the output weights a (default: --lr)")
    Double lrOutput;

    @Option(names = "--lr-hidden", paramLabel = "ETA", description = "learning rate of the hidden neurons w, b (default: --lr)")
    Double lrHidden;

    @Option(names = "--loss", paramLabel = "L",
            description = "${COMPLETION-CANDIDATES}: (f-y)^2/2, or log(1+exp(-y f)) with targets in {-1, +1} (default: square)")
    Choices.LossChoice lossChoice;

    @Option(names = "--steps", paramLabel = "T", description = "total number of steps of the run (required unless resuming)")
    Long steps;

    @Option(names = "--no-bias", description = "f(x) = sum_j a_j relu(w_j.x): b stays zero")
    Boolean noBias;

    @Option(names = "--precision", paramLabel = "P",
            description = "${COMPLETION-CANDIDATES} (default: f32 for simd, f64 for reference)")
    Choices.PrecisionChoice precision;

    @Option(names = "--engine", paramLabel = "E",
            description = "${COMPLETION-CANDIDATES}: the fused kernel or the naive float64 reference (default: simd)")
    Choices.EngineChoice engine;

    @Option(names = "--threads", paramLabel = "K", description = "worker threads (default: all processors); results do not depend on it")
    Integer threads;

    @Option(names = "--log-every", paramLabel = "K", description = "record the loss every K steps (default: steps/1000, at least 1)")
    Long logEvery;

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "rewrite OUT.npz atomically every K steps (default: never)")
    Long checkpointEvery;

    @Option(names = "--resume", paramLabel = "OUT.npz", description = "continue the run saved in this checkpoint")
    Path resume;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        Dataset data = TrainingData.load(xFile, yFile);
        long dataHash = Checkpoint.hashData(data.inputs(), data.targets(), data.inputDim());
        Checkpoint start = resume != null ? resumeFrom(data, dataHash) : fresh(data, dataHash);
        Path out = outFile != null ? outFile : resume;
        checkOutput(out, start);
        int k = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Trainer.Builder builder = Trainer.builder(data, start.parameters())
                .precision(Choices.PrecisionChoice.valueOf(start.precision()).precision)
                .bias(start.bias())
                .loss(Choices.LossChoice.valueOf(start.lossFunction()).loss)
                .threads(k)
                .kernel(Choices.EngineChoice.valueOf(start.engine()).kernel);
        try (Trainer trainer = builder.build()) {
            return train(trainer, start, out, data);
        }
    }

    private int train(Trainer trainer, Checkpoint start, Path out, Dataset data) throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        long every = start.logEvery();
        long target = start.stepsTarget();
        long ckEvery = start.checkpointEvery();
        LossLog log = new LossLog(start.loss(), start.lossStep());
        long step = start.step();
        double loss;
        if (step == 0 && log.size() == 0) {
            loss = trainer.loss();
            log.add(0, loss);
        } else {
            loss = log.last();
        }
        long t0 = System.nanoTime();
        long firstStep = step;
        // the chunking only decides when we look; each step is the same whatever the chunks
        long chunkCap = Math.max(1, Math.min(1000, 20_000_000L / Math.max(1, (long) data.samples() * trainer.width())));
        try (ProgressBar bar = progressBar(step, target)) {
            while (step < target) {
                long next = Math.min(target, nextMultiple(step, every));
                if (ckEvery > 0) {
                    next = Math.min(next, nextMultiple(step, ckEvery));
                }
                long chunk = Math.min(next - step, chunkCap);
                long before = trainer.stepsTaken();
                try {
                    loss = trainer.steps(start.lr(), start.lrHidden(), chunk, chunk, null);
                } catch (NonFiniteStepException e) {
                    step += trainer.stepsTaken() - before;
                    Checkpoint saved = state(trainer, start, step, log, false);
                    saved.write(out);
                    throw new NonFiniteStepException("step " + (step + 1) + " would make the loss or a parameter non-finite "
                            + "(learning rate " + rates(start) + " too large?); saved the state after step " + step + " to " + out);
                }
                step += chunk;
                if (step % every == 0) {
                    log.add(step, loss);
                }
                if (ckEvery > 0 && step % ckEvery == 0 && step < target) {
                    state(trainer, start, step, log, false).write(out);
                }
                if (bar != null) {
                    bar.stepTo(step);
                    bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4e", loss));
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        state(trainer, start, step, log, true).write(out);
        long done = step - firstStep;
        double stepsPerSecond = done / Math.max(seconds, 1e-9);
        stdout.printf(Locale.ROOT, "step %d/%d  loss %.6e  %.1f steps/s  %.3e pairs/s  (%s, %d threads, n = %d, m = %d, d = %d, %.2f s) -> %s%n",
                step, target, loss, stepsPerSecond, stepsPerSecond * data.samples() * trainer.width(), trainer.kernel(),
                trainer.threads(), data.samples(), trainer.width(), data.inputDim(), seconds, out);
        return 0;
    }

    /** The state to save; the final file also records the loss at the last step when it is not a logged one. */
    private Checkpoint state(Trainer trainer, Checkpoint start, long step, LossLog log, boolean last) {
        LossLog saved = log;
        if (last && log.lastStep() != step) {
            saved = log.copy();
            saved.add(step, trainer.loss());
        }
        return new Checkpoint(trainer.parameters(), step, start.stepsTarget(), start.lr(), start.bias(), start.precision(),
                start.engine(), trainer.kernel(), start.init(), start.initScale(), start.seed(), start.logEvery(),
                start.checkpointEvery(), start.dataHash(), saved.losses(), saved.steps(), start.lrHidden(),
                start.lossFunction());
    }

    private ProgressBar progressBar(long step, long target) {
        // a bar only for a person watching a terminal; pipes and tests get just the summary line
        if (quiet || System.console() == null || target - step < 1000) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(target).startsFrom(step, Duration.ZERO)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500).build();
    }

    /**
     * Before any training: the folder of {@code out} exists and takes a new file (tried, since
     * permission bits do not tell about read-only mounts or quotas), and its disk has room for one
     * checkpoint (a checkpoint is written next to the old one, then renamed over it). Also removes
     * temporary files a killed run left next to {@code out}.
     */
    static void checkOutput(Path out, Checkpoint start) throws IOException {
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("--out " + out + ": folder " + dir + " does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new UsageException("--out " + out + " is a folder, not a file");
        }
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, prefix + "*.tmp")) {
            for (Path p : stale) {
                Files.deleteIfExists(p); // an interrupted write's leftover: never a complete checkpoint
            }
        }
        try {
            Files.delete(Files.createTempFile(dir, prefix, ".probe"));
        } catch (IOException e) {
            throw new UsageException("--out " + out + ": cannot write in folder " + dir + " (" + e.getMessage() + ")");
        }
        long need = checkpointBytes(start);
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < need) {
            throw new UsageException("--out " + out + ": the disk of " + dir + " has " + free + " bytes free but one checkpoint needs about "
                    + need + " bytes");
        }
    }

    /** An upper estimate of the checkpoint file's size: the arrays, the longest loss curve, zip and .npy headers. */
    static long checkpointBytes(Checkpoint c) {
        long m = c.parameters().width();
        long d = c.parameters().inputDim();
        long logged = c.stepsTarget() / c.logEvery() + c.loss().length + 2;
        return 8 * m * (d + 2) + 16 * logged + 20 * 400L;
    }

    private static long nextMultiple(long step, long every) {
        return (step / every + 1) * every;
    }

    private void checkOptions() {
        if (outFile == null && resume == null) {
            throw new UsageException("--out is required (unless --resume names the file to continue)");
        }
        if (engine == Choices.EngineChoice.reference && precision == Choices.PrecisionChoice.f32) {
            throw new UsageException("--engine reference computes in float64: use --precision f64 (or leave it out)");
        }
        for (Object[] rate : new Object[][] {{"--lr", lr}, {"--lr-output", lrOutput}, {"--lr-hidden", lrHidden}}) {
            Double v = (Double) rate[1];
            if (v != null && (!(v > 0) || !Double.isFinite(v))) {
                throw new UsageException(rate[0] + " must be finite and positive, got " + v);
            }
        }
        if (steps != null && steps < 0) {
            throw new UsageException("--steps must be >= 0, got " + steps);
        }
        if (threads != null && threads < 1) {
            throw new UsageException("--threads must be >= 1, got " + threads);
        }
        if (logEvery != null && logEvery < 1) {
            throw new UsageException("--log-every must be >= 1, got " + logEvery);
        }
        if (checkpointEvery != null && checkpointEvery < 0) {
            throw new UsageException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
    }

    private Checkpoint fresh(Dataset data, long dataHash) throws IOException {
        double rateOutput = lrOutput != null ? lrOutput : lr != null ? lr : Double.NaN;
        double rateHidden = lrHidden != null ? lrHidden : lr != null ? lr : Double.NaN;
        if (Double.isNaN(rateOutput) || Double.isNaN(rateHidden) || steps == null) {
            throw new UsageException("--lr (or both --lr-output and --lr-hidden) and --steps are required for a new run");
        }
        String lossName = (lossChoice != null ? lossChoice : Choices.LossChoice.square).name();
        if (lossChoice == Choices.LossChoice.logistic) {
            double[] y = data.targets();
            for (int i = 0; i < y.length; i++) {
                if (y[i] != 1 && y[i] != -1) {
                    throw new UsageException("--loss logistic needs targets in {-1, +1}, but " + yFile + "[" + i + "] = " + y[i]);
                }
            }
        }
        boolean bias = noBias == null || !noBias;
        String eng = (engine != null ? engine : Choices.EngineChoice.simd).name();
        String prec = precision != null ? precision.name() : eng.equals("reference") ? "f64" : "f32";
        int d = data.inputDim();
        Parameters p;
        String initKind;
        double scale = Double.NaN;
        long initSeed = seed;
        if (initParams != null) {
            if (width != null || spec.commandLine().getParseResult().hasMatchedOption("--init")) {
                throw new UsageException("--init-params cannot be combined with --width or --init");
            }
            p = NetworkFile.read(initParams);
            if (p.inputDim() != d) {
                throw new UsageException("--init-params " + initParams + " has d = " + p.inputDim() + " but X has d = " + d);
            }
            if (!bias && Arrays.stream(p.biases()).anyMatch(v -> v != 0)) {
                throw new UsageException("--no-bias but --init-params " + initParams + " has a nonzero b");
            }
            initKind = "params";
            initSeed = -1;
        } else {
            if (width == null || width < 1) {
                throw new UsageException("--width M >= 1 is required (or --init-params P.npz), got " + width);
            }
            if (init == Choices.InitChoice.balanced) {
                if (!(initScale > 0) || !Double.isFinite(initScale)) {
                    throw new UsageException("--init-scale must be finite and positive, got " + initScale);
                }
                p = Initializers.balanced(width, d, initScale, seed, bias);
                scale = initScale;
            } else {
                p = Initializers.standard(width, d, seed);
            }
            initKind = init.name();
        }
        long every = logEvery != null ? logEvery : Math.max(1, steps / 1000);
        long ck = checkpointEvery != null ? checkpointEvery : 0;
        return new Checkpoint(p, 0, steps, rateOutput, bias, prec, eng, "", initKind, scale, initSeed, every, ck, dataHash,
                new double[0], new long[0], rateHidden, lossName);
    }

    private Checkpoint resumeFrom(Dataset data, long dataHash) throws IOException {
        if (initParams != null || width != null) {
            throw new UsageException("--resume continues a saved network: --init-params and --width do not apply");
        }
        Checkpoint c = Checkpoint.read(resume);
        if (c.dataHash() != dataHash) {
            throw new UsageException("--resume " + resume + " was trained on other data than --x " + xFile + " --y " + yFile);
        }
        if (c.parameters().inputDim() != data.inputDim()) {
            throw new UsageException("--resume " + resume + " has d = " + c.parameters().inputDim() + " but X has d = " + data.inputDim());
        }
        if (lr != null && (!lr.equals(c.lr()) || !lr.equals(c.lrHidden()))) {
            throw new UsageException("--lr " + lr + " contradicts the rates " + rates(c) + " saved in --resume " + resume
                    + " (a resumed run keeps its settings)");
        }
        mustMatch("--lr-output", lrOutput, c.lr());
        mustMatch("--lr-hidden", lrHidden, c.lrHidden());
        mustMatch("--loss", lossChoice == null ? null : lossChoice.name(), c.lossFunction());
        mustMatch("--precision", precision == null ? null : precision.name(), c.precision());
        mustMatch("--engine", engine == null ? null : engine.name(), c.engine());
        mustMatch("--no-bias", noBias == null ? null : !noBias, c.bias());
        long target = steps != null ? steps : c.stepsTarget();
        if (target < c.step()) {
            throw new UsageException("--steps " + target + " is less than the " + c.step() + " steps already done in " + resume);
        }
        long every = logEvery != null ? logEvery : c.logEvery();
        long ck = checkpointEvery != null ? checkpointEvery : c.checkpointEvery();
        // the final file of a run also holds the loss at its last step; a continuation logs only the periodic steps
        LossLog log = new LossLog(c.loss(), c.lossStep());
        if (log.lastStep() != 0 && log.lastStep() % every != 0) {
            log.removeLast();
        }
        return new Checkpoint(c.parameters(), c.step(), target, c.lr(), c.bias(), c.precision(), c.engine(), c.kernel(),
                c.init(), c.initScale(), c.seed(), every, ck, c.dataHash(), log.losses(), log.steps(), c.lrHidden(),
                c.lossFunction());
    }

    private static String rates(Checkpoint c) {
        return c.lr() == c.lrHidden() ? String.valueOf(c.lr()) : "lr-output " + c.lr() + ", lr-hidden " + c.lrHidden();
    }

    private void mustMatch(String option, Object given, Object saved) {
        if (given != null && !given.equals(saved)) {
            throw new UsageException(option + " " + given + " contradicts the value " + saved + " saved in --resume " + resume
                    + " (a resumed run keeps its settings)");
        }
    }

    /** The loss curve: parallel growable lists of steps and losses. */
    private static final class LossLog {
        private long[] steps;
        private double[] losses;
        private int size;

        LossLog(double[] losses, long[] steps) {
            this.losses = Arrays.copyOf(losses, Math.max(16, losses.length));
            this.steps = Arrays.copyOf(steps, Math.max(16, steps.length));
            this.size = losses.length;
        }

        void add(long step, double loss) {
            if (size == steps.length) {
                steps = Arrays.copyOf(steps, 2 * size);
                losses = Arrays.copyOf(losses, 2 * size);
            }
            steps[size] = step;
            losses[size++] = loss;
        }

        int size() {
            return size;
        }

        double last() {
            return losses[size - 1];
        }

        long lastStep() {
            return size == 0 ? -1 : steps[size - 1];
        }

        void removeLast() {
            size--;
        }

        LossLog copy() {
            return new LossLog(losses(), steps());
        }

        double[] losses() {
            return Arrays.copyOf(losses, size);
        }

        long[] steps() {
            return Arrays.copyOf(steps, size);
        }
    }
}
