package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;

import java.util.List;

/**
 * The samples of one {@code query_range} answer.
 *
 * @param samples every accepted sample, ordered by timestamp, then series id (so each series is in time order)
 * @param malformedValues values that were skipped: {@code +Inf}, {@code -Inf} or not a number at all
 * @param ambiguousValues values that were skipped because their series differs from an earlier one of the answer
 *                        only in {@code __name__} (the detector would see one series)
 * @param ambiguity       the first two such series, described; null when there were none
 * @param series          the series in the answer
 */
public record ParsedRange(List<Sample> samples, int malformedValues, int ambiguousValues, String ambiguity,
                          int series) {

    public ParsedRange {
        samples = List.copyOf(samples);
    }
}
