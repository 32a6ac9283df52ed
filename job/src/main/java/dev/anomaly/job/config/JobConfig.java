package dev.anomaly.job.config;

import dev.anomaly.operators.detection.DetectionSettings;
import dev.anomaly.operators.detection.InferenceBatching;
import java.time.Duration;
import java.util.Map;

/**
 * The validated job configuration ({@link ConfigLoader} builds it from YAML and {@code --set} overrides).
 *
 * @param fetchInterval FETCH_INTERVAL: how often sources sample, and the spacing the detector expects
 * @param features FEATURES, by name in file order (empty = everything the source offers)
 * @param detection the detector settings (SEQ_LEN, MODEL_PATH, THRESHOLDS, warm-up, scoring, LSTM)
 * @param inference LSTM inference batched across series ({@code inference.batch-size}, {@code inference.max-delay})
 * @param device DEVICE
 * @param redacted the effective configuration as YAML with secrets masked, for logs
 */
public record JobConfig(Duration fetchInterval, Map<String, FeatureSpec> features, DetectionSettings detection,
                        InferenceBatching inference, Device device, SourceSettings source, SinkSettings sinks, RuntimeSettings runtime,
                        String redacted) {
}
