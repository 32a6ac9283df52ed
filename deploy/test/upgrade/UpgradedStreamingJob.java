package dev.anomaly.job.graph;

import dev.anomaly.job.config.JobConfig;
import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * "Build B" of deploy/test/savepoint-upgrade.sh: the streaming job with one more operator, a stateless counting map
 * between the source and the keyed detection (so the job graph and its operator chains differ from build A's).
 * The script compiles this file against anomaly-job.jar and adds it to a copy of the jar as its Main-Class; it is in
 * the job's package to reuse the package-private source factory. Not part of the product.
 */
public final class UpgradedStreamingJob {

    private UpgradedStreamingJob() {
    }

    /** The added operator: passes every sample through and counts them. */
    static final class CountingPassThrough extends RichMapFunction<Sample, Sample> {
        private static final long serialVersionUID = 1L;
        private transient Counter seen;

        @Override
        public void open(OpenContext openContext) {
            seen = getRuntimeContext().getMetricGroup().counter("upgrade_samples_seen");
        }

        @Override
        public Sample map(Sample s) {
            seen.inc();
            return s;
        }
    }

    public static void main(String[] args) throws Exception {
        JobConfig config = JobArguments.parse(args).load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSettings.clusterDefaults(env.getConfiguration(), config));
        env.configure(FlinkSettings.jobLevel(config));
        DeviceSelection.resolve(config.device());
        DataStream<Sample> samples = SampleSources.create(env, config)
                .map(new CountingPassThrough()).uid("upgrade-pass-through").name("build B: counting pass-through");
        DetectionPipeline.attach(samples, config);
        env.execute(StreamingJob.JOB_NAME);
    }
}
