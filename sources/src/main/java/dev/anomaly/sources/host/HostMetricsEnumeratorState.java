package dev.anomaly.sources.host;

/**
 * The enumerator's checkpoint.
 *
 * @param splitPending true while the split has not been handed to subtask 0 (else it is in that reader's state)
 */
public record HostMetricsEnumeratorState(boolean splitPending) {
}
