package dev.anomaly.job.graph;

import dev.anomaly.job.config.JobConfig;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's main class for a Flink cluster ({@code flink run anomaly-job.jar --config job.yaml [--set k=v]}):
 * builds the graph from the configuration into the cluster's environment and runs it.
 */
public final class StreamingJob {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);
    /** The Flink job name. */
    public static final String JOB_NAME = "anomaly-detection";

    private StreamingJob() {
    }

    public static void main(String[] args) throws Exception {
        JobConfig config = JobArguments.parse(args).load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration defaults = FlinkSettings.clusterDefaults(env.getConfiguration(),
                config);
        if (!defaults.keySet().isEmpty()) {
            LOG.info("not set by the job or the Flink configuration, defaulted at job level: {}", defaults.toMap());
        }
        env.configure(defaults);
        env.configure(FlinkSettings.jobLevel(config));
        build(env, config);
        env.execute(JOB_NAME);
    }

    /** Adds the whole job (source, detection, sinks) to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        DeviceSelection.resolve(config.device());
        LOG.info("anomaly-detection configuration:\n{}", config.redacted());
        DetectionPipeline.attach(SampleSources.create(env, config), config);
    }

    /** Starts the job without waiting for it. */
    public static JobClient start(StreamExecutionEnvironment env, JobConfig config) throws Exception {
        build(env, config);
        return env.executeAsync(JOB_NAME);
    }
}
