package dev.anomaly.models.artifact;

/** What a feature was trained on: the source, how many points, and the first and last timestamps (text, may be empty). */
public record TrainingRange(String source, int points, String from, String to, double seconds) {
}
