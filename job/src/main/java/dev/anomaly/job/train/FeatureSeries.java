package dev.anomaly.job.train;

import java.nio.file.Path;
import java.util.List;

/**
 * One feature's training series as read from its file.
 *
 * @param name the feature name (a column header, a file stem, or a path relative to the input directory)
 * @param source the file it was read from
 * @param timestamps each row's timestamp text as in the file; empty when the file has no timestamp column
 * @param values each row's value; NaN where the field is empty or {@code NaN}
 */
public record FeatureSeries(String name, Path source, List<String> timestamps, double[] values) {

    /** Checks that timestamps, when present, match the values row for row. */
    public FeatureSeries {
        timestamps = List.copyOf(timestamps);
        if (!timestamps.isEmpty() && timestamps.size() != values.length) {
            throw new IllegalArgumentException(name + ": " + timestamps.size() + " timestamps for " + values.length
                    + " values");
        }
    }

    /** Number of rows. */
    public int rows() {
        return values.length;
    }
}
