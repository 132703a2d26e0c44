package io.reluquant.kernel.engine;

import java.util.concurrent.atomic.AtomicReference;

/**
 * An engine that rejects overlapping calls: an engine keeps per-call state (its team's task
 * counter, the sweep description, the two parameter buffers), so a second thread entering while a
 * call runs would corrupt it or, on close, strand the team. The second caller gets an
 * {@link IllegalStateException} naming the thread that holds it, and changes nothing. Calls that do
 * not overlap may come from any thread (the atomic hand-over publishes the state).
 */
public final class ExclusiveEngine implements Engine {
    private final Engine engine;
    private final AtomicReference<Thread> holder = new AtomicReference<>();

    /** @param engine the engine to guard */
    public ExclusiveEngine(Engine engine) {
        this.engine = engine;
    }

    private void enter() {
        Thread me = Thread.currentThread();
        if (!holder.compareAndSet(null, me)) {
            Thread other = holder.get();
            throw new IllegalStateException("trainer is in use by thread '" + (other == null ? "?" : other.getName())
                    + "' (called from '" + me.getName() + "'): drive a trainer from one thread at a time");
        }
    }

    private void leave() {
        holder.set(null);
    }

    @Override
    public double loss() {
        enter();
        try {
            return engine.loss();
        } finally {
            leave();
        }
    }

    @Override
    public double step(double lrOutput, double lrHidden) {
        enter();
        try {
            return engine.step(lrOutput, lrHidden);
        } finally {
            leave();
        }
    }

    @Override
    public double step(double lrOutput, double lrHidden, int[] indices, int count) {
        enter();
        try {
            return engine.step(lrOutput, lrHidden, indices, count);
        } finally {
            leave();
        }
    }

    @Override
    public double gradient(double[] ga, double[] gw, double[] gb) {
        enter();
        try {
            return engine.gradient(ga, gw, gb);
        } finally {
            leave();
        }
    }

    @Override
    public double gradient(int[] indices, int count, double[] ga, double[] gw, double[] gb) {
        enter();
        try {
            return engine.gradient(indices, count, ga, gw, gb);
        } finally {
            leave();
        }
    }

    @Override
    public void forward(double[] x, int q, double[] out) {
        enter();
        try {
            engine.forward(x, q, out);
        } finally {
            leave();
        }
    }

    @Override
    public void copyParameters(double[] a, double[] w, double[] b) {
        enter();
        try {
            engine.copyParameters(a, w, b);
        } finally {
            leave();
        }
    }

    @Override
    public void setParameters(double[] a, double[] w, double[] b, float[] af, float[] wf, float[] bf) {
        enter();
        try {
            engine.setParameters(a, w, b, af, wf, bf);
        } finally {
            leave();
        }
    }

    @Override
    public void addToParameters(double scale, double[] da, double[] dw, double[] db) {
        enter();
        try {
            engine.addToParameters(scale, da, dw, db);
        } finally {
            leave();
        }
    }

    @Override
    public void useOptimizer(io.reluquant.kernel.Optimizer optimizer) {
        enter();
        try {
            engine.useOptimizer(optimizer);
        } finally {
            leave();
        }
    }

    @Override
    public void resetOptimizer() {
        enter();
        try {
            engine.resetOptimizer();
        } finally {
            leave();
        }
    }

    @Override
    public void copyOptimizerState(int moment, double[] a, double[] w, double[] b) {
        enter();
        try {
            engine.copyOptimizerState(moment, a, w, b);
        } finally {
            leave();
        }
    }

    @Override
    public String kernel() {
        return engine.kernel();
    }

    @Override
    public void close() {
        enter();
        try {
            engine.close();
        } finally {
            leave();
        }
    }
}
