package io.reluquant.bench;

import io.reluquant.kernel.Kernel;
import io.reluquant.kernel.Optimizer;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Trainer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a trainer that embeds the kernel pays around the gradient: a minibatch of {@code batch}
 * samples per step at shape (n, d, m), one thread, in three forms side by side.
 * <ul>
 *   <li>{@link #gradient}: the bare {@code gradient(indices, ga, gw, gb)} call, the floor;</li>
 *   <li>{@link #momentum}: momentum SGD with decoupled weight decay written by the host, exactly as
 *       the README shows it: the gradient, the host's velocity loop over m (d + 2) parameters, and
 *       {@code applyUpdate(scale, da, dw, db)};</li>
 *   <li>{@link #sgd}: the kernel's own minibatch step {@code step(lr, indices)} (plain SGD, the
 *       update fused into the kernel's pass);</li>
 *   <li>{@link #kernelMomentum}: the same momentum SGD with decoupled weight decay inside the kernel
 *       ({@code Optimizer.momentum(MU, DECAY)} on the builder, then {@code step(lr, indices)}): the
 *       velocity moves in the pass that writes the parameters;</li>
 *   <li>{@link #kernelAdamW}: AdamW inside the kernel ({@code Optimizer.adamW(0.9, 0.999, 1e-8, DECAY)}).</li>
 * </ul>
 * The ratio momentum / gradient in steps/s is what the in-place API costs a host. SampleTime in
 * microseconds, as the step benchmarks. Batches cycle through a fixed set of random index sets
 * drawn at set-up, so no step allocates or draws random numbers. The learning rate is tiny, as in
 * {@link FusedStep}: the cost of a step does not depend on where the parameters are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OptimizerLoop {
    static final double LR = 1e-6;
    static final double MU = 0.9;
    static final double DECAY = 1e-4;
    /** distinct index sets the steps cycle through */
    static final int BATCHES = 16;

    @Param({"2000"})
    public int n;
    @Param({"10"})
    public int d;
    @Param({"4096"})
    public int m;
    @Param({"64"})
    public int batch;

    private Trainer trainer;
    private Trainer withMomentum;
    private Trainer withAdamW;
    private int[][] batches;
    private int next;
    private double[] ga;
    private double[] gw;
    private double[] gb;
    private double[] va;
    private double[] vw;
    private double[] vb;
    private double[] da;
    private double[] dw;
    private double[] db;

    @Setup(Level.Trial)
    public void setUp() {
        if (batch < 1 || batch > n) {
            throw new IllegalArgumentException("batch must be in [1, n = " + n + "], got " + batch);
        }
        Workload workload = Workload.of(n, d, m, FusedStep.SEED);
        trainer = Trainer.builder(workload.dataset(), workload.parameters())
                .precision(Precision.FLOAT32).threads(1).kernel(Kernel.AUTO).build();
        withMomentum = Trainer.builder(workload.dataset(), workload.parameters()).precision(Precision.FLOAT32).threads(1)
                .kernel(Kernel.AUTO).optimizer(Optimizer.momentum(MU, DECAY)).build();
        withAdamW = Trainer.builder(workload.dataset(), workload.parameters()).precision(Precision.FLOAT32).threads(1)
                .kernel(Kernel.AUTO).optimizer(Optimizer.adamW(0.9, 0.999, 1e-8, DECAY)).build();
        System.out.println("timing " + trainer.kernel() + ", batches of " + batch);
        SplittableRandom random = new SplittableRandom(FusedStep.SEED + 2);
        batches = new int[BATCHES][batch];
        for (int[] indices : batches) {
            for (int i = 0; i < batch; i++) {
                indices[i] = random.nextInt(n);
            }
        }
        ga = new double[m];
        gw = new double[m * d];
        gb = new double[m];
        va = new double[m];
        vw = new double[m * d];
        vb = new double[m];
        da = new double[m];
        dw = new double[m * d];
        db = new double[m];
    }

    private int[] nextBatch() {
        int[] indices = batches[next];
        next = (next + 1) % BATCHES;
        return indices;
    }

    @Benchmark
    public double gradient() {
        return trainer.gradient(nextBatch(), ga, gw, gb);
    }

    @Benchmark
    public double momentum() {
        double loss = trainer.gradient(nextBatch(), ga, gw, gb);
        velocity(ga, va, da);
        velocity(gw, vw, dw);
        velocity(gb, vb, db);
        trainer.applyUpdate(1 - LR * DECAY, da, dw, db);
        return loss;
    }

    /** the host's loop of the README: v = mu v + g, dp = -lr v */
    private static void velocity(double[] g, double[] v, double[] dp) {
        for (int i = 0; i < g.length; i++) {
            v[i] = MU * v[i] + g[i];
            dp[i] = -LR * v[i];
        }
    }

    @Benchmark
    public double sgd() {
        return trainer.step(LR, nextBatch());
    }

    @Benchmark
    public double kernelMomentum() {
        return withMomentum.step(LR, nextBatch());
    }

    @Benchmark
    public double kernelAdamW() {
        return withAdamW.step(LR, nextBatch());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        withMomentum.close();
        withAdamW.close();
    }
}
