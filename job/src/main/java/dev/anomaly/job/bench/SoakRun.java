package dev.anomaly.job.bench;

import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.job.files.DirectoryTrees;
import dev.anomaly.job.graph.DetectionPipeline;
import dev.anomaly.job.graph.FlinkSettings;
import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.Sample;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The soak test ({@code scripts/soak.sh}): the whole detection job on a MiniCluster in this JVM, fed by a
 * rate-limited generator — {@code series} synthetic seasonal series ({@link BenchModel#value}), each at
 * {@code rate} samples per second — for {@code duration}, sampled every {@code sampleEvery}. The model is trained
 * up front and loaded through {@code model-path} (no self-training), as in {@code bench --mode job}; forecasts and
 * per-series gauges are off, the log sink is off, state is hashmap with full checkpoints every
 * {@code checkpointInterval}.
 * <p>
 * Each report row: heap used/committed of this JVM (the MiniCluster's task heap lives here), the size of the last
 * completed checkpoint, the <b>event-time lag</b> = now − the newest event time a result reached the sink with
 * (event times follow the real-time schedule: step k of a subtask is stamped {@code base + k / rate}, base = when
 * that subtask emitted its first sample, so the lag grows when the job falls behind the schedule), the latency
 * p50/p99 of the interval (sample created → its result at the sink), and samples generated / results seen per
 * second over the interval.
 */
public final class SoakRun {
    private static final int RING = 64;

    /** Shared between the generator, the sink and the sampler: all in one JVM (MiniCluster). */
    static final class Probe {
        static volatile AtomicLongArray created;
        static volatile AtomicReference<LatencyHistogram> latency = new AtomicReference<>(new LatencyHistogram());
        static final AtomicLong generated = new AtomicLong();
        static final AtomicLong results = new AtomicLong();
        static final AtomicLong newestEventMs = new AtomicLong(Long.MIN_VALUE);
    }

    /** The ring slot of series {@code s}'s sample with event time {@code eventMs}: generator and sink agree on it. */
    static int slot(int s, long eventMs, long intervalMs) {
        return s * RING + (int) Math.floorMod(Math.floorDiv(eventMs, intervalMs), (long) RING);
    }

    /** The settings of one soak run. */
    public record Settings(int series, double rate, Duration duration, Duration sampleEvery, int parallelism,
                           int seqLen, Duration checkpointInterval, Path report) {
        long intervalMs() {
            return Math.max(1, Math.round(1000 / rate));
        }
    }

    private SoakRun() {
    }

    /**
     * {@code SoakRun [--series 10000] [--rate 1] [--duration 1h] [--sample-every 60s] [--parallelism 2]
     * [--seq-len 60] [--checkpoint-interval 30s] --report FILE.md}
     */
    public static void main(String[] args) throws Exception {
        Settings s = parse(args);
        run(s);
    }

    static Settings parse(String[] args) {
        int series = 10_000;
        double rate = 1;
        Duration duration = Duration.ofHours(1);
        Duration every = Duration.ofMinutes(1);
        int parallelism = 2;
        int seqLen = 60;
        Duration checkpoint = Duration.ofSeconds(30);
        Path report = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("soak: " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--series" -> series = Integer.parseInt(v);
                case "--rate" -> rate = Double.parseDouble(v);
                case "--duration" -> duration = duration(a, v);
                case "--sample-every" -> every = duration(a, v);
                case "--parallelism" -> parallelism = Integer.parseInt(v);
                case "--seq-len" -> seqLen = Integer.parseInt(v);
                case "--checkpoint-interval" -> checkpoint = duration(a, v);
                case "--report" -> report = Path.of(v);
                default -> throw new IllegalArgumentException("soak: unknown option " + a + "; allowed: --series,"
                        + " --rate, --duration, --sample-every, --parallelism, --seq-len, --checkpoint-interval,"
                        + " --report");
            }
        }
        if (series < 1 || rate <= 0 || rate > 1000 || parallelism < 1 || seqLen < 2 || report == null) {
            throw new IllegalArgumentException("soak: need --series >= 1, 0 < --rate <= 1000, --parallelism >= 1,"
                    + " --seq-len >= 2 and --report FILE");
        }
        return new Settings(series, rate, duration, every, parallelism, seqLen, checkpoint, report);
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms}; a bare number is seconds. */
    static Duration duration(String option, String text) {
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("soak: " + option + " must be a duration like 90s, 5m or 1h, got '"
                    + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    public static void run(Settings s) throws Exception {
        Path work = Files.createTempDirectory("anomaly-soak");
        long trainStart = System.nanoTime();
        FeatureModel model = BenchModel.train(s.seqLen());
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        Path modelFile = work.resolve("soak-model.zip");
        ModelFile.write(new TrainedModel(Map.of("bench", model),
                Map.of("bench", new TrainingRange("synthetic", BenchModel.TRAINING_POINTS, "0", "719", 0.0))),
                modelFile);
        JobConfig config = ConfigLoader.load(null, List.of(
                "model-path=" + modelFile,
                "seq-len=" + s.seqLen(),
                "fetch-interval=" + s.intervalMs() + "ms",
                "scoring.forecast-horizon=0",
                "metrics.per-series=false",
                "sinks.log.enabled=false",
                "source.out-of-orderness=0ms",
                "flink.parallelism=" + s.parallelism()));

        Probe.created = new AtomicLongArray(s.series() * RING);
        Probe.latency.set(new LatencyHistogram());

        Configuration conf = FlinkSettings.jobLevel(config);
        conf.setString("execution.checkpointing.interval", s.checkpointInterval().toMillis() + " ms");
        conf.setString("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        conf.setString("state.backend.type", "hashmap");
        conf.setString("execution.checkpointing.incremental", "false");
        conf.setString("pipeline.auto-watermark-interval", "200 ms");
        conf.setString("taskmanager.numberOfTaskSlots", String.valueOf(s.parallelism()));
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("rest.address", "127.0.0.1");
        conf.setString("rest.port", "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(s.parallelism());
        DataGeneratorSource<Sample> source = new DataGeneratorSource<>(
                new ScheduledGenerator(s.series(), s.intervalMs()), Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(s.series() * s.rate()), TypeInformation.of(Sample.class));
        DataStream<Sample> samples = env.fromSource(source, DetectionPipeline.watermarks(config), "soak samples")
                .uid("soak-source");
        long intervalMs = s.intervalMs();
        ProbeSink<DetectionResult> sink = new ProbeSink<>(r -> recordResult(r, intervalMs));
        DetectionPipeline.attach(samples, config).sinkTo(sink).uid("soak-sink").name("soak probe (discarding)");

        Files.createDirectories(s.report().toAbsolutePath().getParent());
        String header = header(s, trainSeconds);
        Files.writeString(s.report(), header, StandardCharsets.UTF_8);
        System.out.print(header);

        MiniClusterConfiguration mc = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(s.parallelism()).build();
        List<String> rows = new ArrayList<>();
        try (MiniCluster cluster = new MiniCluster(mc)) {
            cluster.start();
            JobID id = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
            long start = System.nanoTime();
            long end = start + s.duration().toNanos();
            long lastGenerated = 0;
            long lastResults = 0;
            long lastAt = start;
            int minute = 0;
            while (System.nanoTime() < end) {
                long next = Math.min(end, lastAt + s.sampleEvery().toNanos());
                while (System.nanoTime() < next) {
                    JobStatus st = cluster.getJobStatus(id).get();
                    if (st.isGloballyTerminalState()) {
                        throw new IllegalStateException("soak job ended early: " + st);
                    }
                    Thread.sleep(Math.min(1000, Math.max(1, (next - System.nanoTime()) / 1_000_000)));
                }
                long now = System.nanoTime();
                double seconds = (now - lastAt) / 1e9;
                long generated = Probe.generated.get();
                long results = Probe.results.get();
                LatencyHistogram interval = Probe.latency.getAndSet(new LatencyHistogram());
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                ArchivedExecutionGraph graph = cluster.getArchivedExecutionGraph(id).get();
                CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
                CompletedCheckpointStats cp = stats == null ? null : stats.getHistory().getLatestCompletedCheckpoint();
                long newest = Probe.newestEventMs.get();
                String lag = newest == Long.MIN_VALUE ? "n/a"
                        : String.format(Locale.ROOT, "%.1f", (System.currentTimeMillis() - newest) / 1000.0);
                minute++;
                String row = String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %s | %s | %s | %s | %.1f | %.1f"
                                + " | %.0f | %.0f |%n", minute, (now - start) / 1e9,
                        heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0,
                        cp == null ? "none" : Long.toString(cp.getCheckpointId()),
                        cp == null ? "n/a" : String.format(Locale.ROOT, "%.2f", cp.getStateSize() / 1048576.0),
                        stats == null ? "n/a" : Long.toString(stats.getCounts().getNumberOfFailedCheckpoints()),
                        lag, interval.quantileMs(0.5), interval.quantileMs(0.99),
                        (generated - lastGenerated) / seconds, (results - lastResults) / seconds);
                rows.add(row);
                Files.writeString(s.report(), row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                System.out.print(row);
                lastGenerated = generated;
                lastResults = results;
                lastAt = now;
            }
            cluster.cancelJob(id).get();
            String footer = String.format(Locale.ROOT, "%nTotals: %,d samples generated, %,d results in %.0f s.%n",
                    Probe.generated.get(), Probe.results.get(), (System.nanoTime() - start) / 1e9);
            Files.writeString(s.report(), footer, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            System.out.print(footer);
        } finally {
            DirectoryTrees.deleteQuietly(work);
        }
    }

    private static String header(Settings s, double trainSeconds) {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "# Soak run %s%n%n"
                        + "- series: %,d at %s samples/s each (%,.0f samples/s in total), duration %s, sampled every %s%n"
                        + "- job: MiniCluster in one JVM, parallelism %d, hashmap state, full checkpoints every %s;"
                        + " model trained up front (hybrid, SEQ_LEN %d, %.1f s) and loaded via model-path;"
                        + " forecasts off, per-series gauges off, log sink off%n"
                        + "- JVM: %s, max heap %.0f MiB, %d available processors%n%n"
                        + "Columns: heap of this JVM (MiB); last completed checkpoint (id, full state size MiB, failed"
                        + " checkpoints so far); event-time lag = now − newest event time at the sink (s); latency"
                        + " sample created → result at the sink over the interval (p50/p99 ms); samples generated and"
                        + " results seen per second over the interval.%n%n"
                        + "| # | elapsed s | heap used | heap committed | checkpoint | state MiB | failed cps | lag s"
                        + " | p50 ms | p99 ms | generated/s | results/s |%n"
                        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n",
                Instant.now(), s.series(), s.rate(), s.series() * s.rate(), s.duration(), s.sampleEvery(),
                s.parallelism(), s.checkpointInterval(), s.seqLen(), trainSeconds,
                System.getProperty("java.version"), rt.maxMemory() / 1048576.0, rt.availableProcessors());
    }

    /**
     * Emits the series of its subtask round-robin on the real-time schedule the rate limiter paces: step k of this
     * subtask's series carries event time {@code base + k * intervalMs}, base = the wall time of its first sample.
     * Series {@code i} belongs to subtask {@code i % parallelism}; the index Flink passes is ignored, so the split
     * layout of the generator never shifts the schedule.
     */
    static final class ScheduledGenerator implements GeneratorFunction<Long, Sample> {
        private static final long serialVersionUID = 1L;
        private final int series;
        private final long intervalMs;
        private transient ReaderSeries own;
        private transient long counter;
        private transient long baseMs;

        ScheduledGenerator(int series, long intervalMs) {
            this.series = series;
            this.intervalMs = intervalMs;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            own = ReaderSeries.of(readerContext, series, "soak-");
            baseMs = -1;
        }

        @Override
        public Sample map(Long ignoredIndex) {
            int s = own.seriesAt(counter);
            if (baseMs < 0) {
                baseMs = System.currentTimeMillis();
            }
            long step = own.stepAt(counter);
            counter++;
            long eventMs = baseMs + step * intervalMs;
            Probe.created.set(slot(s, eventMs, intervalMs), System.nanoTime());
            Probe.generated.incrementAndGet();
            return own.sample(s, eventMs, BenchModel.value(s, step));
        }
    }

    /** Records a result's latency (from its sample's creation), arrival and event time. */
    static void recordResult(DetectionResult r, long intervalMs) {
        long now = System.nanoTime();
        String id = r.seriesId();
        int at = id.lastIndexOf("soak-");
        int s = Integer.parseInt(id.substring(at + 5, id.indexOf('"', at)));
        long created = Probe.created.get(slot(s, r.timestampMs(), intervalMs));
        Probe.latency.get().record(now - created);
        Probe.results.incrementAndGet();
        Probe.newestEventMs.accumulateAndGet(r.timestampMs(), Math::max);
    }
}
