package dev.anomaly.sources.victoriametrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The enumerator's state across restores that change the configured queries. */
class QuerySplitEnumeratorTest {

    private static VictoriaMetricsSource source(String... features) {
        VictoriaMetricsSource.Builder b = VictoriaMetricsSource.builder().url("http://127.0.0.1:8428");
        for (String f : features) {
            b.query(f, "up");
        }
        return b.build();
    }

    private static QueryEnumeratorState restoredAndSnapshotted(VictoriaMetricsSource source,
                                                              QueryEnumeratorState checkpoint) throws Exception {
        // the context is only used once the enumerator starts and readers register
        return source.restoreEnumerator(null, checkpoint).snapshotState(1);
    }

    @Test
    void aFeatureRemovedInOneRestoreAndAddedBackInTheNextIsReadAgain() throws Exception {
        QueryEnumeratorState running = new QueryEnumeratorState(Set.of("cpu", "memory"), List.of());

        QueryEnumeratorState withoutMemory = restoredAndSnapshotted(source("cpu"), running);
        assertThat(withoutMemory.assignedFeatures()).containsExactly("cpu");
        assertThat(withoutMemory.unassigned()).isEmpty();

        long before = System.currentTimeMillis();
        QueryEnumeratorState memoryBack = restoredAndSnapshotted(source("cpu", "memory"), withoutMemory);
        assertThat(memoryBack.assignedFeatures()).containsExactly("cpu");
        assertThat(memoryBack.unassigned()).extracting(QuerySplit::feature).containsExactly("memory");
        // a new split, reading from restore time - lookBack
        long lookBackMs = source("memory").config().lookBackMs();
        assertThat(memoryBack.unassigned().get(0).lastEndMs()).isGreaterThanOrEqualTo(before - lookBackMs - 1);
    }

    @Test
    void anUnassignedSplitOfARemovedFeatureIsDropped() throws Exception {
        QuerySplit memory = new QuerySplit("memory", "up", 1_700_000_000_000L);
        QueryEnumeratorState checkpoint = new QueryEnumeratorState(Set.of("cpu"), List.of(memory));
        QueryEnumeratorState restored = restoredAndSnapshotted(source("cpu"), checkpoint);
        assertThat(restored.unassigned()).isEmpty();
        assertThat(restored.assignedFeatures()).containsExactly("cpu");
        // and a feature still configured keeps its unassigned split with its progress
        QueryEnumeratorState kept = restoredAndSnapshotted(source("cpu", "memory"), checkpoint);
        assertThat(kept.unassigned()).containsExactly(memory);
    }
}
