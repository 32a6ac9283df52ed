package dev.anomaly.models.artifact;

import dev.anomaly.models.hybrid.FeatureModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model file holds: one trained {@link FeatureModel} per feature name, with what each was trained on.
 * Feature order is kept.
 */
public record TrainedModel(Map<String, FeatureModel> features, Map<String, TrainingRange> training) {

    public TrainedModel {
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        training = Collections.unmodifiableMap(new LinkedHashMap<>(training));
        if (!training.keySet().equals(features.keySet())) {
            throw new IllegalArgumentException("training ranges " + training.keySet() + " do not match features "
                    + features.keySet());
        }
    }

    /** Feature names in file order. */
    public List<String> featureNames() {
        return List.copyOf(features.keySet());
    }

    /**
     * The model of {@code feature}.
     *
     * @throws ModelFileException naming the features the model has
     */
    public FeatureModel feature(String feature) {
        FeatureModel m = features.get(feature);
        if (m == null) {
            throw new ModelFileException("the model has no feature '" + feature + "'; it has " + features.keySet()
                    + " (retrain with that feature, or map the series to one of these)");
        }
        return m;
    }
}
