package dev.anomaly.operators.detection;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The self-trainings of one subtask's series, run off its processing path. A series' training is started when its
 * history is due ({@link #start}) and taken when the series reaches the sample at which the model takes effect
 * ({@link #take}), a fixed number of samples later, so the results never depend on how fast the training ran. A
 * training still queued when it is taken runs on the caller's thread (which would otherwise only wait); one already
 * running is waited for.
 *
 * <p>Nothing here is checkpointed. A training is a function of the history it was started on, which the series
 * keeps in its state until the model takes effect; a series restored between start and take starts it again on
 * the same history and gets the same model.
 */
final class BackgroundTrainings implements AutoCloseable {
    private final Executor executor;
    /** The pool this instance created (shut down by {@link #close}); null for an executor given by the caller. */
    private final ExecutorService owned;
    private final Map<String, Pending> pending = new HashMap<>();

    /** A started training: the history length it trains on, and the task. */
    private record Pending(int historyLength, FutureTask<SelfTraining.Trained> task) {
    }

    /** Trainings run by {@code executor} (which this instance does not shut down). */
    BackgroundTrainings(Executor executor) {
        this.executor = executor;
        this.owned = null;
    }

    private BackgroundTrainings(ExecutorService pool) {
        this.executor = pool;
        this.owned = pool;
    }

    /** Trainings run by a pool of {@code threads} daemon threads named {@code name-N}. */
    static BackgroundTrainings onThreads(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        return new BackgroundTrainings(Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
    }

    /** Whether the training of {@code seriesId} on its first {@code historyLength} values has been started. */
    boolean started(String seriesId, int historyLength) {
        Pending p = pending.get(seriesId);
        return p != null && p.historyLength() == historyLength;
    }

    /**
     * Starts {@code training} (of {@code seriesId} on its first {@code historyLength} values) in the background; a
     * training of the series started before is dropped (callers ask {@link #started} first, which saves them
     * building a training that is already running).
     */
    void start(String seriesId, int historyLength, Callable<SelfTraining.Trained> training) {
        forget(seriesId);
        FutureTask<SelfTraining.Trained> task = new FutureTask<>(training);
        pending.put(seriesId, new Pending(historyLength, task));
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closing) {
            // the operator is closing: take() runs the task itself if it is still asked for
        }
    }

    /**
     * The model of the training of {@code seriesId} on its first {@code historyLength} values: the started one
     * (run here if it has not begun, waited for if it is running), else {@code training} run here. A training that
     * failed throws its exception here.
     */
    SelfTraining.Trained take(String seriesId, int historyLength, Callable<SelfTraining.Trained> training)
            throws InterruptedException {
        Pending p = pending.remove(seriesId);
        FutureTask<SelfTraining.Trained> task;
        if (p != null && p.historyLength() == historyLength) {
            task = p.task();
        } else {
            if (p != null) {
                p.task().cancel(false);
            }
            task = new FutureTask<>(training);
        }
        try {
            task.run(); // does nothing if a background thread has begun it (or finished it)
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Drops the training of {@code seriesId}, if any (one not yet begun never runs). */
    void forget(String seriesId) {
        Pending p = pending.remove(seriesId);
        if (p != null) {
            p.task().cancel(false);
        }
    }

    /** Trainings started and not yet taken. */
    int pending() {
        return pending.size();
    }

    @Override
    public void close() {
        for (Pending p : pending.values()) {
            p.task().cancel(false);
        }
        pending.clear();
        if (owned != null) {
            owned.shutdownNow();
        }
    }
}
