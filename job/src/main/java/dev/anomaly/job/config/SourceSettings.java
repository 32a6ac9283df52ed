package dev.anomaly.job.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code source} section: which source feeds the job and its settings.
 *
 * @param type host (this machine's /proc), replay (CSV files), victoriametrics or kafka
 * @param outOfOrderness how far behind the newest sample a sample may arrive and still be used (watermark bound)
 * @param idleTimeout a source split silent this long stops holding the watermark back
 */
public record SourceSettings(Type type, Duration outOfOrderness, Duration idleTimeout, Host host, Replay replay,
                             VictoriaMetrics victoriaMetrics, Kafka kafka) {

    /** Source kinds. */
    public enum Type {
        HOST,
        REPLAY,
        VICTORIAMETRICS,
        KAFKA
    }

    /** This machine's metrics from {@code procRoot} (normally /proc). */
    public record Host(Path procRoot) {
    }

    /**
     * NAB-style CSV files (timestamp,value) replayed as samples.
     *
     * @param path a file or a directory of *.csv files
     * @param feature the feature name of the replayed series
     * @param rate samples per second per file, 0 = as fast as possible
     * @param shiftToNow shift timestamps so the last sample lands at the start time
     */
    public record Replay(Path path, String feature, double rate, boolean shiftToNow) {
    }

    /**
     * VictoriaMetrics (PromQL over HTTP).
     *
     * VictoriaMetrics is polled every FETCH_INTERVAL for (last end, now - lag] at {@code step}; an outage is
     * retried for ever (exponential backoff with jitter from retryInitial up to retryMax) and then backfilled.
     * Secrets come from an environment variable or a file (passwordEnv/passwordFile, tokenEnv/tokenFile), never
     * from the configuration itself.
     */
    public record VictoriaMetrics(String url, Duration step, Duration lag, Duration lookBack, Duration timeout,
                                  Duration retryInitial, Duration retryMax, String username, String passwordEnv,
                                  String passwordFile, String tokenEnv, String tokenFile, Path caFile) {
    }

    /**
     * node-exporter samples from Kafka.
     *
     * @param format json (prometheus-kafka-adapter style) or prometheus-text (one scrape per message)
     * @param properties consumer properties passed through (security.protocol, sasl.*, ssl.*)
     * @param maxRecordBytes larger records are dead-lettered undecoded ({@code record_too_large})
     * @param maxAge samples older than now minus this are dead-lettered ({@code timestamp_out_of_range}); 0: no limit
     * @param maxFuture samples later than now plus this are dead-lettered; 0: no limit
     */
    public record Kafka(String brokers, String topic, String groupId, Format format, String deadLetterTopic,
                        Map<String, String> properties, int maxRecordBytes, java.time.Duration maxAge,
                        java.time.Duration maxFuture) {

        /** Message formats. */
        public enum Format {
            JSON,
            PROMETHEUS_TEXT
        }
    }
}
