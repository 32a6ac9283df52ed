package dev.anomaly.operators.detection;

import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.hybrid.FeatureModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The trained models of MODEL_PATH, one per feature, loaded once per task, with the THRESHOLDS overrides applied.
 * Features without a trained model self-train per series.
 */
final class FeatureModels {
    private final Map<String, FeatureModel> byFeature;

    private FeatureModels(Map<String, FeatureModel> byFeature) {
        this.byFeature = byFeature;
    }

    /** Loads {@code settings.modelPath()} (none when null). */
    static FeatureModels load(DetectionSettings settings) {
        Map<String, FeatureModel> models = new HashMap<>();
        if (settings.modelPath() != null) {
            TrainedModel file = ModelFile.read(Path.of(settings.modelPath()));
            for (Map.Entry<String, FeatureModel> e : file.features().entrySet()) {
                models.put(e.getKey(), withThreshold(e.getValue(), e.getKey(), settings));
            }
        }
        return new FeatureModels(models);
    }

    /** The trained model of {@code feature}, or null when it must self-train. */
    FeatureModel trained(String feature) {
        return byFeature.get(feature);
    }

    /** {@code model} with the THRESHOLDS override of {@code feature}, if any. */
    static FeatureModel withThreshold(FeatureModel model, String feature, DetectionSettings settings) {
        Double fixed = settings.thresholds().get(feature);
        return fixed == null ? model : model.withThreshold(fixed);
    }

    /**
     * A self-trained {@code model} (its only fixed threshold is the one THRESHOLDS gave it when it was trained) with
     * the THRESHOLDS of now: another value, or none, after a restore with a changed configuration.
     */
    static FeatureModel withCurrentThreshold(FeatureModel model, String feature, DetectionSettings settings) {
        Double fixed = settings.thresholds().get(feature);
        double now = fixed == null ? Double.NaN : fixed;
        return Double.compare(model.thresholdOverride(), now) == 0 ? model : model.withThreshold(now);
    }
}
