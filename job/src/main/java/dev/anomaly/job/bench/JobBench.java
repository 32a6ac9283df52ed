package dev.anomaly.job.bench;

import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.job.graph.DetectionPipeline;
import dev.anomaly.job.graph.FlinkSettings;
import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code bench --mode job}: the whole detection job on a MiniCluster in this JVM. A {@link DataGeneratorSource}
 * emits {@code samples} samples round-robin over {@code series} synthetic series (one FETCH_INTERVAL step per
 * round), {@link DetectionPipeline#attach} keys them into the detection operator (model from a model file trained
 * up front, per-series gauges off, forecasts off), and a latency sink discards the results. Latency = the wall time
 * a result reaches the sink minus the wall time the generator created its sample (both in this JVM: the generator
 * records each sample's creation time in a per-series ring that the sink reads). Throughput = samples over the time
 * from the first sample created to the last result seen. State = the full size of the last completed checkpoint
 * (hashmap backend, non-incremental) over the series.
 */
public final class JobBench {
    /** Steps of one series that may be in flight (created, result not yet seen); the ring of creation times. */
    static final int RING = 256;
    static final long INTERVAL_MS = 1000;

    /** Shared between the generator, the sink and this class: all in one JVM (MiniCluster). */
    static final class Probe {
        static volatile AtomicLongArray created;
        static volatile int series;
        static volatile LatencyHistogram latency;
        static final AtomicLong firstCreated = new AtomicLong(Long.MAX_VALUE);
        static final AtomicLong lastResult = new AtomicLong();
        static final AtomicLong results = new AtomicLong();
    }

    private JobBench() {
    }

    /**
     * Runs the job over {@code samples} samples; {@code rate} > 0 limits the generator to that many samples per
     * second in total (split over the parallel source readers), 0 runs it flat out.
     */
    public static BenchResult run(FeatureModel model, int series, long samples, int parallelism, int rate,
                                  Path workDir, List<String> extraSettings) throws Exception {
        Path modelFile = workDir.resolve("bench-model.zip");
        ModelFile.write(new TrainedModel(Map.of("bench", model),
                Map.of("bench", new TrainingRange("synthetic", BenchModel.TRAINING_POINTS, "0", "719", 0.0))),
                modelFile);
        List<String> settings = new java.util.ArrayList<>(List.of(
                "model-path=" + modelFile,
                "seq-len=" + model.config().seqLen(),
                "fetch-interval=" + INTERVAL_MS + "ms",
                "scoring.forecast-horizon=0",
                "metrics.per-series=false",
                "sinks.log.enabled=false",
                "source.out-of-orderness=0ms",
                "flink.parallelism=" + parallelism));
        settings.addAll(extraSettings);
        JobConfig config = ConfigLoader.load(null, settings);

        Probe.created = new AtomicLongArray(series * RING);
        Probe.series = series;
        Probe.latency = new LatencyHistogram();
        Probe.firstCreated.set(Long.MAX_VALUE);
        Probe.lastResult.set(0);
        Probe.results.set(0);

        Configuration conf = FlinkSettings.jobLevel(config);
        conf.setString("execution.checkpointing.interval", "2 s");
        conf.setString("execution.checkpointing.dir", workDir.resolve("checkpoints").toUri().toString());
        conf.setString("state.backend.type", "hashmap");
        conf.setString("execution.checkpointing.incremental", "false");
        conf.setString("pipeline.auto-watermark-interval", "50 ms");
        conf.setString("taskmanager.numberOfTaskSlots", String.valueOf(parallelism));
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("rest.address", "127.0.0.1");
        conf.setString("rest.port", "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        DataGeneratorSource<Sample> source = rate > 0
                ? new DataGeneratorSource<>(new SampleGenerator(series), samples, RateLimiterStrategy.perSecond(rate),
                TypeInformation.of(Sample.class))
                : new DataGeneratorSource<>(new SampleGenerator(series), samples, TypeInformation.of(Sample.class));
        DataStream<Sample> samplesStream = env.fromSource(source, DetectionPipeline.watermarks(config),
                "synthetic samples").uid("bench-source");
        DetectionPipeline.attach(samplesStream, config).sinkTo(new ProbeSink<>(JobBench::recordLatency))
                .uid("bench-latency-sink").name("latency (discarding)");

        MiniClusterConfiguration mc = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(parallelism).build();
        long wallStart = System.nanoTime();
        try (MiniCluster cluster = new MiniCluster(mc)) {
            cluster.start();
            JobID id = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
            JobResult result = cluster.requestJobResult(id).get();
            if (!result.isSuccess()) {
                throw new IllegalStateException("bench job failed",
                        result.getSerializedThrowable().map(t -> (Throwable) t).orElse(null));
            }
            ArchivedExecutionGraph graph = cluster.getArchivedExecutionGraph(id).get();
            CompletedCheckpointStats checkpoint = graph.getCheckpointStatsSnapshot() == null ? null
                    : graph.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
            double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
            double seconds = (Probe.lastResult.get() - Probe.firstCreated.get()) / 1e9;
            long checkpointBytes = checkpoint == null ? -1 : checkpoint.getStateSize();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mode", "job");
            details.put("series", series);
            details.put("samples", samples);
            details.put("parallelism", parallelism);
            details.put("rate_limit_per_sec", rate);
            details.put("lstm_state", model.config().lstmState().cliName());
            details.put("inference_batch_size", config.inference().batchSize());
            details.put("inference_max_delay_ms", config.inference().maxDelayMs());
            details.put("results", Probe.results.get());
            details.put("seconds", seconds);
            details.put("wall_seconds_with_startup", wallSeconds);
            details.put("seq_len", model.config().seqLen());
            details.put("hidden", model.config().hiddenSize());
            details.put("checkpoint_id", checkpoint == null ? -1 : checkpoint.getCheckpointId());
            details.put("checkpoint_bytes", checkpointBytes);
            details.put("per_series_metrics", false);
            details.put("forecast_horizon", 0);
            return new BenchResult(samples / seconds, Probe.latency.quantileMs(0.5), Probe.latency.quantileMs(0.99),
                    checkpointBytes < 0 ? Double.NaN : (double) checkpointBytes / series, details);
        }
    }

    /**
     * Emits the series of its subtask round-robin, one FETCH_INTERVAL step per round: series {@code s} belongs to
     * subtask {@code s % parallelism}, so every reader walks through event time at the same pace and a series
     * arrives in order. (Mapping Flink's index, {@code i % series} / {@code i / series}, gave the second reader the
     * second half of the run's time range, whose results then waited for the first reader's watermark: latency
     * that measured the split, not the job.) Records each sample's creation time.
     */
    static final class SampleGenerator implements GeneratorFunction<Long, Sample> {
        private static final long serialVersionUID = 1L;
        private final int series;
        private transient ReaderSeries own;
        private transient long counter;

        SampleGenerator(int series) {
            this.series = series;
        }

        @Override
        public void open(org.apache.flink.api.connector.source.SourceReaderContext readerContext) {
            own = ReaderSeries.of(readerContext, series, "bench-");
        }

        @Override
        public Sample map(Long ignoredIndex) {
            int s = own.seriesAt(counter);
            long step = own.stepAt(counter);
            counter++;
            long now = System.nanoTime();
            Probe.created.set(s * RING + (int) (step % RING), now);
            if (now < Probe.firstCreated.get()) {
                Probe.firstCreated.accumulateAndGet(now, Math::min);
            }
            return own.sample(s, step * INTERVAL_MS, BenchModel.value(s, step));
        }
    }

    /** Records a result's latency (from its sample's creation) and arrival. */
    static void recordLatency(DetectionResult r) {
        long now = System.nanoTime();
        String id = r.seriesId();
        int dash = id.lastIndexOf("bench-");
        int s = Integer.parseInt(id.substring(dash + 6, id.indexOf('"', dash)));
        long step = r.timestampMs() / INTERVAL_MS;
        Probe.latency.record(now - Probe.created.get(s * RING + (int) (step % RING)));
        Probe.results.incrementAndGet();
        Probe.lastResult.accumulateAndGet(now, Math::max);
    }

    static Path tempDir() throws IOException {
        return Files.createTempDirectory("anomaly-bench");
    }
}
