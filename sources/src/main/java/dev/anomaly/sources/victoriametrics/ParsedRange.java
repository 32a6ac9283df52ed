package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;

import java.util.List;

/**
 * The samples of one {@code query_range} answer.
 *
 * @param samples every accepted sample, ordered by timestamp, then series id (so each series is in time order)
 * @param malformedValues values that were skipped: {@code +Inf}, {@code -Inf} or not a number at all
 */
public record ParsedRange(List<Sample> samples, int malformedValues) {

    public ParsedRange {
        samples = List.copyOf(samples);
    }
}
