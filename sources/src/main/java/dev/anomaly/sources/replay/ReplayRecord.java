package dev.anomaly.sources.replay;

import dev.anomaly.models.records.Sample;

/**
 * What the fetcher hands the emitter for one data line: the sample, or the reason the line was skipped, plus the
 * split's progress once the line is consumed.
 *
 * @param sample the sample, or null for a malformed line
 * @param reason for a malformed line, the counted reason
 * @param detail for a malformed line, what was wrong and where
 * @param linesConsumed lines after the header consumed including this one
 * @param shiftMs the timestamp shift in use for the file
 */
record ReplayRecord(Sample sample, String reason, String detail, long linesConsumed, long shiftMs) {
}
