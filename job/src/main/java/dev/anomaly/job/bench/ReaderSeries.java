package dev.anomaly.job.bench;

import dev.anomaly.models.records.Sample;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;

/**
 * The synthetic series one generator reader emits: series {@code s} belongs to reader {@code s % parallelism}, so
 * every reader walks event time at the same pace and each series arrives in order. Round {@code k} of the reader's
 * counter is step {@code k / size} of its series number {@code k % size}. Shared by the job bench and the soak.
 */
final class ReaderSeries {
    private final int[] mine;
    private final String[] ids;
    private final Map<String, String>[] labels;

    @SuppressWarnings("unchecked")
    private ReaderSeries(int series, int subtask, int parallelism, String instancePrefix) {
        mine = new int[series > subtask ? (series - subtask + parallelism - 1) / parallelism : 0];
        ids = new String[series];
        labels = new Map[series];
        for (int i = 0; i < mine.length; i++) {
            int s = subtask + i * parallelism;
            mine[i] = s;
            labels[s] = Map.of("instance", instancePrefix + s);
            ids[s] = Sample.of("bench", "bench_metric", labels[s], 0, 0).seriesId();
        }
    }

    /** The series of {@code reader}'s subtask, labelled {@code instance=<prefix><s>}. */
    static ReaderSeries of(SourceReaderContext reader, int series, String instancePrefix) {
        return new ReaderSeries(series, reader.getIndexOfSubtask(), reader.currentParallelism(), instancePrefix);
    }

    /** The series emitted at round {@code counter}; fails for a reader that owns no series. */
    int seriesAt(long counter) {
        if (mine.length == 0) {
            throw new IllegalStateException("generator subtask without series: use --series >= parallelism");
        }
        return mine[(int) (counter % mine.length)];
    }

    /** The step of that series at round {@code counter}. */
    long stepAt(long counter) {
        return counter / mine.length;
    }

    /** Sample {@code value} of series {@code s} at {@code eventMs}. */
    Sample sample(int s, long eventMs, double value) {
        return new Sample(ids[s], "bench", "bench_metric", labels[s], eventMs, value);
    }
}
