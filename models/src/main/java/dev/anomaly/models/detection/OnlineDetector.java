package dev.anomaly.models.detection;

/** A trained per-series detector that scores observations one at a time and then learns from them. Not thread-safe. */
public interface OnlineDetector {

    /** Scores {@code value} (NaN = missing) against what was learned so far, then learns from it. */
    Detection update(double value);
}
