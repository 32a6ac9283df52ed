package dev.anomaly.models.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A detector's NAB result on a corpus under one profile: the normalised 0..100 score and the raw scores behind it.
 *
 * @param profile the application profile that weighted the detections
 * @param threshold the global threshold: rows whose score is at least this count as detections
 * @param normalised {@code 100 (raw - nullRaw) / (perfectRaw - nullRaw)}; NaN for a corpus without windows
 * @param raw corpus raw score S, the sum of {@code rawByFile}
 * @param nullRaw raw score of the detector that never fires, {@code -A_FN * windowCount}
 * @param perfectRaw raw score of the detector that fires on each window's first row only, {@code A_TP * windowCount}
 * @param windowCount number of windows in the corpus
 * @param rawByFile raw score per file name, in corpus order
 */
public record NabScore(NabProfile profile, double threshold, double normalised, double raw, double nullRaw,
        double perfectRaw, int windowCount, Map<String, Double> rawByFile) {

    /** Checks presence and freezes the per-file map. */
    public NabScore {
        Objects.requireNonNull(profile, "profile");
        rawByFile = Collections.unmodifiableMap(new LinkedHashMap<>(rawByFile));
    }
}
