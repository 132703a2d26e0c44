package io.reluquant.validation.cli;

import io.reluquant.io.AtomicFiles;
import io.reluquant.io.Checkpoint;
import io.reluquant.io.OutputLock;
import io.reluquant.io.Outputs;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        description = "Train f(x) = sum_j a_j relu(w_j.x + b_j) by full-batch gradient descent on L = 1/(2n) sum_i (f(x_i)-y_i)^2"
                + " (k outputs: y of shape (n, k), a_j in R^k; or --loss softmax with integer class labels).")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions dataFiles;

    @Option(names = "--out", paramLabel = "OUT.npz", description = "result and checkpoint file (default: the --resume file)")
    Path outFile;

    @Mixin
    InitOptions init;

    @Option(names = "--lr", paramLabel = "ETA", description = "learning rate of every parameter (required unless resuming "
            + "or both --lr-output and --lr-hidden are given)")
    Double lr;

    @Option(names = "--lr-output", paramLabel = "ETA", description = "learning rate of the output weights a (default: --lr)")
    Double lrOutput;

    @Option(names = "--lr-hidden", paramLabel = "ETA", description = "learning rate of the hidden neurons w, b (default: --lr)")
    Double lrHidden;

    @Option(names = "--loss", paramLabel = "L",
            description = "${COMPLETION-CANDIDATES}: (f-y)^2/2 (y of shape (n,) or (n, k)), log(1+exp(-y f)) with targets in"
                    + " {-1, +1}, or the softmax cross-entropy with y integer class labels 0..k-1 of shape (n,), k outputs"
                    + " (default: square)")
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

    @Mixin
    ThreadsOption threads;

    @Option(names = "--log-every", paramLabel = "K", description = "record the loss every K steps (default: steps/1000, at least 1)")
    Long logEvery;

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "rewrite OUT.npz atomically every K steps (default: never)")
    Long checkpointEvery;

    @Option(names = "--resume", paramLabel = "OUT.npz", description = "continue the run saved in this checkpoint")
    Path resume;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--allow-kernel-change", description = "with --resume: continue although this JVM runs another kernel than the "
            + "checkpoint records (the result is then not bitwise that of an uninterrupted run)")
    boolean allowKernelChange;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        Path out = outFile != null ? outFile : resume;
        checkFolder(out);
        // before reading anything: the output is a regular file (or a new one) that no input is, and no other run writes it
        Path target = new Outputs().input("--x", dataFiles.xFile).input("--y", dataFiles.yFile).input("--init-params", init.initParams)
                .output("--out", out).check().get("--out");
        try (OutputLock claim = OutputLock.acquire(target, "--out " + out)) {
            AtomicFiles.removeStale(target); // leftovers of killed runs on this file: never a complete checkpoint
            Checkpoint saved = resume != null ? Checkpoint.read(resume) : null;
            // the loss decides how Y reads: integer class labels for the softmax cross-entropy, numbers otherwise
            String loss = saved != null ? saved.lossFunction() : (lossChoice != null ? lossChoice : Choices.LossChoice.square).name();
            Dataset data = dataFiles.load(loss.equals(Choices.LossChoice.softmax.name()));
            long dataHash = Checkpoint.hashData(data);
            Checkpoint start = saved != null ? resumeFrom(saved, data, dataHash) : fresh(data, dataHash);
            checkRange(data, start);
            checkOutput(out, target, start);
            Trainer.Builder builder = threads.apply(Trainer.builder(data, start.parameters())
                    .precision(Choices.PrecisionChoice.valueOf(start.precision()).precision)
                    .bias(start.bias())
                    .loss(Choices.LossChoice.valueOf(start.lossFunction()).loss)
                    .kernel(Choices.EngineChoice.valueOf(start.engine()).kernel));
            try (Trainer trainer = builder.build()) {
                checkKernel(start, trainer.kernel());
                new TrainingRun(trainer, start, target).run(data, !quiet, spec.commandLine().getOut());
                return 0;
            }
        }
    }

    static void checkFolder(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("--out " + out + ": folder " + dir + " does not exist");
        }
    }

    /**
     * A resume continues bitwise only on the kernel that wrote the checkpoint (vector width and path
     * change the order of the sums): refuse another one unless --allow-kernel-change.
     */
    private void checkKernel(Checkpoint start, String running) {
        if (resume == null || start.kernel().isEmpty() || start.kernel().equals(running)) {
            return;
        }
        if (!allowKernelChange) {
            throw new UsageException("--resume " + resume + " was trained by kernel " + start.kernel() + " but this JVM runs " + running
                    + ": the continuation would not be bitwise that of an uninterrupted run (run with the same kernel, e.g. "
                    + "-Dreluquant.vector=..., or pass --allow-kernel-change)");
        }
        spec.commandLine().getErr().println("reluquant train: note: continuing " + resume + " (kernel " + start.kernel() + ") on "
                + running + " (--allow-kernel-change)");
    }

    /**
     * Values float32 cannot hold (|v| > 3.4e38) would become infinite in an f32 run and be blamed on
     * the learning rate: refused here, naming the array and --precision f64.
     */
    private void checkRange(Dataset data, Checkpoint start) {
        if (!start.precision().equals("f32")) {
            return;
        }
        int n = data.samples();
        int d = data.inputDim();
        String xName = "--x " + dataFiles.xFile;
        String yName = "--y " + dataFiles.yFile;
        int outputs = data.outputs();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                beyondFloat32(xName, (long) i * d + k, data.x(i, k));
            }
            for (int c = 0; c < outputs && !data.hasLabels(); c++) {
                beyondFloat32(yName, (long) i * outputs + c, data.y(i, c));
            }
        }
        Parameters p = start.parameters();
        Object[][] arrays = {{"initial a", p.outputWeights()}, {"initial w", p.inputWeights()}, {"initial b", p.biases()}};
        for (Object[] named : arrays) {
            double[] v = (double[]) named[1];
            for (int i = 0; i < v.length; i++) {
                beyondFloat32(named[0].toString(), i, v[i]);
            }
        }
    }

    private static void beyondFloat32(String name, long index, double v) {
        if (Math.abs(v) > Float.MAX_VALUE) {
            throw new UsageException(name + "[" + index + "] = " + v + " is beyond float32's range (|v| <= " + Float.MAX_VALUE
                    + "): use --precision f64" + (name.startsWith("initial") ? " or a smaller --init-scale" : ""));
        }
    }

    /**
     * Before any training: the folder of {@code out} takes a new file (tried, since permission bits
     * do not tell about read-only mounts or quotas), and its disk has room for one checkpoint (a
     * checkpoint is written next to the old one, then renamed over it).
     *
     * @param out the path as given
     * @param target where it is written ({@link AtomicFiles#target})
     */
    static void checkOutput(Path out, Path target, Checkpoint start) throws IOException {
        Path dir = target.getParent();
        try {
            AtomicFiles.probe(target);
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
        long k = c.parameters().outputs();
        long logged = loggedCount(c);
        return 8 * m * (d + 1 + k) + 16 * logged + 20 * 400L; // m d, m k < 2^31 and logged < 2^31: no overflow
    }

    /**
     * How many losses the run's curve will hold: the ones already logged, one per --log-every steps
     * still to go, step 0 and the last step. Refused when no array can hold them.
     */
    static long loggedCount(Checkpoint c) {
        long logged = (c.stepsTarget() - c.step()) / c.logEvery() + c.loss().length + 2;
        if (logged > Integer.MAX_VALUE - 16) {
            throw new UsageException("--steps " + c.stepsTarget() + " with --log-every " + c.logEvery() + " would record " + logged
                    + " losses, more than one array holds (2^31 - 16): raise --log-every");
        }
        return logged;
    }

    private void checkOptions() {
        if (outFile == null && resume == null) {
            throw new UsageException("--out is required (unless --resume names the file to continue)");
        }
        if (allowKernelChange && resume == null) {
            throw new UsageException("--allow-kernel-change applies only with --resume");
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
        threads.check();
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
        if (lossChoice == Choices.LossChoice.logistic && data.outputs() != 1) {
            throw new UsageException("--loss logistic takes one target per sample, but " + dataFiles.yFile + " has "
                    + data.outputs() + " per sample (for classes use --loss softmax with integer labels)");
        }
        if (lossChoice == Choices.LossChoice.logistic) {
            double[] y = data.targets();
            for (int i = 0; i < y.length; i++) {
                if (y[i] != 1 && y[i] != -1) {
                    throw new UsageException("--loss logistic needs targets in {-1, +1}, but " + dataFiles.yFile + "[" + i + "] = " + y[i]);
                }
            }
        }
        boolean bias = noBias == null || !noBias;
        String eng = (engine != null ? engine : Choices.EngineChoice.simd).name();
        String prec = precision != null ? precision.name() : eng.equals("reference") ? "f64" : "f32";
        InitOptions.Start first = init.start(data.inputDim(), data.outputs(), bias);
        long every = logEvery != null ? logEvery : Math.max(1, steps / 1000);
        long ck = checkpointEvery != null ? checkpointEvery : 0;
        return new Checkpoint(first.network(), 0, steps, rateOutput, bias, prec, eng, "", first.kind(), first.scale(), first.seed(),
                every, ck, dataHash, new double[0], new long[0], rateHidden, lossName);
    }

    private Checkpoint resumeFrom(Checkpoint c, Dataset data, long dataHash) {
        // every setting the checkpoint fixes: given again, it could only be ignored, so it is refused
        picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        for (String option : new String[] {"--init-params", "--width", "--init", "--init-scale", "--seed"}) {
            if (parsed.hasMatchedOption(option)) {
                throw new UsageException("--resume continues the network saved in " + resume + " (init " + c.init()
                        + (Double.isNaN(c.initScale()) ? "" : ", init-scale " + c.initScale()) + (c.seed() < 0 ? "" : ", seed " + c.seed())
                        + "): " + option + " does not apply");
            }
        }
        if (c.dataHash() != dataHash) {
            throw new UsageException("--resume " + resume + " was trained on other data than --x " + dataFiles.xFile + " --y " + dataFiles.yFile);
        }
        if (c.parameters().inputDim() != data.inputDim()) {
            throw new UsageException("--resume " + resume + " has d = " + c.parameters().inputDim() + " but X has d = " + data.inputDim());
        }
        if (lr != null && (!lr.equals(c.lr()) || !lr.equals(c.lrHidden()))) {
            throw new UsageException("--lr " + lr + " contradicts the rates " + TrainingRun.rates(c) + " saved in --resume " + resume
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

    private void mustMatch(String option, Object given, Object saved) {
        if (given != null && !given.equals(saved)) {
            throw new UsageException(option + " " + given + " contradicts the value " + saved + " saved in --resume " + resume
                    + " (a resumed run keeps its settings)");
        }
    }
}
