package io.reluquant.kernel.engine;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent team of worker threads: created once, woken for every sweep, no thread creation or
 * task objects per step. The calling thread works too, so a team of k threads has k-1 workers.
 * Which thread runs a task (a chunk of neurons, a tile) does not matter for the result because each
 * task writes only its own slots.
 *
 * <p>Schedule: sticky, with stealing. Member p of k owns the contiguous tasks [p count / k,
 * (p+1) count / k) and runs them first, every call, so a chunk's parameters are read and written by
 * the same core step after step and stay in that core's caches (with one shared counter the owner of
 * a chunk changed from step to step, and a chunk written by one core was read by the other in the
 * next step: on VMs whose vCPUs share no cache that made two threads slower than one on
 * bandwidth-bound shapes). A member that finishes its own range takes the tasks left in the others'
 * ranges, so a descheduled or slower core does not hold the step.
 */
public final class Team implements AutoCloseable {
    /** The work of one task, run on thread {@code worker} (0 = the caller) for chunk {@code task}. */
    public interface Body {
        void run(int task, int worker);
    }

    // Waiting: spin briefly (the next sweep often follows within microseconds), then yield (so an
    // oversubscribed team does not starve the thread it waits for), then park.
    private static final int SPINS = 1 << 10;
    private static final int YIELDS = SPINS + 256;

    private final Thread[] workers;
    /**
     * Member p's next task at index p * PAD, the end of its range at (p * PAD) + 1: each member's pair
     * on its own 64-byte cache line, so taking a task does not invalidate the other members' lines.
     */
    private final AtomicIntegerArray cursors;
    private static final int PAD = 16;
    private final AtomicInteger running = new AtomicInteger();
    private volatile int generation;
    private volatile boolean shutdown;
    private volatile Body body;
    private volatile int tasks;
    private volatile Thread caller;
    private volatile Throwable failure;

    /**
     * Test hook: when set, runs before every task on the thread that takes it, so a test can make a
     * worker (or the caller) throw mid-sweep. Null in production; one volatile read per task.
     */
    static volatile Body faultHook;

    /**
     * @param threads team size; threads-1 workers are started
     * @param factory makes the workers (the host's naming, daemon status, affinity), or null for
     *        daemon threads named reluquant-worker-k
     */
    public Team(int threads, ThreadFactory factory) {
        workers = new Thread[threads - 1];
        cursors = new AtomicIntegerArray(threads * PAD + PAD);
        for (int t = 0; t < workers.length; t++) {
            int id = t + 1;
            Runnable loop = () -> workLoop(id);
            Thread thread;
            if (factory == null) {
                thread = new Thread(loop, "reluquant-worker-" + id);
                thread.setDaemon(true); // a trainer nobody closed must not keep the JVM alive
            } else {
                try {
                    thread = factory.newThread(loop);
                } catch (RuntimeException | Error e) {
                    // the host's factory refused (a bounded pool, say): the workers already started must
                    // not outlive the failed build, or non-daemon ones would keep the JVM alive
                    close();
                    throw new IllegalStateException("threadFactory failed to create worker " + id + " of " + (threads - 1)
                            + ": " + e, e);
                }
                if (thread == null) {
                    close(); // stop the workers already started
                    throw new IllegalStateException("threadFactory returned null for worker " + id + " of " + (threads - 1));
                }
            }
            workers[t] = thread;
            try {
                thread.start();
            } catch (RuntimeException | OutOfMemoryError e) {
                // "unable to create native thread", or a thread the factory had already started (close
                // unparks and joins it; join returns at once for a thread that never started)
                close();
                throw new IllegalStateException("cannot start worker " + id + " of " + (threads - 1) + ": " + e, e);
            }
        }
    }

    /**
     * Runs body for tasks 0..count-1 on the whole team and returns when all are done. A task that
     * throws, on any thread, makes this call throw that exception (an unchecked one as it is, cause
     * and all) after every thread has stopped taking tasks; the team stays usable.
     *
     * @throws IllegalStateException when the team is closed (its workers have ended)
     */
    public void run(int count, Body work) {
        if (shutdown) {
            throw new IllegalStateException("the worker team is closed: its " + workers.length
                    + " worker threads have ended");
        }
        if (workers.length == 0 || count == 1) {
            for (int t = 0; t < count; t++) {
                work.run(t, 0);
            }
            return;
        }
        body = work;
        tasks = count;
        caller = Thread.currentThread();
        failure = null;
        int members = workers.length + 1;
        for (int p = 0; p < members; p++) {
            cursors.set(p * PAD, (int) ((long) p * count / members));
            cursors.set(p * PAD + 1, (int) ((long) (p + 1) * count / members));
        }
        running.set(workers.length);
        generation++; // publishes the fields above (volatile write)
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        try {
            drain(work, count, 0);
        } catch (Throwable e) {
            failure = e;
        }
        for (int spin = 0; running.get() != 0; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else if (spin < YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(this, 50_000);
            }
        }
        body = null;
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            }
            if (f instanceof Error) {
                throw (Error) f;
            }
            throw new IllegalStateException("worker failed", f);
        }
    }

    /** Runs this member's own range, then whatever is left in the others' (each task exactly once). */
    private void drain(Body work, int count, int worker) {
        int members = workers.length + 1;
        for (int k = 0; k < members; k++) {
            int owner = (worker + k) % members;
            int end = cursors.get(owner * PAD + 1);
            for (int t = cursors.getAndIncrement(owner * PAD); t < end; t = cursors.getAndIncrement(owner * PAD)) {
                Body fault = faultHook;
                if (fault != null) {
                    fault.run(t, worker);
                }
                work.run(t, worker);
            }
        }
    }

    private void workLoop(int id) {
        int seen = 0;
        while (true) {
            for (int spin = 0; generation == seen && !shutdown; spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else if (spin < YIELDS) {
                    Thread.yield();
                } else {
                    LockSupport.park(this);
                }
            }
            if (shutdown) {
                return;
            }
            seen = generation;
            try {
                drain(body, tasks, id);
            } catch (Throwable e) {
                failure = e;
            }
            if (running.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    @Override
    public void close() {
        shutdown = true;
        for (Thread w : workers) {
            if (w != null) { // null: the constructor failed before starting it
                LockSupport.unpark(w);
            }
        }
        for (Thread w : workers) {
            if (w == null) {
                continue;
            }
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
