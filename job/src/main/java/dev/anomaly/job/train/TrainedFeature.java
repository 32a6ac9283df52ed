package dev.anomaly.job.train;

import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.hybrid.FeatureModel;

/**
 * One trained feature with what the summary reports about it.
 *
 * @param name the feature name
 * @param model the trained model
 * @param range what it was trained on (the training window: the most recent rows up to max-training-points)
 * @param rows rows in the input, of which {@code range.points()} were used
 * @param logLikelihood exact log-likelihood of the SARIMA part on the differenced training window; NaN without one
 * @param exactFit the model predicts its training window exactly and knows no noise
 *     ({@link dev.anomaly.models.hybrid.SarimaEeLstmTrainer#fitsExactly})
 */
public record TrainedFeature(String name, FeatureModel model, TrainingRange range, int rows, double logLikelihood,
                             boolean exactFit) {
}
