package dev.anomaly.operators.detection;

import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.SMALL;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.STEP;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.feed;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * With RocksDB every state read is a fresh copy, self-trained model bytes included: the operator keeps the decoded
 * models (scoring.model-cache-size) and decodes one only when it is not kept or its bytes changed.
 */
class DecodedModelCacheTest {
    static final int N = 160;

    static DetectionSettings settings(int cacheSize) {
        return new DetectionSettings(DetectorMode.HYBRID, SMALL, null, Map.of(), STEP, 20, 60, 5, 3, 100, true, 0,
                false, 0, 1, cacheSize);
    }

    record Run(List<String> results, long decodes) {
    }

    /** Feeds samples [from, to) of the two test series with RocksDB state, restoring {@code from} if given. */
    static Run run(DetectionSettings s, OperatorSubtaskState from, int start, int end, OperatorSubtaskState[] snapshot,
                   boolean rocksdb) throws Exception {
        SeriesDetectionFunction f = new SeriesDetectionFunction(s);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, Sample, DetectionResult>(
                new KeyedProcessOperator<>(f), Sample::seriesId, Types.STRING)) {
            if (rocksdb) {
                h.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
            h.setup();
            if (from != null) {
                h.initializeState(from);
            }
            h.open();
            feed(h, series(N, 7), start, end);
            if (snapshot != null) {
                snapshot[0] = h.snapshot(1, end);
            } else {
                h.processWatermark(Long.MAX_VALUE);
            }
            return new Run(h.extractOutputValues().stream().map(SeriesDetectionFunctionTest::fields).toList(),
                    f.modelDecodes());
        }
    }

    @Test
    void rocksDbStateDecodesEachSelfTrainedModelOnlyWhenItIsNotKept() throws Exception {
        Run heap = run(settings(100), null, 0, N, null, false);
        Run cached = run(settings(100), null, 0, N, null, true);
        Run uncached = run(settings(0), null, 0, N, null, true);
        assertThat(cached.results()).containsExactlyElementsOf(heap.results());
        assertThat(uncached.results()).containsExactlyElementsOf(heap.results());
        // each model is kept as it is trained: nothing to decode; without the cache, one decode per self-trained
        // sample of each series (early SARIMA from sample 20, so at least 2 x 130)
        assertThat(cached.decodes()).isZero();
        assertThat(uncached.decodes()).isGreaterThanOrEqualTo(2L * (N - 1 - 20));
        // a cache smaller than the series: the two series evict each other, every read decodes
        assertThat(run(settings(1), null, 0, N, null, true).decodes()).isEqualTo(uncached.decodes());
    }

    @Test
    void afterARestoreEachSeriesDecodesItsModelOnce() throws Exception {
        OperatorSubtaskState[] snapshot = new OperatorSubtaskState[1];
        Run first = run(settings(100), null, 0, 100, snapshot, true);
        Run resumed = run(settings(100), snapshot[0], 100, N, null, true);
        assertThat(resumed.decodes()).isEqualTo(2);
        List<String> all = new ArrayList<>(first.results());
        all.addAll(resumed.results());
        assertThat(all).containsExactlyElementsOf(run(settings(100), null, 0, N, null, false).results());
    }
}
