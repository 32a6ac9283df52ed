package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;

import java.util.List;

/**
 * What the fetcher thread hands to the reader: all samples of one split with timestamps in
 * {@code (previous group's upToMs, upToMs]}, in timestamp order. The reader emits a group whole and then sets the
 * split's progress to {@code upToMs}, so a checkpoint never falls inside a group: restore re-reads exactly the
 * groups not yet emitted.
 */
record SampleGroup(long upToMs, List<Sample> samples) {
}
