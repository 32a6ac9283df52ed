package dev.anomaly.job.graph;

import dev.anomaly.job.config.ConfigException;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.models.records.Sample;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The configured source as a stream of samples with timestamps and watermarks. */
final class SampleSources {

    private SampleSources() {
    }

    static DataStream<Sample> create(StreamExecutionEnvironment env, JobConfig config) {
        throw new ConfigException("source.type " + config.source().type() + " is not wired in yet");
    }
}
