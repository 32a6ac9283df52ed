package dev.anomaly.sources.replay;

import java.util.List;

/**
 * The enumerator's checkpoint: the splits not yet assigned to a reader (assigned ones are in the readers' state).
 *
 * @param pending unassigned splits, in file-list order
 */
public record ReplayEnumeratorState(List<ReplayFileSplit> pending) {

    public ReplayEnumeratorState {
        pending = List.copyOf(pending);
    }
}
