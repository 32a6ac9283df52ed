package dev.anomaly.models.evaluation;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One row of a detector's output on a NAB file: its timestamp and whether the detector flagged it.
 *
 * @param timestamp the row's timestamp as in the data file
 * @param detected the detector's 0/1 decision for the row
 */
public record NabRow(LocalDateTime timestamp, boolean detected) {

    /** Checks that the timestamp is present. */
    public NabRow {
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
