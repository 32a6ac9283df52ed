package dev.anomaly.operators.detection;

import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import java.util.Map;

/**
 * When and how a series without a trained model trains itself: after {@code warmupSamples} it fits the SARIMA
 * mode (fast, needs little history) so it is scored early; once its history reaches the full mode's minimum (and
 * {@code fullTrainingSamples}) it is retrained in the configured mode (hybrid: SARIMA + LSTM on residuals). The
 * sarima mode is complete after the first fit.
 */
final class SelfTraining {
    private final DetectionSettings settings;
    private final SarimaEeLstmTrainer early;
    private final SarimaEeLstmTrainer full;

    SelfTraining(DetectionSettings settings) {
        this.settings = settings;
        this.early = new SarimaEeLstmTrainer(DetectorMode.SARIMA, settings.hybrid());
        this.full = new SarimaEeLstmTrainer(settings.mode(), settings.hybrid());
    }

    /** Samples of history needed before the first model (at least the SARIMA mode's minimum). */
    int firstFitAt() {
        return settings.mode() == DetectorMode.LSTM ? fullFitAt()
                : Math.max(settings.warmupSamples(), SarimaEeLstmTrainer.MIN_SARIMA_VALUES);
    }

    /** Samples of history needed for the full-mode model. */
    int fullFitAt() {
        return Math.max(settings.fullTrainingSamples(), full.minimumFiniteValues());
    }

    /**
     * The history length at which a training for {@code fitAt} values (the {@link #firstFitAt} or the
     * {@link #fullFitAt}) is due, given the first {@code size} values of {@code history}: {@code fitAt}, except that a
     * training of the full mode waits until that many of the values are finite (missing samples are NaN), or
     * {@link Integer#MAX_VALUE} while fewer are. Without the wait a series with one gap early on trained the early
     * SARIMA again at {@code fitAt} and then its LSTM at once on the processing thread, one sample later.
     */
    int dueAt(int fitAt, double[] history, int size) {
        if (earlyIsFull() || fitAt < fullFitAt()) {
            return fitAt;
        }
        int need = fullFitAt();
        int seen = 0;
        for (int i = 0; i < size; i++) {
            if (Double.isFinite(history[i]) && ++seen == need) {
                return Math.max(i + 1, fitAt);
            }
        }
        return Integer.MAX_VALUE;
    }

    /** True when the early model already is the full mode. */
    boolean earlyIsFull() {
        return settings.mode() == DetectorMode.SARIMA;
    }

    /**
     * Whether the training on the first {@code n} of {@code history} trains an LSTM (the full hybrid or lstm mode),
     * which takes seconds, not the early SARIMA fit.
     */
    boolean trainsLstm(double[] history, int n) {
        return !earlyIsFull() && finite(history, n) >= fullFitAt();
    }

    /** Trains the model for a series with {@code history}: the full mode if it has enough history, else SARIMA. */
    Trained train(String feature, double[] history) {
        boolean isFull = earlyIsFull() || finite(history, history.length) >= fullFitAt();
        FeatureModel m = (isFull ? full : early).fit(history);
        m = FeatureModels.withThreshold(m, feature, settings);
        byte[] bytes = ModelFile.toBytes(new TrainedModel(Map.of(feature, m),
                Map.of(feature, new TrainingRange("self-trained", history.length, "", "", 0.0))));
        return new Trained(m, bytes, isFull);
    }

    /**
     * Estimates the self-trained {@code previous} again on {@code history} (the series from its start): SARIMA and
     * scaler refitted on the recent history, the LSTM weights kept ({@link SarimaEeLstmTrainer#refit}).
     */
    Trained reestimate(String feature, FeatureModel previous, double[] history) {
        FeatureModel m = FeatureModels.withThreshold(full.refit(previous, history), feature, settings);
        byte[] bytes = ModelFile.toBytes(new TrainedModel(Map.of(feature, m),
                Map.of(feature, new TrainingRange("self-trained, re-estimated", history.length, "", "", 0.0))));
        return new Trained(m, bytes, true);
    }

    /**
     * Whether {@code model}, trained on {@code history}, fits it exactly ({@link SarimaEeLstmTrainer#fitsExactly}): a
     * model that knows nothing of the series' noise, to be trained again once the series departs from the pattern.
     */
    boolean fitsExactly(FeatureModel model, double[] history) {
        return full.fitsExactly(model, history);
    }

    private static int finite(double[] v, int n) {
        int finite = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(v[i])) {
                finite++;
            }
        }
        return finite;
    }

    /** A self-trained model, its model-file bytes (what goes into state) and whether it is the full mode. */
    record Trained(FeatureModel model, byte[] bytes, boolean full) {
    }
}
