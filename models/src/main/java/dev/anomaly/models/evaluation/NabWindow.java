package dev.anomaly.models.evaluation;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One NAB anomaly window as labelled: inclusive start and end timestamps, to be matched against a file's rows.
 *
 * @param start timestamp of the window's first row
 * @param end timestamp of the window's last row (inclusive)
 */
public record NabWindow(LocalDateTime start, LocalDateTime end) {

    /** Checks that both ends are present and that the window does not end before it starts. */
    public NabWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("window end " + end + " is before its start " + start);
        }
    }
}
