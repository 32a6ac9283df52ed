package dev.anomaly.sources.victoriametrics;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The enumerator's checkpoint: features whose splits readers own (their progress is in the readers' state)
 * and splits not yet handed to a reader.
 */
public record QueryEnumeratorState(Set<String> assignedFeatures, List<QuerySplit> unassigned) {

    public QueryEnumeratorState {
        assignedFeatures = Set.copyOf(new LinkedHashSet<>(assignedFeatures));
        unassigned = List.copyOf(unassigned);
    }
}
