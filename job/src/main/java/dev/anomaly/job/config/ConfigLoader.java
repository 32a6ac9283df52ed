package dev.anomaly.job.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.LstmStateMode;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.hybrid.ThresholdRule;
import dev.anomaly.operators.detection.DetectionSettings;
import dev.anomaly.operators.detection.InferenceBatching;
import dev.anomaly.operators.sinks.KafkaResultSink;
import dev.anomaly.operators.sinks.VictoriaMetricsSink;
import dev.anomaly.sources.host.HostFeature;
import dev.anomaly.sources.prometheus.PrometheusValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the job configuration: an optional YAML file ({@code --config}) plus {@code --set key=value} overrides
 * (dotted keys, YAML scalar values), validated into a {@link JobConfig}. Every error names the key, what was wrong
 * and what is allowed; unknown keys are errors. Every key and its default is documented in the README and in
 * {@code examples/embedded.yaml}.
 */
public final class ConfigLoader {
    // A key given twice (a second "flink:" block) would silently replace the first, and a second document
    // ("---") would silently be ignored with every key in it: both are errors.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ConfigLoader() {
    }

    /** Loads {@code file} (null = defaults only) and applies {@code overrides} ("a.b.c=value"). */
    public static JobConfig load(Path file, List<String> overrides) {
        ObjectNode root = read(file);
        for (String o : overrides) {
            apply(root, o);
        }
        return parse(root);
    }

    private static ObjectNode read(Path file) {
        if (file == null) {
            return YAML.createObjectNode();
        }
        try {
            JsonNode n = YAML.readTree(Files.readString(file));
            if (n == null || n.isNull() || n.isMissingNode()) {
                return YAML.createObjectNode();
            }
            if (!n.isObject()) {
                throw new ConfigException("config file " + file + " must be a YAML mapping of keys to values");
            }
            return (ObjectNode) n;
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            String first = e.getMessage().split("\n")[0];
            if (first.startsWith("Trailing token")) {
                throw new ConfigException("config file " + file + " holds more than one YAML document (a '---' line):"
                        + " put every key in one document");
            }
            if (first.startsWith("Duplicate field")) {
                throw new ConfigException("config file " + file + " gives a key twice (" + first.replaceFirst(
                        "Duplicate field '([^']*)'.*", "'$1'") + " at the same level): merge the two into one");
            }
            throw new ConfigException("config file " + file + " is not valid YAML: " + first);
        }
    }

    private static void apply(ObjectNode root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set needs key=value (e.g. --set seq-len=60), got '"
                    + (SecretKeys.isSecret(override) ? SecretKeys.MASK + "' (hidden: it looks like a secret)"
                    : override + "'"));
        }
        // Dots separate levels; "\\." is a literal dot (pass-through property names such as ssl.truststore.password).
        String[] path = override.substring(0, eq).trim().split("(?<!\\\\)\\.");
        for (int i = 0; i < path.length; i++) {
            path[i] = path[i].replace("\\.", ".");
        }
        String text = override.substring(eq + 1);
        JsonNode value;
        try {
            value = YAML.readTree(text.isEmpty() ? "\"\"" : text);
        } catch (IOException e) {
            value = YAML.getNodeFactory().textNode(text);
        }
        ObjectNode at = root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode next = at.get(path[i]);
            if (next == null || !next.isObject()) {
                next = at.putObject(path[i]);
            }
            at = (ObjectNode) next;
        }
        at.set(path[path.length - 1], value == null || value.isMissingNode() ? YAML.getNodeFactory().nullNode()
                : value);
    }

    private static InferenceBatching inferenceBatching(int batchSize, Duration maxDelay) {
        try {
            return new InferenceBatching(batchSize, maxDelay.toMillis());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config key " + e.getMessage(), e);
        }
    }

    static JobConfig parse(ObjectNode tree) {
        ConfigNode root = new ConfigNode("", tree);
        Duration fetchInterval = root.duration("fetch-interval", Duration.ofSeconds(5), Duration.ofMillis(1));
        int seqLen = root.integer("seq-len", 30, 2, 10_000);
        String modelPath = root.pathString("model-path", null);
        if (modelPath != null && modelPath.isBlank()) {
            modelPath = null;
        }
        if (modelPath != null && !Files.isRegularFile(Path.of(modelPath))) {
            throw new ConfigException("config key 'model-path': " + modelPath + " does not exist (train one with"
                    + " 'bin/anomaly train', or leave model-path unset to self-train every series)");
        }
        Device device = root.choice("device", Device.AUTO, Device.class);
        DetectorMode mode = root.choice("mode", DetectorMode.HYBRID, DetectorMode.class);
        if (mode == DetectorMode.ZSCORE) {
            throw new ConfigException("config key 'mode' must be one of hybrid, sarima, lstm (zscore is an evaluation"
                    + " baseline only), got 'zscore'");
        }
        Map<String, Double> thresholds = new LinkedHashMap<>();
        ConfigNode th = root.child("thresholds");
        for (String f : th.names()) {
            thresholds.put(f, th.number(f, Double.NaN, 0, Double.POSITIVE_INFINITY));
        }
        Map<String, FeatureSpec> features = features(root.child("features"));

        ConfigNode warmup = root.child("warmup");
        int warmupSamples = warmup.integer("samples", 12, 1, 1_000_000);
        int fullSamples = warmup.integer("full-training-samples", 120, 0, 1_000_000);
        int trainingLag = warmup.integer("training-lag-samples", DetectionSettings.DEFAULT_TRAINING_LAG_SAMPLES, 0,
                1_000_000);
        int trainingThreads = warmup.integer("training-threads", 1, 1, 64);
        // default: re-estimate until the longest training history (scoring.max-training-points), read below; on NAB's
        // series all the refits of one cost 0.7 s of CPU (median), about twice its first training (bench/RESULTS.md)
        Integer reestimateSet = warmup.has("reestimate-until")
                ? warmup.integer("reestimate-until", 0, 0, 10_000_000) : null;
        warmup.rejectUnknown();

        ConfigNode scoring = root.child("scoring");
        double alarmProbability = scoring.number("alarm-probability", 1e-3, 0, 0.5);
        ThresholdRule rule = scoring.choice("threshold-rule", ThresholdRule.TAIL, ThresholdRule.class);
        int scoringWindow = scoring.integer("scoring-window", 1, 1, 10_000);
        int cooldown = scoring.integer("alarm-cooldown", 12, 0, 1_000_000);
        int horizon = scoring.integer("forecast-horizon", 6, 0, 1000);
        int maxGap = scoring.integer("max-gap-steps", 60, 0, 1_000_000);
        int maxTraining = scoring.integer("max-training-points", 4000, 50, 10_000_000);
        int reestimateUntil = reestimateSet != null ? reestimateSet : maxTraining;
        int modelCache = scoring.integer("model-cache-size", DetectionSettings.DEFAULT_MODEL_CACHE_SIZE, 0,
                100_000_000);
        int seasonal = scoring.integer("seasonal-period", 0, -1, 100_000);
        if (seasonal == 1) {
            throw new ConfigException("config key 'scoring.seasonal-period' must be -1 (none), 0 (auto) or >= 2, got 1");
        }
        int maxP = scoring.integer("max-p", 2, 0, 5);
        Duration seriesTtl = scoring.duration("series-ttl",
                Duration.ofMillis(DetectionSettings.DEFAULT_SERIES_TTL_MS), Duration.ZERO);
        if (!seriesTtl.isZero() && seriesTtl.compareTo(fetchInterval.multipliedBy(2)) < 0) {
            throw new ConfigException("config key 'scoring.series-ttl' must be 0 (never forget a series) or at least"
                    + " twice fetch-interval (" + fetchInterval.multipliedBy(2).toMillis() + "ms), got "
                    + seriesTtl.toMillis() + "ms");
        }
        LstmStateMode lstmState = scoring.choice("lstm-state", LstmStateMode.CARRIED, LstmStateMode.class);
        Ordering ordering = scoring.choice("ordering", Ordering.WATERMARK, Ordering.class);
        scoring.rejectUnknown();

        ConfigNode inference = root.child("inference");
        InferenceBatching batching = inferenceBatching(inference.integer("batch-size", 1, 1,
                InferenceBatching.MAX_BATCH_SIZE), inference.duration("max-delay", Duration.ofMillis(100),
                Duration.ofMillis(1)));
        inference.rejectUnknown();

        ConfigNode lstm = root.child("lstm");
        int hidden = lstm.integer("hidden-size", 16, 1, 4096);
        int layers = lstm.integer("layers", 1, 1, 8);
        int epochs = lstm.integer("epochs", 30, 1, 100_000);
        double lr = lstm.number("learning-rate", 0.005, 0, 1);
        int batch = lstm.integer("batch-size", 64, 1, 1_000_000);
        long seed = lstm.longValue("seed", 42L, Long.MIN_VALUE);
        lstm.rejectUnknown();

        HybridConfig hybrid = new HybridConfig(seqLen, hidden, layers, epochs, lr, batch, seed, maxP, seasonal,
                scoringWindow, alarmProbability, maxTraining, 1000, cooldown, 0, rule, lstmState);
        int needed = new SarimaEeLstmTrainer(mode, hybrid).minimumFiniteValues();
        if (needed > maxTraining) {
            throw new ConfigException("config keys 'seq-len' (" + seqLen + ") and 'scoring.max-training-points' ("
                    + maxTraining + ") do not fit: the " + mode.cliName() + " training needs " + needed
                    + " values (2 x seq-len + 20) and keeps at most max-training-points; raise"
                    + " scoring.max-training-points to at least " + needed + " or lower seq-len to at most "
                    + (maxTraining - 20) / 2);
        }
        SourceSettings source = source(root.child("source"), fetchInterval);
        SinkSettings sinks = sinks(root.child("sinks"));
        ConfigNode metrics = root.child("metrics");
        boolean perSeries = metrics.bool("per-series", true);
        int maxSeries = metrics.integer("max-series-per-subtask", 2000, 0, 10_000_000);
        String reporterPort = metrics.string("reporter-port", "9249");
        if (!validPortOrRange(reporterPort)) {
            throw new ConfigException("config key 'metrics.reporter-port' must be a port (0-65535, 0 = any free"
                    + " one) or a range like 9250-9260 (low to high), got '" + reporterPort + "'");
        }
        String reporterHost = metrics.string("reporter-host", "127.0.0.1").trim();
        if (!reporterHost.matches("[A-Za-z0-9.:_\\-]+")) {
            throw new ConfigException("config key 'metrics.reporter-host' must be an address to listen on, such as"
                    + " 127.0.0.1 (the default) or 0.0.0.0 (all interfaces), got '" + reporterHost + "'");
        }
        metrics.rejectUnknown();
        ConfigNode flink = root.child("flink");
        RuntimeSettings runtime = new RuntimeSettings(
                flink.integer("parallelism", 0, 0, 100_000),
                checkpointInterval(flink),
                flink.string("checkpoint-dir", null),
                flink.choice("state-backend", null, RuntimeSettings.StateBackend.class),
                flink.integer("web-ui-port", 8081, 0, 65535),
                reporterPort, reporterHost, perSeries, maxSeries, flink.stringMap("properties"));
        flink.rejectUnknown();
        root.rejectUnknown();
        checkExactlyOnceKafka(sinks.kafka(), runtime);

        DetectionSettings detection;
        try {
            detection = new DetectionSettings(mode, hybrid, modelPath, thresholds, fetchInterval.toMillis(),
                    warmupSamples, fullSamples, maxGap, horizon, maxSeries, perSeries, seriesTtl.toMillis(),
                    ordering == Ordering.ARRIVAL, trainingLag, trainingThreads, modelCache, reestimateUntil);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config: " + e.getMessage(), e);
        }
        if (source.type() == SourceSettings.Type.VICTORIAMETRICS || source.type() == SourceSettings.Type.KAFKA) {
            if (features.isEmpty()) {
                throw new ConfigException("config key 'features' is required for source.type "
                        + source.type().name().toLowerCase(Locale.ROOT) + ": map each feature name to "
                        + (source.type() == SourceSettings.Type.KAFKA ? "{metric: NAME, kind: counter|gauge}"
                        : "{query: PROMQL}"));
            }
            for (FeatureSpec f : features.values()) {
                if (source.type() == SourceSettings.Type.VICTORIAMETRICS && f.query() == null) {
                    throw new ConfigException("config key 'features." + f.name() + ".query' is required for the"
                            + " victoriametrics source (a PromQL/MetricsQL query)");
                }
                if (source.type() == SourceSettings.Type.KAFKA && f.metric() == null) {
                    throw new ConfigException("config key 'features." + f.name() + ".metric' is required for the"
                            + " kafka source (the node-exporter metric name)");
                }
            }
        }
        checkThresholdFeatures(thresholds, features, source);
        return new JobConfig(fetchInterval, features, detection, batching, device, source, sinks, runtime,
                redact(tree));
    }

    /** Flink's default execution.checkpointing.timeout. */
    private static final Duration FLINK_CHECKPOINT_TIMEOUT = Duration.ofMinutes(10);

    /**
     * The exactly-once Kafka sink commits each checkpoint's transaction when that checkpoint completes: with
     * checkpoints off nothing is ever committed (read_committed consumers see nothing, and the broker aborts the
     * transaction after its timeout), and a transaction that outlives its timeout before the commit (an interval plus
     * a slow checkpoint longer than it) is aborted by the broker and its results are lost with a log line. Both are
     * refused here, naming the keys.
     */
    private static void checkExactlyOnceKafka(SinkSettings.Kafka kafka, RuntimeSettings runtime) {
        if (!kafka.enabled() || kafka.delivery() != SinkSettings.Kafka.Delivery.EXACTLY_ONCE) {
            return;
        }
        Duration interval = runtime.checkpointInterval();
        if (interval != null && interval.isZero()) {
            throw new ConfigException("config key 'flink.checkpoint-interval' is 0 (no checkpoints), but"
                    + " 'sinks.kafka.delivery' is exactly-once, which commits its Kafka transactions only when a"
                    + " checkpoint completes: set an interval (such as 30s) or sinks.kafka.delivery: at-least-once");
        }
        Duration effective = interval == null ? RuntimeSettings.DEFAULT_CHECKPOINT_INTERVAL : interval;
        Duration checkpointTimeout = flinkDuration(runtime.properties(), "execution.checkpointing.timeout",
                FLINK_CHECKPOINT_TIMEOUT);
        String txn = kafka.properties().get("transaction.timeout.ms");
        Duration transactionTimeout;
        try {
            transactionTimeout = txn == null ? KafkaResultSink.DEFAULT_TRANSACTION_TIMEOUT
                    : Duration.ofMillis(Long.parseLong(txn.trim()));
        } catch (NumberFormatException e) {
            throw new ConfigException("config key 'sinks.kafka.properties.transaction.timeout.ms' must be a number of"
                    + " milliseconds, got '" + txn + "'");
        }
        if (effective.plus(checkpointTimeout).compareTo(transactionTimeout) >= 0) {
            throw new ConfigException("config keys 'flink.checkpoint-interval' (" + effective.toMillis() + "ms"
                    + (interval == null ? ", the default" : "") + ") and 'flink.properties.execution.checkpointing"
                    + ".timeout' (" + checkpointTimeout.toMillis() + "ms) together reach the Kafka transaction timeout"
                    + " of the exactly-once sink ('sinks.kafka.properties.transaction.timeout.ms', "
                    + transactionTimeout.toMillis() + "ms; the broker caps it at its transaction.max.timeout.ms, 15"
                    + " min by default): a transaction could expire before its checkpoint commits it, and its results"
                    + " would be lost. Shorten the interval or the checkpoint timeout, or use sinks.kafka.delivery:"
                    + " at-least-once");
        }
    }

    /** A duration among the Flink properties, in Flink's own syntax ("10 min", "600000"), or the default. */
    private static Duration flinkDuration(Map<String, String> properties, String key, Duration otherwise) {
        String text = properties.get(key);
        if (text == null) {
            return otherwise;
        }
        try {
            return org.apache.flink.util.TimeUtils.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config key 'flink.properties." + key + "' must be a Flink duration such as"
                    + " '10 min', got '" + text + "'");
        }
    }

    /** flink.checkpoint-interval: null (unset), 0 (off) or at least Flink's minimum of 10 ms. */
    private static Duration checkpointInterval(ConfigNode flink) {
        Duration d = flink.duration("checkpoint-interval", null, Duration.ZERO);
        if (d != null && !d.isZero() && d.toMillis() < 10) {
            throw new ConfigException("config key 'flink.checkpoint-interval' must be 0 (no checkpoints) or at least"
                    + " 10ms (Flink's minimum), got " + d.toMillis() + "ms");
        }
        return d;
    }

    private static boolean validPortOrRange(String text) {
        if (!text.matches("\\d{1,5}(-\\d{1,5})?")) {
            return false;
        }
        String[] parts = text.split("-");
        int low = Integer.parseInt(parts[0]);
        int high = Integer.parseInt(parts[parts.length - 1]);
        return high <= 65535 && low <= high; // 0: any free port (tests, several embedded runs on one host)
    }

    /**
     * Every {@code thresholds.<feature>} must name a feature the source delivers (the features section, else the
     * host source's features or the replay feature), or it would silently never apply.
     */
    private static void checkThresholdFeatures(Map<String, Double> thresholds, Map<String, FeatureSpec> features,
                                               SourceSettings source) {
        Set<String> known = new LinkedHashSet<>(features.keySet());
        if (known.isEmpty() && source.type() == SourceSettings.Type.HOST) {
            for (HostFeature f : HostFeature.values()) {
                known.add(f.featureName());
            }
        } else if (source.type() == SourceSettings.Type.REPLAY) {
            known.add(source.replay().feature()); // the one feature a replay delivers, whatever features says
        }
        for (String f : thresholds.keySet()) {
            if (!known.contains(f)) {
                throw new ConfigException("config key 'thresholds." + f + "' names no feature of this job: the"
                        + " features are " + String.join(", ", known));
            }
        }
    }

    private static Map<String, FeatureSpec> features(ConfigNode node) {
        Map<String, FeatureSpec> out = new LinkedHashMap<>();
        for (String name : node.names()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ConfigException("config key 'features." + name + "': feature names must match"
                        + " [A-Za-z_][A-Za-z0-9_]* (they become label values and model names)");
            }
            ConfigNode f = node.child(name);
            Map<String, String> match = f.stringMap("match");
            String metric = f.string("metric", null);
            if (metric != null && !PrometheusValues.isMetricName(metric)) {
                throw new ConfigException("config key 'features." + name + ".metric' must be a Prometheus metric"
                        + " name ([a-zA-Z_:][a-zA-Z0-9_:]*, such as node_cpu_seconds_total), got '" + metric + "'");
            }
            for (String label : match.keySet()) {
                if (!PrometheusValues.isLabelName(label)) {
                    throw new ConfigException("config key 'features." + name + ".match." + label + "' must name a"
                            + " Prometheus label ([a-zA-Z_][a-zA-Z0-9_]*, such as mode)");
                }
            }
            FeatureSpec spec = new FeatureSpec(name, f.string("query", null), metric, match,
                    f.choice("kind", FeatureSpec.Kind.GAUGE, FeatureSpec.Kind.class));
            f.rejectUnknown();
            out.put(name, spec);
        }
        return out;
    }

    private static SourceSettings source(ConfigNode s, Duration fetchInterval) {
        SourceSettings.Type type = s.choice("type", SourceSettings.Type.HOST, SourceSettings.Type.class);
        Duration ooo = s.duration("out-of-orderness", Duration.ZERO, Duration.ZERO);
        Duration idle = s.duration("idle-timeout", Duration.ofSeconds(60), Duration.ZERO);
        ConfigNode host = s.child("host");
        SourceSettings.Host h = new SourceSettings.Host(Path.of(host.pathString("proc-root", "/proc")));
        host.rejectUnknown();
        ConfigNode replay = s.child("replay");
        SourceSettings.Replay r = null;
        String replayPath = replay.pathString("path", null);
        String replayFeature = replay.string("feature", "value");
        double rate = replay.number("rate", 0, -1e-300, Double.POSITIVE_INFINITY);
        boolean shift = replay.bool("shift-to-now", false);
        replay.rejectUnknown();
        if (type == SourceSettings.Type.REPLAY) {
            if (replayPath == null) {
                throw new ConfigException("config key 'source.replay.path' is required for source.type replay"
                        + " (a NAB-style CSV file or a directory of them)");
            }
            if (!Files.exists(Path.of(replayPath))) {
                throw new ConfigException("config key 'source.replay.path': " + replayPath + " does not exist");
            }
            r = new SourceSettings.Replay(Path.of(replayPath), replayFeature, rate, shift);
        }
        ConfigNode vm = s.child("victoriametrics");
        SourceSettings.VictoriaMetrics v = new SourceSettings.VictoriaMetrics(
                vm.string("url", "http://127.0.0.1:8428"),
                vm.duration("step", fetchInterval, Duration.ofSeconds(1)),
                vm.duration("lag", Duration.ofSeconds(5), Duration.ZERO),
                vm.duration("look-back", Duration.ofHours(1), Duration.ZERO),
                vm.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(1)),
                vm.duration("retry-initial", Duration.ofSeconds(1), Duration.ofMillis(1)),
                vm.duration("retry-max", Duration.ofSeconds(60), Duration.ofMillis(1)),
                vm.string("username", null), vm.string("password-env", null), vm.pathString("password-file", null),
                vm.string("token-env", null), vm.pathString("token-file", null),
                vm.has("ca-file") ? Path.of(vm.pathString("ca-file", null)) : null);
        vm.rejectUnknown();
        if (type == SourceSettings.Type.VICTORIAMETRICS && !v.step().equals(fetchInterval)) {
            // the detector expects one sample per series every fetch-interval: a coarser grid would look like a
            // gap of missing samples before each one, a finer one like samples arriving too often
            throw new ConfigException("config key 'source.victoriametrics.step' (" + v.step().toMillis() + "ms) must"
                    + " equal fetch-interval (" + fetchInterval.toMillis() + "ms), the spacing the detector expects:"
                    + " set fetch-interval to the scrape interval and leave step unset");
        }
        if (v.username() != null && v.passwordEnv() == null && v.passwordFile() == null) {
            throw new ConfigException("config key 'source.victoriametrics.username' needs password-env (an"
                    + " environment variable) or password-file (a file) holding the password");
        }
        if (v.tokenEnv() != null && v.tokenFile() != null) {
            throw new ConfigException("config keys 'source.victoriametrics.token-env' and 'token-file' exclude each"
                    + " other: set one");
        }
        ConfigNode k = s.child("kafka");
        SourceSettings.Kafka kafka = new SourceSettings.Kafka(
                k.string("brokers", "127.0.0.1:9092"), k.string("topic", "node-metrics"),
                k.string("group-id", "anomaly-detection"),
                k.choice("format", SourceSettings.Kafka.Format.PROMETHEUS_TEXT, SourceSettings.Kafka.Format.class),
                k.string("dead-letter-topic", "anomaly-dead-letters"), k.stringMap("properties"),
                k.integer("max-record-bytes", 1 << 20, 1, Integer.MAX_VALUE),
                k.duration("max-age", Duration.ofDays(7), Duration.ZERO),
                k.duration("max-future", Duration.ofMinutes(10), Duration.ZERO));
        k.rejectUnknown();
        s.rejectUnknown();
        return new SourceSettings(type, ooo, idle, h, r, v, kafka);
    }

    private static SinkSettings sinks(ConfigNode s) {
        ConfigNode log = s.child("log");
        SinkSettings.Log l = new SinkSettings.Log(log.bool("enabled", true), log.bool("anomalies-only", true));
        log.rejectUnknown();
        ConfigNode k = s.child("kafka");
        SinkSettings.Kafka kafka = new SinkSettings.Kafka(k.bool("enabled", false),
                k.string("brokers", "127.0.0.1:9092"), k.string("topic", "anomalies"),
                k.choice("events", SinkSettings.Kafka.Events.ANOMALIES, SinkSettings.Kafka.Events.class),
                k.choice("delivery", SinkSettings.Kafka.Delivery.EXACTLY_ONCE, SinkSettings.Kafka.Delivery.class),
                k.string("transactional-id-prefix", "anomaly-detection"), k.stringMap("properties"));
        k.rejectUnknown();
        ConfigNode vm = s.child("victoriametrics");
        SinkSettings.VictoriaMetrics v = new SinkSettings.VictoriaMetrics(vm.bool("enabled", false),
                httpUrl("sinks.victoriametrics.url", vm.string("url", "http://127.0.0.1:8428")),
                // a batch is buffered as text and sent as one body: 100,000 lines of ~250 bytes is ~25 MB
                vm.integer("batch-lines", 5000, 1, 100_000),
                vm.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(1)),
                vm.integer("retries", 5, 0, 1000),
                vm.choice("on-failure", VictoriaMetricsSink.OnFailure.DROP, VictoriaMetricsSink.OnFailure.class));
        vm.rejectUnknown();
        s.rejectUnknown();
        return new SinkSettings(l, kafka, v);
    }

    /** {@code url} if it is http(s)://host[:port][/path] without query or fragment; else a ConfigException. */
    private static String httpUrl(String key, String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException("config key '" + key + "' must be an http(s) URL such as"
                    + " http://127.0.0.1:8428 (scheme, host, optional port and path), got '" + url + "'");
        }
        return url.strip();
    }

    /**
     * The configuration as YAML with the value of every secret key ({@link SecretKeys}) replaced by "*****": a
     * secret key's whole value is masked, even a mapping or list under it.
     */
    static String redact(ObjectNode tree) {
        ObjectNode copy = tree.deepCopy();
        mask(copy, "");
        try {
            return YAML.writeValueAsString(copy);
        } catch (IOException e) {
            return "<unprintable configuration>";
        }
    }

    private static void mask(JsonNode node, String path) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                mask(element, path);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        ObjectNode o = (ObjectNode) node;
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String key = path.isEmpty() ? name : path + "." + name;
            JsonNode v = o.get(name);
            if (SecretKeys.isSecret(key) && !v.isNull()) {
                o.put(name, SecretKeys.MASK);
            } else {
                mask(v, key);
            }
        }
    }
}
