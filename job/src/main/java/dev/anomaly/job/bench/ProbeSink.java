package dev.anomaly.job.bench;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.Serializable;

/**
 * The benchmarks' end of the job: hands each result to a probe in the same JVM (the MiniCluster's TaskManager runs
 * in the benchmark's process) and keeps nothing, so the sink costs the job no more than the probe's bookkeeping.
 */
final class ProbeSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** What the probe does with one result, at the time it arrives. */
    @FunctionalInterface
    interface Probe<T> extends Serializable {
        void record(T result);
    }

    private final Probe<T> probe;

    ProbeSink(Probe<T> probe) {
        this.probe = probe;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(T result, Context context) {
                probe.record(result);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
