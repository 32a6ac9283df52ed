package dev.anomaly.job.train;

import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.sarima.SarimaException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains one {@link FeatureModel} per feature with {@link SarimaEeLstmTrainer}, features in parallel on a fixed
 * pool. Results come back in input order whatever the thread count; the listener hears of each feature as it
 * finishes, always on the calling thread.
 */
public final class FeatureTraining {

    /** Hears about features as they finish; called on the thread that called {@link #train}. */
    public interface Listener {
        /** {@code feature} was trained; {@code done} of {@code total} features have finished. */
        void trained(TrainedFeature feature, int done, int total);

        /** {@code feature} could not be trained and was skipped (only with skip-failed). */
        void skipped(FeatureTrainingException failure, int done, int total);
    }

    private final SarimaEeLstmTrainer trainer;
    private final int threads;
    private final boolean skipFailed;

    /**
     * @param skipFailed leave out features that cannot be trained instead of failing
     * @throws IllegalArgumentException for the z-score mode (nothing to train) or fewer than one thread
     */
    public FeatureTraining(DetectorMode mode, HybridConfig config, int threads, boolean skipFailed) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.trainer = new SarimaEeLstmTrainer(mode, config);
        this.threads = threads;
        this.skipFailed = skipFailed;
    }

    /**
     * Fails, before anything is trained, on the first feature (in input order) whose training window has too few
     * values; with skip-failed such features are left to {@link #train}, which skips them.
     *
     * @throws FeatureTrainingException naming the feature, its file and how many values it has
     */
    public void check(List<FeatureSeries> features) {
        if (!skipFailed) {
            for (FeatureSeries f : features) {
                FeatureTrainingException e = tooShort(f);
                if (e != null) {
                    throw e;
                }
            }
        }
    }

    /**
     * Trains every feature; the result holds the trained ones in input order.
     *
     * @throws FeatureTrainingException as {@link #check} does, or for a feature that fails in training, after the
     *     others were cancelled (unless skip-failed)
     */
    public List<TrainedFeature> train(List<FeatureSeries> features, Listener listener) {
        check(features);
        int total = features.size();
        TrainedFeature[] results = new TrainedFeature[total];
        int done = 0;
        List<Integer> runnable = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            FeatureTrainingException e = tooShort(features.get(i));
            if (e != null) {
                listener.skipped(e, ++done, total);
            } else {
                runnable.add(i);
            }
        }
        if (runnable.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, runnable.size()), r -> {
            Thread t = new Thread(r, "train-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<TrainedFeature> completion = new ExecutorCompletionService<>(pool);
            List<Future<TrainedFeature>> futures = new ArrayList<>();
            for (int i : runnable) {
                FeatureSeries f = features.get(i);
                futures.add(completion.submit(() -> trainOne(f)));
            }
            for (int k = 0; k < runnable.size(); k++) {
                Future<TrainedFeature> finished = completion.take();
                int i = runnable.get(futures.indexOf(finished));
                try {
                    results[i] = finished.get();
                    listener.trained(results[i], ++done, total);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof FeatureTrainingException failure && skipFailed) {
                        listener.skipped(failure, ++done, total);
                    } else if (cause instanceof RuntimeException re) {
                        throw re;
                    } else if (cause instanceof Error error) {
                        throw error;
                    } else {
                        throw new IllegalStateException(cause);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        return Arrays.stream(results).filter(r -> r != null).toList();
    }

    private TrainedFeature trainOne(FeatureSeries f) {
        long start = System.nanoTime();
        double[] window = trainer.trainingWindow(f.values());
        FeatureModel model;
        try {
            model = trainer.fit(f.values());
        } catch (IllegalArgumentException | SarimaException e) {
            throw new FeatureTrainingException(f.name(), e.getMessage());
        }
        double llf = model.sarima() == null ? Double.NaN : model.sarima().logLikelihood(window);
        double seconds = (System.nanoTime() - start) / 1e9;
        int first = f.rows() - window.length;
        String from = f.timestamps().isEmpty() ? "" : f.timestamps().get(first);
        String to = f.timestamps().isEmpty() ? "" : f.timestamps().get(f.rows() - 1);
        TrainingRange range = new TrainingRange(f.source().toString(), window.length, from, to, seconds);
        return new TrainedFeature(f.name(), model, range, f.rows(), llf, trainer.fitsExactly(model, window));
    }

    /** The failure of a feature too short to train, or null. */
    private FeatureTrainingException tooShort(FeatureSeries f) {
        int finite = finiteCount(trainer.trainingWindow(f.values()));
        if (finite >= trainer.minimumFiniteValues()) {
            return null;
        }
        return new FeatureTrainingException(f.name(), "training needs at least " + trainer.minimumFiniteValues()
                + " values, " + f.source() + " has " + finite
                + (finite == f.rows() ? "" : " (of " + f.rows() + " rows)"));
    }

    private static int finiteCount(double[] values) {
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                n++;
            }
        }
        return n;
    }
}
